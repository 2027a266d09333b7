# Copyright (c) lnl_mm contributors. All rights reserved.
"""Packing that keeps the diagnostic fields of noisy datasets."""
from mmpretrain.datasets.transforms import PackInputs
from mmpretrain.registry import TRANSFORMS

#: Diagnostic keys added by :class:`~lnl_mm.datasets.NoisyLabelDataset`.
NOISE_META_KEYS = ('clean_label', 'is_noisy')


@TRANSFORMS.register_module()
class PackNoisyInputs(PackInputs):
    """:class:`PackInputs` that also keeps ``clean_label`` and ``is_noisy``.

    They land in the data sample's metainfo, for diagnostics only: no
    training path may read them (``docs/design.md``, decision 6). Keys
    missing from a sample (e.g. on the clean test set) are simply absent.

    Args:
        **kwargs: Arguments of :class:`PackInputs`; ``meta_keys`` defaults to
            its default keys plus :data:`NOISE_META_KEYS`.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault(
            'meta_keys',
            tuple(PackInputs.DEFAULT_META_KEYS) + NOISE_META_KEYS)
        super().__init__(**kwargs)
