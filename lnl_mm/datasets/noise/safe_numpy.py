# Copyright (c) lnl_mm contributors. All rights reserved.
"""NumPy arrays, dtypes and scalars rebuilt from a pickle, checked first.

A pickled NumPy array is three calls: ``numpy.dtype(spec, align, copy)``
then ``dtype.__setstate__(state)`` (BUILD), ``_reconstruct(ndarray, (0,),
b'b')`` then ``array.__setstate__((1, shape, dtype, fortran, data))``; a
scalar is ``scalar(dtype, raw_bytes)``. Allowlisting those NumPy callables
as they are is not safe: a file made of them alone can build a structured
dtype with a hidden object field, or set the object flag of an integer
dtype, and NumPy then reads the file's bytes as pointers (a segfault, or
heap memory returned as data); ``scalar`` with a structured dtype and no
data segfaults by itself.

The stand-ins below take the NumPy names in an unpickler's allowlist
(torch's ``weights_only`` unpickler, our ``.npy`` unpickler). They accept
exactly what ``pickle.dumps`` of a plain array, dtype or scalar produces
and refuse everything else:

* :class:`CheckedDType`: a dtype given by a string of kind bool, int,
  uint, float or object, no fields, no sub-array; its BUILD state must be
  the one NumPy itself writes for that dtype in one of its byte orders.
* :class:`CheckedArray` (an ``ndarray`` subclass, so that the result is
  an array): BUILD state with a checked dtype, a shape within
  :data:`MAX_ELEMENTS`, and data of exactly the size the shape needs (a
  list of that length for object arrays). It cannot be created in any
  other way from a file.
* :func:`checked_scalar`: a numeric dtype and exactly ``itemsize`` bytes.

Pure NumPy: the noise layer and the checkpoint loader share it.
"""
import pickle
import reprlib
from typing import Any, List, Tuple

import numpy as np

#: The largest array a file may hold (2^28 elements, i.e. 2 GiB of int64).
MAX_ELEMENTS = 2**28
#: dtype kinds an array may have: bool, int, uint, float, object.
ARRAY_KINDS = 'biufO'
#: dtype kinds a scalar may have.
SCALAR_KINDS = 'biuf'
#: Most dimensions a rebuilt array may have (NumPy's own limit is 64).
MAX_DIMS = 32


class UnsafeNumpyError(pickle.UnpicklingError):
    """A pickled NumPy object that :mod:`safe_numpy` refuses to build."""


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 40, 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4


def short(value: Any) -> str:
    """A bounded ``repr`` for messages: a crafted value can be a list whose
    full ``repr`` would not fit in memory."""
    return _REPR.repr(value)


class CheckedDType:
    """Stands for ``numpy.dtype`` while unpickling; see the module doc.

    Args:
        spec (str): The dtype string NumPy pickles (``'i8'``, ``'f4'``,
            ``'b1'``, ``'O8'``, ...).
        align (bool): NumPy's ``align`` flag (ignored, as for these dtypes).
        copy (bool): NumPy's ``copy`` flag (ignored: a new dtype is made).
    """

    __slots__ = ('dtype', )

    def __init__(self, spec: Any, align: Any = False, copy: Any = True):
        if not isinstance(spec, str) or not isinstance(align, bool) or \
                not isinstance(copy, bool):
            raise UnsafeNumpyError(
                f'numpy.dtype{short((spec, align, copy))}: only a dtype '
                'string with boolean flags can be rebuilt')
        try:
            dtype = np.dtype(spec)
        except (TypeError, ValueError) as e:
            raise UnsafeNumpyError(
                f'numpy.dtype({short(spec)}): {short(str(e))}') from None
        if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or \
                dtype.subdtype is not None or dtype.itemsize == 0:
            raise UnsafeNumpyError(
                f'numpy.dtype({short(spec)}) is {dtype}: only bool, int, '
                'uint, float and object dtypes can be rebuilt')
        self.dtype = dtype

    def __setstate__(self, state: Any) -> None:
        if getattr(self, 'dtype', None) is None:  # made without __init__
            raise UnsafeNumpyError('numpy.dtype: BUILD on a dtype that was '
                                   'not made by numpy.dtype(spec, ...)')
        for byteorder in ('=', '<', '>'):
            candidate = self.dtype.newbyteorder(byteorder)
            if _same(candidate.__reduce__()[2], state):
                self.dtype = candidate
                return
        raise UnsafeNumpyError(
            f'numpy.dtype({self.dtype.str!r}): state {short(state)} is not '
            'one NumPy writes for this dtype (fields, flags or sizes changed)')

    def __reduce__(self):
        return self.dtype.__reduce__()


