# Copyright (c) lnl_mm contributors. All rights reserved.
"""The benchmark protocol's method table, grid runner and results table."""
import glob
import json
import os.path as osp
import subprocess
import sys
from pathlib import Path

import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(ROOT, 'tools', 'benchmarks'))
import benchmark_grid as bg  # noqa: E402
import benchmark_methods as bm  # noqa: E402
import benchmark_table as bt  # noqa: E402
import epoch_cost as ec  # noqa: E402
from idx_fixture import write_mnist_fixture  # noqa: E402
from tool_runner import run_python  # noqa: E402


def test_every_method_has_its_leaf_for_every_setting():
    for m in bm.METHODS:
        for noise in bm.NOISES:
            assert osp.exists(osp.join(ROOT, m.leaf(noise))), (m.key, noise)
    assert len({m.key for m in bm.METHODS}) == len(bm.METHODS)
    assert {
        'ce', 'nfl', 'ngce', 'nce-agce', 'gls-warmup', 'sln-mo-lc',
        'l2rw-clamp', 'mwnet', 'metadynamic', 'coteaching', 'jocor',
        'dividemix', 'elr', 'elr-plus', 'sop', 'forward-correction'
    } <= set(bm.BY_KEY)


def test_every_robust_loss_has_a_preset_in_every_setting():
    from lnl_mm.models.losses.presets import loss_preset
    losses = [m for m in bm.METHODS if m.family == 'robust loss']
    assert len(losses) == len(bm.LOSSES)
    for m in losses:
        for noise in bm.NOISES:
            _, opts = m.run_options(noise)
            cfg, provenance = loss_preset(
                opts['model.head.loss.loss'], 'mnist',
                opts['model.head.loss.source'],
                opts.get('model.head.loss.noise', 'sym'))
            assert cfg['type'] and provenance.startswith(
                opts['model.head.loss.source']), (m.key, noise)
    assert bm.BY_KEY['rce'].options['model.head.loss.source'] == 'apl_code'
    # SCE takes its own paper's MNIST alpha 0.01, beta 1 (in the APL code)
    sce = bm.BY_KEY['sce'].options
    assert sce['model.head.loss.source'] == 'apl_code'
    cfg, _ = loss_preset('SCE', 'mnist', sce['model.head.loss.source'])
    assert (cfg['alpha'], cfg['beta']) == (0.01, 1.0)
    # the APL and SCE papers' losses take their MNIST values (the APL
    # code's), the others the ALFs code's
    apl = {
        m.key
        for m in bm.METHODS
        if m.options.get('model.head.loss.source') == 'apl_code'
    }
    assert apl == {
        'rce', 'sce', 'nfl', 'nce-rce', 'nfl-mae', 'nfl-rce', 'ngce-mae',
        'ngce-rce'
    }
    # ... except where a selection on held-out noisy labels picked the other
    # code's value: every committed selection file's pick is the method's
    # source (no pick: its own paper's)
    selections = glob.glob(
        osp.join(ROOT, 'docs', 'results', 'benchmark_presets', 'selection',
                 '*-sym80-seed0.json'))
    assert len(selections) >= 4
    for path in selections:
        key = osp.basename(path)[:-len('-sym80-seed0.json')]
        with open(path) as f:
            pick = json.load(f)['pick']
        opts = bm.BY_KEY[key].options
        own = bm.own_paper_source(opts['model.head.loss.loss'])
        assert opts['model.head.loss.source'] == (pick or own), key
    assert bm.HELDOUT_PICKS == {
        'NCE': 'alfs_code',
        'NGCE': 'alfs_code',
        'NCE+MAE': 'alfs_code'
    }
    cases = [
        ('nce', dict(scale=1.0)),
        ('ngce', dict(q=0.7)),
        ('nce-rce', dict(alpha=1.0, beta=10.0)),
        ('nfl-rce', dict(alpha=1.0, beta=10.0)),
        ('agce', dict(a=4.0, q=0.2)),
        ('mae', dict(scale=2.0)),
    ]
    for key, values in cases:
        opts = bm.BY_KEY[key].options
        cfg, _ = loss_preset(opts['model.head.loss.loss'], 'mnist',
                             opts['model.head.loss.source'])
        assert {k: cfg[k] for k in values} == values, (key, cfg)


