# Copyright (c) lnl_mm contributors. All rights reserved.
import json
import os

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.dataset import ConcatDataset, RepeatDataset
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATASETS

from lnl_mm.datasets import NoisyLabelDataset
from lnl_mm.datasets.noise import label_sha256

SYM40 = dict(type='symmetric', rate=0.4)


def make(toy, labels, **kwargs):
    return NoisyLabelDataset(
        toy(labels), noise=kwargs.pop('noise', SYM40), **kwargs)


def test_fields_and_clean_inner(toy_dataset_cls, balanced):
    labels = balanced(5, 40)
    inner = toy_dataset_cls(labels)
    ds = NoisyLabelDataset(inner, noise=SYM40, seed=3)
    assert len(ds) == 200
    assert (ds.noisy_labels != labels).sum() == 5 * 16
    for i in (0, 17, 199):
        info = ds.get_data_info(i)
        assert info['sample_idx'] == i
        assert info['clean_label'] == labels[i]
        assert info['gt_label'] == ds.noisy_labels[i]
        assert info['is_noisy'] == (ds.noisy_labels[i] != labels[i])
        assert info['orig'] == i
    # the wrapped dataset is untouched
    np.testing.assert_array_equal(inner.get_gt_labels(), labels)
    np.testing.assert_array_equal(ds.get_gt_labels(), ds.noisy_labels)


def test_item_goes_through_pipeline(toy_dataset_cls, balanced):
    inner = toy_dataset_cls(
        balanced(2, 5), pipeline=[dict(type='PackNoisyInputs')])
    ds = NoisyLabelDataset(inner, noise=dict(type='symmetric', rate=0.6))
    out = ds[3]
    sample = out['data_samples']
    assert sample.sample_idx == 3
    assert int(sample.gt_label) == ds.noisy_labels[3]
    assert sample.clean_label == ds.clean_labels[3]
    assert sample.is_noisy == bool(ds.is_noisy[3])
    assert out['inputs'].shape == (1, 4, 4)


def test_config_dict_and_built_give_same_labels(toy_dataset_cls, balanced):
    labels = balanced(4, 25)
    built = NoisyLabelDataset(toy_dataset_cls(labels), noise=SYM40, seed=1)
    # a dict config goes through the registry; use a registered dataset
    cfg = dict(type='SklearnDigits', split='train')
    from_cfg = NoisyLabelDataset(cfg, noise=SYM40, seed=1)
    from_built = NoisyLabelDataset(DATASETS.build(cfg), noise=SYM40, seed=1)
    np.testing.assert_array_equal(from_cfg.noisy_labels,
                                  from_built.noisy_labels)
    assert len(built) == 100
    # the built toy dataset is corrupted as configured: exactly 40 %
    np.testing.assert_array_equal(built.clean_labels, labels)
    assert (built.noisy_labels != labels).mean() == 0.4


def test_determinism_across_rebuilds(toy_dataset_cls, balanced):
    labels = balanced(10, 30)
    a = make(toy_dataset_cls, labels, seed=5)
    b = make(toy_dataset_cls, labels, seed=5)
    np.testing.assert_array_equal(a.noisy_labels, b.noisy_labels)


def test_sample_idx_unique_under_concat_and_repeat(toy_dataset_cls):
    concat = ConcatDataset(
        [toy_dataset_cls([0, 1, 0, 1]),
         toy_dataset_cls([1, 0, 1])])
    ds = NoisyLabelDataset(concat, noise=dict(type='symmetric', rate=0.0))
    idx = [ds.get_data_info(i)['sample_idx'] for i in range(len(ds))]
    assert idx == list(range(7))  # ConcatDataset alone gives [0..3, 0..2]
    # no pipeline: items are the infos themselves
    assert [ds[i]['sample_idx'] for i in range(7)] == list(range(7))
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        rep = RepeatDataset(
            dict(
                type='NoisyLabelDataset',
                dataset=dict(type='SklearnDigits', split='test'),
                noise=SYM40),
            times=2)
    n = len(rep) // 2
    first = [rep.get_data_info(i)['sample_idx'] for i in range(n)]
    second = [rep.get_data_info(i + n)['sample_idx'] for i in range(n)]
    assert first == second == list(range(n))


