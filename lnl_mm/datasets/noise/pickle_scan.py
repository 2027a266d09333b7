# Copyright (c) lnl_mm contributors. All rights reserved.
"""Refuse a torch zip archive whose pickle names a global outside a short
list, before any unpickler runs.

Torch's ``weights_only`` unpickler allows more than a label file or an
MMEngine checkpoint needs, and some of it is not safe on crafted input: the
legacy constructors ``torch.LongTensor(n)`` return uninitialised memory,
``torch.Tensor(array)`` shares the memory of an array that the same pickle
can then free, ``bytearray(2**30)`` allocates a gigabyte from a few bytes.
So the archive's ``data.pkl`` is scanned first (``pickletools``, nothing
is built) and every global it names must be one of :data:`TORCH_ZIP_GLOBALS`:
tensor and storage rebuilds, containers, dtypes, the checked NumPy
stand-ins of :mod:`.safe_numpy` and MMEngine's log buffers. Pure Python: no
torch import.
"""
import pickle
import pickletools
import zipfile
from typing import Set

from .safe_numpy import NUMPY_NAMES

_STORAGES = ('Float', 'Double', 'Half', 'BFloat16', 'Long', 'Int', 'Short',
             'Char', 'Byte', 'Bool', 'ComplexFloat', 'ComplexDouble')
_DTYPES = ('float16', 'float32', 'float64', 'bfloat16', 'int8', 'int16',
           'int32', 'int64', 'uint8', 'bool', 'complex64', 'complex128')
#: Every global a label file or a checkpoint of ours may name.
TORCH_ZIP_GLOBALS = frozenset({
    'collections.OrderedDict',
    'collections.Counter',  # MultiStepLR's milestones
    'builtins.set',
    'builtins.frozenset',
    'torch._utils._rebuild_tensor_v2',
    'torch._utils._rebuild_parameter',
    'torch.Size',
    'torch.device',
    '_codecs.encode',
    *(f'torch.{s}Storage' for s in _STORAGES),
    *(f'torch.{d}' for d in _DTYPES),
    *(f'{m}.{n}' for m, n in NUMPY_NAMES if m != '__builtin__'),
    'mmengine.logging.history_buffer.HistoryBuffer',
    'lnl_mm.utils.checkpoint.SafeHistoryBuffer',
})
#: Python 2 module names that unpicklers map to Python 3 ones.
_RENAMED = {'__builtin__': 'builtins', 'copy_reg': 'copyreg'}


def pickle_globals(data: bytes) -> Set[str]:
    """The ``module.name`` of every global a protocol-2 pickle names.

    Raises:
        pickle.UnpicklingError: for ``STACK_GLOBAL`` (protocol 4 globals,
            which ``torch.save`` does not write) and unreadable pickles.
    """
    names = set()
    try:
        for op, arg, _ in pickletools.genops(data):
            if op.name == 'GLOBAL':
                module, _, name = str(arg).partition(' ')
                names.add(f'{_RENAMED.get(module, module)}.{name}')
            elif op.name in ('STACK_GLOBAL', 'INST', 'OBJ', 'EXT1', 'EXT2',
                             'EXT4'):
                raise pickle.UnpicklingError(
                    f'the pickle uses {op.name}, which torch.save does not '
                    'write')
    except (ValueError, IndexError) as e:  # truncated or not a pickle
        raise pickle.UnpicklingError(f'unreadable pickle: {e}') from None
    return names


def _data_pkl(archive: zipfile.ZipFile) -> bytes:
    names = [n for n in archive.namelist() if n.endswith('/data.pkl')]
    top = [n for n in names if n.count('/') == 1]
    if len(top) != 1:
        raise pickle.UnpicklingError(
            f'expected one <archive>/data.pkl, found {names[:4]}')
    return archive.read(top[0])


def check_torch_zip(path: str, what: str = 'file') -> None:
    """Refuse ``path`` (a ``torch.save`` zip archive) when its pickle names
    a global outside :data:`TORCH_ZIP_GLOBALS`.

    Raises:
        pickle.UnpicklingError: naming the file and the refused globals.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = pickle_globals(_data_pkl(archive))
    except pickle.UnpicklingError as e:
        raise pickle.UnpicklingError(f'{what} {path!r}: {e}') from None
    refused = sorted(names - TORCH_ZIP_GLOBALS)
    if refused:
        raise pickle.UnpicklingError(
            f'{what} {path!r} names globals that lnl_mm does not load: '
            f'{", ".join(refused[:8])}' +
            (', ...' if len(refused) > 8 else ''))


def refusal_reason(message: str) -> str:
    """The line of torch's ``weights_only`` refusal that says what was
    refused, without its boilerplate and its advice."""
    boilerplate = ('Weights only load failed', 'Check the documentation',
                   'Please file an issue', 'You can use', 'In PyTorch 2.6')
    for line in message.splitlines():
        line = line.strip().replace('WeightsUnpickler error: ', '')
        if line and not line.startswith(boilerplate):
            return line
    return 'refused by the weights_only unpickler'