def _leaf_value(cfg, key):
    """``cfg``'s value at a dotted ``--cfg-options`` key (None if absent)."""
    node = cfg
    for part in key.split('.'):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def test_every_committed_record_ran_with_its_methods_current_options():
    """A changed preset or option leaves the records run before it stale
    (as NCE's and NCE+RCE's were when the APL losses took their paper's
    values): every record of the table must have run with the noise and the
    options its method runs now; an option a record does not list is its
    leaf config's value. Records copied from the earlier two-network grid
    (``source``) list no options and ran their method's leaf as it is."""
    leaves, stale = {}, []
    records = glob.glob(osp.join(ROOT, bg.RECORDS, '*', '*', 'seed*.json'))
    assert records
    for path in sorted(records):
        with open(path) as f:
            rec = json.load(f)
        if 'source' in rec:
            continue
        fragment, opts = bm.BY_KEY[rec['method']].run_options(rec['noise'])
        if rec['noise_fragment'] != fragment:
            stale.append((path, 'noise', rec['noise_fragment'], fragment))
        given = dict(o.split('=', 1) for o in rec['options'])
        if rec['config'] not in leaves:
            leaves[rec['config']] = Config.fromfile(
                osp.join(ROOT, rec['config'])).to_dict()
        for key, value in opts.items():
            ran = given.get(key, _leaf_value(leaves[rec['config']], key))
            if str(ran) != str(value):
                stale.append((osp.relpath(path, ROOT), key, ran, value))
    assert not stale, stale


def test_run_options_follow_the_setting():
    jocor = bm.BY_KEY['jocor']
    # own leaves at sym80 and asym40: no fragment; the forget rate is the
    # setting's noise rate, the flipped share at asym40
    assert jocor.run_options('sym80') == (None, {'model.forget_rate': 0.8})
    assert jocor.run_options('asym40') == (None, {'model.forget_rate': 0.2})
    assert jocor.leaf('asym40').endswith('fashionmnist-asym40.py')
    assert jocor.run_options('inst40') == ('instance40', {
        'model.forget_rate': 0.4
    })
    assert jocor.leaf('inst40').endswith('fashionmnist-sym80.py')
    gce = bm.BY_KEY['gce']
    assert gce.run_options('asym40') == ('asym40_mnist', {
        'model.head.loss.loss': 'GCE',
        'model.head.loss.source': 'alfs_code',
        'model.head.loss.noise': 'asym'
    })
    assert gce.run_options('sym40') == ('sym40', {
        'model.head.loss.loss': 'GCE',
        'model.head.loss.source': 'alfs_code'
    })
    assert bm.BY_KEY['ce'].run_options(bm.CLEAN) == (None, {
        'model.head.loss.loss':
        'CE',
        'model.head.loss.source':
        'alfs_code',
        'train_dataloader.dataset.noise.rate':
        0.0
    })
    assert bm.BY_KEY['mwnet'].clean_data and bm.BY_KEY['dividemix'].views


