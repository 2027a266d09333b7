# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared images between datasets, through the index wrappers."""
from lnl_mm.datasets import SklearnDigits
from lnl_mm.datasets.wrappers import (MetaSplitDataset, NoisyLabelDataset,
                                      shared_images)


def _split(side, k=10, seed=0):
    return MetaSplitDataset(
        dict(type='SklearnDigits', split='train'),
        num_per_class=k,
        split=side,
        seed=seed)


def test_the_two_sides_of_a_split_share_nothing():
    noisy = NoisyLabelDataset(
        _split('train'), noise=dict(type='symmetric', rate=0.4))
    assert shared_images(_split('meta'), noisy) == 0


def test_mismatched_splits_and_unsplit_training_sets_overlap():
    meta = _split('meta', k=20)
    # the train side excluded 10 per class, so some of the 200 remain
    assert 0 < shared_images(meta, _split('train', k=10)) < 200
    assert shared_images(meta, _split('train', k=20, seed=1)) > 0
    assert shared_images(meta, SklearnDigits(split='train')) == 200


def test_other_data_with_the_same_type_is_not_confused():
    assert shared_images(_split('meta'), SklearnDigits(split='test')) == 0
