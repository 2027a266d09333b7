# Copyright (c) lnl_mm contributors. All rights reserved.
"""Tiny Fashion-MNIST-format fixtures: the four IDX files, real format."""
import gzip
import os.path as osp

import numpy as np


def write_idx(path: str, arr: np.ndarray, code: int = 0x08) -> None:
    """Write ``arr`` as an IDX file (gzip when ``path`` ends in ``.gz``)."""
    header = bytes([0, 0, code, arr.ndim]) + b''.join(
        int(d).to_bytes(4, 'big') for d in arr.shape)
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'wb') as f:
        f.write(header + arr.tobytes())


def write_mnist_fixture(root,
                        train: int = 200,
                        test: int = 60,
                        suffix: str = '.gz',
                        seed: int = 0) -> str:
    """Random 28x28 uint8 images with labels ``i % 10``, train and t10k.

    Returns:
        str: ``root``, for ``data_root``.
    """
    rng = np.random.default_rng(seed)
    for split, n in (('train', train), ('t10k', test)):
        write_idx(
            osp.join(str(root), f'{split}-images-idx3-ubyte{suffix}'),
            rng.integers(0, 255, (n, 28, 28), dtype=np.uint8))
        write_idx(
            osp.join(str(root), f'{split}-labels-idx1-ubyte{suffix}'),
            (np.arange(n) % 10).astype(np.uint8))
    return str(root)
