# Copyright (c) lnl_mm contributors. All rights reserved.
"""Every loader on a tiny fixture in its real on-disk format."""
import os.path as osp
import pickle
import sys

import cv2
import numpy as np
import pytest
import torch
from idx_fixture import write_idx  # noqa: I100
from mmpretrain.datasets import CIFAR10
from tool_runner import run_python

from lnl_mm.datasets import (IDXMNIST, ISIC2019, Animal10N, IDXFashionMNIST,
                             NoisyLabelDataset, SklearnDigits, read_idx)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_sklearn_digits_split():
    train = SklearnDigits(split='train')
    test = SklearnDigits(split='test')
    assert (len(train), len(test)) == (1347, 450)
    info = train.get_data_info(0)
    assert info['img'].shape == (8, 8) and info['img'].dtype == np.uint8
    assert info['img'].max() <= 255
    # stratified: every class is in both splits in proportion
    from sklearn.datasets import load_digits
    per_class = np.bincount(load_digits().target)
    assert (np.abs(np.bincount(test.get_gt_labels()) - 0.25 * per_class)
            <= 1).all()
    with pytest.raises(ValueError, match="split='val'"):
        SklearnDigits(split='val')


@pytest.mark.parametrize('gz', [True, False])
def test_idx_mnist_fixture(tmp_path, gz):
    rng = np.random.default_rng(0)
    sfx = '.gz' if gz else ''
    for split, n in (('train', 12), ('t10k', 5)):
        write_idx(
            str(tmp_path / f'{split}-images-idx3-ubyte{sfx}'),
            rng.integers(0, 255, (n, 28, 28), dtype=np.uint8), 0x08)
        write_idx(
            str(tmp_path / f'{split}-labels-idx1-ubyte{sfx}'),
            np.arange(n, dtype=np.uint8) % 10, 0x08)
    ds = IDXFashionMNIST(data_root=str(tmp_path), split='train')
    assert len(ds) == 12 and ds.get_data_info(3)['gt_label'] == 3
    assert ds.metainfo['classes'][0] == 'T-shirt/top'
    test = IDXMNIST(data_root=str(tmp_path), split='test')
    assert len(test) == 5 and test.get_data_info(0)['img'].shape == (28, 28)


def test_idx_missing_root_and_files(tmp_path):
    with pytest.raises(
            FileNotFoundError,
            match="data_root='/nonexistent' does not exist "
            r'\(IDXMNIST\). On Debian, `apt install '
            'dataset-fashion-mnist`'):
        IDXMNIST(data_root='/nonexistent')
    with pytest.raises(FileNotFoundError, match='train-images-idx3-ubyte'):
        IDXMNIST(data_root=str(tmp_path))
    (tmp_path / 'bad').write_bytes(b'\x01\x02\x03\x04')
    with pytest.raises(ValueError, match='not an IDX file'):
        read_idx(str(tmp_path / 'bad'))


def write_cifar10(root, n_train=20, n_test=10):
    """CIFAR-10 python pickles, the format mmpretrain's CIFAR10 reads."""
    base = osp.join(root, 'cifar-10-batches-py')
    import os
    os.makedirs(base)
    rng = np.random.default_rng(0)
    labels = {}
    names = ['data_batch_%d' % i for i in range(1, 6)] + ['test_batch']
    for name in names:
        n = n_test if name == 'test_batch' else n_train // 5
        y = rng.integers(0, 10, n).tolist()
        labels[name] = y
        with open(osp.join(base, name), 'wb') as f:
            pickle.dump(
                {
                    'data': rng.integers(0, 255, (n, 3072), dtype=np.uint8),
                    'labels': y
                }, f)
    with open(osp.join(base, 'batches.meta'), 'wb') as f:
        pickle.dump({'label_names': ['c%d' % i for i in range(10)]}, f)
    train = sum((labels['data_batch_%d' % i] for i in range(1, 6)), [])
    return np.array(train)


