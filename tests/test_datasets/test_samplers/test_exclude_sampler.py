# Copyright (c) lnl_mm contributors. All rights reserved.
import numpy as np
import pytest
import torch

from lnl_mm.datasets import ExcludeSampler, StoreWeakView
from lnl_mm.datasets.noise import make_noisy_labels


def test_excluded_indices_are_never_drawn_and_ranks_partition():
    data = list(range(23))
    s = ExcludeSampler(data, shuffle=True, seed=3)
    assert sorted(s) == data and len(s) == 23
    s.exclude([0, 5, 22])
    s.set_epoch(1)
    drawn = list(s)
    assert len(drawn) == len(s) == 20 and sorted(drawn) == sorted(
        set(data) - {0, 5, 22})
    s.set_epoch(2)
    assert list(s) != drawn  # reshuffled each epoch, seeded
    s.exclude([])
    assert len(s) == 23
    shards = []
    for rank in range(2):
        r = ExcludeSampler(data, shuffle=True, seed=3)
        r.rank, r.world_size = rank, 2
        r.exclude([1, 2, 3])
        shards.append(list(r))
    assert len(shards[0]) == len(shards[1]) == 10  # 20 kept, no padding
    assert set(shards[0]) | set(shards[1]) == set(data) - {1, 2, 3}
    with pytest.raises(IndexError):
        s.exclude([23])
    with pytest.raises(ValueError, match='every sample'):
        s.exclude(data)


def test_prior_resample_follows_the_class_prior():
    labels = np.repeat(np.arange(3), [6000, 3000, 1000])
    noisy = make_noisy_labels(labels, 3, dict(type='prior_resample', rate=0.4),
                              0)
    prior = np.array([0.6, 0.3, 0.1])
    for c in range(3):
        got = noisy[labels == c]
        # P(label kept) = 1 - r + r * pi_c; moved labels follow the prior
        kept = 1 - 0.4 + 0.4 * prior[c]
        n = got.size
        assert abs((got == c).mean() - kept) < 4 * np.sqrt(kept *
                                                           (1 - kept) / n)
    moved = noisy[noisy != labels]
    expected_rate = 0.4 * (1 - (prior**2).sum())
    assert abs(moved.size / labels.size - expected_rate) < 0.01


def test_store_weak_view_keeps_the_unaugmented_image():
    img = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    out = StoreWeakView()(dict(img=img))
    assert out['weak_img'].shape == (3, 2, 3)
    assert torch.equal(out['weak_img'],
                       torch.from_numpy(img.transpose(2, 0, 1)))
    gray = StoreWeakView()(dict(img=np.zeros((4, 4), np.uint8)))
    assert gray['weak_img'].shape == (1, 4, 4)


def test_replicated_sampler_gives_every_rank_the_same_whole_order():
    from lnl_mm.datasets.samplers import ReplicatedSampler
    data = list(range(7))
    orders = []
    for rank in range(3):
        s = ReplicatedSampler(data)
        s.rank, s.world_size = rank, 3
        orders.append(list(s))
    assert orders == [data] * 3 and len(ReplicatedSampler(data)) == 7
    shuffled = []
    for rank in range(2):
        s = ReplicatedSampler(data, shuffle=True, seed=4)
        s.rank, s.world_size = rank, 2
        s.set_epoch(1)
        shuffled.append(list(s))
    assert shuffled[0] == shuffled[1] and sorted(shuffled[0]) == data
    s.set_epoch(2)
    assert list(s) != shuffled[0]
