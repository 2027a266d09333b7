# Copyright (c) lnl_mm contributors. All rights reserved.
"""Helpers shared by the ``lnl_mm`` dataset wrappers."""
import copy
from typing import Any, Callable, Optional, Union

import numpy as np
from mmengine.dataset import BaseDataset, ConcatDataset
from mmpretrain.registry import DATASETS


def build_inner(dataset: Union[dict, Any], option: str = 'dataset') -> Any:
    """Build ``dataset`` from a config dict, or accept a built dataset.

    Any object with ``__len__`` and ``get_data_info`` is accepted, so our
    wrappers nest into each other and into mmengine's wrappers.
    """
    if isinstance(dataset, dict):
        indices = dataset.get('indices')
        check_indices(indices, f'{option}.indices')
        try:
            dataset = DATASETS.build(dataset)
        except IndexError as e:
            if indices is None or isinstance(indices, (int, np.integer)):
                raise
            raise IndexError(
                f'{option}.indices selects samples the dataset does not have '
                f'(indices from {min(indices)} to {max(indices)}): {e}'
            ) from None
    elif not (hasattr(dataset, 'get_data_info')
              and hasattr(dataset, '__len__')):
        raise TypeError(f'{option} must be a config dict or a built dataset, '
                        f'got {type(dataset).__name__}')
    return dataset


def check_indices(indices: Any, option: str) -> None:
    """mmengine's ``BaseDataset(indices=...)``: None, a count >= 1 or a
    non-empty sequence of ints (``0`` would fail deep inside mmengine)."""
    if indices is None:
        return
    if isinstance(indices, (int, np.integer)) and \
            not isinstance(indices, bool):
        if indices >= 1:
            return
    elif isinstance(indices, (list, tuple, np.ndarray)) and len(indices) and \
            all(isinstance(i, (int, np.integer)) and not isinstance(i, bool)
                for i in indices):
        return
    raise ValueError(f'{option}={indices!r} is not a sample selection: give '
                     'a count >= 1 (the first N samples) or a non-empty list '
                     'of indices (0 or [] would select no sample)')


def dataset_labels(dataset: Any) -> np.ndarray:
    """Integer labels of every sample of ``dataset`` (the ``gt_label``)."""
    if hasattr(dataset, 'get_gt_labels'):
        return np.asarray(dataset.get_gt_labels(), dtype=np.int64)
    if isinstance(dataset, ConcatDataset):
        return np.concatenate([dataset_labels(d) for d in dataset.datasets])
    return np.array([
        int(dataset.get_data_info(i)['gt_label']) for i in range(len(dataset))
    ],
                    dtype=np.int64)


def dataset_num_classes(dataset: Any,
                        num_classes: Optional[int] = None,
                        option: str = 'num_classes') -> int:
    """Number of classes from ``metainfo['classes']`` or ``num_classes``."""
    classes = dataset.metainfo.get('classes') if hasattr(dataset,
                                                         'metainfo') else None
    if classes is not None and num_classes is not None and \
            len(classes) != num_classes:
        raise ValueError(f'{option}={num_classes} differs from the '
                         f'{len(classes)} classes of the wrapped dataset')
    if classes is not None:
        return len(classes)
    if num_classes is None:
        raise ValueError(f'The wrapped dataset has no metainfo["classes"]; '
                         f'set {option}')
    return int(num_classes)


def find_pipeline(dataset: Any, idx: int) -> Callable:
    """The pipeline that processes sample ``idx`` of a (wrapped) dataset."""
    if isinstance(dataset, BaseDataset):
        return dataset.pipeline
    if isinstance(dataset, ConcatDataset):
        d, i = dataset._get_ori_dataset_idx(idx)
        return find_pipeline(dataset.datasets[d], i)
    if hasattr(dataset, 'dataset') and hasattr(dataset,
                                               '_get_ori_dataset_idx'):
        return find_pipeline(dataset.dataset,
                             dataset._get_ori_dataset_idx(idx))
    raise TypeError(f'Cannot find the pipeline of {type(dataset).__name__}')