def _same(a: Any, b: Any) -> bool:
    """Equal as pickled values (tuples and lists alike, exact types)."""
    if isinstance(a, (tuple, list)):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(
            _same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _dtype_of(value: Any, what: str) -> np.dtype:
    if not isinstance(value, CheckedDType):
        raise UnsafeNumpyError(f'{what}: expected a pickled numpy.dtype, got '
                               f'{type(value).__name__}')
    dtype = getattr(value, 'dtype', None)
    if dtype is None:  # made by NEWOBJ, without __init__
        raise UnsafeNumpyError(f'{what}: a numpy.dtype not made by '
                               'numpy.dtype(spec, ...)')
    return dtype


def _checked_shape(shape: Any) -> Tuple[int, ...]:
    if not isinstance(shape, tuple) or len(shape) > MAX_DIMS or any(
            type(n) is not int or n < 0 for n in shape):
        raise UnsafeNumpyError(
            f'array shape {short(shape)}: expected a tuple of at most '
            f'{MAX_DIMS} non-negative ints')
    size = 1
    for n in shape:  # zero-length axes count as 1: (0, 2**62) is refused
        size *= max(n, 1)
    if size > MAX_ELEMENTS:
        raise UnsafeNumpyError(f'an array of shape {shape} exceeds the limit '
                               f'of {MAX_ELEMENTS} elements')
    return shape


class CheckedArray(np.ndarray):
    """Stands for ``numpy.ndarray`` while unpickling; see the module doc.

    Only :func:`checked_reconstruct` makes one (empty, as NumPy's
    ``_reconstruct``); its BUILD state is checked before NumPy sees it.
    Pickled again, it is a plain ``ndarray``.
    """

    def __new__(cls, *args, **kwargs):
        raise UnsafeNumpyError('numpy.ndarray(...) cannot be called from a '
                               'file; arrays are rebuilt by _reconstruct')

    def __setstate__(self, state: Any) -> None:
        # a second BUILD would free the buffer under every view of it
        if self.__dict__.get('_built'):
            raise UnsafeNumpyError('array state set twice: a pickle BUILDs '
                                   'each array once')
        self.__dict__['_built'] = True
        if not isinstance(state, tuple) or len(state) != 5 or state[0] != 1:
            raise UnsafeNumpyError(
                'array state: expected (1, shape, dtype, is_fortran, data)')
        _, shape, dtype, fortran, data = state
        shape = _checked_shape(shape)
        dtype = _dtype_of(dtype, 'array state')
        if not isinstance(fortran, bool):
            raise UnsafeNumpyError(
                f'array state: is_fortran={short(fortran)} is not a bool')
        size = int(np.prod(shape, dtype=np.int64))
        if dtype.kind == 'O':
            if not isinstance(data, list) or len(data) != size:
                raise UnsafeNumpyError(
                    f'object array of shape {shape}: its data must be a list '
                    f'of {size} items')
        elif not isinstance(data, bytes) or \
                len(data) != size * dtype.itemsize:
            raise UnsafeNumpyError(
                f'{dtype} array of shape {shape}: its data must be '
                f'{size * dtype.itemsize} bytes, got '
                f'{len(data) if isinstance(data, bytes) else type(data)}')
        np.ndarray.__setstate__(self, (1, shape, dtype, fortran, data))

    def __reduce__(self):
        return np.asarray(self).__reduce__()

    def __reduce_ex__(self, protocol):
        return np.asarray(self).__reduce_ex__(protocol)


def checked_reconstruct(cls: Any, shape: Any, typecode: Any) -> CheckedArray:
    """Stands for ``numpy.core.multiarray._reconstruct``: an empty array
    that its BUILD state fills (checked)."""
    if cls is not CheckedArray or not _same(shape, (0, )) or \
            typecode not in (b'b', 'b'):
        raise UnsafeNumpyError(
            f'_reconstruct{short((cls, shape, typecode))}: only the call '
            'NumPy pickles for a plain ndarray can be rebuilt')
    return np.ndarray.__new__(CheckedArray, (0, ), 'b')


def checked_scalar(dtype: Any, data: Any = None) -> np.generic:
    """Stands for ``numpy.core.multiarray.scalar``: a bool / int / uint /
    float scalar from exactly its bytes."""
    dtype = _dtype_of(dtype, 'numpy scalar')
    if dtype.kind not in SCALAR_KINDS or not isinstance(data, bytes) or \
            len(data) != dtype.itemsize:
        raise UnsafeNumpyError(
            f'numpy scalar of dtype {dtype}: only a bool, int, uint or float '
            f'scalar with its {dtype.itemsize} bytes can be rebuilt')
    return np.frombuffer(data, dtype=dtype)[0]


def empty_bytes(*args) -> bytes:
    """``bytes()``, as protocol 2 pickles ``b''`` (an empty array's data);
    ``bytes(n)`` (n zero bytes, any n) is refused."""
    if args:
        raise UnsafeNumpyError(f'bytes{short(args)}: only bytes() is '
                               'allowed')
    return b''


#: The NumPy globals a pickle may name (and protocol 2's empty bytes), and
#: what each resolves to.
NUMPY_NAMES = {
    ('numpy', 'dtype'): CheckedDType,
    ('numpy', 'ndarray'): CheckedArray,
    ('numpy.core.multiarray', '_reconstruct'): checked_reconstruct,
    ('numpy._core.multiarray', '_reconstruct'): checked_reconstruct,
    ('numpy.core.multiarray', 'scalar'): checked_scalar,
    ('numpy._core.multiarray', 'scalar'): checked_scalar,
    ('builtins', 'bytes'): empty_bytes,
    ('__builtin__', 'bytes'): empty_bytes,
}


def torch_safe_globals() -> List[Tuple[Any, str]]:
    """The stand-ins under NumPy's names, for
    ``torch.serialization.add_safe_globals``."""
    return [(obj, f'{module}.{name}')
            for (module, name), obj in NUMPY_NAMES.items()
            if module != '__builtin__']  # torch maps it to builtins


def as_plain(obj: Any) -> Any:
    """``obj`` with a rebuilt :class:`CheckedArray` turned into a plain
    ``ndarray`` (other values unchanged)."""
    if isinstance(obj, CheckedArray):
        return np.asarray(obj)
    return obj
