# Copyright (c) lnl_mm contributors. All rights reserved.
"""Read label files without unpickling arbitrary objects.

Label files of noisy-label benchmarks are pickles in disguise: CIFAR-N ships
``CIFAR-10_human.pt`` (a ``torch.save`` zip archive holding NumPy arrays)
and ``CIFAR-*_human_ordered.npy`` (a dict pickled inside ``.npy``). Loading
them with ``pickle`` / ``torch.load(weights_only=False)`` executes whatever
the file says.

* ``.pt`` / ``.pth`` files go through torch's own ``weights_only``
  unpickler, with only NumPy's array reconstruction added to its allowlist,
  as the checked stand-ins of :mod:`.safe_numpy` (NumPy's own callables
  would let a file build dtypes that read its bytes as pointers). Torch
  rebuilds every tensor with ``Tensor.set_``, which checks that size,
  stride and offset fit the storage, so a crafted view cannot read memory
  outside the file's data.
* Pickled ``.npy`` payloads go through a small unpickler of our own whose
  ``find_class`` resolves the same checked NumPy stand-ins and
  ``OrderedDict`` only: no tensor, storage or view can be built.

Every array that comes out is then checked (:func:`check_loaded`): a plain
numeric dtype and at most :data:`MAX_ELEMENTS` elements (a zero-stride view
over one stored number could otherwise claim 10^12 labels). Whatever goes
wrong is reported with the file's path. The function imports torch lazily,
so the noise generators stay importable from NumPy alone.
"""
import collections
import pickle
import zipfile
from typing import Any

import numpy as np

from .safe_numpy import (MAX_ELEMENTS, NUMPY_NAMES, UnsafeNumpyError,
                         torch_safe_globals)

#: dtype kinds a label file may hold: bool, signed / unsigned int, float.
_ALLOWED_KINDS = 'biuf'
_TENSOR_DTYPES = {
    'bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32',
    'float64'
}


class UnsafePickleError(pickle.UnpicklingError):
    """Raised when a file asks for a global outside the allowlist."""


class _RestrictedUnpickler(pickle.Unpickler):
    """NumPy arrays, dtypes, containers; nothing else."""

    def __init__(self, file, source: str):
        super().__init__(file)
        self._source = source

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in NUMPY_NAMES:
            return NUMPY_NAMES[(module, name)]
        if (module, name) == ('_codecs', 'encode'):
            # protocol-2 pickles encode raw bytes as _codecs.encode(str,
            # 'latin1'): a pure str -> bytes conversion.
            return super().find_class(module, name)
        if (module, name) == ('collections', 'OrderedDict'):
            return collections.OrderedDict
        raise UnsafePickleError(
            f'{self._source}: refusing to unpickle {module}.{name}; label '
            'files may only contain arrays, lists and dicts')

    def persistent_load(self, pid):
        raise UnsafePickleError(
            f'{self._source}: unsupported persistent id {pid!r} (a .npy '
            'label file holds no tensor storage)')


