# Copyright (c) lnl_mm contributors. All rights reserved.
"""Hostile NumPy pickles in label files and checkpoints.

Every file here names only the NumPy globals that a legitimate label file
or checkpoint uses (``numpy.dtype``, ``numpy.ndarray``, ``_reconstruct``,
``scalar``), with arguments and BUILD states chosen so that NumPy's own
callables read the file's bytes as pointers: with NumPy's callables in the
allowlist each of them segfaults the process or returns heap memory.
"""
import io
import pickle
import zipfile

import numpy as np
import pytest
import torch
from numpy.lib import format as npy_format

import lnl_mm  # noqa: F401  (registers the checkpoint allowlist)
from lnl_mm.datasets.noise import UnsafePickleError, load_npy, load_torch_zip
from lnl_mm.datasets.noise.safe_numpy import (MAX_ELEMENTS, CheckedArray,
                                              CheckedDType, UnsafeNumpyError)
from lnl_mm.utils import SafeHistoryBuffer

try:  # NumPy >= 2
    from numpy._core.multiarray import _reconstruct, scalar
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.multiarray import _reconstruct, scalar

POINTER = (0x4141414141414141).to_bytes(8, 'little')
#: NumPy's BUILD state of a plain little-endian int64 dtype.
I8_STATE = (3, '<', None, None, None, -1, -1, 0)


class _Call:
    """Pickled as ``func(*args)``, then ``BUILD(state)`` when given."""

    def __init__(self, func, args, state=None):
        self.reduce = (func, args) if state is None else (func, args, state)


class _Crafter(pickle.Pickler):

    def reducer_override(self, obj):
        if isinstance(obj, _Call):
            return obj.reduce
        return NotImplemented


def _dumps(obj) -> bytes:
    buf = io.BytesIO()
    _Crafter(buf, protocol=2).dump(obj)
    return buf.getvalue()


def _dtype(spec, state=I8_STATE):
    return _Call(np.dtype, (spec, False, True), state)


def _array(shape, dtype, data):
    return _Call(_reconstruct, (np.ndarray, (0, ), b'b'),
                 (1, shape, dtype, False, data))


#: name -> a payload that NumPy's own callables turn into a crash or a leak
HOSTILE = {
    # NumPy segfaults on scalar(structured dtype) without data
    'scalar_of_a_structured_dtype':
    _Call(scalar, (_Call(np.dtype, ([('a', 'O')], False, True)), )),
    # a void dtype whose BUILD state adds a hidden object field
    'void_dtype_with_an_object_field':
    _Call(scalar, (_dtype('V8', (3, '|', None, ('a', ), {
        'a': (np.dtype('O'), 0)
    }, 8, 1, 0)), POINTER)),
    # an int64 dtype whose BUILD state sets the object flags
    'int_dtype_with_object_flags':
    _array((1, ), _dtype('i8', (3, '<', None, None, None, -1, -1, 63)),
           POINTER),
    # an object array whose data are raw bytes (pointers)
    'object_array_of_raw_bytes':
    _array((1, ), _dtype('O8', (3, '|', None, None, None, -1, -1, 63)),
           POINTER),
    # fewer bytes than the shape needs
    'short_array_data':
    _array((1000, ), _dtype('i8'), POINTER),
    # numpy.ndarray(shape): uninitialised memory
    'bare_ndarray_call':
    _Call(np.ndarray, ((1000, ), )),
    # _reconstruct allocating a huge array before any state
    'huge_reconstruct':
    _Call(_reconstruct, (np.ndarray, (10**12, ), b'b')),
    'negative_shape':
    _array((-5, ), _dtype('i8'), POINTER),
    'shape_over_the_limit':
    _array((MAX_ELEMENTS + 1, ), _dtype('u1'), POINTER),
    'scalar_of_an_object_dtype':
    _Call(scalar, (_dtype('O8',
                          (3, '|', None, None, None, -1, -1, 63)), POINTER)),
    'scalar_with_too_few_bytes':
    _Call(scalar, (_dtype('i8'), b'\x01')),
    'dtype_from_a_non_string':
    _Call(np.dtype, (_Call(np.dtype, ('i8', False, True)), False, True)),
}


def _write_npy(path, payload: bytes) -> str:
    with open(path, 'wb') as f:
        npy_format.write_array_header_1_0(f, {
            'descr': '|O',
            'fortran_order': False,
            'shape': ()
        })
        f.write(payload)
    return str(path)


def _write_zip(path, payload: bytes) -> str:
    with zipfile.ZipFile(path, 'w') as zf:
        zf.writestr('archive/data.pkl', payload)
        zf.writestr('archive/byteorder', 'little')
        zf.writestr('archive/version', '3\n')
    return str(path)


@pytest.mark.parametrize('name', list(HOSTILE))
def test_hostile_numpy_in_a_npy_label_file_is_refused(tmp_path, name):
    path = _write_npy(tmp_path / f'{name}.npy',
                      _dumps({'noisy_label': HOSTILE[name]}))
    with pytest.raises(
            UnsafePickleError, match=f'{name}.npy: refusing to unpickle it'):
        load_npy(path)


@pytest.mark.parametrize('name', list(HOSTILE))
def test_hostile_numpy_in_a_pt_label_file_is_refused(tmp_path, name):
    path = _write_zip(tmp_path / f'{name}.pt',
                      _dumps({'noisy_label': HOSTILE[name]}))
    with pytest.raises((UnsafePickleError, ValueError), match=f'{name}.pt'):
        load_torch_zip(path)


