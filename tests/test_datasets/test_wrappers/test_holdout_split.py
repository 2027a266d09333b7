# Copyright (c) lnl_mm contributors. All rights reserved.
"""HoldoutSplitDataset and the sweep's holdout config rewrite."""
import numpy as np
import pytest
from mmengine.config import Config

from lnl_mm.datasets import NoisyLabelDataset
from lnl_mm.datasets.wrappers import (HoldoutSplitDataset, sample_indices,
                                      stratified_folds, stratified_holdout)
from lnl_mm.engine.utils import (aggregate, grid, holdout_config,
                                 markdown_table, parse_param)

NOISY = dict(
    type='NoisyLabelDataset',
    dataset=dict(
        type='SklearnDigits',
        split='train',
        pipeline=[dict(type='PackNoisyInputs')]),
    noise=dict(type='symmetric', rate=0.4),
    seed=3)


def test_stratified_holdout_counts_and_disjoint():
    labels = np.repeat([0, 1, 2], [100, 50, 10])
    train, held = stratified_holdout(labels, 0.1, seed=0)
    assert np.bincount(labels[held]).tolist() == [10, 5, 1]
    assert np.intersect1d(train, held).size == 0
    assert np.array_equal(np.union1d(train, held), np.arange(160))


def test_splits_partition_the_noisy_set_and_keep_sample_idx():
    full = NoisyLabelDataset(**{k: v for k, v in NOISY.items() if k != 'type'})
    train = HoldoutSplitDataset(NOISY, split='train', ratio=0.2, seed=1)
    held = HoldoutSplitDataset(NOISY, split='holdout', ratio=0.2, seed=1)
    assert len(train) + len(held) == len(full)
    idx = [held.get_data_info(i)['sample_idx'] for i in range(len(held))]
    tidx = [train.get_data_info(i)['sample_idx'] for i in range(len(train))]
    assert not set(idx) & set(tidx)
    # Labels are the noisy (given) ones of the full set, by sample_idx.
    assert np.array_equal(held.get_gt_labels(), full.noisy_labels[idx])
    info = held.get_data_info(0)
    assert info['gt_label'] == full.noisy_labels[info['sample_idx']]
    with pytest.raises(ValueError, match='ratio must be in'):
        HoldoutSplitDataset(NOISY, split='train', ratio=1.0)
    with pytest.raises(ValueError, match='split must be one of'):
        HoldoutSplitDataset(NOISY, split='val')


def test_stratified_folds_by_hand():
    labels = np.repeat([0, 1, 2], [10, 7, 3])
    fold = stratified_folds(labels, 3, seed=0)
    for c, sizes in ((0, [4, 3, 3]), (1, [3, 2, 2]), (2, [1, 1, 1])):
        assert np.bincount(fold[labels == c], minlength=3).tolist() == sizes
    assert np.array_equal(fold, stratified_folds(labels, 3, seed=0))
    assert not np.array_equal(fold, stratified_folds(labels, 3, seed=1))
    with pytest.raises(ValueError, match='num_folds must be an int >= 2'):
        stratified_folds(labels, 1, seed=0)


def test_k_folds_hold_out_every_sample_once():
    """K trainings, each on K-1 folds, predict every sample out of sample:
    the held-out folds partition the set and never meet their training
    split."""
    held_all = []
    for k in range(3):
        held = HoldoutSplitDataset(
            NOISY, split='holdout', num_folds=3, fold=k, seed=2)
        train = HoldoutSplitDataset(
            NOISY, split='train', num_folds=3, fold=k, seed=2)
        h = {held.get_data_info(i)['sample_idx'] for i in range(len(held))}
        t = {train.get_data_info(i)['sample_idx'] for i in range(len(train))}
        assert not h & t and len(h) + len(t) == 1347
        held_all.extend(h)
    assert sorted(held_all) == list(range(1347))
    with pytest.raises(ValueError, match=r'fold must be an int in \[0, 3\)'):
        HoldoutSplitDataset(NOISY, split='train', num_folds=3, fold=3)
    with pytest.raises(ValueError, match='needs num_folds'):
        HoldoutSplitDataset(NOISY, split='train', fold=1)


def test_holdout_config_validates_on_noisy_holdout_only():
    cfg = Config.fromfile('configs/sln/sln-mo_smallcnn_1xb64-40e_digits-'
                          'sym40.py')
    out = holdout_config(cfg, 0.25, seed=0)
    tr, va = out.train_dataloader.dataset, out.val_dataloader.dataset
    assert tr.type == va.type == 'HoldoutSplitDataset'
    assert (tr.split, va.split, tr.ratio) == ('train', 'holdout', 0.25)
    assert va.dataset.type == 'NoisyLabelDataset'  # given labels, not clean
    assert va.dataset.dataset.pipeline == cfg.test_dataloader.dataset.pipeline
    assert out.test_dataloader == cfg.test_dataloader
    files = [
        h.get('filename') for h in out.custom_hooks
        if h.type == 'AccuracySummaryHook'
    ]
    assert files == ['summary_holdout.json', 'summary_raw.json']


def test_param_parsing_grid_and_aggregation():
    assert parse_param('a.b=0.1,2,true,x') == ('a.b', [0.1, 2, True, 'x'])
    with pytest.raises(ValueError, match='expected key=value1'):
        parse_param('sigma')
    combos = grid([('a', [1, 2]), ('b', ['x', 'y'])])
    assert combos == [
        dict(a=1, b='x'),
        dict(a=1, b='y'),
        dict(a=2, b='x'),
        dict(a=2, b='y')
    ]
    results = [
        dict(s=0.5, holdout=60.0, holdout_mean_last_k=59.0, test=70.0),
        dict(s=0.5, holdout=64.0, holdout_mean_last_k=61.0, test=72.0),
        dict(s=1.0, holdout=70.0, holdout_mean_last_k=69.0, test=65.0)
    ]
    rows = aggregate(results, ['s'])
    assert [r['s'] for r in rows] == [1.0, 0.5]  # selected on holdout
    assert rows[1]['holdout_mean'] == 62.0 and rows[1]['holdout_std'] == 2.0
    assert rows[1]['seeds'] == 2
    table = markdown_table(rows, ['s'])
    assert '| **1.0** | 70.00 ± 0.00' in table and 'not used' in table


def test_sample_indices_equal_the_data_infos_without_building_them():
    held = HoldoutSplitDataset(NOISY, split='holdout', ratio=0.2, seed=1)
    by_info = [held.get_data_info(i)['sample_idx'] for i in range(len(held))]
    assert sample_indices(held).tolist() == by_info
    assert sample_indices(held).dtype == np.int64
    assert sorted(by_info) != list(range(len(held)))  # not the item order
    full = NoisyLabelDataset(**{k: v for k, v in NOISY.items() if k != 'type'})
    assert np.array_equal(sample_indices(full), np.arange(len(full)))
    # a dataset that is not ours is asked item by item
    assert np.array_equal(
        sample_indices(full.dataset), np.arange(len(full.dataset)))