def check_loaded(obj: Any, source: str, depth: int = 0) -> Any:
    """Convert tensors to arrays and check every array in ``obj``.

    Args:
        obj: What the unpickler returned (arrays, tensors, lists, dicts).
        source (str): The file, for error messages.
        depth (int): Nesting depth so far; more than 8 levels is refused.

    Returns:
        ``obj`` with tensors replaced by NumPy arrays.
    """
    if depth > 8:
        raise ValueError(f'{source}: containers nested more than 8 deep')
    if isinstance(obj, dict):
        return type(obj)(
            (k, check_loaded(v, source, depth + 1)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        if len(obj) > MAX_ELEMENTS:
            raise ValueError(f'{source}: a list of {len(obj)} items exceeds '
                             f'the label-file limit of {MAX_ELEMENTS}')
        return type(obj)(check_loaded(v, source, depth + 1) for v in obj)
    if type(obj).__module__.startswith('torch') and hasattr(obj, 'numel'):
        if obj.is_meta or str(obj.layout) != 'torch.strided':
            where = 'meta' if obj.is_meta else str(obj.layout)
            raise ValueError(f'{source}: a {where} tensor holds no label '
                             'data (a label file holds dense tensors)')
        if obj.numel() > MAX_ELEMENTS:
            raise ValueError(
                f'{source}: a tensor of shape {tuple(obj.shape)} exceeds the '
                f'label-file limit of {MAX_ELEMENTS} elements')
        if str(obj.dtype).split('.')[-1] not in _TENSOR_DTYPES:
            raise ValueError(f'{source}: tensor dtype {obj.dtype} is not a '
                             'label dtype (bool, int, uint, float)')
        return obj.detach().cpu().contiguous().numpy().copy()
    if isinstance(obj, np.generic):
        if obj.dtype.kind not in _ALLOWED_KINDS:
            raise ValueError(f'{source}: scalar dtype {obj.dtype} is not a '
                             'label dtype (bool, int, uint, float)')
        return obj
    if isinstance(obj, np.ndarray):
        obj = np.asarray(obj)  # a checked rebuild becomes a plain ndarray
        if obj.size > MAX_ELEMENTS:
            raise ValueError(
                f'{source}: an array of shape {obj.shape} exceeds the '
                f'label-file limit of {MAX_ELEMENTS} elements')
        if obj.dtype.kind == 'O':
            return np.array(
                [check_loaded(v, source, depth + 1) for v in obj.reshape(-1)],
                dtype=object).reshape(obj.shape)
        if obj.dtype.kind not in _ALLOWED_KINDS:
            raise ValueError(f'{source}: array dtype {obj.dtype} is not a '
                             'label dtype (bool, int, uint, float)')
    return obj


def load_torch_zip(path: str) -> Any:
    """Load a ``torch.save`` zip archive of arrays/tensors as NumPy objects.

    Args:
        path (str): Path of the ``.pt`` / ``.pth`` file.

    Returns:
        The stored object, with every tensor converted to ``np.ndarray``.
    """
    import torch  # lazy: the noise generators need NumPy only

    if not zipfile.is_zipfile(path):
        raise ValueError(
            f'{path}: not a torch zip archive (torch >= 1.6 format); re-save '
            'it with torch.save or convert the labels to .npy')
    # torch.serialization.safe_globals() would, on exit, also remove the
    # same NumPy globals from the checkpoint allowlist: restore it exactly.
    previous = torch.serialization.get_safe_globals()
    try:
        torch.serialization.add_safe_globals(torch_safe_globals())
        obj = torch.load(path, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError as e:
        raise UnsafePickleError(
            f'{path}: refusing to unpickle it; label files may only contain '
            f'arrays, lists, dicts and tensors ({str(e).splitlines()[0]})'
        ) from None
    except Exception as e:  # torch reports bad archives as RuntimeError
        raise ValueError(f'{path}: not a valid label file: '
                         f'{type(e).__name__}: {e}') from None
    finally:
        torch.serialization.clear_safe_globals()
        torch.serialization.add_safe_globals(previous)
    return check_loaded(obj, path)


def load_npy(path: str) -> Any:
    """Load a ``.npy`` file; pickled (object) payloads go through the
    allowlist instead of ``allow_pickle=True``."""
    try:
        with open(path, 'rb') as f:
            version = np.lib.format.read_magic(f)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0) else np.lib.format.read_array_header_2_0)
            shape, _, dtype = read_header(f)
            if not dtype.hasobject:
                if int(np.prod(shape, dtype=np.float64)) > MAX_ELEMENTS:
                    raise ValueError(
                        f'{path}: an array of shape {shape} exceeds the '
                        f'label-file limit of {MAX_ELEMENTS} elements')
                f.seek(0)
                obj = np.load(f, allow_pickle=False)
            else:
                obj = _RestrictedUnpickler(f, path).load()
    except UnsafeNumpyError as e:
        raise UnsafePickleError(f'{path}: refusing to unpickle it: {e}') \
            from None
    except (UnsafePickleError, ValueError) as e:
        if str(e).startswith(path):
            raise
        raise ValueError(f'{path}: not a valid .npy label file: {e}') from None
    except (pickle.UnpicklingError, EOFError, TypeError, KeyError,
            AttributeError, IndexError, OverflowError, MemoryError) as e:
        raise ValueError(f'{path}: not a valid .npy label file: '
                         f'{type(e).__name__}: {e}') from None
    if isinstance(obj, np.ndarray) and obj.shape == () and obj.dtype.hasobject:
        obj = obj.item()
    return check_loaded(obj, path)
