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

from .pickle_scan import check_torch_zip, refusal_reason
from .safe_numpy import (MAX_ELEMENTS, NUMPY_NAMES, CheckedArray, CheckedDType,
                         UnsafeNumpyError, short, torch_safe_globals)

#: dtype kinds a label file may hold: bool, signed / unsigned int, float.
_ALLOWED_KINDS = 'biuf'
_TENSOR_DTYPES = {
    'bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32',
    'float64'
}


class UnsafePickleError(pickle.UnpicklingError):
    """Raised when a file asks for a global outside the allowlist."""


def _load_build(self) -> None:
    """BUILD for the checked NumPy stand-ins only: Python's own BUILD sets
    the state of *any* object, the stand-in functions included (which would
    change them for the whole process)."""
    state = self.stack.pop()
    inst = self.stack[-1]
    if type(inst) not in (CheckedDType, CheckedArray):
        raise UnsafeNumpyError(f'BUILD on a {type(inst).__name__}: only '
                               'NumPy arrays and dtypes take a state')
    inst.__setstate__(state)


class _RestrictedUnpickler(pickle._Unpickler):  # type: ignore
    """NumPy arrays, dtypes, containers; nothing else.

    The pure-Python unpickler, so that BUILD can be restricted (label files
    are small; speed does not matter here).
    """

    dispatch = dict(pickle._Unpickler.dispatch)  # type: ignore
    dispatch[pickle.BUILD[0]] = _load_build

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
            f'{self._source}: unsupported persistent id {short(pid)} (a '
            '.npy label file holds no tensor storage)')


#: Values a label file may hold besides containers, arrays and tensors.
_LEAVES = (bool, int, float, str, bytes, type(None), np.generic)


def check_loaded(obj: Any, source: str) -> Any:
    """Convert tensors to arrays and check every array in ``obj``.

    Args:
        obj: What the unpickler returned (arrays, tensors, lists, dicts).
        source (str): The file, for error messages.

    Returns:
        ``obj`` with tensors replaced by NumPy arrays and checked rebuilds
        by plain ones. An object shared within the file is checked and
        converted once (a pickle's memo can make a small file a graph with
        astronomically many paths).
    """
    return _Checker(source).check(obj, 0)


class _Checker:

    def __init__(self, source: str):
        self.source = source
        self.done: dict = {}  # id -> (object, result, expanded size)

    def check(self, obj: Any, depth: int) -> Any:
        return self._visit(obj, depth)[0]

    def _visit(self, obj: Any, depth: int) -> tuple:
        """``(result, size)``: ``size`` counts the values ``obj`` holds as
        if every shared part were copied, which is what turning it into an
        array does; more than :data:`MAX_ELEMENTS` is refused."""
        if depth > 8:
            raise ValueError(f'{self.source}: containers nested more than '
                             '8 deep')
        key = id(obj)
        if key not in self.done:
            result, size = self._convert(obj, depth)
            if size > MAX_ELEMENTS:
                raise ValueError(
                    f'{self.source}: a {type(obj).__name__} that holds more '
                    f'than the label-file limit of {MAX_ELEMENTS} values '
                    '(shared parts counted each time they occur)')
            self.done[key] = (obj, result, size)
        return self.done[key][1:]

    def _convert(self, obj: Any, depth: int) -> tuple:
        source = self.source
        if isinstance(obj, dict):
            items = [(self._visit(k, depth + 1), self._visit(v, depth + 1))
                     for k, v in obj.items()]
            return (type(obj)(
                (k[0], v[0]) for k, v in items), 1 + sum(k[1] + v[1]
                                                         for k, v in items))
        if isinstance(obj, (list, tuple)):
            if len(obj) > MAX_ELEMENTS:
                raise ValueError(f'{source}: a list of {len(obj)} items '
                                 f'exceeds the label-file limit of '
                                 f'{MAX_ELEMENTS}')
            items = [self._visit(v, depth + 1) for v in obj]
            return (type(obj)(r for r, _ in items), 1 + sum(n
                                                            for _, n in items))
        if type(obj).__module__.startswith('torch') and hasattr(obj, 'numel'):
            out = _tensor_to_array(obj, source)
            return out, max(out.size, 1)
        if isinstance(obj, np.ndarray):
            return self._array(np.asarray(obj), depth)
        if isinstance(obj, np.generic) and \
                obj.dtype.kind not in _ALLOWED_KINDS:
            raise ValueError(f'{source}: scalar dtype {obj.dtype} is not a '
                             'label dtype (bool, int, uint, float)')
        if isinstance(obj, _LEAVES):
            return obj, 1
        raise ValueError(f'{source}: a {type(obj).__name__} is not label '
                         'data (label files hold arrays, tensors, numbers, '
                         'strings, lists and dicts)')

    def _array(self, obj: np.ndarray, depth: int) -> tuple:
        if obj.size > MAX_ELEMENTS:
            raise ValueError(
                f'{self.source}: an array of shape {obj.shape} exceeds the '
                f'label-file limit of {MAX_ELEMENTS} elements')
        if obj.dtype.kind == 'O':  # element by element: no re-stacking
            out = np.empty(obj.shape, dtype=object)
            flat, items = out.reshape(-1), obj.reshape(-1)
            size = 1
            for i in range(items.size):
                flat[i], n = self._visit(items[i], depth + 1)
                size += n
            return out, size
        if obj.dtype.kind not in _ALLOWED_KINDS:
            raise ValueError(f'{self.source}: array dtype {obj.dtype} is '
                             'not a label dtype (bool, int, uint, float)')
        return obj, max(obj.size, 1)


def _tensor_to_array(obj: Any, source: str) -> np.ndarray:
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
    try:
        check_torch_zip(path, 'label file')
    except pickle.UnpicklingError as e:
        raise UnsafePickleError(f'{path}: refusing to unpickle it: {e}') \
            from None
    previous = torch.serialization.get_safe_globals()
    try:
        torch.serialization.add_safe_globals(torch_safe_globals())
        obj = torch.load(path, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError as e:
        raise UnsafePickleError(
            f'{path}: refusing to unpickle it; label files may only contain '
            f'arrays, lists, dicts and tensors ({refusal_reason(str(e))})'
        ) from None
    except Exception as e:  # torch reports bad archives as RuntimeError
        raise ValueError(f'{path}: not a valid label file: '
                         f'{type(e).__name__}: {short(str(e))}') from None
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
