# Copyright (c) lnl_mm contributors. All rights reserved.
"""tools/benchmarks/two_network_table.py: records outlive the work dirs."""
import json
import os.path as osp
import sys

import pytest
from tool_runner import run_python  # noqa: I100

sys.path.insert(
    0,
    osp.join(
        osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools',
        'benchmarks'))
import selection_plot as sp  # noqa: E402
import two_network_table as tnt  # noqa: E402


def _fake_run(root, config, noise, seed, last, best, division=None):
    run = root / config / noise / f'seed{seed}'
    (run / '20261201_000000' / 'vis_data').mkdir(parents=True)
    (run / 'summary.json').write_text(
        json.dumps(dict(last=last, mean_last_k=last - 1, best=best)))
    (run / 'grid_done.json').write_text('{}')
    lines = [
        dict(step=1, **{'accuracy/top1': 10.0}),
        dict(
            step=2,
            **{
                'accuracy/top1': last,
                'two_network/net2': last - 2,
                'two_network/mean_prob': last + 1,
            })
    ]
    (run / '20261201_000000' / 'vis_data' /
     'scalars.json').write_text('\n'.join(json.dumps(x) for x in lines) + '\n')
    if division is not None:
        (run / 'division.json').write_text(json.dumps(division))
    return run


def test_records_rebuild_the_table_without_work_dirs(tmp_path):
    work = tmp_path / 'work'
    _fake_run(work, 'ce_cnn4_x', 'sym80', 0, 20.0, 60.0)
    _fake_run(work, 'ce_cnn4_x', 'sym80', 1, 22.0, 62.0)
    _fake_run(work, 'ce_cnn4_x', 'clean', 0, 90.0, 91.0)
    last_div = dict(
        net1=dict(precision=50.0, recall=99.0, labeled=8000),
        net2=dict(precision=52.0, recall=98.0, labeled=7900))
    _fake_run(work, 'dividemix_cnn4_x', 'sym80', 0, 80.0, 81.0,
              [dict(net1={}, net2={}), last_div])
    # an unfinished run (no completion marker) is left out
    (_fake_run(work, 'dividemix_cnn4_x', 'sym80', 1, 5.0, 5.0) /
     'grid_done.json').unlink()
    records = tmp_path / 'records'
    cmd = [
        sys.executable, 'tools/benchmarks/two_network_table.py',
        str(work), '--noise', 'sym80', '--records',
        str(records), '--out',
        str(tmp_path / 'a.md')
    ]
    run_python(cmd, check=True, capture_output=True)
    saved = sorted(
        p.relative_to(records).as_posix() for p in records.rglob('*.json'))
    assert saved == [
        'ce_cnn4_x/clean/seed0.json', 'ce_cnn4_x/sym80/seed0.json',
        'ce_cnn4_x/sym80/seed1.json', 'dividemix_cnn4_x/sym80/seed0.json'
    ]
    dm = json.loads((records / saved[-1]).read_text())
    assert dm['precision_net1'] == 50.0 and dm['labeled_net2'] == 7900
    assert dm['net2'] == 78.0 and dm['mean_prob'] == 81.0
    first = (tmp_path / 'a.md').read_text()
    assert '| CE | 21.00 ± 1.00 | 23.3 % |' in first  # 21 / 90
    assert '| DivideMix | 80.00 ± 0.00 | 88.9 % |' in first
    assert '50.0 / 99.0 % of 8000' in first
    # the work dirs gone, the records give the same table
    import shutil
    shutil.rmtree(work)
    work.mkdir()
    cmd[-1] = str(tmp_path / 'b.md')
    run_python(cmd, check=True, capture_output=True)
    assert (tmp_path / 'b.md').read_text() == first


def test_a_given_clean_accuracy_is_labelled(tmp_path):
    work = tmp_path / 'work'
    _fake_run(work, 'jocor_cnn4_x', 'sym80', 0, 60.0, 70.0)
    out = run_python([
        sys.executable, 'tools/benchmarks/two_network_table.py',
        str(work), '--clean', '90'
    ],
                     check=True,
                     capture_output=True,
                     text=True).stdout
    assert '| JoCoR | 60.00 ± 0.00 | 66.7 % |' in out
    assert 'CE on clean labels: 90.00 (given, --clean)' in out


