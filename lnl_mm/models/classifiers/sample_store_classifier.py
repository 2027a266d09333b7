# Copyright (c) lnl_mm contributors. All rights reserved.
"""An ImageClassifier that trains on per-sample targets from its store."""
from typing import List

import torch
from mmpretrain.models import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..utils import SampleStore, refuse_old_layout

TARGETS = 'targets'


@MODELS.register_module()
class SampleStoreClassifier(ImageClassifier):
    """:class:`ImageClassifier` whose training targets live in a
    :class:`~lnl_mm.models.utils.SampleStore`.

    The store holds one ``(C,)`` target row per training sample, indexed by
    the ``sample_idx`` of :class:`~lnl_mm.datasets.NoisyLabelDataset`,
    starting as the one-hot given labels. Until the field has been written,
    training uses the batch's own labels (so Mixup / CutMix targets pass
    unchanged); once something has written it (SLN's label correction,
    :class:`~lnl_mm.engine.hooks.SLNLabelCorrectionHook`, which only
    triggers the correction), every training batch takes its rows as soft
    targets (``gt_score``) for the loss. Prediction is unchanged.

    Args:
        **kwargs: Arguments of :class:`ImageClassifier`; the head needs
            ``num_classes``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        num_classes = getattr(self.head, 'num_classes', None)
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError('SampleStoreClassifier needs a head with '
                             f'num_classes >= 2, got {num_classes!r}')
        self.store = SampleStore()
        self.store.add_field(TARGETS, (num_classes, ), init='one_hot')

    def init_sample_state(self, given) -> None:
        """Size the store for the ``(N,)`` given labels of the training
        set (before a checkpoint is resumed)."""
        self.store.initialize(given)

    @property
    def uses_stored_targets(self) -> bool:
        """Whether the stored targets have been written (and are used)."""
        return self.store.initialized and self.store.writes(TARGETS) > 0

    def set_targets(self, sample_idx, targets: torch.Tensor) -> None:
        """Write the ``(B, C)`` targets of ``sample_idx``."""
        self.store.set(TARGETS, sample_idx, targets)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """The head's loss against the stored targets once written."""
        if self.uses_stored_targets:
            if getattr(self.data_preprocessor, 'batch_augments', None):
                raise ValueError(
                    'SampleStoreClassifier: batch augmentation (Mixup / '
                    'CutMix) mixes the inputs, but stored targets belong to '
                    'single samples; remove data_preprocessor.batch_augments')
            idx = [s.metainfo.get('sample_idx') for s in data_samples]
            if None in idx:
                raise KeyError('SampleStoreClassifier: training samples carry '
                               'no sample_idx (wrap the training set in '
                               'NoisyLabelDataset)')
            rows = self.store.get(TARGETS, idx).to(inputs.device)
            for sample, row in zip(data_samples, rows):
                sample.set_gt_score(row)
        return super().loss(inputs, data_samples)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        refuse_old_layout(state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
