# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared fixtures: a tiny in-memory dataset with known labels, and
training on two gloo processes (as ``tools/dist_train.sh`` does).

Under pytest-xdist (``make test`` runs one worker per core) each worker, and
every process it starts, computes on one thread unless ``OMP_NUM_THREADS``
says otherwise: torch's default (a thread per core in every worker)
oversubscribes the cores: ``make test`` on 2 cores took 12 min 56 s with
it and 8 min 25 s with one thread a worker (the same 1,611 tests, the same
minute's load).
"""
import os
import os.path as osp
import socket
import subprocess
import sys

if os.environ.get('PYTEST_XDIST_WORKER'):  # set before torch is imported
    os.environ.setdefault('OMP_NUM_THREADS', '1')

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from mmpretrain.datasets import BaseDataset  # noqa: E402
from tool_runner import forkable, run_ranks  # noqa: E402,I100

import lnl_mm  # noqa: F401,E402  (registration)


class ToyDataset(BaseDataset):
    """``labels`` given explicitly; images are 4x4 arrays encoding the index.

    Not registered: tests pass built instances or use ``type=ToyDataset``
    objects directly, so no registry is mutated.
    """

    def __init__(self, labels, num_classes=None, **kwargs):
        self._labels = np.asarray(labels, dtype=np.int64)
        C = num_classes or int(self._labels.max()) + 1
        kwargs.setdefault('metainfo', dict(classes=[str(c) for c in range(C)]))
        super().__init__(ann_file='', **kwargs)

    def load_data_list(self):
        rng = np.random.default_rng(1234)
        return [
            dict(
                img=rng.integers(0, 255, (4, 4), dtype=np.uint8),
                gt_label=int(y),
                orig=i) for i, y in enumerate(self._labels)
        ]


@pytest.fixture
def toy_dataset_cls():
    return ToyDataset


def balanced_labels(num_classes: int, per_class: int) -> np.ndarray:
    return np.repeat(np.arange(num_classes), per_class)


@pytest.fixture
def balanced():
    return balanced_labels


ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run_dist_train(config, work_dir, *cfg_options, nproc=2, script=False):
    """Train ``config`` on ``nproc`` gloo processes on a free port, one
    thread per rank, as ``tools/dist_train.sh CONFIG NPROC`` does: the ranks
    run ``tools/train.py --launcher pytorch`` with torchrun's variables,
    forked from the suite's fork server (:func:`tool_runner.run_ranks`:
    without each rank's ~5 s of imports and torchrun's own).
    ``script=True`` (or ``LNL_MM_TESTS_NO_FORK_SERVER=1``) runs
    ``tools/dist_train.sh`` itself under torchrun.

    Returns the finished process; asserts that it exited 0 and shows the end
    of its output otherwise.
    """
    port = _free_port()
    env = dict(
        os.environ,
        PORT=str(port),
        OMP_NUM_THREADS='1',
        PATH=osp.dirname(sys.executable) + os.pathsep +
        os.environ.get('PATH', ''))
    options = ['--cfg-options', *cfg_options] if cfg_options else []
    train = [sys.executable, 'tools/train.py']
    if script or not forkable(train, {}):
        args = [
            'bash', 'tools/dist_train.sh', config,
            str(nproc), '--work-dir',
            str(work_dir), *options
        ]
        proc = subprocess.run(
            args, cwd=ROOT, env=env, capture_output=True, text=True)
    else:
        args = [
            *train, config, '--launcher', 'pytorch', '--work-dir',
            str(work_dir), *options
        ]
        proc = run_ranks(args, nproc, port, ROOT, env)
    proc.output = proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.output[-4000:]
    return proc


@pytest.fixture
def dist_train():
    return run_dist_train


@pytest.fixture
def free_port():
    return _free_port


def run_worker(script: str, out_dir, nproc: int = 2):
    """``torchrun --nproc_per_node nproc script out_dir`` (one thread per
    process; gloo on a CPU-only machine), the test support folders on the
    worker's path; fails with the output's tail. The ranks are forked from
    the suite's fork server (:func:`tool_runner.run_ranks`) unless
    ``LNL_MM_TESTS_NO_FORK_SERVER=1``."""
    here = os.path.dirname(os.path.abspath(__file__))
    support = [
        os.path.join(here, 'test_engine'),
        os.path.join(here, 'test_models', 'test_classifiers')
    ]
    args = [sys.executable, script, str(out_dir)]
    if forkable(args, {}):
        proc = run_ranks(
            args, nproc, _free_port(), ROOT, dict(os.environ), path=support)
    else:
        env = dict(
            os.environ,
            OMP_NUM_THREADS='1',
            PYTHONPATH=os.pathsep.join(support +
                                       [os.environ.get('PYTHONPATH', '')]))
        proc = subprocess.run([
            sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node',
            str(nproc), '--master_port',
            str(_free_port()), script,
            str(out_dir)
        ],
                              cwd=ROOT,
                              env=env,
                              capture_output=True,
                              text=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    for path in support:  # the test imports the worker's helpers too
        if path not in sys.path:
            sys.path.insert(0, path)
    return proc


@pytest.fixture
def torchrun_worker():
    """:func:`run_worker`: a script under torchrun, its helpers importable."""
    return run_worker
