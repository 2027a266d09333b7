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
    # the report's effect of the fix is that of the written file
    assert report['wrong_before'] == int(noisy.sum())
    assert report['wrong_after'] == int((fixed != clean).sum())
    assert report['broken'] == int(((fixed != clean) & ~noisy).sum())
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


THR_CFG = 'configs/aum/aum-threshold_smallcnn_1xb64-30e_digits-sym40.py'


@pytest.fixture(scope='module')
def threshold_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp('thr')
    dirs = []
    for k in (0, 1):
        wd = str(root / f'thr{k}')
        check(
            run([
                sys.executable, 'tools/train.py', THR_CFG, '--work-dir', wd,
                '--cfg-options', 'train_cfg.max_epochs=3',
                f'train_dataloader.dataset.threshold_set={k}'
            ]))
        dirs.append(wd)
    return dirs


def _official_verdict(dirs, epochs=None):
    """The official rule re-derived: per run AUM_WTR = mean over threshold
    samples of [AUM_i < AUM_t] > 0.01; kept = ceil(1 - bad / judged runs),
    so flagged = flagged by every run that judged the sample. ``epochs``:
    the AUM of the first epochs, written out from the margins."""
    from lnl_mm.evaluation import load_epoch_records
    bad = np.zeros(1347)
    counts = np.zeros(1347)
    for wd in dirs:
        records = load_epoch_records(wd)
        use = sorted(records)[:epochs]
        margins = []
        for e in use:
            order = np.argsort(records[e]['sample_idx'])
            margins.append(np.asarray(records[e]['margin'], float)[order])
        aum = np.mean(margins, axis=0)
        thr = np.asarray(
            _json(osp.join(
                wd, 'noise_manifest.json'))['threshold_samples']['indices'])
        is_thr = np.zeros(1347, dtype=bool)
        is_thr[thr] = True
        wtr = (aum[:, None] < aum[is_thr][None, :]).mean(1) > 0.01
        counts += ~is_thr
        bad += wtr * ~is_thr
    return np.ceil(1 - bad / np.maximum(counts, 1)) == 0


def _json(path):
    with open(path) as f:
        return json.load(f)


def test_aum_with_two_threshold_sample_runs(threshold_runs, tmp_path):
    from lnl_mm.datasets import NoisyLabelDataset
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/find_label_issues.py',
            *threshold_runs, '--method', 'aum', '--out-dir',
            str(tmp_path), '--write-labels',
            str(tmp_path / 'fixed.npy')
        ])).stdout
    assert 'num_not_judged 0' in out
    report = _json(tmp_path / 'label_issues.json')
    assert [t['threshold_set'] for t in report['threshold_samples']] == [0, 1]
    assert all(t['num'] == 1347 // 11 for t in report['threshold_samples'])
    with open(tmp_path / 'label_issues.csv') as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r['sample_idx']))
    assert len(rows) == 1347
    flagged = np.array([r['flagged'] == '1' for r in rows])
    assert np.array_equal(flagged, _official_verdict(threshold_runs))
    assert 0 < flagged.sum() < 1347
    # the given labels are the noisy set's, never the extra class
    noisy = NoisyLabelDataset(
        dataset=dict(type='SklearnDigits', split='train'),
        noise=dict(type='symmetric', rate=0.4),
        seed=0).noisy_labels
    assert [r['given'] for r in rows] == [str(c) for c in noisy]
    assert {r['suggested'] for r in rows} <= {str(c) for c in range(10)}
    fixed = np.load(tmp_path / 'fixed.npy')
    assert fixed.max() < 10
    assert np.array_equal(fixed[~flagged], noisy[~flagged])


def test_aum_of_the_first_epochs(threshold_runs, tmp_path):
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/find_label_issues.py',
            *threshold_runs, '--method', 'aum', '--aum-epochs', '2',
            '--out-dir',
            str(tmp_path)
        ])).stdout
    assert 'aum_epochs 2' in out
    assert _json(tmp_path / 'label_issues.json')['aum_epochs'] == 2
    with open(tmp_path / 'label_issues.csv') as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r['sample_idx']))
    flagged = np.array([r['flagged'] == '1' for r in rows])
    assert np.array_equal(flagged, _official_verdict(threshold_runs, 2))
    assert not np.array_equal(flagged, _official_verdict(threshold_runs))
    for bad, message in ((['--aum-epochs',
                           '4'], 'not all of 1..4'), (['--aum-epochs',
                                                       '0'], 'int >= 1')):
        proc = run([
            sys.executable, 'tools/analysis_tools/find_label_issues.py',
            *threshold_runs, '--method', 'aum', *bad
        ])
        assert proc.returncode != 0 and message in proc.stderr, proc.stderr


def test_one_threshold_run_leaves_its_threshold_samples_unjudged(
        threshold_runs, tmp_path):
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/find_label_issues.py',
            threshold_runs[0], '--method', 'aum', '--out-dir',
            str(tmp_path)
        ])).stdout
    assert f'num_not_judged {1347 // 11}' in out
    with open(tmp_path / 'label_issues.csv') as f:
        assert sum(1 for _ in csv.DictReader(f)) == 1347 - 1347 // 11
    proc = run([
        sys.executable, 'tools/analysis_tools/find_label_issues.py',
        threshold_runs[0], '--method', 'aum', '--out-dir',
        str(tmp_path), '--write-labels',
        str(tmp_path / 'x.npy')
    ])
    assert proc.returncode != 0
    assert 'threshold samples of every run' in proc.stderr
    proc = run([
        sys.executable, 'tools/analysis_tools/find_label_issues.py',
        *threshold_runs, '--method', 'aum', '--aum-threshold', '0'
    ])
    assert proc.returncode != 0
    assert '--aum-threshold: these runs have threshold samples' in proc.stderr


def test_kfold_folds_as_ray_tasks_equal_the_folds_in_turn(kfold, tmp_path):
    wd = str(tmp_path / 'ray')
    out = check(
        run([
            sys.executable, 'tools/analysis_tools/kfold_predict.py', CFG,
            '--folds', '2', '--seed', '1', '--work-dir', wd, '--address',
            'local', '--cfg-options', 'train_cfg.max_epochs=1',
            'train_dataloader.dataset.noise.rate=0.3'
        ])).stdout
    assert out.count('(Ray task)') == 2 and out.count('finished') == 2
    # the same trainings; Ray runs a 1-CPU task with one intra-op thread,
    # so float32 sums may be ordered differently (seen: a few 1e-7)
    ray_probs = np.load(osp.join(wd, 'pred_probs.npy'))
    probs = np.load(osp.join(kfold, 'pred_probs.npy'))
    assert np.allclose(ray_probs, probs, rtol=0, atol=1e-5)
    assert np.array_equal(ray_probs.argmax(1), probs.argmax(1))
