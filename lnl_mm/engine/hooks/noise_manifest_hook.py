# Copyright (c) lnl_mm contributors. All rights reserved.
"""Write the noise manifest and check the head against the dataset."""
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers import find_noisy_dataset

MANIFEST_NAME = 'noise_manifest.json'


@HOOKS.register_module()
class NoiseManifestHook(Hook):
    """Before training: check ``num_classes`` and write the noise manifest.

    * The head's ``num_classes`` must equal the number of classes of the
      training dataset; a mismatch raises before the first iteration.
    * If the training set holds a
      :class:`~lnl_mm.datasets.NoisyLabelDataset`, its manifest (generator,
      parameters, seed, realised rates, transition matrix, label hashes) is
      written to ``<work_dir>/noise_manifest.json`` and summarised in the log.

    Args:
        filename (str): Manifest file name in the work dir.
            Defaults to ``'noise_manifest.json'``.
    """

    priority = 'VERY_HIGH'

    def __init__(self, filename: str = MANIFEST_NAME):
        self.filename = filename

    def before_train(self, runner) -> None:
        """Check the head and write the manifest.

        Args:
            runner (Runner): The runner of the training process.
        """
        dataset = runner.train_dataloader.dataset
        classes = dataset.metainfo.get('classes')
        head = getattr(get_ori_model(runner.model), 'head', None)
        head_classes = getattr(head, 'num_classes', None)
        if classes is not None and head_classes is not None and \
                head_classes != len(classes):
            raise ValueError(
                f'model.head.num_classes={head_classes} differs from the '
                f'{len(classes)} classes of the training dataset '
                f'({type(dataset).__name__})')
        noisy = find_noisy_dataset(dataset)
        if noisy is None:
            runner.logger.info('No NoisyLabelDataset in the training set: '
                               'no noise manifest written.')
            return
        path = osp.join(runner.work_dir, self.filename)
        manifest = noisy.noise_manifest()
        if is_main_process():
            noisy.dump_manifest(path)
        per_class = ', '.join('-' if r is None else f'{r:.3f}'
                              for r in manifest['per_class_rate'])
        runner.logger.info(
            f'Noise manifest ({path}): generator={manifest["generator"]} '
            f'params={manifest["params"]} seed={manifest["seed"]} '
            f'realised rate={manifest["realised_rate"]:.4f} '
            f'({manifest["num_flipped"]}/{manifest["num_samples"]} flipped'
            f', {manifest["num_open_set"]} open-set); per class: '
            f'[{per_class}]')