def test_cifar10_with_cifarn_labels(tmp_path, monkeypatch):
    # mmpretrain checks md5 sums of the real files; the fixture has the real
    # format but not the real bytes, so the check is bypassed here only.
    monkeypatch.setattr(CIFAR10, '_check_integrity', lambda self: True)
    clean = write_cifar10(str(tmp_path))
    worse = (clean + 1) % 10
    worse[::3] = clean[::3]
    torch.save(
        {
            'clean_label': clean,
            'worse_label': worse,
            'aggre_label': clean
        }, str(tmp_path / 'CIFAR-10_human.pt'))
    ds = NoisyLabelDataset(
        dict(
            type='CIFAR10',
            data_root=str(tmp_path),
            split='train',
            download=False),
        noise=dict(
            type='from_file',
            path=str(tmp_path / 'CIFAR-10_human.pt'),
            key='worse_label'))
    np.testing.assert_array_equal(ds.noisy_labels, worse)
    assert ds.noise_manifest()['num_flipped'] == (worse != clean).sum()
    assert ds.get_data_info(0)['img'].shape == (32, 32, 3)


def write_jpg(path, value):
    cv2.imwrite(str(path), np.full((8, 8, 3), value, dtype=np.uint8))


def test_animal10n_fixture(tmp_path):
    for split in ('training', 'testing'):
        (tmp_path / split).mkdir()
    for name in ('3_img_1553496947496.jpg', '0_a.jpg', '9_b.jpg'):
        write_jpg(tmp_path / 'training' / name, 10)
    write_jpg(tmp_path / 'testing' / '5_c.jpg', 20)
    train = Animal10N(
        data_root=str(tmp_path),
        split='train',
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='PackInputs')])
    assert sorted(train.get_gt_labels().tolist()) == [0, 3, 9]
    assert train[0]['inputs'].shape == (3, 8, 8)
    assert Animal10N(
        data_root=str(tmp_path), split='test').get_gt_labels().tolist() == [5]
    write_jpg(tmp_path / 'training' / 'x_bad.jpg', 0)
    with pytest.raises(ValueError, match='x_bad.jpg'):
        Animal10N(data_root=str(tmp_path), split='train')
    with pytest.raises(FileNotFoundError, match="data_root='/nonexistent'"):
        Animal10N(data_root='/nonexistent')


HEADER = 'image,MEL,NV,BCC,AK,BKL,DF,VASC,SCC,UNK\n'


def isic_rows(n):
    rows = []
    for i in range(n):
        onehot = ['0.0'] * 9
        onehot[i % 8] = '1.0'
        rows.append(f'ISIC_{i:07d},' + ','.join(onehot) + '\n')
    return rows


def test_isic2019_fixture(tmp_path):
    (tmp_path / 'ISIC_2019_Training_Input').mkdir()
    (tmp_path / 'gt.csv').write_text(HEADER + ''.join(isic_rows(16)))
    ds = ISIC2019(data_root=str(tmp_path), ann_file='gt.csv')
    assert len(ds.metainfo['classes']) == 8
    assert ds.get_gt_labels().tolist() == [i % 8 for i in range(16)]
    assert ds.get_data_info(1)['img_path'].endswith(
        'ISIC_2019_Training_Input/ISIC_0000001.jpg')
    unk = isic_rows(1)[0].replace('1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0',
                                  '0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0')
    (tmp_path / 'unk.csv').write_text(HEADER + unk)
    with pytest.raises(ValueError, match='include_unk=True'):
        ISIC2019(data_root=str(tmp_path), ann_file='unk.csv')
    nine = ISIC2019(
        data_root=str(tmp_path), ann_file='unk.csv', include_unk=True)
    assert nine.get_gt_labels().tolist() == [8]
    (tmp_path / 'bad.csv').write_text('image,MEL\nx,1.0\n')
    with pytest.raises(ValueError, match='header'):
        ISIC2019(data_root=str(tmp_path), ann_file='bad.csv')
    with pytest.raises(FileNotFoundError, match="data_root='/nonexistent'"):
        ISIC2019(data_root='/nonexistent')


def test_isic2019_split_tool(tmp_path):
    (tmp_path / 'gt.csv').write_text(HEADER + ''.join(isic_rows(40)))
    cmd = [
        sys.executable,
        osp.join(ROOT, 'tools/dataset_converters/'
                 'isic2019_split.py'),
        str(tmp_path / 'gt.csv'), '--num-train', '20', '--num-test', '5',
        '--seed', '3'
    ]
    run_python(cmd, check=True, capture_output=True)
    stem = 'ISIC_2019_Training_GroundTruth'
    train = (tmp_path / f'{stem}_sub20_train.csv').read_text().splitlines()
    test = (tmp_path / f'{stem}_sub5_test.csv').read_text().splitlines()
    assert train[0] + '\n' == HEADER and len(train) == 21 and len(test) == 6
    assert not set(train[1:]) & set(test[1:])
    run_python(cmd, check=True, capture_output=True)  # seeded: same
    again = (tmp_path / f'{stem}_sub20_train.csv').read_text().splitlines()
    assert again == train


