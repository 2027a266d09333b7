# Copyright (c) lnl_mm contributors. All rights reserved.
"""Label files in their real formats, read without arbitrary unpickling."""
import os

import numpy as np
import pytest
import torch

from lnl_mm.datasets.noise import UnsafePickleError, make_noisy_labels


@pytest.fixture
def labels():
    return np.random.default_rng(0).integers(0, 10, 500)


def cifar10n_file(path, clean):
    """A CIFAR-10_human.pt look-alike: torch.save of a dict of arrays."""
    rng = np.random.default_rng(1)
    keys = [
        'aggre_label', 'worse_label', 'random_label1', 'random_label2',
        'random_label3'
    ]
    data = {'clean_label': clean.copy()}
    for i, k in enumerate(keys):
        noisy = clean.copy()
        flip = rng.random(clean.size) < 0.1 * (i + 1)
        noisy[flip] = (noisy[flip] + 1) % 10
        data[k] = noisy
    torch.save(data, path)
    return data


def test_cifar10n_pt_every_key(tmp_path, labels):
    path = str(tmp_path / 'CIFAR-10_human.pt')
    data = cifar10n_file(path, labels)
    for key in ('aggre_label', 'worse_label', 'random_label1', 'random_label2',
                'random_label3'):
        out = make_noisy_labels(labels, 10,
                                dict(type='from_file', path=path, key=key), 0)
        np.testing.assert_array_equal(out, data[key])


