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
    # the test pipeline, not the training one (here made to augment)
    cfg.train_dataloader.dataset.dataset.pipeline = [
        dict(type='RandomCrop', crop_size=28, padding=2),
        dict(type='PackNoisyInputs')
    ]
    pipeline = hs.heldout_dataset(cfg, 8)['dataset']['pipeline']
    want = [dict(t) for t in cfg.test_dataloader.dataset.pipeline]
    assert pipeline == want and want[0]['type'] == 'PackInputs'
    # a split between the noisy set and the file (the meta set) is left out
    cfg = hs.run_config(runs[0])
    inner = cfg.train_dataloader.dataset.dataset.to_dict()
    cfg.train_dataloader.dataset.dataset = dict(
        type='MetaSplitDataset', dataset=inner, split='train')
    got = hs.heldout_dataset(cfg, 8)['dataset']
    assert got['type'] == inner['type'] and got['indices'] == list(
        range(64, 72))


def _predicted_accuracy(work_dir, images):
    """Accuracy on the held-out noisy labels, computed here: the model of
    the last checkpoint, the held-out images, its predictions."""
    import torch
    from mmengine.dataset import default_collate
    from mmengine.runner import load_checkpoint
    from mmpretrain.registry import DATASETS, MODELS
    cfg = hs.run_config(work_dir)
    # as the runner builds it: the config's data preprocessor in the model
    model = MODELS.build(
        dict(
            cfg.model.to_dict(),
            data_preprocessor=cfg.data_preprocessor.to_dict()))
    load_checkpoint(model, osp.join(work_dir, 'epoch_1.pth'))
    model.eval()
    held = DATASETS.build(hs.heldout_dataset(cfg, images))
    batch = default_collate([held[i] for i in range(len(held))])
    with torch.no_grad():
        out = model.test_step(batch)
    pred = np.array([o.pred_label.item() for o in out])
    given = np.array([held.get_data_info(i)['gt_label'] for i in range(96)])
    return 100 * float((pred == given).mean())


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
    assert got['pick'] in (max(scores, key=scores.get), None)
    assert got['runs']['a']['heldout_se'] == pytest.approx(
        hs.standard_error(scores['a'], 96), abs=1e-3)
    assert all(0 <= s <= 100 for s in scores.values())
    # the score is the last checkpoint's accuracy on the held-out noisy
    # labels, as computed here from its predictions
    for name, wd in (('a', runs[0]), ('b', runs[1])):
        assert scores[name] == pytest.approx(
            _predicted_accuracy(wd, 96), abs=1e-3)
        with open(osp.join(wd, 'summary.json')) as f:
            last = json.load(f)['last']
        assert got['runs'][name]['clean_test_last'] == pytest.approx(last)
    if got['pick'] is not None:
        assert f'| {got["pick"]} **picked** |' in proc.stdout


def test_no_pick_within_two_standard_errors():

    def run(score, images=10000):
        return dict(
            heldout_noisy=score, heldout_se=hs.standard_error(score, images))

    # NCE's selection: 17.53 against 12.10 is 14 standard errors apart
    assert hs.choose(dict(a=run(17.53), b=run(12.10))) == 'a'
    assert hs.choose(dict(a=run(12.10), b=run(17.53))) == 'b'
    assert hs.standard_error(17.53, 10000) == pytest.approx(0.380, abs=1e-3)
    # 0.8 points apart, two standard errors of the difference are 1.06
    assert hs.choose(dict(a=run(17.5), b=run(16.7))) is None
    assert hs.choose(dict(a=run(17.5))) == 'a'


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
    cfg = hs.run_config(runs[0])
    cfg.train_dataloader.dataset.noise = dict(type='instance', rate=0.4)
    with pytest.raises(SystemExit, match="noise type 'instance' is not"):
        hs.heldout_dataset(cfg, 8)
    with pytest.raises(SystemExit, match='fewer images after'):
        hs.heldout_accuracy(runs[0], 1000)  # the fixture has 160
