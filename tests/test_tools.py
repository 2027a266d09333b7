# Copyright (c) lnl_mm contributors. All rights reserved.
"""Entry points, run as a user runs them (subprocesses)."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config
from tool_runner import forkable, run_tool  # noqa: I100

from lnl_mm.utils.launch import set_amp, set_dataloader_defaults

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO = 'configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py'


def run(args, **env_vars):
    """``args`` as a subprocess (``capture_output``, ``text``) from the
    checkout; ``python TOOL.py ...`` is forked from the suite's fork server
    (:mod:`tool_runner`: a process of its own, without the ~5 s of
    imports) unless a start-up variable is set."""
    env = dict(
        os.environ,
        PATH=osp.dirname(sys.executable) + os.pathsep +
        os.environ.get('PATH', ''),
        **env_vars)
    if forkable(args, env_vars):
        return run_tool(args, ROOT, env)
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True)


def check(proc):
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_train_test_and_summary(tmp_path):
    wd = str(tmp_path / 'wd')
    trained = check(
        run([
            sys.executable, 'tools/train.py', DEMO, '--work-dir', wd,
            '--noise', 'pairflip45', '--cfg-options', 'train_cfg.max_epochs=2',
            'train_dataloader.dataset.noise.rate=0.2'
        ]))
    # no warning that is not the user's business (lnl_mm.quiet)
    for noise in ('MultiScaleDeformableAttention', '"FileClient" will be',
                  '"HardDiskBackend" is the alias', 'Warning:'):
        assert noise not in trained.stdout + trained.stderr, noise
    manifest = json.loads(
        Path(osp.join(wd, 'noise_manifest.json')).read_text())
    # the fragment replaced the leaf's noise, --cfg-options came after it
    assert manifest['generator'] == 'pairflip'
    assert manifest['params'] == {'rate': 0.2}
    out = check(
        run([
            sys.executable, 'tools/test.py', DEMO,
            osp.join(wd, 'epoch_2.pth'), '--work-dir',
            str(tmp_path / 'test')
        ]))
    summary = json.loads(Path(osp.join(wd, 'summary.json')).read_text())
    assert f"'accuracy/top1': {summary['last']}" in out.stdout + out.stderr
    # the run's own config from its work dir (with the hooks tools/train.py
    # added, ResumeCheckHook among them) tests the same checkpoint alike
    dumped = osp.join(wd, osp.basename(DEMO))
    assert 'ResumeCheckHook' in Path(dumped).read_text()
    again = check(
        run([
            sys.executable, 'tools/test.py', dumped,
            osp.join(wd, 'epoch_2.pth'), '--work-dir',
            str(tmp_path / 'test_dumped')
        ]))
    assert f"'accuracy/top1': {summary['last']}" in again.stdout + \
        again.stderr
    text = check(run([sys.executable, 'tools/misc/print_summary.py',
                      wd])).stdout
    row = [line for line in text.splitlines() if 'summary.json' in line][0]
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert cells[1:5] == [
        'summary.json', 'accuracy/top1', 'clean test labels',
        f'{summary["last"]:.2f}'
    ]
    assert cells[7] == '2' and 'pairflip' in cells[8] and 'pairflip' in text


def test_resume_and_overwrite_guards(tmp_path):
    wd, copy = str(tmp_path / 'wd'), str(tmp_path / 'copy')
    one = ['--cfg-options', 'train_cfg.max_epochs=1']
    proc = run([
        sys.executable, 'tools/train.py', DEMO, '--work-dir', wd, '--resume',
        *one
    ])
    assert proc.returncode != 0 and 'nothing to resume' in proc.stderr
    assert not osp.exists(osp.join(wd, 'summary.json'))
    check(
        run([sys.executable, 'tools/train.py', DEMO, '--work-dir', wd, *one]))
    proc = run(
        [sys.executable, 'tools/train.py', DEMO, '--work-dir', wd, *one])
    assert proc.returncode != 0
    assert 'holds the results of an earlier run' in proc.stderr
    # a moved work dir resumes from its own checkpoint
    shutil.copytree(wd, copy)
    shutil.rmtree(wd)
    out = check(
        run([
            sys.executable, 'tools/train.py', DEMO, '--work-dir', copy,
            '--resume', '--cfg-options', 'train_cfg.max_epochs=2'
        ]))
    text = out.stdout + out.stderr
    assert f'Load checkpoint from {copy}/epoch_1.pth' in text
    assert json.loads(Path(osp.join(
        copy, 'summary.json')).read_text())['num_evaluations'] == 2
    check(
        run([
            sys.executable, 'tools/train.py', DEMO, '--work-dir', copy,
            '--overwrite', *one
        ]))
    assert not osp.exists(osp.join(copy, 'epoch_2.pth'))


def test_bad_noise_rate_fails_with_option_name(tmp_path):
    proc = run([
        sys.executable, 'tools/train.py', DEMO, '--work-dir',
        str(tmp_path), '--cfg-options',
        'train_dataloader.dataset.noise.rate=1.2'
    ])
    assert proc.returncode != 0
    assert 'noise.rate must be in [0, 1), got noise.rate=1.2' in proc.stderr


def test_dist_train_two_gloo_processes(tmp_path, dist_train):
    wd = str(tmp_path / 'dist')
    out = dist_train(DEMO, wd, 'train_cfg.max_epochs=1', script=True).output
    assert 'Distributed training: True' in out
    summary = json.loads(Path(osp.join(wd, 'summary.json')).read_text())
    assert summary['num_evaluations'] == 1
    digest = json.loads(Path(osp.join(
        wd, 'noise_manifest.json')).read_text())['sha256_noisy_labels']
    assert f'Noisy labels sha256 {digest[:16]}: identical on all 2 rank(s)' \
        in out


def test_entry_points_import_this_checkouts_lnl_mm(tmp_path):
    """tools/train.py, test.py and tune.py put the checkout first, as
    dist_train.sh does with PYTHONPATH: another lnl_mm earlier on the path
    (here one that refuses to import) is not the one they run."""
    decoy = tmp_path / 'decoy' / 'lnl_mm'
    decoy.mkdir(parents=True)
    (decoy / '__init__.py').write_text("raise ImportError('the decoy')\n")
    for tool in ('tools/train.py', 'tools/test.py', 'tools/tune.py'):
        proc = run([sys.executable, tool, '--help'],
                   PYTHONPATH=str(decoy.parent))
        assert proc.returncode == 0, (tool, proc.stderr[-2000:])
        assert 'usage:' in proc.stdout
    proc = subprocess.run([sys.executable, '-c', 'import lnl_mm'],
                          cwd=tmp_path,
                          env=dict(os.environ, PYTHONPATH=str(decoy.parent)),
                          capture_output=True,
                          text=True)
    assert 'the decoy' in proc.stderr  # it does shadow a plain import


def test_amp_sets_each_sub_wrapper(monkeypatch):
    import mmengine.device
    monkeypatch.setattr(mmengine.device, 'get_device', lambda: 'cuda')
    cfg = Config(
        dict(
            optim_wrapper=dict(
                constructor='SomeConstructor',
                model=dict(optimizer=dict(type='SGD', lr=0.1)),
                meta=dict(optimizer=dict(type='Adam', lr=1e-3)))))
    set_amp(cfg)
    assert cfg.optim_wrapper.model.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.meta.type == 'AmpOptimWrapper'
    assert 'type' not in cfg.optim_wrapper
    single = Config(dict(optim_wrapper=dict(optimizer=dict(type='SGD'))))
    set_amp(single)
    assert single.optim_wrapper.type == 'AmpOptimWrapper'
    monkeypatch.setattr(mmengine.device, 'get_device', lambda: 'cpu')
    cpu = Config(dict(optim_wrapper=dict(optimizer=dict(type='SGD'))))
    set_amp(cpu)  # AmpOptimWrapper refuses a CPU-only machine
    assert cpu.optim_wrapper.type == 'BF16AutocastOptimWrapper'
    assert 'loss_scale' not in cpu.optim_wrapper


def test_amp_and_tensorboard_on_the_cpu(tmp_path):
    wd = str(tmp_path / 'amp')
    out = check(
        run([
            sys.executable, 'tools/train.py',
            'configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py',
            '--work-dir', wd, '--amp', '--tensorboard', '--cfg-options',
            'train_cfg.max_epochs=1'
        ]))
    assert 'bfloat16 autocast on the CPU' in out.stdout + out.stderr
    summary = json.loads(Path(osp.join(wd, 'summary.json')).read_text())
    assert summary['num_evaluations'] == 1
    events = list(Path(wd).glob('*/vis_data/events.out.tfevents.*'))
    assert len(events) == 1 and events[0].stat().st_size > 0


def test_dataloader_defaults_respect_zero_workers():
    cfg = Config(
        dict(
            train_dataloader=dict(num_workers=0, batch_size=2),
            val_dataloader=dict(num_workers=2, batch_size=2)))
    set_dataloader_defaults(cfg, pin_memory=True, persistent_workers=True)
    assert cfg.train_dataloader.persistent_workers is False
    assert cfg.val_dataloader.persistent_workers is True
    assert cfg.train_dataloader.collate_fn == dict(type='default_collate')


def test_config_typos_and_legacy_keys_are_warned():
    from lnl_mm.utils.launch import check_config_keys
    cfg = Config.fromfile(osp.join(ROOT, DEMO))
    cfg.merge_from_dict(
        dict(
            optim_wraper=dict(optimizer=dict(lr=9.0)),
            randomnes=dict(seed=3),
            lr_config=dict()))
    warned, listed = [], []
    typos = check_config_keys(cfg, warned.append, listed.append)
    assert typos == ['lr_config', 'optim_wraper', 'randomnes']
    assert "'optim_wraper' is read by no component" in warned[1]
    assert "did you mean 'optim_wrapper'" in warned[1]
    assert "did you mean 'randomness'" in warned[2]
    assert 'MMCV 1.x key that MMEngine ignores; set param_scheduler' in \
        warned[0]
    # the config's own helper variables are listed, not warned about
    assert listed and 'train_pipeline' in listed[0]
    assert 'train_pipeline' not in ' '.join(warned)


def test_hooks_are_addressed_by_type_on_the_command_line():
    from lnl_mm.utils.launch import hooks_by_name
    cfg = Config.fromfile(
        osp.join(ROOT,
                 'configs/sln/sln-mo-lc_smallcnn_1xb64-40e_digits-sym40.py'))
    types = [h['type'] for h in cfg.custom_hooks]
    lc = types.index('SLNLabelCorrectionHook')
    opts = hooks_by_name(
        cfg,
        {
            'custom_hooks.SLNLabelCorrectionHook.correction_epoch': 5,
            'custom_hooks.2.interval': 3,  # an index still works
            'train_cfg.max_epochs': 7
        })
    assert opts == {
        f'custom_hooks.{lc}.correction_epoch': 5,
        'custom_hooks.2.interval': 3,
        'train_cfg.max_epochs': 7
    }
    cfg.merge_from_dict(opts)
    assert cfg.custom_hooks[lc].correction_epoch == 5
    with pytest.raises(KeyError, match="0 hooks of type 'NoSuchHook'"):
        hooks_by_name(cfg, {'custom_hooks.NoSuchHook.x': 1})
    with pytest.raises(
            KeyError, match="2 hooks of type 'AccuracySummaryHook'"):
        hooks_by_name(cfg, {'custom_hooks.AccuracySummaryHook.last_k': 3})


def _image_folder(root, classes, per_class, seed):
    from PIL import Image
    rng = np.random.default_rng(seed)
    for c, name in enumerate(classes):
        d = root / name
        d.mkdir(parents=True)
        for i in range(per_class):
            img = rng.integers(0, 256, (24, 24, 3), dtype=np.uint8)
            img[..., c] = 255  # a learnable cue per class
            Image.fromarray(img).save(d / f'{i}.png')


def test_own_image_folder_with_a_class_map_by_names(tmp_path):
    """The README's own-dataset config on a folder of images: class names
    in a class map given on the command line, as text."""
    cfg = 'configs/noisy_baseline/ce_resnet18_1xb32-30e_custom-folder-sym40.py'
    classes = ('bird', 'cat', 'dog')
    _image_folder(tmp_path / 'data' / 'train', classes, 10, 0)
    _image_folder(tmp_path / 'data' / 'test', classes, 3, 1)
    wd = str(tmp_path / 'wd')
    root = str(tmp_path / 'data')
    check(
        run([
            sys.executable, 'tools/train.py', cfg, '--work-dir', wd,
            '--cfg-options', 'train_cfg.max_epochs=1',
            'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
            'test_dataloader.num_workers=0',
            f'train_dataloader.dataset.dataset.data_root={root}',
            f'val_dataloader.dataset.data_root={root}',
            f'test_dataloader.dataset.data_root={root}',
            'train_dataloader.dataset.noise.type=asymmetric',
            'train_dataloader.dataset.noise.rate=0.5',
            'train_dataloader.dataset.noise.class_map={cat:dog,dog:cat}'
        ]))
    manifest = json.loads(
        Path(osp.join(wd, 'noise_manifest.json')).read_text())
    assert manifest['params']['class_map'] == {'1': 2, '2': 1}
    t = np.asarray(manifest['transition_matrix'])
    assert t[1, 2] == pytest.approx(0.5) and t[2, 1] == pytest.approx(0.5)
    assert t[0, 0] == 1.0
    proc = run([
        sys.executable, 'tools/train.py', cfg, '--work-dir',
        str(tmp_path / 'wd2'), '--cfg-options',
        f'train_dataloader.dataset.dataset.data_root={root}',
        'train_dataloader.dataset.noise.type=asymmetric',
        'train_dataloader.dataset.noise.rate=0.5',
        'train_dataloader.dataset.noise.class_map={cat:cow}'
    ])
    assert proc.returncode != 0
    assert "'cow' is neither a class index nor a class name" in proc.stderr
    assert "['bird', 'cat', 'dog']" in proc.stderr


def test_readme_shows_the_own_dataset_config_in_full():
    text = Path(ROOT, 'README.md').read_text()
    config = Path(
        ROOT, 'configs/noisy_baseline/'
        'ce_resnet18_1xb32-30e_custom-folder-sym40.py').read_text()
    assert f'```python\n{config}```' in text


def test_every_tool_help_starts_with_a_whole_sentence():
    """--help's description is the docstring's first paragraph, which must
    be a whole sentence (a first line alone was cut mid-sentence)."""
    import ast
    import glob
    for path in sorted(
            glob.glob(osp.join(ROOT, 'tools', '**', '*.py'), recursive=True)):
        source = Path(path).read_text()
        if 'argparse' not in source or osp.basename(path).startswith('_'):
            continue
        assert "__doc__.split('\\n')[0]" not in source, path
        doc = ast.get_docstring(ast.parse(source)) or ''
        first = ' '.join(doc.split('\n\n')[0].split())
        assert first.endswith(('.', ':', ')')), (path, first)
