# Copyright (c) lnl_mm contributors. All rights reserved.
"""Give the model the class counts of the labels training sees."""
import numpy as np
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers.utils import given_labels


@HOOKS.register_module()
class TrainLabelCountsHook(Hook):
    """Before training: pass the training-label counts to the model.

    Counts the labels training sees (the noisy labels of a
    :class:`~lnl_mm.datasets.NoisyLabelDataset`, else ``get_gt_labels()``)
    per class and calls ``set_train_label_counts(counts)`` on every module
    of the model that defines it (e.g.
    :class:`~lnl_mm.models.losses.NLNLLoss`'s inverse-frequency weights).
    It runs again after ``--resume`` (``before_train`` follows the
    checkpoint load) and gives the same counts, since the labels are a
    function of the config. A model with no such module is an error: the
    hook would otherwise do nothing unnoticed.
    """

    priority = 'HIGH'

    def before_train(self, runner) -> None:
        """Count the labels and hand them to the model.

        Args:
            runner (Runner): The runner of the training process.
        """
        dataset = runner.train_dataloader.dataset
        model = get_ori_model(runner.model)
        head = getattr(model, 'head', None)
        num_classes = getattr(head, 'num_classes', None)
        if num_classes is None:
            num_classes = len(dataset.metainfo.get('classes') or ())
        labels = np.asarray(given_labels(dataset), dtype=np.int64)
        if num_classes < 2 or labels.size == 0 or labels.min() < 0 \
                or labels.max() >= num_classes:
            raise ValueError(f'TrainLabelCountsHook: the training labels do '
                             f'not fit {num_classes} classes')
        counts = np.bincount(labels, minlength=num_classes).tolist()
        takers = [
            name for name, module in model.named_modules()
            if callable(getattr(module, 'set_train_label_counts', None))
        ]
        if not takers:
            raise ValueError('TrainLabelCountsHook: no module of the model '
                             'takes training-label counts '
                             '(set_train_label_counts); remove the hook')
        for name in takers:
            model.get_submodule(name).set_train_label_counts(counts)
        runner.logger.info(f'Training-label counts {counts} passed to '
                           f'{", ".join(takers)}')
