# Copyright (c) lnl_mm contributors. All rights reserved.
"""``NoisyLabelDataset``: corrupt the labels of any mmpretrain dataset."""
import json
import os
import os.path as osp
from typing import Any, Optional, Union

import numpy as np
from mmpretrain.registry import DATASETS

from ..noise import (available_noise_types, check_noise_options, label_sha256,
                     make_noisy_labels, noise_statistics, normalize_class_map,
                     select_openset)
from .utils import (IndexWrapper, build_inner, dataset_labels,
                    dataset_num_classes)

#: Keys of a data info that hold the image; swapped for open-set noise.
IMAGE_KEYS = ('img', 'img_path')
#: Noise types handled by the wrapper itself rather than a label generator.
WRAPPER_NOISE_TYPES = ('openset', )


@DATASETS.register_module()
class NoisyLabelDataset(IndexWrapper):
    """Wrap a dataset and replace its labels by noisy ones.

    The noisy labels are computed once, in :meth:`full_init`, from the clean
    labels with a fresh ``np.random.default_rng(seed)``, so every rank and
    every dataloader worker that builds the same config gets the same labels.
    Each item carries:

    * ``gt_label``: the noisy (given) label, the only label training sees;
    * ``clean_label`` and ``is_noisy``: for diagnostics only
      (``docs/design.md``, decision 6); ``clean_label`` is ``-1`` for
      open-set images;
    * ``sample_idx``: this wrapper's own index, unique over the wrapped
      dataset even when it is a ``ConcatDataset``.

    Args:
        dataset (dict | dataset): The clean dataset (config or built).
        noise (dict): ``type`` (a label-noise generator of
            :mod:`lnl_mm.datasets.noise` or ``'openset'``) and its options,
            e.g. ``dict(type='symmetric', rate=0.4)``. ``instance`` noise
            takes ``features='img'`` (default: the flattened images of the
            data infos) or a path to an ``(N, D)`` ``.npy`` file. ``openset``
            takes ``rate`` and ``source`` (a dataset config).
        seed (int): Seed of the noise. Defaults to 0.
        num_classes (int, optional): Needed when the dataset has no
            ``metainfo['classes']``; checked against it otherwise.
        lazy_init (bool): Defer :meth:`full_init`. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, Any],
                 noise: dict,
                 seed: int = 0,
                 num_classes: Optional[int] = None,
                 lazy_init: bool = False):
        if not isinstance(noise, dict) or 'type' not in noise:
            raise ValueError(
                'noise must be a dict with a "type", e.g. '
                f"dict(type='symmetric', rate=0.4); got {noise!r}")
        valid = available_noise_types() + list(WRAPPER_NOISE_TYPES)
        if noise['type'] not in valid:
            raise ValueError(
                f'Unknown noise type: noise.type='
                f'{noise["type"]!r}. Valid types: {sorted(valid)}')
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f'seed must be an int, got {seed!r}')
        # None removes an option (the command line's way to delete one)
        self.noise = {k: v for k, v in noise.items() if v is not None}
        self.seed = int(seed)
        self._num_classes_arg = num_classes
        self.source = None
        super().__init__(dataset, lazy_init=lazy_init)

    def _init_indices(self) -> None:
        super()._init_indices()
        self.num_classes = dataset_num_classes(self.dataset,
                                               self._num_classes_arg)
        clean = dataset_labels(self.dataset)
        self._replaced = np.full(clean.size, -1, dtype=np.int64)
        if 'class_map' in self.noise:  # text, class names -> indices
            self.noise['class_map'] = normalize_class_map(
                self.noise['class_map'], self._class_names())
        if self.noise['type'] == 'openset':
            self._init_openset(clean)
        else:
            self.noisy_labels = make_noisy_labels(
                clean,
                self.num_classes,
                self.noise,
                self.seed,
                features=self._features()
                if self.noise['type'] == 'instance' else None)
            self.clean_labels = clean
        self.is_noisy = (self.noisy_labels != self.clean_labels)
        self._fields = list(
            zip(self.noisy_labels.tolist(), self.clean_labels.tolist(),
                self.is_noisy.tolist(), self._replaced.tolist()))

    def _class_names(self):
        """The wrapped dataset's class names, if it has them."""
        meta = getattr(self.dataset, 'metainfo', None) or {}
        names = meta.get('classes') if isinstance(meta, dict) else None
        return tuple(names) if names else None

    def _init_openset(self, clean: np.ndarray) -> None:
        opts = dict(self.noise)
        opts.pop('type')
        if 'source' not in opts:
            raise ValueError('noise.type=openset needs noise.source, the '
                             'dataset the foreign images come from')
        self.source = build_inner(opts.pop('source'), 'noise.source')
        check_noise_options('openset', select_openset, opts)
        if hasattr(self.source, 'full_init'):
            self.source.full_init()
        replaced, src = select_openset(clean.size, len(self.source),
                                       np.random.default_rng(self.seed),
                                       **opts)
        self._replaced[replaced] = src
        self.noisy_labels = clean.copy()
        self.clean_labels = clean.copy()
        self.clean_labels[replaced] = -1

    def _features(self) -> np.ndarray:
        features = self.noise.get('features', 'img')
        if features != 'img':
            feats = np.load(features, allow_pickle=False)
            if feats.shape[0] != len(self.dataset):
                raise ValueError(
                    f'noise.features={features!r} has {feats.shape[0]} rows, '
                    f'the dataset has {len(self.dataset)} samples')
            return feats
        infos = (
            self.dataset.get_data_info(i) for i in range(len(self.dataset)))
        try:
            return np.stack(
                [np.asarray(info['img']).ravel() for info in infos])
        except KeyError:
            raise ValueError(
                'noise.type=instance needs features: the dataset infos have '
                'no "img" array; set noise.features to an (N, D) .npy file'
            ) from None

    def get_data_info(self, idx: int) -> dict:
        """The wrapped info with the noisy label and diagnostic fields."""
        # The wrapper maps indices 1:1, so the inner call is made directly
        # (this is the per-item hot path of training).
        if not self._fully_initialized:
            self.full_init()
        if idx < 0:
            idx += len(self._fields)
        info = self.dataset.get_data_info(idx)
        info['sample_idx'] = idx
        noisy, clean, is_noisy, src = self._fields[idx]
        if src >= 0:
            foreign = self.source.get_data_info(src)
            for key in IMAGE_KEYS:
                info.pop(key, None)
                if key in foreign:
                    info[key] = foreign[key]
        info['gt_label'] = noisy
        info['clean_label'] = clean
        info['is_noisy'] = is_noisy
        return info

    def get_gt_labels(self) -> np.ndarray:
        """The noisy labels (what training sees), as mmpretrain's API."""
        self.full_init()
        return self.noisy_labels.copy()

    def get_cat_ids(self, idx: int):
        """Noisy category id of sample ``idx``."""
        self.full_init()
        return [int(self.noisy_labels[idx])]

    def noise_manifest(self) -> dict:
        """Everything needed to audit and reproduce this corruption."""
        self.full_init()
        params = {
            k: v
            for k, v in self.noise.items() if k not in ('type', 'source')
        }
        if 'source' in self.noise:
            params['source'] = type(self.source).__name__
        stats = noise_statistics(self.clean_labels, self.noisy_labels,
                                 self.num_classes)
        return dict(
            generator=self.noise['type'],
            params=json.loads(json.dumps(params, default=str)),
            seed=self.seed,
            dataset=type(self.dataset).__name__,
            num_classes=self.num_classes,
            classes=list(self.CLASSES) if self.CLASSES else None,
            **stats,
            sha256_clean_labels=label_sha256(self.clean_labels),
            sha256_noisy_labels=label_sha256(self.noisy_labels),
        )

    def dump_manifest(self, path: str) -> dict:
        """Write :meth:`noise_manifest` as JSON to ``path`` and return it."""
        manifest = self.noise_manifest()
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
        with open(path, 'w') as f:
            json.dump(manifest, f, indent=2)
        return manifest

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(noise={self.noise!r}, seed={self.seed}'
                f', num_samples={len(self)}, '
                f'dataset={type(self.dataset).__name__})')
