# Copyright (c) lnl_mm contributors. All rights reserved.
"""Decide, before the runner is built, what a run does with its work dir.

Stock MMEngine turns ``--resume`` into "resume from whatever
``last_checkpoint`` names": with no pointer it logs "Auto resumed from the
latest checkpoint None" and silently trains from scratch, overwriting the
earlier run's checkpoints and results; with a copied work dir it follows the
absolute path inside the pointer back to the original. Here:

* ``resume`` resumes from the checkpoint the pointer names (the file beside
  the pointer when there is one), else from the latest ``epoch_N.pth`` /
  ``iter_N.pth`` in the work dir, else it fails;
* a fresh run refuses a work dir that holds an earlier run's results unless
  told ``overwrite``; then those results are removed first, so the dir never
  mixes two runs.
"""
import glob
import os
import os.path as osp
import re
import shutil
from typing import Callable, List, Optional

from .checkpoint import check_checkpoint_file, resolve_checkpoint
from .log import log_warning

#: What a run leaves in its work dir that a later run would overwrite.
RESULT_FILES = ('last_checkpoint', 'training_dynamics.json',
                'meta_diagnostics.json', 'division.json')
#: MMEngine's ``save_best`` checkpoints: ``best_<metric>_epoch_N.pth``.
BEST_GLOB = 'best_*.pth'
#: Summaries: ``summary.json``, ``summary_raw.json``, ``summary_ssim.json``.
SUMMARY_GLOB = 'summary*.json'
RESULT_DIRS = ('dynamics', 'meta', 'plots')
_CKPT = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def dumped_config(work_dir: str) -> Optional[str]:
    """The config file MMEngine dumped into a run's work dir, or None when
    there is not exactly one ``*.py`` there."""
    found = glob.glob(osp.join(work_dir, '*.py'))
    return found[0] if len(found) == 1 else None


def numbered_checkpoints(work_dir: str) -> List[str]:
    """``epoch_N.pth`` then ``iter_N.pth`` files of ``work_dir``, oldest
    first (by N)."""
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        m = _CKPT.match(osp.basename(path))
        if m:
            found.append((m.group(1) == 'epoch', int(m.group(2)), path))
    return [p for _, _, p in sorted(found)]


def find_resume_checkpoint(work_dir: str,
                           warn: Callable[[str], None] = log_warning) -> str:
    """The checkpoint ``--resume`` (without a path) continues from.

    Args:
        work_dir (str): The run's work dir.
        warn (callable): Receives a message when ``last_checkpoint`` is
            unusable and the latest numbered checkpoint is taken instead.

    Returns:
        str: Path of the checkpoint.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    problem = None
    if osp.exists(pointer):
        try:
            return resolve_checkpoint(pointer)
        except (OSError, ValueError) as e:
            problem = str(e)
    numbered = numbered_checkpoints(work_dir)
    if not numbered:
        raise FileNotFoundError(
            f'--resume: nothing to resume in work dir {work_dir!r} (' +
            (problem or 'no last_checkpoint') + ', no epoch_N.pth or '
            'iter_N.pth); to start a new run, drop --resume')
    latest = check_checkpoint_file(numbered[-1])
    if problem:
        warn(f'{problem}; resuming from the latest numbered checkpoint '
             f'{latest} instead')
    return latest


def earlier_results(work_dir: str) -> List[str]:
    """Names of an earlier run's results found in ``work_dir``."""
    names = [n for n in RESULT_FILES if osp.exists(osp.join(work_dir, n))]
    names += sorted(
        osp.basename(p) for p in glob.glob(osp.join(work_dir, SUMMARY_GLOB)))
    names += [n + '/' for n in RESULT_DIRS if osp.isdir(osp.join(work_dir, n))]
    names += sorted(
        osp.basename(p) for p in glob.glob(osp.join(work_dir, BEST_GLOB)))
    return names + [osp.basename(p) for p in numbered_checkpoints(work_dir)]


def prepare_work_dir(
        work_dir: str,
        resume: bool,
        load_from: Optional[str],
        overwrite: bool = False,
        warn: Callable[[str], None] = log_warning) -> Optional[str]:
    """Check the work dir and return the checkpoint to load, if any.

    Args:
        work_dir (str): The run's work dir.
        resume (bool): Whether the run resumes (``cfg.resume``).
        load_from (str, optional): ``cfg.load_from``: with ``resume`` the
            checkpoint (file, pointer or work dir) to resume from; without,
            weights to start from.
        overwrite (bool): Remove an earlier run's results and start again.
        warn (callable): Receives warnings.

    Returns:
        str or None: The checkpoint path to put in ``cfg.load_from``.
    """
    if resume:
        if overwrite:
            raise ValueError('--resume and --overwrite contradict each other: '
                             'resume continues the earlier run, overwrite '
                             'discards it')
        if load_from:
            return resolve_checkpoint(load_from)
        return find_resume_checkpoint(work_dir, warn)
    found = earlier_results(work_dir) if osp.isdir(work_dir) else []
    if found and not overwrite:
        shown = ', '.join(found[:6]) + (', ...' if len(found) > 6 else '')
        raise FileExistsError(
            f'work dir {work_dir!r} holds the results of an earlier run '
            f'({shown}): pass --resume to continue it, --overwrite to discard '
            'them and start again, or choose another --work-dir')
    if found and int(os.environ.get('RANK', 0)) == 0:
        warn(f'--overwrite: removing the earlier run in {work_dir}: ' +
             ', '.join(found))
        for name in found:
            path = osp.join(work_dir, name.rstrip('/'))
            if osp.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif osp.exists(path):
                os.remove(path)
    if load_from and '://' not in load_from:  # a local file: check it now
        return resolve_checkpoint(load_from)
    return load_from


def continue_flags(work_dir: str) -> List[str]:
    """``tools/train.py`` flags that continue an interrupted run in
    ``work_dir`` (for benchmark grids): ``--resume`` when it holds a
    checkpoint, ``--overwrite`` when it holds other leftovers, else none."""
    if not osp.isdir(work_dir):
        return []
    if numbered_checkpoints(work_dir):
        return ['--resume']
    return ['--overwrite'] if earlier_results(work_dir) else []
