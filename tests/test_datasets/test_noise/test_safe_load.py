# Copyright (c) lnl_mm contributors. All rights reserved.
"""Hostile label files: crafted tensor views, storages, pickles, nesting.

Each file here is made only of globals a label file may legitimately use
(``torch._utils._rebuild_tensor_v2``, torch storages, NumPy arrays), but
with values chosen to escape the storage: a loader that rebuilds views
without checking them segfaults or returns heap memory as labels.
"""
import collections
import io
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch

from lnl_mm.datasets.noise import (UnsafePickleError, load_npy, load_torch_zip,
                                   make_noisy_labels)
from lnl_mm.datasets.noise.safe_load import MAX_ELEMENTS


class _Storage:
    """Pickled as a torch persistent storage id."""

    def __init__(self, key, numel, stype=torch.LongStorage):
        self.key, self.numel, self.stype = key, numel, stype


class _View:
    """Pickled as ``_rebuild_tensor_v2(storage, offset, size, stride)``."""

    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False,
                     collections.OrderedDict())


class _Crafter(pickle.Pickler):

    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ('storage', obj.stype, obj.key, 'cpu', obj.numel)
        return None

    def reducer_override(self, obj):
        if isinstance(obj, _View):
            return torch._utils._rebuild_tensor_v2, obj.args
        return NotImplemented


def craft_pt(path, obj, records=None):
    """Write a torch zip archive whose data.pkl pickles ``obj``."""
    buf = io.BytesIO()
    _Crafter(buf, protocol=2).dump(obj)
    records = {'0': np.arange(4, dtype=np.int64).tobytes()} \
        if records is None else records
    with zipfile.ZipFile(path, 'w') as zf:
        zf.writestr('archive/data.pkl', buf.getvalue())
        zf.writestr('archive/byteorder', 'little')
        zf.writestr('archive/version', '3\n')
        for key, raw in records.items():
            zf.writestr(f'archive/data/{key}', raw)
    return str(path)


def view_file(tmp_path, offset, size, stride, numel=4, name='v.pt'):
    return craft_pt(
        tmp_path / name,
        {'noisy_label': _View(_Storage('0', numel), offset, size, stride)})


def test_crafted_valid_view_loads(tmp_path):
    # the crafting itself is right: an in-bounds view reads the storage
    out = load_torch_zip(view_file(tmp_path, 1, (2, ), (2, )))
    np.testing.assert_array_equal(out['noisy_label'], [1, 3])


@pytest.mark.parametrize(
    'offset,size,stride',
    [
        (0, (4, ), (1000, )),  # stride walks past the storage
        (100, (4, ), (1, )),  # offset past the end
        (-5, (4, ), (1, )),  # negative offset
        (3, (4, ), (-1, )),  # negative stride
        (0, (-4, ), (1, )),  # negative size
        (0, (2, 3), (3, 1)),  # 2-D view whose last element is index 5
    ])
def test_out_of_bounds_views_are_refused(tmp_path, offset, size, stride):
    path = view_file(tmp_path, offset, size, stride)
    with pytest.raises(ValueError, match='v.pt'):
        load_torch_zip(path)


def test_storage_larger_than_its_record_is_refused(tmp_path):
    # the pickle claims 10^6 elements, the record holds 4
    path = view_file(tmp_path, 0, (1000, ), (1, ), numel=10**6)
    with pytest.raises(ValueError, match='v.pt'):
        load_torch_zip(path)


def test_huge_zero_stride_view_is_refused(tmp_path):
    path = view_file(tmp_path, 0, (10**12, ), (0, ))
    with pytest.raises(ValueError, match=f'limit of {MAX_ELEMENTS}'):
        load_torch_zip(path)


def test_missing_storage_record_is_refused(tmp_path):
    path = craft_pt(tmp_path / 'v.pt',
                    {'noisy_label': _View(_Storage('7', 4), 0, (4, ), (1, ))})
    with pytest.raises(ValueError, match='v.pt'):
        load_torch_zip(path)


