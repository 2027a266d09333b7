# Copyright (c) lnl_mm contributors. All rights reserved.
"""Which images two datasets share, seen through our index wrappers."""
import hashlib
import os.path as osp
from typing import Any, Hashable, Set, Tuple

import numpy as np

from .utils import IndexWrapper, dataset_labels


def source_indices(dataset: Any) -> Tuple[Any, np.ndarray]:
    """The dataset below every index wrapper, and the index in it of each
    sample of ``dataset``."""
    idx = np.arange(len(dataset))
    while isinstance(dataset, IndexWrapper):
        dataset.full_init()
        idx = dataset._indices[idx]
        dataset = dataset.dataset
    return dataset, idx


def _fingerprint(dataset: Any) -> Hashable:
    labels = np.ascontiguousarray(dataset_labels(dataset), dtype=np.int64)
    return (type(dataset).__name__, len(dataset),
            hashlib.sha1(labels.tobytes()).hexdigest())


def image_keys(dataset: Any) -> Set[Hashable]:
    """One key per image of ``dataset``, equal for the same image.

    Images read from files are keyed by file name (the same file under two
    annotation files is the same image). In-memory images are keyed by
    their index in the dataset below the index wrappers, together with a
    fingerprint of that dataset (type, length, labels), so two splits carved
    from the same data compare by index, not by pixels (real data sets hold
    exact duplicate images that are different samples).
    """
    base, idx = source_indices(dataset)
    first = base.get_data_info(int(idx[0])) if len(idx) else {}
    if first.get('img_path'):
        return {
            osp.basename(base.get_data_info(int(i))['img_path'])
            for i in idx
        }
    fp = _fingerprint(base)
    return {(fp, int(i)) for i in idx}


def shared_images(a: Any, b: Any) -> int:
    """How many images of ``a`` are also images of ``b``."""
    return len(image_keys(a) & image_keys(b))