def test_cifar100n_noisy_and_noise_label_aliases(tmp_path):
    clean = np.random.default_rng(2).integers(0, 100, 300)
    noisy = (clean + 1) % 100
    path = str(tmp_path / 'CIFAR-100_human.pt')
    torch.save(
        {
            'clean_label': clean,
            'noisy_label': noisy,
            'clean_coarse_label': list(clean // 5)
        }, path)
    for key in ('noisy_label', 'noise_label'):
        out = make_noisy_labels(clean, 100,
                                dict(type='from_file', path=path, key=key), 0)
        np.testing.assert_array_equal(out, noisy)


def test_pt_with_tensors(tmp_path, labels):
    path = str(tmp_path / 'labels.pt')
    noisy = torch.from_numpy((labels + 3) % 10)
    torch.save({'noisy_label': noisy[::1].clone()}, path)
    out = make_noisy_labels(
        labels, 10, dict(type='from_file', path=path, key='noisy_label'), 0)
    np.testing.assert_array_equal(out, noisy.numpy())


def test_misaligned_file_fails(tmp_path, labels):
    path = str(tmp_path / 'CIFAR-10_human.pt')
    cifar10n_file(path, labels)
    shuffled = labels[::-1].copy()
    with pytest.raises(ValueError, match='misaligned'):
        make_noisy_labels(shuffled, 10,
                          dict(type='from_file', path=path, key='worse_label'),
                          0)


def test_wrong_length_fails(tmp_path, labels):
    path = str(tmp_path / 'noisy.npy')
    np.save(path, labels[:-1])
    with pytest.raises(ValueError, match='499 labels but the dataset has 500'):
        make_noisy_labels(labels, 10, dict(type='from_file', path=path), 0)


def test_plain_npy(tmp_path, labels):
    path = str(tmp_path / 'noisy.npy')
    np.save(path, (labels + 1) % 10)
    out = make_noisy_labels(labels, 10, dict(type='from_file', path=path), 0)
    np.testing.assert_array_equal(out, (labels + 1) % 10)


def test_dict_npy_goes_through_allowlist(tmp_path, labels):
    # CIFAR-N's *_ordered.npy: a dict pickled inside .npy
    path = str(tmp_path / 'ordered.npy')
    np.save(
        path, {
            'clean_label': labels,
            'noise_label': (labels + 2) % 10
        },
        allow_pickle=True)
    out = make_noisy_labels(
        labels, 10, dict(type='from_file', path=path, key='noisy_label'), 0)
    np.testing.assert_array_equal(out, (labels + 2) % 10)


def test_sln_csv(tmp_path, labels):
    path = tmp_path / 'sym0.4.csv'
    noisy = (labels + 5) % 10
    path.write_text('label,label_noisy\n' +
                    ''.join(f'{a},{b}\n' for a, b in zip(labels, noisy)))
    out = make_noisy_labels(labels, 10, dict(type='from_file', path=str(path)),
                            0)
    np.testing.assert_array_equal(out, noisy)
    with pytest.raises(ValueError, match='misaligned'):
        make_noisy_labels(
            np.roll(labels, 1), 10, dict(type='from_file', path=str(path)), 0)


def test_unknown_key_lists_available(tmp_path, labels):
    path = str(tmp_path / 'CIFAR-10_human.pt')
    cifar10n_file(path, labels)
    with pytest.raises(KeyError, match="noise.key='worst_label'.*worse_label"):
        make_noisy_labels(labels, 10,
                          dict(type='from_file', path=path, key='worst_label'),
                          0)


def test_missing_file_names_option(labels):
    with pytest.raises(FileNotFoundError, match='noise.path='):
        make_noisy_labels(labels, 10,
                          dict(type='from_file', path='/nonexistent.pt'), 0)


def test_labels_out_of_range_in_file(tmp_path, labels):
    path = str(tmp_path / 'noisy.npy')
    np.save(path, labels + 10)
    with pytest.raises(ValueError, match='num_classes=10'):
        make_noisy_labels(labels, 10, dict(type='from_file', path=path), 0)


class _Evil:

    def __reduce__(self):
        return (os.system, ('echo pwned', ))


def test_malicious_npy_is_refused(tmp_path, labels):
    path = str(tmp_path / 'evil.npy')
    np.save(path, np.array([_Evil()], dtype=object), allow_pickle=True)
    with pytest.raises(UnsafePickleError):
        make_noisy_labels(labels, 10, dict(type='from_file', path=path), 0)


@pytest.mark.parametrize('array,match', [
    (np.ones(500, dtype=bool), 'dtype bool; class indices'),
    (np.zeros((250, 2), dtype=np.int64), r'shape \(250, 2\); a label file'),
    (np.zeros((500, 1), dtype=np.int64), r'shape \(500, 1\)'),
])
def test_bool_and_2d_label_arrays_are_refused(tmp_path, labels, array, match):
    path = str(tmp_path / 'noisy.npy')
    np.save(path, array)
    with pytest.raises(ValueError, match=match):
        make_noisy_labels(labels, 10, dict(type='from_file', path=path), 0)


def test_nan_labels_in_npy_name_the_index(tmp_path, labels):
    noisy = labels.astype(np.float64)
    noisy[7] = np.nan
    path = str(tmp_path / 'noisy.npy')
    np.save(path, noisy)
    with pytest.raises(ValueError, match='first at index 7: nan'):
        make_noisy_labels(labels, 10, dict(type='from_file', path=path), 0)


@pytest.mark.parametrize('cell', ['', 'nan', '0.0', 'cat'])
def test_bad_csv_cell_names_file_row_and_column(tmp_path, cell):
    labels = np.array([0, 1, 2, 3])
    path = tmp_path / 'sym.csv'
    path.write_text(f'label,label_noisy\n0,1\n1,2\n2,{cell}\n3,0\n')
    with pytest.raises(
            ValueError,
            match=f"sym.csv, row 4, column "
            f"'label_noisy': '{cell}' is not an integer"):
        make_noisy_labels(labels, 10, dict(type='from_file', path=str(path)),
                          0)


def test_csv_without_rows_names_the_file(tmp_path):
    path = tmp_path / 'empty.csv'
    path.write_text('label,label_noisy\n')
    with pytest.raises(ValueError, match='empty.csv: no label rows'):
        make_noisy_labels(
            np.array([0, 1]), 2, dict(type='from_file', path=str(path)), 0)


def _override(config, *options):
    """Merge ``--cfg-options`` strings exactly as tools/train.py does."""
    import argparse
    import os.path as osp

    from mmengine.config import Config, DictAction
    root = osp.dirname(
        osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg = Config.fromfile(osp.join(root, config))
    cfg.merge_from_dict(
        parser.parse_args(['--cfg-options', *options]).cfg_options)
    return cfg.train_dataloader.dataset.noise


def test_switching_a_file_leaf_to_a_generator(labels):
    # the form configs/sln/README.md documents for the CIFAR leaves
    noise = _override(
        'configs/sln/sln-mo-lc_wrn28-2_1xb128-300e_cifar10-sym40.py',
        'train_dataloader.dataset.noise.type=symmetric',
        'train_dataloader.dataset.noise.rate=0.4',
        'train_dataloader.dataset.noise.path=None',
        'train_dataloader.dataset.noise.column=None')
    out = make_noisy_labels(labels, 10, noise, 0)
    assert (out != labels).mean() == pytest.approx(0.4, abs=0.01)
    leftover = dict(noise, path='data/x.csv')
    with pytest.raises(
            TypeError,
            match=r"noise.type='symmetric' takes no "
            r'option path .*noise.path=None'):
        make_noisy_labels(labels, 10, leftover, 0)


def test_switching_a_generator_leaf_to_a_file(tmp_path, labels):
    path = str(tmp_path / 'noisy.npy')
    np.save(path, (labels + 1) % 10)
    noise = _override(
        'configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py',
        'train_dataloader.dataset.noise.type=from_file',
        f'train_dataloader.dataset.noise.path={path}',
        'train_dataloader.dataset.noise.rate=None')
    np.testing.assert_array_equal(
        make_noisy_labels(labels, 10, noise, 0), (labels + 1) % 10)


def test_missing_required_option_is_named(labels):
    with pytest.raises(
            TypeError, match="noise.type='symmetric' needs "
            'noise.rate'):
        make_noisy_labels(labels, 10, dict(type='symmetric'), 0)