def test_non_label_tensor_dtype_is_refused(tmp_path):
    path = str(tmp_path / 'complex.pt')
    torch.save({'noisy_label': torch.zeros(4, dtype=torch.complex64)}, path)
    with pytest.raises(ValueError, match='complex64 is not a label dtype'):
        load_torch_zip(path)


class _Evil:

    def __reduce__(self):
        return (os.system, ('echo pwned', ))


def test_code_in_a_complete_archive_is_refused(tmp_path):
    path = craft_pt(tmp_path / 'evil.pt', {'x': _Evil()}, records={})
    with pytest.raises(UnsafePickleError, match='evil.pt: refusing'):
        load_torch_zip(path)


def test_wrong_storage_type_is_refused(tmp_path):
    # a persistent id whose "storage type" is an arbitrary callable
    path = craft_pt(tmp_path / 'evil.pt', {
        'noisy_label':
        _View(_Storage('0', 4, stype=os.system), 0, (4, ), (1, ))
    })
    with pytest.raises((UnsafePickleError, ValueError), match='evil.pt'):
        load_torch_zip(path)


def test_deep_nesting_is_refused(tmp_path):
    obj = [1]
    for _ in range(20):
        obj = [obj]
    path = str(tmp_path / 'deep.pt')
    torch.save({'noisy_label': obj}, path)
    with pytest.raises(ValueError, match='nested more than 8 deep'):
        load_torch_zip(path)


def test_nested_arrays_are_checked(tmp_path):
    path = str(tmp_path / 'nested.pt')
    torch.save({'a': [{'b': np.array(['x', 'y'])}]}, path)
    with pytest.raises(UnsafePickleError, match='nested.pt'):
        load_torch_zip(path)


def test_npy_cannot_rebuild_tensors(tmp_path):
    # a .npy payload naming torch's rebuild function is refused outright
    buf = io.BytesIO()
    _Crafter(buf, protocol=2).dump(_View(_Storage('0', 4), 0, (4, ), (1000, )))
    header = {'descr': '|O', 'fortran_order': False, 'shape': ()}
    path = str(tmp_path / 'evil.npy')
    with open(path, 'wb') as f:
        np.lib.format.write_array_header_1_0(f, header)
        f.write(buf.getvalue())
    with pytest.raises(
            UnsafePickleError, match='evil.npy: refusing to unpickle torch'):
        load_npy(path)


def test_string_npy_names_the_file(tmp_path):
    path = str(tmp_path / 'names.npy')
    np.save(path, np.array(['cat', 'dog']))
    with pytest.raises(ValueError, match='names.npy: array dtype <U3'):
        load_npy(path)


@pytest.mark.parametrize('content', [b'', b'\x93NUMPY\x01\x00garbage'])
def test_truncated_npy_names_the_file(tmp_path, content):
    path = tmp_path / 'bad.npy'
    path.write_bytes(content)
    with pytest.raises(ValueError, match='bad.npy: not a valid .npy'):
        load_npy(str(path))


def test_zero_byte_pt_names_the_file(tmp_path):
    path = tmp_path / 'empty.pt'
    path.write_bytes(b'')
    with pytest.raises(ValueError, match='empty.pt: not a torch zip'):
        load_torch_zip(str(path))


def test_hostile_file_through_the_noise_option(tmp_path):
    labels = np.arange(4) % 2
    path = view_file(tmp_path, 0, (4, ), (1000, ))
    with pytest.raises(ValueError, match='v.pt'):
        make_noisy_labels(labels, 2,
                          dict(type='from_file', path=path, key='noisy_label'),
                          0)


def test_loading_a_label_file_leaves_the_checkpoint_allowlist_as_it_was(
        tmp_path):
    import lnl_mm  # noqa: F401  (registers the checkpoint allowlist)
    before = set(map(str, torch.serialization.get_safe_globals()))
    path = str(tmp_path / 'labels.pt')
    torch.save({'noisy_label': np.arange(3)}, path)
    load_torch_zip(path)
    assert set(map(str, torch.serialization.get_safe_globals())) == before
    with pytest.raises(UnsafePickleError):
        load_torch_zip(craft_pt(tmp_path / 'evil.pt', {'x': _Evil()}, {}))
    assert set(map(str, torch.serialization.get_safe_globals())) == before
