# Copyright (c) lnl_mm contributors. All rights reserved.
"""Hostile pickles written opcode by opcode: globals that torch's own
allowlist accepts but that return uninitialised memory or bombs, a second
BUILD that frees an array under its views, graphs that explode when
expanded, BUILD on the stand-in functions, messages that would print a
huge value. Each was found by an adversarial review of the loaders."""
import pickle
import pickletools
import struct
import zipfile

import numpy as np
import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader
from test_safe_numpy import _write_npy as write_npy  # noqa: I100
from test_safe_numpy import _write_zip as write_zip

import lnl_mm  # noqa: F401  (registers the checkpoint loader)
from lnl_mm.datasets.noise import (UnsafePickleError, load_npy, load_torch_zip,
                                   safe_numpy)
from lnl_mm.datasets.noise.pickle_scan import TORCH_ZIP_GLOBALS, pickle_globals
from lnl_mm.utils import SafeHistoryBuffer

# -- opcodes (protocol 2) -----------------------------------------------
PROTO, STOP = b'\x80\x02', b'.'
MARK, TUPLE, TUPLE1, TUPLE3 = b'(', b't', b'\x85', b'\x87'
REDUCE, BUILD, NEWOBJ = b'R', b'b', b'\x81'
EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE = b'}', b']', b')'
SETITEM, APPENDS, TRUE, FALSE = b's', b'e', b'\x88', b'\x89'


def glob(module, name):
    return b'c' + module.encode() + b'\n' + name.encode() + b'\n'


def text(value):
    raw = value.encode()
    return b'X' + struct.pack('<I', len(raw)) + raw


