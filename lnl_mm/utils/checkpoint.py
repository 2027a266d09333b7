# Copyright (c) lnl_mm contributors. All rights reserved.
"""Let MMEngine checkpoints load with ``torch.load(weights_only=True)``.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True`` and refuses
every global that is not allowlisted. MMEngine 0.10.7 calls ``torch.load``
without the argument, and its checkpoints hold a few non-tensor types (the
message hub's ``HistoryBuffer`` and NumPy scalars/arrays inside it), so
``--resume`` and ``load_from`` fail. We allowlist exactly those types, never
fall back to ``weights_only=False`` (``docs/design.md``, decision 4). NumPy
objects are rebuilt by the checked stand-ins of
:mod:`lnl_mm.datasets.noise.safe_numpy` registered under NumPy's names, not
by NumPy's own callables, which a crafted file can drive into reading its
bytes as pointers.

``HistoryBuffer`` pickles its statistics *functions* through
``getattr(HistoryBuffer, 'min')``; allowlisting ``getattr`` would open the
unpickler to attribute walks, so instead
:class:`~lnl_mm.engine.hooks.SafeCheckpointHook` stores the buffers as
:class:`SafeHistoryBuffer`, whose pickle holds data only.
"""
import copy
import os.path as osp
import pickle
import zipfile
from typing import List

import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from ..datasets.noise.pickle_scan import check_torch_zip, refusal_reason
from ..datasets.noise.safe_numpy import as_plain, short, torch_safe_globals


class SafeHistoryBuffer(HistoryBuffer):
    """A ``HistoryBuffer`` whose pickle holds its data, not its methods.

    The statistics methods live in the class attribute
    ``_statistics_methods``: custom ones are registered there at import
    time, the four built-in ones are re-registered on unpickling (MMEngine
    only adds them in ``HistoryBuffer.__init__``).
    """

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop('statistics_methods', None)
        return state

    def __setstate__(self, state: dict) -> None:
        # the checked NumPy rebuild gives arrays of a subclass: plain again
        self.__dict__.update({k: as_plain(v) for k, v in state.items()})
        for name in ('min', 'max', 'current', 'mean'):
            self._statistics_methods.setdefault(name,
                                                getattr(HistoryBuffer, name))

    @classmethod
    def from_buffer(cls, buffer: HistoryBuffer) -> 'SafeHistoryBuffer':
        """Copy the data of ``buffer`` into a new safe buffer."""
        new = cls.__new__(cls)
        state = dict(buffer.__dict__)
        state.pop('statistics_methods', None)
        new.__dict__.update(copy.deepcopy(state))
        return new


def make_message_hub_state_safe(checkpoint: dict) -> None:
    """Replace the message hub's ``HistoryBuffer`` values in place."""
    scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
    for key, value in scalars.items():
        if isinstance(value, HistoryBuffer) and \
                not isinstance(value, SafeHistoryBuffer):
            scalars[key] = SafeHistoryBuffer.from_buffer(value)


def _mmengine_globals() -> List:
    return [HistoryBuffer, SafeHistoryBuffer]


#: Filled by :func:`register_safe_globals`: every type we allowlist.
CHECKPOINT_SAFE_GLOBALS: List = []


def load_local_checkpoint(filename: str, map_location=None):
    """MMEngine's loader of local checkpoints, made strict.

    The archive's pickle is scanned first and refused when it names a global
    outside :data:`~lnl_mm.datasets.noise.pickle_scan.TORCH_ZIP_GLOBALS`
    (torch's own allowlist includes constructors that return uninitialised
    memory); then ``torch.load(weights_only=True)``. Every refusal names the
    file; torch's own names none and advises retrying with
    ``weights_only=False``.
    """
    filename = osp.expanduser(filename)
    check_checkpoint_file(filename)  # missing, empty, not a zip archive
    try:
        check_torch_zip(filename, 'checkpoint')
        return torch.load(
            filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:
        why = refusal_reason(str(e))
        raise pickle.UnpicklingError(
            f'checkpoint {filename!r} holds objects that lnl_mm does not '
            f'load ({why}). lnl_mm reads checkpoints with torch.load('
            'weights_only=True) only; a checkpoint written by MMEngine or '
            'lnl_mm holds nothing else, so other code wrote this file or it '
            'was altered. Do not load it with weights_only=False unless you '
            'trust its source.') from None
    except (AttributeError, TypeError, ValueError, RuntimeError, OverflowError,
            KeyError, IndexError, EOFError) as e:
        raise RuntimeError(f'checkpoint {filename!r} could not be loaded: '
                           f'{type(e).__name__}: {short(str(e))}') from None


def register_safe_globals() -> None:
    """Allowlist the checkpoint types for ``weights_only=True`` loading and
    route MMEngine's local checkpoint loading through
    :func:`load_local_checkpoint`."""
    if CHECKPOINT_SAFE_GLOBALS or not hasattr(torch.serialization,
                                              'add_safe_globals'):
        return
    CHECKPOINT_SAFE_GLOBALS.extend(torch_safe_globals() + _mmengine_globals())
    torch.serialization.add_safe_globals(CHECKPOINT_SAFE_GLOBALS)
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)


def check_checkpoint_file(path: str) -> str:
    """Fail with a clear message when ``path`` cannot be a checkpoint.

    Catches what a killed run leaves behind (a 0-byte or truncated file)
    before ``torch.load`` reports it as a bare ``EOFError``.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path!r} does not exist')
    if osp.getsize(path) == 0:
        raise ValueError(
            f'checkpoint {path!r} is empty (0 bytes): the run that wrote it '
            'was probably killed while saving; resume from an earlier '
            'epoch_N.pth with --resume PATH')
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f'checkpoint {path!r} is not a torch zip archive (truncated, or '
            'not written by torch.save >= 1.6); resume from an earlier '
            'epoch_N.pth with --resume PATH')
    return path


def resolve_checkpoint(path: str) -> str:
    """The checkpoint file that ``path`` names.

    Accepts a ``.pth`` file (``epoch_N.pth``, ``latest.pth``, ...), MMEngine's
    ``last_checkpoint`` pointer file (its content is the checkpoint path), or
    a work dir that holds such a pointer. ``latest.pth``, the name MMCV 1.x
    runners wrote and the official READMEs use, stands for the folder's
    ``last_checkpoint`` when no such file exists (MMEngine writes none).
    MMEngine writes an absolute path into the pointer; when the pointer's
    own folder holds a file of that name, that file wins, so a copied or
    moved work dir uses its own checkpoints and never the original's.
    """
    if osp.isdir(path):
        path = osp.join(path, 'last_checkpoint')
    pointer = osp.join(osp.dirname(path), 'last_checkpoint')
    if (osp.basename(path) == 'latest.pth' and not osp.exists(path)
            and osp.isfile(pointer)):
        path = pointer
    if not osp.exists(path):
        raise FileNotFoundError(
            f'checkpoint {path!r} does not exist: pass a checkpoint file, a '
            'last_checkpoint file or a work dir that holds one (e.g. the '
            'work dir of a finished run)')
    if osp.basename(path) == 'last_checkpoint':
        with open(path) as f:
            target = f.read().strip()
        if not target:
            raise ValueError(f'{path} is empty: it names no checkpoint')
        beside = osp.join(osp.dirname(path), osp.basename(target))
        if osp.isfile(beside):
            target = beside
        elif not osp.exists(target):
            raise FileNotFoundError(f'{path} points to {target!r}, which does '
                                    'not exist')
        path = target
    return check_checkpoint_file(path)