def test_isic2019_split_tool_meta_set_and_noise(tmp_path):
    from lnl_mm.datasets import NoisyLabelDataset
    (tmp_path / 'ISIC_2019_Training_Input').mkdir()
    (tmp_path / 'gt.csv').write_text(HEADER + ''.join(isic_rows(80)))
    tool = osp.join(ROOT, 'tools/dataset_converters/isic2019_split.py')
    stem = 'ISIC_2019_Training_GroundTruth'
    out = run_python([
        sys.executable, tool,
        str(tmp_path / 'gt.csv'), '--num-train', '40', '--num-test', '10',
        '--seed', '3', '--meta-size', '16', '--meta-balanced',
        '--export-noise', '0.4', '--noise-seed', '7'
    ],
                     check=True,
                     capture_output=True,
                     text=True).stdout
    meta = (tmp_path / f'{stem}_meta16.csv').read_text().splitlines()[1:]
    train = (tmp_path / f'{stem}_sub40_train.csv').read_text().splitlines()
    test = (tmp_path / f'{stem}_sub10_test.csv').read_text().splitlines()
    ids = {r.split(',')[0] for r in meta}
    assert len(ids) == 16
    assert not ids & {r.split(',')[0] for r in train[1:] + test[1:]}
    first = [r.split(',')[1:].index('1.0') for r in meta[:8]]
    assert sorted(first) == list(range(8))  # round-robin: 8 classes first
    assert '0 in the test split' in out and 'WARNING' not in out
    # The exported noise is the noise NoisyLabelDataset injects.
    ds = NoisyLabelDataset(
        dataset=dict(
            type='ISIC2019',
            data_root=str(tmp_path),
            ann_file=f'{stem}_sub40_train.csv'),
        noise=dict(type='symmetric_global', rate=0.4),
        seed=7)
    noisy = ISIC2019(
        data_root=str(tmp_path), ann_file=f'{stem}_sub40_train_noisy0.4.csv')
    assert noisy.get_gt_labels().tolist() == ds.noisy_labels.tolist()
    assert (ds.noisy_labels != ds.clean_labels).sum() == 16
    # A meta CSV that shares test images is reported with a warning.
    (tmp_path / 'clean.csv').write_text(HEADER + '\n'.join(test[1:4]) + '\n')
    out = run_python([
        sys.executable, tool,
        str(tmp_path / 'gt.csv'), '--num-train', '40', '--num-test', '10',
        '--seed', '3', '--meta-csv',
        str(tmp_path / 'clean.csv')
    ],
                     check=True,
                     capture_output=True,
                     text=True).stdout
    assert 'WARNING: 3 meta images are in the test split' in out


def _onehot(c):
    v = ['0.0'] * 9
    v[c] = '1.0'
    return ','.join(v)