@pytest.mark.parametrize('name', list(HOSTILE))
def test_hostile_numpy_in_a_checkpoint_is_refused(tmp_path, name):
    # the path of --resume and load_from: torch.load(weights_only=True)
    path = _write_zip(tmp_path / f'{name}.pth',
                      _dumps({
                          'meta': {
                              'x': HOSTILE[name]
                          },
                          'state_dict': {}
                      }))
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path, map_location='cpu', weights_only=True)


def test_dtype_state_must_be_numpys_own():
    dtype = CheckedDType('i8')
    dtype.__setstate__((3, '>', None, None, None, -1, -1, 0))
    assert dtype.dtype == np.dtype('>i8')
    for state in [(3, '<', None, ('a', ), {}, -1, -1, 0),
                  (3, '<', None, None, None, 64, -1, 0),
                  (3, '<', None, None, None, -1, -1, True),
                  (3, '<', None, None, None, -1, -1, 0, None)]:
        with pytest.raises(UnsafeNumpyError, match='not one NumPy writes'):
            CheckedDType('i8').__setstate__(state)


def test_checked_array_cannot_be_made_directly():
    with pytest.raises(UnsafeNumpyError, match='cannot be called'):
        CheckedArray((3, ))


LEGITIMATE = [
    np.arange(7, dtype=np.int64),
    np.arange(6, dtype=np.float32).reshape(2, 3),
    np.asfortranarray(np.arange(6).reshape(2, 3)),
    np.arange(4, dtype='>i4'),
    np.array([True, False]),
    np.zeros((0, 3), np.uint8),
    np.float64(2.5),
    np.int32(-7),
    np.float16(3.0),
]


@pytest.mark.parametrize('protocol', [2, 3, 4])
def test_arrays_and_scalars_load_as_numpy_loads_them(tmp_path, protocol):
    for i, obj in enumerate(LEGITIMATE):
        raw = pickle.dumps({'noisy_label': obj}, protocol=protocol)
        want = pickle.loads(raw)['noisy_label']
        loaded = [load_npy(_write_npy(tmp_path / f'{i}.npy', raw))]
        if protocol == 2:  # torch.save's protocol
            loaded.append(
                load_torch_zip(_write_zip(tmp_path / f'{i}.pt', raw)))
        for got in loaded:
            got = got['noisy_label']
            assert type(got) is type(want)
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got, want)
            if isinstance(want, np.ndarray):
                assert got.flags['F_CONTIGUOUS'] == \
                    want.flags['F_CONTIGUOUS']


def test_only_empty_bytes_are_built(tmp_path):
    path = _write_npy(tmp_path / 'zeros.npy',
                      _dumps({'noisy_label': _Call(bytes, (10**12, ))}))
    with pytest.raises(UnsafePickleError, match=r'bytes\(1000000000000,\)'):
        load_npy(path)


def test_cifar_n_style_files_load(tmp_path):
    # CIFAR-N: a torch.save dict of NumPy arrays, a dict pickled in a .npy
    labels = {
        'aggre_label': np.arange(10) % 10,
        'worse_label': (np.arange(10) + 1) % 10
    }
    torch.save(labels, tmp_path / 'CIFAR-10_human.pt')
    np.save(tmp_path / 'ordered.npy', labels, allow_pickle=True)
    for got in (load_torch_zip(str(tmp_path / 'CIFAR-10_human.pt')),
                load_npy(str(tmp_path / 'ordered.npy'))):
        for key, want in labels.items():
            assert type(got[key]) is np.ndarray
            np.testing.assert_array_equal(got[key], want)


def test_checkpoint_history_buffers_come_back_as_plain_arrays(tmp_path):
    buffer = SafeHistoryBuffer()
    for value in (1.5, 2.5, 4.0):
        buffer.update(value)
    path = tmp_path / 'ckpt.pth'
    torch.save(
        {
            'message_hub': {
                'log_scalars': {
                    'loss': buffer
                },
                'runtime_info': {
                    'eta': np.float64(3.0)
                }
            }
        }, path)
    got = torch.load(path, map_location='cpu', weights_only=True)
    loss = got['message_hub']['log_scalars']['loss']
    assert type(loss._log_history) is np.ndarray
    np.testing.assert_array_equal(loss._log_history, [1.5, 2.5, 4.0])
    assert loss.mean() == pytest.approx(8.0 / 3)
    eta = got['message_hub']['runtime_info']['eta']
    assert type(eta) is np.float64 and eta == 3.0


class _System:

    def __reduce__(self):
        import os
        return os.system, ('echo pwned', )


@pytest.mark.parametrize(
    'payload', [_System(), HOSTILE['void_dtype_with_an_object_field']])
def test_mmengine_checkpoint_loading_names_the_refused_file(tmp_path, payload):
    # load_from and --resume go through MMEngine's CheckpointLoader
    from mmengine.runner.checkpoint import CheckpointLoader
    path = _write_zip(tmp_path / 'evil.pth', _dumps({'state_dict': payload}))
    with pytest.raises(
            pickle.UnpicklingError,
            match=r"checkpoint '.*evil.pth' holds objects that lnl_mm does "
            r'not load \((.*posix.system|numpy.dtype).*Do not load it with '
            'weights_only=False unless you trust its source'):
        CheckpointLoader.load_checkpoint(path, map_location='cpu')
