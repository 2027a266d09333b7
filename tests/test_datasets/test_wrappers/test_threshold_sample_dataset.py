# Copyright (c) lnl_mm contributors. All rights reserved.
"""ThresholdSampleDataset: N // (C + 1) samples to an extra class, disjoint
sets per seed, the manifest, the head check, bad inputs named."""
import numpy as np
import pytest
from test_holdout_split import NOISY  # noqa: I100  (the same noisy set)

from lnl_mm.datasets import NoisyLabelDataset, ThresholdSampleDataset
from lnl_mm.datasets.wrappers import threshold_sample_indices


def test_threshold_samples_get_the_extra_class_and_nothing_else_changes():
    inner = NoisyLabelDataset(**{
        k: v
        for k, v in NOISY.items() if k != 'type'
    })
    ds = ThresholdSampleDataset(NOISY, threshold_set=1, seed=5)
    thr = ds.threshold_indices
    assert thr.size == 1347 // 11 and np.all(np.diff(thr) > 0)
    assert ds.num_classes == 11 and ds.extra_class == 10
    assert ds.metainfo['classes'][-1] == 'threshold sample'
    assert len(ds.metainfo['classes']) == 11
    expected = inner.noisy_labels.copy()
    expected[thr] = 10
    assert np.array_equal(ds.noisy_labels, expected)
    assert np.array_equal(ds.get_gt_labels(), expected)
    assert np.array_equal(ds.clean_labels, inner.clean_labels)
    assert ds.is_noisy[thr].all()  # wrong by construction
    item = ds[int(thr[0])]['data_samples']
    assert int(item.gt_label) == 10 and item.is_noisy
    other = int(np.setdiff1d(np.arange(1347), thr)[0])
    assert ds.get_data_info(other)['gt_label'] == inner.noisy_labels[other]
    manifest = ds.noise_manifest()
    assert manifest['threshold_samples']['indices'] == thr.tolist()
    assert manifest['threshold_samples']['extra_class'] == 10
    # the wrapped corruption is reported as it is, threshold samples apart
    assert manifest['num_flipped'] == inner.noise_manifest()['num_flipped']


def test_the_sets_of_one_seed_are_disjoint_and_cover_c_plus_1_blocks():
    sets = [threshold_sample_indices(100, 4, k, seed=0) for k in range(5)]
    assert all(s.size == 20 for s in sets)
    assert np.array_equal(np.sort(np.concatenate(sets)), np.arange(100))
    assert not np.array_equal(
        threshold_sample_indices(100, 4, 0, seed=1), sets[0])


@pytest.mark.parametrize('value', [-1, 11, 1.0, True])
def test_threshold_set_out_of_range_is_named(value):
    with pytest.raises(
            ValueError, match=r'threshold_set must be an int in '
            r'\[0, 10\]'):
        ThresholdSampleDataset(NOISY, threshold_set=value)


def test_a_dataset_without_given_labels_is_refused():
    with pytest.raises(TypeError, match='wraps a NoisyLabelDataset'):
        ThresholdSampleDataset(dict(type='SklearnDigits', split='train'))
    with pytest.raises(ValueError, match='make no threshold sample'):
        threshold_sample_indices(5, 10, 0, seed=0)
