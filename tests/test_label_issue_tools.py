# Copyright (c) lnl_mm contributors. All rights reserved.
"""kfold_predict.py and find_label_issues.py: out-of-sample predictions,
the ranked CSV, the detection report, the cleaned label file read back by
from_file; AUM from a run's records."""
import csv
import json
import os.path as osp
import sys

import numpy as np
import pytest
from test_tools import check, run  # noqa: I100

CFG = 'configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py'
# a noise rate of its own: find_label_issues.py must apply kfold.json's
# cfg-options to the config to get the scored labels back
NOISE = dict(type='symmetric', rate=0.3)


@pytest.fixture(scope='module')
def kfold(tmp_path_factory):
    wd = str(tmp_path_factory.mktemp('kfold'))
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/kfold_predict.py', CFG,
            '--folds', '2', '--seed', '1', '--work-dir', wd, '--cfg-options',
            'train_cfg.max_epochs=1', 'train_dataloader.dataset.noise.rate=0.3'
        ])).stdout
    assert out.count('training in') == 2
    return wd


def test_kfold_predictions_are_out_of_sample(kfold):
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS

    import lnl_mm  # noqa: F401
    init_default_scope('mmpretrain')
    probs = np.load(osp.join(kfold, 'pred_probs.npy'))
    folds = np.load(osp.join(kfold, 'folds.npy'))
    assert probs.shape == (1347, 10)
    assert np.allclose(probs.sum(1), 1, atol=1e-5)
    for k in range(2):
        with np.load(osp.join(kfold, f'fold_{k}', 'pred.npz')) as pred:
            predicted = set(pred['sample_idx'].tolist())
        # the samples fold k's model trained on
        train = DATASETS.build(
            dict(
                type='HoldoutSplitDataset',
                dataset=dict(
                    type='NoisyLabelDataset',
                    dataset=dict(type='SklearnDigits', split='train'),
                    noise=NOISE),
                split='train',
                num_folds=2,
                fold=k,
                seed=1))
        trained = {
            train.get_data_info(i)['sample_idx']
            for i in range(len(train))
        }
        assert predicted == set(np.flatnonzero(folds == k).tolist())
        assert not predicted & trained
    # a rerun reuses the finished folds
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/kfold_predict.py', CFG,
            '--folds', '2', '--seed', '1', '--work-dir', kfold,
            '--cfg-options', 'train_cfg.max_epochs=1',
            'train_dataloader.dataset.noise.rate=0.3'
        ])).stdout
    assert 'training in' not in out


def test_find_fix_and_read_back(kfold, tmp_path):
    labels = str(tmp_path / 'fixed.npy')
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/find_label_issues.py', kfold,
            '--out-dir',
            str(tmp_path), '--write-labels', labels, '--top', '8'
        ])).stdout
    assert 'precision' in out and 'auroc' in out
    report = json.loads((tmp_path / 'label_issues.json').read_text())
    with open(tmp_path / 'label_issues.csv') as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1347 and [int(r['rank'])
                                  for r in rows[:3]] == [1, 2, 3]
    scores = [float(r['score']) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert sum(int(r['flagged']) for r in rows) == report['num_flagged'] > 0
    assert set(rows[0]) == {
        'rank', 'sample_idx', 'path', 'given', 'suggested', 'score', 'flagged',
        'method'
    }
    assert osp.getsize(tmp_path / 'label_issues.png') > 0
    # the detection report against the clean labels, recomputed here
    given = np.load(osp.join(kfold, 'given.npy'))
    clean = np.load(osp.join(kfold, 'clean.npy'))
    flagged = np.zeros(1347, bool)
    flagged[[int(r['sample_idx']) for r in rows if r['flagged'] == '1']] = 1
    noisy = given != clean
    assert report['precision'] == pytest.approx(
        (flagged & noisy).sum() / flagged.sum())
    assert report['recall'] == pytest.approx(
        (flagged & noisy).sum() / noisy.sum())
    # the cleaned labels: flagged replaced by the suggestion, read back by
    # from_file as a training set's noisy labels
    fixed = np.load(labels)
    suggested = {int(r['sample_idx']): r['suggested'] for r in rows}
    for i in range(1347):
        want = int(suggested[i]) if flagged[i] else int(given[i])
        assert fixed[i] == want
    from lnl_mm.datasets import NoisyLabelDataset
    back = NoisyLabelDataset(
        dataset=dict(type='SklearnDigits', split='train'),
        noise=dict(type='from_file', path=labels))
    assert np.array_equal(back.noisy_labels, fixed)


def test_aum_from_a_runs_records(kfold, tmp_path):
    run_dir = osp.join(kfold, 'fold_0')  # a run with per-epoch records
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/find_label_issues.py',
            run_dir, '--method', 'aum', '--out-dir',
            str(tmp_path)
        ])).stdout
    assert 'method aum' in out
    with open(tmp_path / 'label_issues.csv') as f:
        rows = list(csv.DictReader(f))
    assert {r['method'] for r in rows} == {'aum'}
    assert len(rows) == 1347 - int(
        (np.load(osp.join(kfold, 'folds.npy')) == 0).sum())
    # flagged: AUM < 0, i.e. score (= -AUM) > 0
    assert all((float(r['score']) > 0) == (r['flagged'] == '1') for r in rows)


def test_bad_inputs(kfold, tmp_path):
    proc = run([
        sys.executable, 'tools/analysis_tools/find_label_issues.py', kfold,
        '--write-labels',
        str(tmp_path / 'x.csv')
    ])
    assert proc.returncode != 0 and 'must name a .npy file' in proc.stderr
    proc = run([
        sys.executable, 'tools/analysis_tools/kfold_predict.py', CFG,
        '--folds', '1'
    ])
    assert proc.returncode != 0 and '--folds must be >= 2' in proc.stderr