def num(n):
    if 0 <= n < 2**31:
        return b'J' + struct.pack('<i', n)
    raw = n.to_bytes((n.bit_length() + 8) // 8, 'little', signed=True)
    return b'\x8a' + bytes([len(raw)]) + raw


def raw_bytes(data):  # protocol 2: _codecs.encode(str, 'latin1')
    return (glob('_codecs', 'encode') + text(data.decode('latin1')) +
            text('latin1') + b'\x86' + REDUCE)


def put(k):
    return b'r' + struct.pack('<I', k)


def get(k):
    return b'j' + struct.pack('<I', k)


def dtype(spec='i8', state=(3, '<', None, None, None, -1, -1, 0)):
    ops = glob('numpy', 'dtype') + text(spec) + FALSE + TRUE + TUPLE3 + REDUCE
    # no memo PUTs of its own: they would overwrite the test's
    return ops + pickletools.optimize(pickle.dumps(state, 2))[2:-1] + BUILD


def empty_array():
    return (glob('numpy.core.multiarray', '_reconstruct') +
            glob('numpy', 'ndarray') + num(0) + TUPLE1 + raw_bytes(b'b') +
            TUPLE3 + REDUCE)


def array_state(shape, data, dtype_ops=None):
    return (MARK + num(1) + MARK + b''.join(num(n) for n in shape) + TUPLE +
            (dtype_ops or dtype()) + FALSE + raw_bytes(data) + TUPLE + BUILD)


def labels(value_ops):
    """A pickle of ``{'noisy_label': <value>}``."""
    return PROTO + EMPTY_DICT + text('noisy_label') + value_ops + SETITEM + \
        STOP


def both(tmp_path, name, payload):
    return (write_npy(tmp_path / f'{name}.npy',
                      payload), write_zip(tmp_path / f'{name}.pt', payload))


# -- globals torch allows, we do not ------------------------------------
@pytest.mark.parametrize('name, value', [
    ('torch.LongTensor',
     glob('torch', 'LongTensor') + num(4096) + TUPLE1 + REDUCE),
    ('builtins.bytearray',
     glob('builtins', 'bytearray') + num(2**30) + TUPLE1 + REDUCE),
    ('torch.Tensor', glob('torch', 'Tensor') + empty_array() + array_state(
        (2, ), b'\x01' * 16) + TUPLE1 + REDUCE),
])
def test_torch_allowlisted_globals_outside_ours_are_refused(
        tmp_path, name, value):
    path = write_zip(tmp_path / 'x.pt', labels(value))
    with pytest.raises(UnsafePickleError, match=f'x.pt.*{name}'):
        load_torch_zip(path)
    with pytest.raises(
            pickle.UnpicklingError,
            match=f"checkpoint '.*x.pt' holds objects.*{name}"):
        CheckpointLoader.load_checkpoint(path, map_location='cpu')


def test_a_second_build_on_an_array_is_refused(tmp_path):
    # BUILD again on the memoised array would free the buffer under every
    # view made of it in between (a use after free)
    value = (
        MARK + empty_array() + put(1) + array_state(
            (4, ), b'\x41' * 32) + get(1) + array_state((0, ), b'') + TUPLE)
    for path in both(tmp_path, 'twice', labels(value)):
        with pytest.raises((UnsafePickleError, ValueError), match='set twice'):
            (load_npy if path.endswith('npy') else load_torch_zip)(path)


def test_shared_lists_that_explode_when_expanded_are_refused(tmp_path):
    # each level is a list of 50 references to the level below: 2 KB of
    # pickle, 50^5 values once turned into an array (within 8 levels); the
    # value is the tuple of all levels (torch's unpickler has no POP)
    value = MARK + EMPTY_LIST + MARK + num(7) + APPENDS + put(0)
    for level in range(1, 6):
        value += EMPTY_LIST + MARK + get(level - 1) * 50 + APPENDS + \
            put(level)
    value += TUPLE
    for path in both(tmp_path, 'graph', labels(value)):
        with pytest.raises(ValueError, match='shared parts counted'):
            (load_npy if path.endswith('npy') else load_torch_zip)(path)


def test_messages_do_not_print_huge_values(tmp_path):
    # lists nested 60 deep, two references per level (2^60 as text), all
    # levels in a tuple given as a dtype spec
    value = MARK + EMPTY_LIST + put(0)
    for level in range(1, 60):
        value += EMPTY_LIST + MARK + get(level - 1) * 2 + APPENDS + \
            put(level)
    spec = (
        glob('numpy', 'dtype') + value + TUPLE + FALSE + TRUE + TUPLE3 +
        REDUCE)
    for path in both(tmp_path, 'spec', labels(spec)):
        with pytest.raises(UnsafePickleError) as info:
            (load_npy if path.endswith('npy') else load_torch_zip)(path)
        assert len(str(info.value)) < 2000


def test_build_on_a_stand_in_function_is_refused(tmp_path):
    state = EMPTY_DICT + text('pwned') + TRUE + SETITEM
    value = glob('numpy.core.multiarray', 'scalar') + state + BUILD
    with pytest.raises(UnsafePickleError, match='BUILD on a function'):
        load_npy(write_npy(tmp_path / 'f.npy', labels(value)))
    assert not hasattr(safe_numpy.checked_scalar, 'pwned')


def test_a_dtype_made_without_its_arguments_is_refused(tmp_path):
    # NEWOBJ creates the stand-in without running numpy.dtype(spec)
    bare = glob('numpy', 'dtype') + EMPTY_TUPLE + NEWOBJ
    value = empty_array() + array_state((1, ), b'\x01' * 8, bare)
    npy, pt = both(tmp_path, 'bare', labels(value))
    with pytest.raises(UnsafePickleError, match='not made by numpy.dtype'):
        load_npy(npy)
    with pytest.raises(UnsafePickleError, match='bare.pt'):
        load_torch_zip(pt)


def test_zero_length_axes_do_not_hide_a_huge_shape(tmp_path):
    value = empty_array() + array_state((0, 2**62), b'')
    for path in both(tmp_path, 'shape', labels(value)):
        with pytest.raises((UnsafePickleError, ValueError),
                           match='exceeds the limit'):
            (load_npy if path.endswith('npy') else load_torch_zip)(path)


def test_object_arrays_keep_their_elements(tmp_path):
    # np.array([...]) would re-stack two (3,) arrays into a (2, 3) array
    parts = np.empty(2, dtype=object)
    parts[0], parts[1] = np.arange(3), np.arange(3, 6)
    np.save(tmp_path / 'obj.npy', {'a': parts}, allow_pickle=True)
    got = load_npy(str(tmp_path / 'obj.npy'))['a']
    assert got.dtype == object and got.shape == (2, )
    np.testing.assert_array_equal(got[1], [3, 4, 5])


def test_every_global_of_a_real_checkpoint_is_on_our_list(tmp_path):
    buffer = SafeHistoryBuffer()
    buffer.update(1.0)
    state = {
        'state_dict': {
            f'w_{d}': torch.ones(2, dtype=d)
            for d in (torch.float32, torch.float16, torch.bfloat16,
                      torch.int64, torch.bool, torch.uint8)
        },
        'meta': {
            'eta': np.float64(1.0),
            'hist': np.arange(3)
        },
        'message_hub': {
            'log_scalars': {
                'loss': buffer
            }
        },
        'optimizer': {
            'state': {
                0: {
                    'step': torch.tensor(3.0)
                }
            }
        },
    }
    # the schedulers' states (MultiStepLR keeps its milestones in a Counter)
    weight = torch.nn.Parameter(torch.ones(1))
    optimizer = torch.optim.SGD([weight], lr=0.1)
    state['param_schedulers'] = [
        scheduler(optimizer, **kwargs).state_dict()
        for scheduler, kwargs in ((torch.optim.lr_scheduler.MultiStepLR,
                                   dict(milestones=[2, 4])),
                                  (torch.optim.lr_scheduler.CosineAnnealingLR,
                                   dict(T_max=5)))
    ]
    torch.save(state, tmp_path / 'ckpt.pth')
    with zipfile.ZipFile(tmp_path / 'ckpt.pth') as zf:
        name = [n for n in zf.namelist() if n.endswith('/data.pkl')][0]
        names = pickle_globals(zf.read(name))
    assert names and names <= TORCH_ZIP_GLOBALS, names - TORCH_ZIP_GLOBALS
    got = CheckpointLoader.load_checkpoint(
        str(tmp_path / 'ckpt.pth'), map_location='cpu')
    assert torch.equal(got['state_dict']['w_torch.bfloat16'],
                       state['state_dict']['w_torch.bfloat16'])


def test_protocol_4_globals_are_refused():
    with pytest.raises(pickle.UnpicklingError, match='STACK_GLOBAL'):
        pickle_globals(pickle.dumps(np.float64, protocol=4))