def test_no_finished_run_fails_clearly(tmp_path):
    proc = run_python([
        sys.executable, 'tools/benchmarks/two_network_table.py',
        str(tmp_path)
    ],
                      capture_output=True,
                      text=True)
    assert proc.returncode != 0
    assert 'no finished sym80 run under' in proc.stderr


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_a_selection_record_gives_its_size_precision_and_recall(tmp_path):

    # 4,000 clean and 16,000 noisy samples; JoCoR kept 75 % of the clean
    # ones and 5 % of the noisy ones: 3,000 + 800 = 3,800 images
    entry = dict(
        n_clean=4000,
        n_noisy=16000,
        selected_clean_mean=0.75,
        selected_noisy_mean=0.05,
        epoch=30)
    got = tnt.selection_values(entry)
    assert got == pytest.approx(
        dict(
            selection_size=3800.0,
            selection_precision=3000 / 3800,
            selection_recall=0.75))
    both = tnt.selection_values(
        dict(
            n_clean=10,
            n_noisy=10,
            selected1_clean_mean=0.5,
            selected1_noisy_mean=0.0,
            selected2_clean_mean=0.0,
            selected2_noisy_mean=0.0))
    assert both['selection_precision_net1'] == 1.0
    assert both['selection_size_net2'] == 0.0
    assert both['selection_precision_net2'] is None  # nothing selected
    # clean labels: the hook writes no noisy statistics
    assert tnt.selection_values(
        dict(n_clean=10, n_noisy=0, selected_clean_mean=0.3)) == dict(
            selection_size=3.0,
            selection_precision=1.0,
            selection_recall=pytest.approx(0.3))
    assert tnt.selection_values(dict(n_clean=0, n_noisy=5)) == {}
    run = _fake_run(tmp_path, 'jocor_cnn4_x', 'sym80', 0, 80.0, 81.0)
    (run / 'meta_diagnostics.json').write_text(json.dumps([{}, entry]))
    values = tnt.run_values(str(run))
    assert values['selection_size'] == 3800.0 and values['last'] == 80.0


def test_selection_plot_draws_both_kinds_of_selection(tmp_path):
    jocor = tmp_path / 'jocor'
    cot = tmp_path / 'cot'
    for run in (jocor, cot):
        run.mkdir()
    (jocor / 'meta_diagnostics.json').write_text(
        json.dumps([
            dict(
                epoch=e,
                n_clean=40,
                n_noisy=160,
                selected_clean_mean=0.9,
                selected_noisy_mean=0.05) for e in (1, 2)
        ]))
    (cot / 'meta_diagnostics.json').write_text(
        json.dumps([
            dict(
                epoch=1,
                n_clean=40,
                n_noisy=160,
                selected1_clean_mean=0.5,
                selected1_noisy_mean=0.0,
                selected2_clean_mean=0.5,
                selected2_noisy_mean=0.0)
        ]))
    got = sp.curves(str(jocor))
    assert got['epoch'] == [1, 2]
    assert got['precision'][0] == pytest.approx(100 * 36 / (36 + 8))
    assert got['recall'][0] == pytest.approx(90.0)
    assert sp.curves(str(cot))['precision'] == [100.0]  # network 1
    out = tmp_path / 'sel.png'
    run_python([
        sys.executable, 'tools/benchmarks/selection_plot.py', f'jocor={jocor}',
        f'co-teaching={cot}', '--out',
        str(out)
    ],
               check=True,
               capture_output=True)
    assert out.stat().st_size > 10000
    with pytest.raises(SystemExit, match='no meta_diagnostics.json'):
        sp.curves(str(tmp_path))
    bad = run_python([
        sys.executable, 'tools/benchmarks/selection_plot.py', 'nameonly',
        '--out',
        str(out)
    ],
                     capture_output=True,
                     text=True)
    assert bad.returncode != 0 and 'give NAME=WORK_DIR' in bad.stderr
