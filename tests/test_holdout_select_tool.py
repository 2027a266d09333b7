# Copyright (c) lnl_mm contributors. All rights reserved.
"""tools/benchmarks/holdout_select.py: a pick on held-out noisy labels."""
import json
import os.path as osp
import sys

import numpy as np
import pytest
from idx_fixture import write_mnist_fixture  # noqa: I100
from tool_runner import run_python

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(ROOT, 'tools', 'benchmarks'))
import benchmark_methods as bm  # noqa: E402
import holdout_select as hs  # noqa: E402

LEAF = osp.join(ROOT, bm.BY_KEY['ce'].leaf('sym80'))


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    """Two one-epoch CE runs of the protocol on 64 of 160 fixture images,
    at 80 % symmetric noise, different seeds."""
    tmp = tmp_path_factory.mktemp('holdout_select')
    fix = write_mnist_fixture(tmp, 160, 20)
    opts = [f'{k}={v}' for k, v in bm.scale_options(LEAF, fix, 64, 1).items()]
    out = {}
    for seed in (0, 1):
        wd = str(tmp / f'seed{seed}')
        run_python([
            sys.executable, 'tools/train.py', LEAF, '--work-dir', wd,
            '--cfg-options', *opts, f'randomness.seed={seed}',
            f'train_dataloader.dataset.seed={seed}'
        ],
                   cwd=ROOT,
                   check=True)
        out[seed] = wd
    return out


def test_the_heldout_set_is_unseen_images_with_the_runs_noise(runs):
    from mmpretrain.registry import DATASETS
    cfg = hs.run_config(runs[0])
    held = DATASETS.build(hs.heldout_dataset(cfg, 96))
    train = DATASETS.build(cfg.train_dataloader.dataset.to_dict())
    assert len(held) == 96 and len(train) == 64
    # images 64..159 of the file: none of the 64 it trained on
    inner = DATASETS.build(
        dict(cfg.train_dataloader.dataset.dataset.to_dict(), indices=None))
    for i in (0, 95):
        assert np.array_equal(
            held.get_data_info(i)['img'],
            inner.get_data_info(64 + i)['img'])
    # the fixture's labels are i % 10; the given labels are the noisy ones
    info = [held.get_data_info(i) for i in range(96)]
    assert [d['clean_label'] for d in info] == [(64 + i) % 10
                                                for i in range(96)]
    noisy = np.mean([d['gt_label'] != d['clean_label'] for d in info])
    assert 0.6 < noisy < 0.95  # 80 % symmetric noise
    # the test pipeline: no augmentation
    assert all(t['type'] != 'RandomCrop'
               for t in hs.heldout_dataset(cfg, 8)['dataset']['pipeline'])


def test_it_scores_each_run_and_picks_the_best(runs, tmp_path):
    out = tmp_path / 'pick.json'
    proc = run_python([
        sys.executable, 'tools/benchmarks/holdout_select.py', f'a={runs[0]}',
        f'b={runs[1]}', '--images', '96', '--out',
        str(out)
    ],
                      cwd=ROOT,
                      text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(out.read_text())
    scores = {k: v['heldout_noisy'] for k, v in got['runs'].items()}
    assert got['images'] == 96 and set(scores) == {'a', 'b'}
    assert got['pick'] == max(scores, key=scores.get)
    assert all(0 <= s <= 100 for s in scores.values())
    # the score is the accuracy against the held-out noisy labels
    for name, wd in (('a', runs[0]), ('b', runs[1])):
        assert scores[name] == pytest.approx(
            hs.heldout_accuracy(wd, 96), abs=1e-3)
        with open(osp.join(wd, 'summary.json')) as f:
            last = json.load(f)['last']
        assert got['runs'][name]['clean_test_last'] == pytest.approx(last)
    assert f'| {got["pick"]} **picked** |' in proc.stdout


def test_bad_runs_are_refused(runs, tmp_path):
    for args, message in (([f'a={runs[0]}',
                            f'a={runs[1]}'], 'the run names must differ'),
                          ([str(tmp_path)], 'give NAME=WORK_DIR'),
                          ([f'a={tmp_path}'], 'expected the one config')):
        proc = run_python(
            [sys.executable, 'tools/benchmarks/holdout_select.py', *args],
            cwd=ROOT,
            text=True)
        assert proc.returncode != 0 and message in proc.stderr, proc.stderr
    cfg = hs.run_config(runs[0])
    cfg.train_dataloader.dataset.dataset.indices = None
    with pytest.raises(SystemExit, match='indices=None'):
        hs.heldout_dataset(cfg, 8)
    with pytest.raises(SystemExit, match='--images must be >= 1'):
        hs.heldout_dataset(hs.run_config(runs[0]), 0)