class IndexWrapper:
    """Base of our wrappers: lazy init, metainfo, pipeline, item access.

    Subclasses implement :meth:`_init_indices` (called once by
    :meth:`full_init`) and may extend :meth:`get_data_info`. ``sample_idx``
    is always the wrapper's own index, so it is unique within the wrapper.

    Args:
        dataset (dict | dataset): The dataset to wrap.
        lazy_init (bool): Defer :meth:`full_init`. Defaults to False.
    """

    def __init__(self, dataset: Union[dict, Any], lazy_init: bool = False):
        self.dataset = build_inner(dataset)
        self._metainfo = self.dataset.metainfo
        self._fully_initialized = False
        self._indices: Optional[np.ndarray] = None
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """A deep copy of the wrapped dataset's meta information."""
        return copy.deepcopy(self._metainfo)

    @property
    def CLASSES(self):
        """Class names, as mmpretrain datasets expose them."""
        return self._metainfo.get('classes')

    def full_init(self) -> None:
        """Initialise the wrapped dataset, then this wrapper."""
        if self._fully_initialized:
            return
        if hasattr(self.dataset, 'full_init'):
            self.dataset.full_init()
        self._init_indices()
        self._finish_init()
        self._fully_initialized = True

    def _init_indices(self) -> None:
        self._indices = np.arange(len(self.dataset))

    def _finish_init(self) -> None:
        # Python lists index ~5x faster than NumPy arrays item by item, and
        # a plain dataset's pipeline is the same for every index.
        self._index_list = self._indices.tolist()
        self._pipeline = self.dataset.pipeline if isinstance(
            self.dataset, BaseDataset) else None

    def _get_ori_dataset_idx(self, idx: int) -> int:
        if not self._fully_initialized:
            self.full_init()
        return self._index_list[idx]

    def get_data_info(self, idx: int) -> dict:
        """The wrapped sample's info with ``sample_idx`` set to ``idx``."""
        info = self.dataset.get_data_info(self._get_ori_dataset_idx(idx))
        info['sample_idx'] = idx if idx >= 0 else len(self) + idx
        return info

    def sample_indices(self) -> np.ndarray:
        """The ``sample_idx`` of every item, in item order: this wrapper's
        own indices."""
        return np.arange(len(self), dtype=np.int64)

    def __getitem__(self, idx: int) -> dict:
        info = self.get_data_info(idx)
        pipeline = self._pipeline or find_pipeline(
            self.dataset, self._get_ori_dataset_idx(idx))
        return pipeline(info)

    def __len__(self) -> int:
        self.full_init()
        return len(self._indices)

    def get_cat_ids(self, idx: int):
        """Category id of sample ``idx`` (for class-aware samplers)."""
        return [int(self.get_data_info(idx)['gt_label'])]

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_samples={len(self)}, '
                f'dataset={type(self.dataset).__name__})')


def find_noisy_dataset(dataset: Any) -> Optional[Any]:
    """The first wrapper with ``noisy_labels`` inside ``dataset``, or None.

    Descends ``.dataset`` (Repeat / ClassBalanced / our wrappers). A
    ``ConcatDataset`` of several noisy datasets is ambiguous and yields None;
    wrap the concatenation instead.
    """
    while dataset is not None:
        if hasattr(dataset, 'noisy_labels') and hasattr(
                dataset, 'noise_manifest'):
            return dataset
        dataset = getattr(dataset, 'dataset', None)
    return None


def sample_indices(dataset: Any) -> np.ndarray:
    """The ``sample_idx`` of every item of ``dataset``, in item order (int64).

    Our wrappers answer from their indices (:meth:`IndexWrapper.
    sample_indices`) without building a data info per sample; any other
    dataset is asked item by item (``get_data_info(i)['sample_idx']``, ``i``
    where the info has none).
    """
    own = getattr(dataset, 'sample_indices', None)
    if callable(own):
        return np.asarray(own(), dtype=np.int64)
    return np.asarray([
        dataset.get_data_info(i).get('sample_idx', i)
        for i in range(len(dataset))
    ],
                      dtype=np.int64)


def given_labels(dataset: Any) -> np.ndarray:
    """The labels training sees, indexed by ``sample_idx``: the noisy
    wrapper's when there is one, else ``get_gt_labels()``."""
    noisy = find_noisy_dataset(dataset)
    if noisy is not None:
        return np.asarray(noisy.noisy_labels)
    return np.asarray(dataset.get_gt_labels())


def info_image(info: dict) -> np.ndarray:
    """The image of a data info (``img``, or read from ``img_path``), RGB,
    a single channel squeezed to ``(H, W)``; for figures."""
    if 'img' in info:
        img = np.asarray(info['img'])
    elif 'img_path' in info:
        import mmcv
        img = mmcv.imread(info['img_path'], channel_order='rgb')
    else:
        raise KeyError('the data infos hold neither "img" nor "img_path"')
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    return img