def test_isic2019_reads_the_seed_files_as_they_are(tmp_path):
    """The reweighting seed's header-less files: plain rows, ``marked``
    rows (``<mark> image``) and ``markedgiven`` rows (``<mark> <class>
    image``, the original class of a flipped row), with a flip onto UNK as
    in the seed's files."""
    from lnl_mm.datasets import NoisyLabelDataset
    (tmp_path / 'ISIC_2019_Training_Input').mkdir()
    (tmp_path / 'plain.csv'
     ).write_text(f'ISIC_0000001,{_onehot(1)}\nISIC_0000002,{_onehot(0)}\n')
    plain = ISIC2019(data_root=str(tmp_path), ann_file='plain.csv')
    assert plain.get_gt_labels().tolist() == [1, 0]
    (tmp_path / 'marked.csv').write_text(
        f'1 ISIC_0000001,{_onehot(5)}\n0 ISIC_0000002,{_onehot(0)}\n')
    marked = ISIC2019(data_root=str(tmp_path), ann_file='marked.csv')
    assert marked.get_gt_labels().tolist() == [5, 0]
    assert [marked.get_data_info(i)['seed_marked_noisy']
            for i in range(2)] == [True, False]
    with pytest.raises(ValueError, match='markedgiven format'):
        ISIC2019(
            data_root=str(tmp_path), ann_file='marked.csv', labels='clean')
    # class 1 flipped to 5, class 2 flipped to UNK, class 0 unchanged
    (tmp_path / 'given.csv').write_text(
        f'1 1 ISIC_0000001,{_onehot(5)}\n1 2 ISIC_0000003,{_onehot(8)}\n'
        f'0 0 ISIC_0000002,{_onehot(0)}\n')
    clean = ISIC2019(
        data_root=str(tmp_path),
        ann_file='given.csv',
        labels='clean',
        include_unk=True)
    assert clean.get_gt_labels().tolist() == [1, 2, 0]
    noisy = NoisyLabelDataset(
        dataset=dict(
            type='ISIC2019',
            data_root=str(tmp_path),
            ann_file='given.csv',
            labels='clean',
            include_unk=True),
        noise=dict(type='from_file', path=str(tmp_path / 'given.csv')))
    assert noisy.noisy_labels.tolist() == [5, 8, 0]
    assert noisy.is_noisy.tolist() == [True, True, False]
    assert noisy.noise_manifest()['realised_rate'] == pytest.approx(2 / 3)
    # a file whose marks disagree with the dataset is refused by alignment
    (tmp_path / 'other.csv').write_text(
        f'1 3 ISIC_0000001,{_onehot(5)}\n1 2 ISIC_0000003,{_onehot(8)}\n'
        f'0 0 ISIC_0000002,{_onehot(0)}\n')
    with pytest.raises(ValueError, match='misaligned'):
        NoisyLabelDataset(
            dataset=dict(
                type='ISIC2019',
                data_root=str(tmp_path),
                ann_file='given.csv',
                labels='clean',
                include_unk=True),
            noise=dict(type='from_file', path=str(tmp_path / 'other.csv')))
    (tmp_path / 'broken.csv').write_text(f'a b c d ISIC_1,{_onehot(1)}\n')
    with pytest.raises(ValueError, match=r'broken.csv:1: expected \[marks\]'):
        ISIC2019(data_root=str(tmp_path), ann_file='broken.csv')
    with pytest.raises(ValueError, match="labels must be 'file' or 'clean'"):
        ISIC2019(data_root=str(tmp_path), ann_file='plain.csv', labels='x')


def test_isic2019_split_tool_reproduces_the_seed_files(tmp_path):
    """--like: the seed's files (header-less, marked) rebuilt from the
    official ground truth: same images, same order, official labels; the
    noise of a marked file is reported (UNK flips counted)."""
    (tmp_path / 'gt.csv').write_text(HEADER + ''.join(isic_rows(12)))
    seed = tmp_path / 'seed'
    seed.mkdir()
    # the seed's clean set: header-less, its own order
    (seed / 'clean.csv').write_text(''.join(f'ISIC_{i:07d},{_onehot(i % 8)}\n'
                                            for i in (7, 3, 9)))
    # a markedgiven file: image 2 (class 2) flipped to UNK, 5 to 0
    (seed / 'given.csv').write_text(
        f'1 2 ISIC_0000002,{_onehot(8)}\n0 0 ISIC_0000001,{_onehot(1)}\n'
        f'1 5 ISIC_0000005,{_onehot(0)}\n')
    out_dir = tmp_path / 'out'
    out_dir.mkdir()
    proc = run_python([
        sys.executable,
        osp.join(ROOT, 'tools/dataset_converters/isic2019_split.py'),
        str(tmp_path / 'gt.csv'), '--like',
        str(seed / 'clean.csv'),
        str(seed / 'given.csv'), '--out-dir',
        str(out_dir)
    ],
                      capture_output=True,
                      text=True)
    assert proc.returncode == 0, proc.stderr
    clean = (out_dir / 'clean.csv').read_text().splitlines()
    assert clean[0] + '\n' == HEADER
    assert [r.split(',')[0] for r in clean[1:]
            ] == ['ISIC_0000007', 'ISIC_0000003', 'ISIC_0000009']
    given = (out_dir / 'given.csv').read_text().splitlines()[1:]
    assert given[0] == f'ISIC_0000002,{_onehot(2)}'  # the official label
    assert '2 labels in given.csv differ from the ground truth (1 of them ' \
        'UNK), 2 rows marked noisy' in proc.stdout
    (seed / 'stranger.csv').write_text(f'ISIC_9999999,{_onehot(1)}\n')
    bad = run_python([
        sys.executable,
        osp.join(ROOT, 'tools/dataset_converters/isic2019_split.py'),
        str(tmp_path / 'gt.csv'), '--like',
        str(seed / 'stranger.csv'), '--out-dir',
        str(out_dir)
    ],
                     capture_output=True,
                     text=True)
    assert bad.returncode != 0 and 'not in the ground truth' in bad.stderr
