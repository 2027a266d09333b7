# Copyright (c) lnl_mm contributors. All rights reserved.
import numpy as np
import pytest

from lnl_mm.datasets import (LongTailDataset, MetaSplitDataset,
                             NoisyLabelDataset, long_tail_counts)


def test_long_tail_counts_rho_0_1():
    assert long_tail_counts(5000, 10, 0.1) == [
        5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500
    ]


def test_long_tail_dataset(toy_dataset_cls, balanced):
    labels = balanced(10, 100)
    ds = LongTailDataset(toy_dataset_cls(labels), imbalance_ratio=0.1, seed=0)
    counts = np.bincount(ds.get_gt_labels(), minlength=10)
    assert counts.tolist() == long_tail_counts(100, 10, 0.1)
    for i in (0, len(ds) - 1):
        info = ds.get_data_info(i)
        assert info['sample_idx'] == i
        assert info['gt_label'] == labels[info['orig']]


def test_long_tail_then_noise(toy_dataset_cls, balanced):
    ds = NoisyLabelDataset(
        LongTailDataset(
            toy_dataset_cls(balanced(10, 100)), imbalance_ratio=0.1),
        noise=dict(type='symmetric', rate=0.2))
    assert len(ds) == sum(long_tail_counts(100, 10, 0.1))
    per_class = ds.noise_manifest()['per_class_rate']
    counts = long_tail_counts(100, 10, 0.1)
    assert per_class == [int(0.2 * n) / n for n in counts]


def test_long_tail_bad_ratio(toy_dataset_cls):
    with pytest.raises(ValueError, match='imbalance_ratio=0'):
        LongTailDataset(toy_dataset_cls([0, 1]), imbalance_ratio=0)


def test_meta_split_disjoint_balanced_and_seeded(toy_dataset_cls, balanced):
    labels = balanced(5, 30)
    meta = MetaSplitDataset(
        toy_dataset_cls(labels), num_per_class=4, split='meta', seed=9)
    train = MetaSplitDataset(
        toy_dataset_cls(labels), num_per_class=4, split='train', seed=9)
    m = {meta.get_data_info(i)['orig'] for i in range(len(meta))}
    t = {train.get_data_info(i)['orig'] for i in range(len(train))}
    assert not m & t and len(m | t) == 150
    assert np.bincount(meta.get_gt_labels()).tolist() == [4] * 5
    other = MetaSplitDataset(
        toy_dataset_cls(labels), num_per_class=4, split='meta', seed=10)
    assert m != {other.get_data_info(i)['orig'] for i in range(len(other))}


def test_meta_split_then_noise_keeps_meta_clean(toy_dataset_cls, balanced):
    labels = balanced(3, 20)
    train = NoisyLabelDataset(
        MetaSplitDataset(
            toy_dataset_cls(labels), num_per_class=5, split='train'),
        noise=dict(type='symmetric', rate=0.5))
    assert len(train) == 45
    assert train.noise_manifest()['per_class_rate'] == [7 / 15] * 3


@pytest.mark.parametrize('kwargs, msg', [
    (dict(num_per_class=3, split='val'), "split='val'"),
    (dict(num_per_class=0, split='meta'), 'num_per_class=0'),
    (dict(num_per_class=50, split='meta'), 'num_per_class=50'),
])
def test_meta_split_bad_args(toy_dataset_cls, balanced, kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        MetaSplitDataset(toy_dataset_cls(balanced(2, 10)), **kwargs)


@pytest.mark.parametrize('indices', [0, [], -3, True, ['a']])
def test_empty_or_bad_indices_name_the_option(indices):
    from lnl_mm.datasets.wrappers import NoisyLabelDataset
    with pytest.raises(
            ValueError, match=r'dataset.indices=.* is not a '
            'sample selection'):
        NoisyLabelDataset(
            dict(type='SklearnDigits', indices=indices),
            noise=dict(type='symmetric', rate=0.2))


def test_out_of_range_indices_name_the_option():
    from lnl_mm.datasets.wrappers import NoisyLabelDataset
    with pytest.raises(
            IndexError,
            match=r'dataset.indices selects samples the dataset does not '
            r'have \(indices from 3 to 99999\)'):
        NoisyLabelDataset(
            dict(type='SklearnDigits', indices=[3, 99999]),
            noise=dict(type='symmetric', rate=0.2))
