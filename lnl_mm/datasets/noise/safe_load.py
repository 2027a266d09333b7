# Copyright (c) lnl_mm contributors. All rights reserved.
"""Read label files without unpickling arbitrary objects.

Label files of noisy-label benchmarks are pickles in disguise: CIFAR-N ships
``CIFAR-10_human.pt`` (a ``torch.save`` zip archive holding NumPy arrays)
and ``CIFAR-*_human_ordered.npy`` (a dict pickled inside ``.npy``). Loading
them with ``pickle`` / ``torch.load(weights_only=False)`` executes whatever
the file says. This module reads them with an unpickler whose ``find_class``
only resolves an explicit allowlist (NumPy array reconstruction, dtypes,
``OrderedDict``, and torch tensor storages, rebuilt as NumPy arrays), so
the loader stays pure NumPy and safe.
"""
import collections
import io
import pickle
import zipfile
from typing import Any

import numpy as np

_NUMPY_GLOBALS = {
    ('numpy.core.multiarray', '_reconstruct'),
    ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'),
    ('numpy._core.multiarray', 'scalar'),
    ('numpy', 'ndarray'),
    ('numpy', 'dtype'),
    # protocol-2 pickles (torch.save) encode raw bytes as
    # _codecs.encode(str, 'latin1'): a pure str -> bytes conversion.
    ('_codecs', 'encode'),
}
_TORCH_STORAGE_DTYPES = {
    'LongStorage': np.int64,
    'IntStorage': np.int32,
    'ShortStorage': np.int16,
    'CharStorage': np.int8,
    'ByteStorage': np.uint8,
    'BoolStorage': np.bool_,
    'FloatStorage': np.float32,
    'DoubleStorage': np.float64,
    'HalfStorage': np.float16,
}


class UnsafePickleError(pickle.UnpicklingError):
    """Raised when a file asks for a global outside the allowlist."""


def _rebuild_tensor_v2(storage, offset, size, stride, *args, **kwargs):
    itemsize = storage.dtype.itemsize
    return np.lib.stride_tricks.as_strided(
        storage[offset:], shape=tuple(size),
        strides=tuple(s * itemsize for s in stride)).copy()


class _RestrictedUnpickler(pickle.Unpickler):

    def __init__(self, file, source: str, zip_file=None, prefix: str = ''):
        super().__init__(file)
        self._source = source
        self._zip = zip_file
        self._prefix = prefix

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _NUMPY_GLOBALS:
            return super().find_class(module, name)
        if module == 'numpy.dtypes' and name.endswith('DType'):
            return super().find_class(module, name)
        if (module, name) == ('collections', 'OrderedDict'):
            return collections.OrderedDict
        if module == 'torch' and name in _TORCH_STORAGE_DTYPES:
            return _TORCH_STORAGE_DTYPES[name]
        if (module, name) == ('torch._utils', '_rebuild_tensor_v2'):
            return _rebuild_tensor_v2
        raise UnsafePickleError(
            f'{self._source}: refusing to unpickle {module}.{name}; label '
            'files may only contain arrays, lists, dicts and tensors')

    def persistent_load(self, pid):
        if self._zip is None or not (isinstance(pid, tuple)
                                     and pid[0] == 'storage'):
            raise UnsafePickleError(
                f'{self._source}: unsupported persistent id {pid!r}')
        dtype, key = pid[1], pid[2]
        raw = self._zip.read(f'{self._prefix}data/{key}')
        return np.frombuffer(raw, dtype=dtype)


def load_torch_zip(path: str) -> Any:
    """Load a ``torch.save`` zip archive of arrays/tensors as NumPy objects.

    Args:
        path (str): Path of the ``.pt`` / ``.pth`` file.

    Returns:
        The stored object, with every tensor converted to ``np.ndarray``.
    """
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f'{path}: not a torch zip archive (torch >= 1.6 format); re-save '
            'it with torch.save or convert the labels to .npy')
    with zipfile.ZipFile(path) as zf:
        pkl = [n for n in zf.namelist() if n.endswith('data.pkl')]
        if len(pkl) != 1:
            raise ValueError(f'{path}: expected one data.pkl, found {pkl}')
        prefix = pkl[0][:-len('data.pkl')]
        return _RestrictedUnpickler(
            io.BytesIO(zf.read(pkl[0])), path, zf, prefix).load()


def load_npy(path: str) -> Any:
    """Load a ``.npy`` file; pickled (object) payloads go through the
    allowlist instead of ``allow_pickle=True``."""
    with open(path, 'rb') as f:
        version = np.lib.format.read_magic(f)
        read_header = (np.lib.format.read_array_header_1_0 if version ==
                       (1, 0) else np.lib.format.read_array_header_2_0)
        _, _, dtype = read_header(f)
        if not dtype.hasobject:
            f.seek(0)
            return np.load(f, allow_pickle=False)
        obj = _RestrictedUnpickler(f, path).load()
    if isinstance(obj, np.ndarray) and obj.shape == () and obj.dtype.hasobject:
        return obj.item()
    return obj