def test_grid_runs_ray_trials_writes_result_files_and_skips_them(tmp_path):
    write_mnist_fixture(tmp_path)
    fix = str(tmp_path)
    args = [
        sys.executable, 'benchmark_grid.py', '--methods', 'ce', '--noise',
        'sym80', '--seeds', '0', '--work-root',
        str(tmp_path / 'runs'), '--records',
        str(tmp_path / 'records'), '--max-concurrent', '1', '--cfg-options',
        f'train_dataloader.dataset.dataset.data_root={fix}',
        f'val_dataloader.dataset.data_root={fix}',
        f'test_dataloader.dataset.data_root={fix}',
        'train_dataloader.dataset.dataset.indices=None',
        'train_cfg.max_epochs=1', 'param_scheduler.T_max=1'
    ]
    cwd = osp.join(ROOT, 'tools', 'benchmarks')

    def grid(*extra):
        return run_python(args + list(extra), cwd=cwd, text=True)

    out = grid()
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert '1 run(s) to do' in out.stdout
    path = tmp_path / 'records' / 'ce' / 'sym80' / 'seed0.json'
    rec = json.loads(path.read_text())
    assert rec['method'] == 'ce' and rec['noise'] == 'sym80'
    assert 0 <= rec['last'] <= 100 and rec['wall_seconds'] > 0
    assert 'randomness.seed=0' in rec['options']
    assert rec['noise_fragment'] == 'sym80' and rec['resumed'] is False
    run = tmp_path / 'runs' / 'ce' / 'sym80' / 'seed0'
    assert json.loads((run / 'noise_manifest.json').read_text())
    summary = json.loads((run / 'summary.json').read_text())
    # the run's course travels with its result file
    assert rec['curve_epochs'] == [1] and rec['best_epoch'] == 1
    assert rec['curve'] == [round(summary['last'], 2)]
    dynamics = json.loads((run / 'training_dynamics.json').read_text())
    assert rec['dynamics_epochs'] == [1]
    assert rec['memorized'] == [round(dynamics[0]['noisy_memorized'], 4)]
    assert 0 <= rec['clean_fit'][0] <= 1 and 'last_diagnostics' not in rec
    again = grid()
    assert again.returncode == 0 and '0 run(s) to do' in again.stdout
    # a result file written before the curves were kept gets them back
    path.write_text(
        json.dumps({
            k: v
            for k, v in rec.items() if k not in bg.dynamics_values(str(run))
        }))
    dry = grid('--backfill', '--dry-run')
    assert '1 result file(s) would gain their curves' in dry.stdout
    assert 'curve' not in json.loads(path.read_text())
    filled = grid('--backfill')
    assert filled.returncode == 0, filled.stderr[-3000:]
    assert '1 result file(s) gained their curves' in filled.stdout
    assert json.loads(path.read_text()) == rec
    bad = run_python([
        sys.executable, 'benchmark_grid.py', '--methods', 'jocor', '--noise',
        'clean', '--dry-run'
    ],
                     cwd=cwd,
                     text=True)
    assert bad.returncode != 0 and 'add ce to --methods' in bad.stderr


def _record(root, method, noise, seed, last, mean):
    path = root / method / noise / f'seed{seed}.json'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(last=last, mean_last=mean, best=last + 1)))


def test_table_numbers_from_result_files(tmp_path):
    _record(tmp_path, 'ce', 'clean', 0, 90.0, 89.0)
    _record(tmp_path, 'ce', 'clean', 1, 92.0, 91.0)
    _record(tmp_path, 'ce', 'sym80', 0, 20.0, 21.0)
    _record(tmp_path, 'jocor', 'sym80', 0, 80.0, 80.5)
    _record(tmp_path, 'jocor', 'sym80', 1, 84.0, 83.5)
    _record(tmp_path, 'ce', 'asym40', 0, 70.0, 70.0)
    _record(tmp_path, 'jocor', 'asym40', 0, 80.0, 80.0)
    (tmp_path / 'epoch_cost.json').write_text(
        json.dumps({
            'methods': {
                'jocor': {
                    'ratio': 2.0,
                    'seconds': 20.0
                },
                'ce-x': {
                    'ratio': 1.0,
                    'unsteady': True
                }
            }
        }))
    assert bt.unsteady_costs(str(tmp_path)) == {'ce-x'}
    text = bt.table(
        bt.load(str(tmp_path)), seeds=2, cost=bt.cost_ratios(str(tmp_path)))
    marked = bt.table(
        bt.load(str(tmp_path)),
        seeds=2,
        cost=bt.cost_ratios(str(tmp_path)),
        unsteady={'jocor'})
    assert '| 2.00† |' in marked and '| 2.00† |' not in text
    rows = {
        line.split('|')[1].strip(): line
        for line in text.splitlines() if line.startswith('|')
    }
    assert 'clean: 91.00 ± 1.00 (90.00)' in rows['**CE on clean labels**'
                                                 ' (reference)']
    jocor = [c.strip() for c in rows['jocor'].split('|')[1:-1]]
    # sym80 column, share of clean CE (82 / 91), epoch over CE's
    assert jocor[3] == '82.00 ± 2.00 (82.00)'
    assert jocor[6] == f'{100 * 82 / 91:.1f} %' and jocor[-1] == '2.00'
    ce = [c.strip() for c in rows['ce'].split('|')[1:-1]]
    assert ce[3] == '20.00 (21.00), 1 seed' and ce[2] == '–'
    assert ce[-1] == '1.00'
    assert bt.cost_ratios(str(tmp_path / 'none')) == {}
    assert 'mwnet' not in rows  # no result file, no row ...
    missing = text.splitlines()[-1]  # ... but named below the table
    assert missing.startswith('Not run yet (no cell): ') and 'mwnet' in missing
    assert 'jocor' not in missing and text.splitlines()[-2] == ''
    assert len(bt.not_run(bt.load(str(tmp_path)))) == len(bm.METHODS) - 2
    bt.plot(bt.load(str(tmp_path)), str(tmp_path / 'fig.png'))
    assert (tmp_path / 'fig.png').stat().st_size > 10000
    with pytest.raises(SystemExit, match='no result files'):
        sys.argv = ['benchmark_table.py', '--records', str(tmp_path / 'no')]
        bt.main()