def test_manifest(tmp_path, toy_dataset_cls, balanced):
    labels = balanced(4, 50)
    ds = make(toy_dataset_cls, labels, seed=2)
    m = ds.dump_manifest(str(tmp_path / 'sub' / 'noise_manifest.json'))
    on_disk = json.loads(
        (tmp_path / 'sub' / 'noise_manifest.json').read_text())
    assert on_disk == m
    assert m['generator'] == 'symmetric' and m['params'] == {'rate': 0.4}
    assert m['seed'] == 2 and m['num_classes'] == 4
    assert m['realised_rate'] == 0.4 and m['per_class_rate'] == [0.4] * 4
    assert m['num_flipped'] == 80
    T = np.array(m['transition_matrix'])
    np.testing.assert_allclose(T.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.diag(T), 0.6)
    assert m['sha256_clean_labels'] == label_sha256(labels)
    assert m['sha256_noisy_labels'] == label_sha256(ds.noisy_labels)


def test_openset(toy_dataset_cls, balanced):
    labels = balanced(2, 50)
    source = toy_dataset_cls([0] * 30)
    ds = NoisyLabelDataset(
        toy_dataset_cls(labels),
        noise=dict(type='openset', rate=0.4, source=source),
        seed=0)
    replaced = np.flatnonzero(ds.clean_labels == -1)
    assert replaced.size == 40
    np.testing.assert_array_equal(ds.noisy_labels, labels)  # labels kept
    i = int(replaced[0])
    info = ds.get_data_info(i)
    assert info['gt_label'] == labels[i] and info['is_noisy']
    src_imgs = [source.get_data_info(j)['img'] for j in range(30)]
    assert any(np.array_equal(info['img'], s) for s in src_imgs)
    m = ds.noise_manifest()
    assert m['num_open_set'] == 40 and m['realised_rate'] == 0.0


def test_instance_noise_from_images(toy_dataset_cls, balanced):
    labels = balanced(3, 200)
    ds = make(
        toy_dataset_cls, labels, noise=dict(type='instance', rate=0.3), seed=0)
    assert 0.2 < ds.is_noisy.mean() < 0.4
    assert (ds.noisy_labels[ds.is_noisy] != labels[ds.is_noisy]).all()


@pytest.mark.parametrize('noise, err, msg', [
    (dict(type='gaussian', rate=0.4), ValueError, "noise.type='gaussian'"),
    (dict(type='symmetric', rate=1.0), ValueError, 'noise.rate=1.0'),
    (dict(type='symmetric', rate=-0.2), ValueError, 'noise.rate=-0.2'),
    (dict(rate=0.2), ValueError, 'noise must be a dict with a "type"'),
    (dict(type='asymmetric', rate=0.2,
          class_map='nope'), ValueError, "noise.class_map='nope'"),
    (dict(type='openset', rate=0.2), ValueError, 'noise.source'),
])
def test_bad_noise_fails_at_build(toy_dataset_cls, balanced, noise, err, msg):
    with pytest.raises(err, match=msg):
        make(toy_dataset_cls, balanced(10, 10), noise=noise)


def test_num_classes_mismatch_names_option(toy_dataset_cls, balanced):
    with pytest.raises(ValueError, match='num_classes=5'):
        make(toy_dataset_cls, balanced(10, 10), num_classes=5)


def test_lazy_init(toy_dataset_cls, balanced):
    ds = make(toy_dataset_cls, balanced(2, 10), lazy_init=True)
    assert not ds._fully_initialized
    assert len(ds) == 20 and ds._fully_initialized


def _rank_worker(rank, world, port, out_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=world)
    ds = NoisyLabelDataset(
        dict(type='SklearnDigits', split='train'),
        noise=dict(type='symmetric', rate=0.4),
        seed=11)
    labels = torch.from_numpy(ds.noisy_labels)
    gathered = [torch.empty_like(labels) for _ in range(world)]
    dist.all_gather(gathered, labels)
    same = all(torch.equal(g, gathered[0]) for g in gathered)
    with open(os.path.join(out_dir, f'rank{rank}.json'), 'w') as f:
        json.dump(dict(same=same, sha=label_sha256(ds.noisy_labels)), f)
    dist.destroy_process_group()


def test_identical_noisy_labels_on_two_gloo_processes(tmp_path, free_port):
    mp.spawn(_rank_worker, args=(2, free_port(), str(tmp_path)), nprocs=2)
    r0 = json.loads((tmp_path / 'rank0.json').read_text())
    r1 = json.loads((tmp_path / 'rank1.json').read_text())
    assert r0['same'] and r1['same'] and r0['sha'] == r1['sha']