def test_train_throughput_prints_both_loops_and_the_ratio(tmp_path):
    write_mnist_fixture(tmp_path)
    out = run_python([
        sys.executable, 'tools/benchmarks/train_throughput.py', '--images',
        '128', '--epochs', '2', '--rounds', '1', '--data-root',
        str(tmp_path)
    ],
                     cwd=ROOT,
                     text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [line for line in out.stdout.splitlines() if line.startswith('|')]
    assert rows[2].startswith('| plain PyTorch |')
    assert rows[3].startswith('| tools/train.py (MMEngine), default_collate |')
    assert rows[4].startswith('| the same runner, pseudo_collate |')
    ratio = float(rows[3].split('|')[3])
    assert float(rows[4].split('|')[3]) > 0
    assert ratio > 0 and f'ratio {ratio:.2f}' in out.stdout


def test_epoch_cost_times_methods_between_ce_epochs(tmp_path):
    fix = write_mnist_fixture(tmp_path, 128, 20)
    out_file = tmp_path / 'cost.json'
    out = run_python([
        sys.executable, 'epoch_cost.py', '--methods', 'gce', 'sln-mo-lc',
        '--ce-every', '1', '--data-root', fix, '--images', '0', '--out',
        str(out_file)
    ],
                     cwd=osp.join(ROOT, 'tools', 'benchmarks'),
                     text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [line for line in out.stdout.splitlines() if line.startswith('|')]
    assert [r.split('|')[1].strip() for r in rows[2:]] == ['gce', 'sln-mo-lc']
    got = json.loads(out_file.read_text())
    assert got['noise'] == 'sym80' and got['epochs'] == 2
    assert got['timed'] == 1
    assert got['ce_every'] == 1 and 'torch' in got
    assert got['extra_options'] == {} and got['scale'] == {
        'data_root': fix,
        'images': 0
    }
    for key in ('gce', 'sln-mo-lc'):
        m = got['methods'][key]
        assert m['seconds'] > 0 and m['ce_seconds'] > 0
        # Both times are stored rounded to 1 ms and the ratio from the
        # unrounded ones: on a tiny fixture (tens of ms an epoch) the
        # rounding alone moves the quotient by more than 1 %.
        s, c, half = m['seconds'], m['ce_seconds'], 0.0005
        assert (s - half) / (c + half) - half <= m['ratio']
        assert m['ratio'] <= (s + half) / (c - half) + half
        assert m['ce_seconds'] == pytest.approx(
            sum(m['ce_epochs']) / 2, abs=0.002)
        assert isinstance(m['unsteady'], bool)
    assert bt.cost_ratios(str(tmp_path)) == {}  # not the default file name
    again = run_python([
        sys.executable, 'epoch_cost.py', '--methods', 'gce', '--data-root',
        fix, '--images', '0', '--ce-every', '1', '--out',
        str(out_file), '--update'
    ],
                       cwd=osp.join(ROOT, 'tools', 'benchmarks'),
                       text=True)
    assert again.returncode == 0, again.stderr[-3000:]
    kept = json.loads(out_file.read_text())['methods']
    assert set(kept) == {'gce', 'sln-mo-lc'}
    assert kept['sln-mo-lc'] == got['methods']['sln-mo-lc']
    bad = run_python([sys.executable, 'epoch_cost.py', '--epochs', '1'],
                     cwd=osp.join(ROOT, 'tools', 'benchmarks'),
                     text=True)
    assert bad.returncode != 0 and '--epochs must be >= 2' in bad.stderr
    # an update measured another way is refused before anything is timed
    other = run_python([
        sys.executable, 'epoch_cost.py', '--methods', 'gce', '--epochs', '3',
        '--data-root', fix, '--images', '0', '--ce-every', '1', '--out',
        str(out_file), '--update', '--cfg-options', 'train_dataloader.'
        'batch_size=64'
    ],
                       cwd=osp.join(ROOT, 'tools', 'benchmarks'),
                       text=True)
    assert other.returncode != 0
    assert 'was measured another way (epochs: 2 there, 3 here; ' \
        "extra_options: {} there, {'train_dataloader.batch_size': 64} " \
        'here)' in other.stderr


def test_epoch_cost_flags_a_bracket_whose_ce_epochs_disagree():
    steady = ec.entry(20.0, 10.0, 10.9)
    assert steady['ratio'] == pytest.approx(20 / 10.45, abs=1e-3)
    assert steady['ce_spread'] == pytest.approx(0.9 / 10.45, abs=1e-3)
    assert steady['unsteady'] is False
    assert ec.entry(20.0, 10.0, 11.2)['unsteady'] is True  # 11 % apart
    assert ec.entry(20.0, 11.2, 10.0)['unsteady'] is True
    with pytest.raises(SystemExit, match='--update needs --out'):
        ec.kept_methods(None, {})


def test_epoch_cost_keeps_the_fastest_timed_epoch(tmp_path):
    # the fastest of the last `timed` epochs, wherever it is among them;
    # the first epoch holds the warm-ups and is never timed
    assert ec.fastest([30.0, 11.0, 12.0, 15.4], 2) == 12.0
    assert ec.fastest([30.0, 11.0, 12.0, 15.4], 3) == 11.0
    assert ec.fastest([5.0, 12.0, 15.4], 2) == 12.0
    assert ec.fastest([30.0, 12.0, 15.4], 1) == 15.4
    with pytest.raises(ValueError, match='timed=3: time 1 to 2 of 3 epochs'):
        ec.fastest([30.0, 12.0, 15.4], 3)
    # a file from before --timed timed one epoch: it updates with
    # --timed 1 and refuses --timed 2
    header = dict(
        noise='sym80',
        epochs=3,
        threads=1,
        ce_every=4,
        extra_options={},
        scale={},
        torch='2',
        cpu='x')
    old = tmp_path / 'cost.json'
    old.write_text(json.dumps(dict(header, methods={'gce': {}})))
    assert ec.kept_methods(str(old), dict(header, timed=1)) == {'gce': {}}
    with pytest.raises(
            SystemExit,
            match=r'timed: 1 \(the file predates --timed\) there, 2 here'):
        ec.kept_methods(str(old), dict(header, timed=2))


def test_epoch_cost_times_every_run_with_the_timed_epochs(
        tmp_path, monkeypatch):
    calls = []

    def fake(method, epochs, extra, timed, **data):
        calls.append((method.key, epochs, timed))
        return 10.0

    monkeypatch.setattr(ec, 'time_steady_epoch', fake)
    out = tmp_path / 'cost.json'
    monkeypatch.setattr(sys, 'argv', [
        'epoch_cost.py', '--methods', 'gce', '--epochs', '3', '--timed', '2',
        '--out',
        str(out)
    ])
    ec.main()
    # the untimed CE run, the two CE brackets and the method: all with
    # --epochs 3 --timed 2
    assert calls == [('ce', 3, 2), ('ce', 3, 2), ('gce', 3, 2), ('ce', 3, 2)]
    assert json.loads(out.read_text())['timed'] == 2
    monkeypatch.setattr(sys, 'argv',
                        ['epoch_cost.py', '--epochs', '3', '--timed', '3'])
    with pytest.raises(
            SystemExit, match='--timed 3: time 1 to --epochs - 1 = 2 epochs'):
        ec.main()


def test_scale_options_reach_every_idx_dataset_and_scheduler():
    ce = osp.join(ROOT, bm.BY_KEY['ce'].leaf('sym80'))
    assert bm.scale_options(ce) == {}
    got = bm.scale_options(ce, '/data', 0, 50)
    assert got == {
        'train_dataloader.dataset.dataset.data_root': '/data',
        'train_dataloader.dataset.dataset.indices': None,
        'val_dataloader.dataset.data_root': '/data',
        'test_dataloader.dataset.data_root': '/data',
        'train_cfg.max_epochs': 50,
        'param_scheduler.T_max': 50
    }
    # the meta protocol: the split's inner dataset, the meta loader, and
    # one scheduler list per optimizer
    mw = bm.scale_options(
        osp.join(ROOT, bm.BY_KEY['mwnet'].leaf('sym80')),
        images=5000,
        epochs=50)
    assert mw == {
        'train_dataloader.dataset.dataset.dataset.indices': 5000,
        'train_cfg.meta_dataloader.dataset.dataset.indices': 5000,
        'train_cfg.max_epochs': 50,
        'param_scheduler.model.0.T_max': 50
    }
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(ROOT, bm.BY_KEY['mwnet'].leaf('sym80')))
    cfg.merge_from_dict(mw)
    assert cfg.param_scheduler.model[0].T_max == 50
    assert cfg.train_cfg.meta_dataloader.dataset.dataset.indices == 5000
    bad = run_python([
        sys.executable, 'benchmark_grid.py', '--methods', 'ce', '--epochs',
        '0', '--dry-run'
    ],
                     cwd=osp.join(ROOT, 'tools', 'benchmarks'),
                     text=True)
    assert bad.returncode != 0 and '--epochs 0' in bad.stderr
    mixed = run_python([
        sys.executable, 'benchmark_grid.py', '--methods', 'ce', '--epochs',
        '2', '--records',
        osp.join(ROOT, 'docs', 'results', 'benchmark'), '--dry-run'
    ],
                       cwd=osp.join(ROOT, 'tools', 'benchmarks'),
                       text=True)
    assert mixed.returncode != 0 and 'folder of its own' in mixed.stderr


def test_gpu_full_protocol_script_runs_the_grid_at_full_scale(tmp_path):
    import os
    env = dict(
        os.environ,
        # relative, as ``PYTHON=.venv/bin/python``: must survive the cd
        PYTHON=osp.relpath(sys.executable, ROOT),
        DATA_ROOT=write_mnist_fixture(tmp_path, 20, 10),
        EPOCHS='1',
        TRIALS='1',
        OUT=str(tmp_path / 'out'))
    out = subprocess.run([
        'bash',
        osp.join(ROOT, 'tools', 'benchmarks', 'gpu_full_protocol.sh'),
        '--methods', 'ce', 'mwnet', '--dry-run'
    ],
                         env=env,
                         cwd=ROOT,
                         capture_output=True,
                         text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    # ce at sym80, asym40 and clean; mwnet at sym80 and asym40
    assert '5 run(s) to do' in out.stdout
    cmds = [line for line in out.stdout.splitlines() if 'train.py' in line]
    assert len(cmds) == 5
    for cmd in cmds:
        assert 'train_cfg.max_epochs=1' in cmd
        assert f'data_root={tmp_path}' in cmd and 'indices=None' in cmd
    assert 'train_cfg.meta_dataloader.dataset.dataset.indices=None' in \
        cmds[-1]


def test_a_record_names_the_commit_the_run_started_from(tmp_path, monkeypatch):
    repo = tmp_path / 'repo'
    (repo / 'docs' / 'results' / 'benchmark').mkdir(parents=True)
    (repo / 'lnl_mm').mkdir()
    (repo / 'lnl_mm' / 'code.py').write_text('a = 1\n')
    (repo / 'README.md').write_text('x\n')
    (repo / bg.RECORDS / 'r.json').write_text('{}\n')

    def git(*args):
        subprocess.run(['git', *args],
                       cwd=repo,
                       check=True,
                       capture_output=True)

    git('init', '-q')
    git('add', '.')
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x')
    head = subprocess.run(['git', 'rev-parse', 'HEAD'],
                          cwd=repo,
                          text=True,
                          capture_output=True).stdout.strip()
    monkeypatch.setattr(bg, 'ROOT', str(repo))
    assert bg._commit() == head
    (repo / bg.RECORDS / 'r.json').write_text('{"new": 1}\n')
    (repo / 'README.md').write_text('y\n')
    (repo / 'lnl_mm' / 'untracked.py').write_text('x')
    assert bg._commit() == head  # records, docs, untracked files aside
    (repo / 'lnl_mm' / 'code.py').write_text('a = 2\n')
    assert bg._commit() == head + '+dirty'
    real = bg._git
    monkeypatch.setattr(bg, '_git', lambda *a: None
                        if a[0] == 'status' else real(*a))
    assert bg._commit() == head + '+unknown'  # never claimed clean
    monkeypatch.setattr(bg, '_git', real)
    monkeypatch.setattr(bg, 'ROOT', str(tmp_path / 'nowhere'))
    assert bg._commit() == 'unknown'


def _work_dir(root, last, epochs=3, diagnostics=None, memorized=0.1):
    root.mkdir(parents=True)
    history = [dict(epoch=e + 1, value=last - 2 + e) for e in range(epochs)]
    (root / 'summary.json').write_text(
        json.dumps(
            dict(
                last=last,
                mean_last_k=last - 1,
                best=last,
                best_epoch=epochs,
                history=history)))
    (root / 'training_dynamics.json').write_text(
        json.dumps([
            dict(
                epoch=e + 1,
                noisy_memorized=None if memorized is None else memorized * e,
                clean_fit=0.123456,
                noisy_corrected=None if memorized is None else 0.5)
            for e in range(epochs)
        ]))
    if diagnostics is not None:
        (root / 'meta_diagnostics.json').write_text(json.dumps(diagnostics))


def test_dynamics_values_are_the_work_dirs_per_epoch_numbers(tmp_path):
    run = tmp_path / 'run'
    _work_dir(
        run,
        70.0,
        diagnostics=[
            dict(epoch=1, weight_noisy_mean=0.3),
            dict(
                epoch=2,
                weight_noisy_mean=0.123456789,
                n_noisy=7,
                weight_clean_q25=float('nan'))
        ])
    got = bg.dynamics_values(str(run))
    assert got['curve_epochs'] == [1, 2, 3] and got['best_epoch'] == 3
    assert got['curve'] == [68.0, 69.0, 70.0]
    assert got['memorized'] == [0.0, 0.1, 0.2]
    assert got['clean_fit'] == [0.1235] * 3 and got['corrected'] == [0.5] * 3
    assert got['last_diagnostics'] == dict(
        epoch=2, weight_noisy_mean=0.1235, n_noisy=7,
        weight_clean_q25=None)  # the last entry; NaN is not strict JSON
    assert bg.dynamics_values(str(tmp_path / 'gone')) == {}
    assert 'train_scalars' not in got
    # a run that logs a kept training scalar, over two sessions (resumed)
    for stamp, rows in (('20260101_000000', [(1, 0.7), (1, 0.61234567),
                                             (2, 0.65)]),
                        ('20260102_000000', [(2, 0.6), (3, 0.5)])):
        vis = run / stamp / 'vis_data'
        vis.mkdir(parents=True)
        (vis / 'scalars.json').write_text(''.join(
            json.dumps(dict(meta_set_noise_rate=v, epoch=e, loss=1.0)) + '\n'
            for e, v in rows) + json.dumps({'accuracy/top1': 50.0}) + '\n')
    assert bg.dynamics_values(str(run))['train_scalars'] == {
        'meta_set_noise_rate':
        dict(epochs=[1, 2, 3], values=[0.6123, 0.6, 0.5])  # each epoch's last
    }
    # clean labels: no noisy sample, so no memorised share (None, not 0)
    _work_dir(tmp_path / 'clean', 90.0, memorized=None)
    clean = bg.dynamics_values(str(tmp_path / 'clean'))
    assert clean['memorized'] == [None] * 3 and clean['corrected'] == [None
                                                                       ] * 3
    path = tmp_path / 'rec.json'
    bg.write_record(str(path), clean)
    assert json.loads(path.read_text()) == clean


def _specs(tmp_path, lasts):
    specs = []
    for i, last in enumerate(lasts):
        record = tmp_path / 'records' / f'm{i}.json'
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(
            json.dumps(
                dict(last=last, mean_last=last - 1, best=last,
                     method=f'm{i}')))
        specs.append(
            dict(
                work_dir=str(tmp_path / 'runs' / f'm{i}'), record=str(record)))
    return specs


def test_backfill_adds_the_curves_to_the_same_runs_records_only(tmp_path):
    specs = _specs(tmp_path, (70.0, 60.0, 50.0, 40.0))
    _work_dir(tmp_path / 'runs' / 'm0', 70.0)
    # m1's work dir is gone; m2's record has all its values (one of them
    # not the work dir's); m3's work dir is another run (same last epoch,
    # another best)
    _work_dir(tmp_path / 'runs' / 'm2', 50.0)
    full = dict(last=50.0, mean_last=49.0, best=50.0)
    full.update(bg.dynamics_values(str(tmp_path / 'runs' / 'm2')), curve=[1])
    (tmp_path / 'records' / 'm2.json').write_text(json.dumps(full))
    _work_dir(tmp_path / 'runs' / 'm3', 40.0)
    summary = tmp_path / 'runs' / 'm3' / 'summary.json'
    summary.write_text(
        json.dumps(dict(json.loads(summary.read_text()), best=41.0)))
    before = {s['record']: Path(s['record']).read_text() for s in specs}
    assert bg.backfill(specs, write=False)[0] == [specs[0]['record']]
    assert {
        s['record']: Path(s['record']).read_text()
        for s in specs
    } == before
    done, mismatched = bg.backfill(specs)
    assert done == [specs[0]['record']]
    assert len(mismatched) == 1 and 'm3.json' in mismatched[0]
    assert 'best 40.0 vs 41.0' in mismatched[0]
    got = json.loads((tmp_path / 'records' / 'm0.json').read_text())
    assert got['method'] == 'm0' and got['last'] == 70.0
    assert got['curve'] == [68.0, 69.0, 70.0]
    for i in (1, 2, 3):
        assert Path(
            specs[i]['record']).read_text() == before[specs[i]['record']]
    assert bg.backfill(specs)[0] == []  # done once
    # a record with its curves but not a later kept value gains that only
    rec0 = json.loads(Path(specs[0]['record']).read_text())
    Path(specs[0]['record']).write_text(
        json.dumps(dict(rec0, curve=[0.0], memorized=None)))
    assert bg.backfill([specs[0]])[0] == []  # nothing missing
    del rec0['clean_fit']
    Path(specs[0]['record']).write_text(json.dumps(dict(rec0, curve=[0.0])))
    assert bg.backfill([specs[0]])[0] == [specs[0]['record']]
    got = json.loads(Path(specs[0]['record']).read_text())
    assert got['curve'] == [0.0] and got['clean_fit'] == [0.1235] * 3
