# Copyright (c) lnl_mm contributors. All rights reserved.
"""The fork-server runner shows what a subprocess shows."""
import os
import subprocess
import sys
import time

import pytest
from tool_runner import forkable, run_ranks, run_tool  # noqa: I100

SCRIPT = '''
import multiprocessing, os, sys
print('argv', sys.argv[1:], 'cwd', os.path.basename(os.getcwd()))
print('env', os.environ.get('LNL_MM_PROBE'), 'start', \
multiprocessing.get_start_method(allow_none=True))
print('path0', os.path.basename(sys.path[0]))
print('to stderr', file=sys.stderr)
mode = sys.argv[1]
if mode == 'exit3':
    sys.exit(3)
if mode == 'message':
    sys.exit('a message')
if mode == 'raise':
    raise ValueError('bad option=1')
'''


@pytest.mark.parametrize('mode', ['ok', 'exit3', 'message', 'raise'])
def test_forked_run_equals_the_subprocess(tmp_path, mode):
    script = tmp_path / 'bin' / 'probe.py'
    script.parent.mkdir()
    script.write_text(SCRIPT)
    args = [sys.executable, str(script), mode]
    env = dict(os.environ, LNL_MM_PROBE='x')
    sub = subprocess.run(
        args, cwd=tmp_path, env=env, capture_output=True, text=True)
    forked = run_tool(args, str(tmp_path), env)
    assert forked.returncode == sub.returncode
    assert forked.stdout == sub.stdout
    # the traceback's frames differ (runpy), its last line does not
    assert forked.stderr.splitlines()[-1] == sub.stderr.splitlines()[-1]
    assert 'path0 bin' in forked.stdout and 'start None' in forked.stdout


def test_start_up_variables_go_to_a_real_subprocess(monkeypatch):
    monkeypatch.delenv('LNL_MM_TESTS_NO_FORK_SERVER', raising=False)
    args = [sys.executable, 'tools/train.py', '--help']
    assert forkable(args, {})
    assert not forkable(args, {'PYTHONPATH': '/elsewhere'})
    assert not forkable([sys.executable, '-m', 'torch.distributed.run'], {})
    assert not forkable(['bash', 'x.sh'], {})
    monkeypatch.setenv('LNL_MM_TESTS_NO_FORK_SERVER', '1')
    assert not forkable(args, {})


RANKS = '''
import os, sys, time
import torch
import torch.distributed as dist
import support_mod
dist.init_process_group('gloo')
rank = dist.get_rank()
x = torch.tensor([float(rank + 1)])
dist.all_reduce(x)
print(f'rank {rank} of {dist.get_world_size()} local',
      os.environ['LOCAL_RANK'], 'sum', x.item(), 'threads',
      torch.get_num_threads(), support_mod.NAME, sys.argv[1:])
if sys.argv[1] == 'fail' and rank == 1:
    sys.exit(5)
if sys.argv[1] in ('fail', 'hang'):
    time.sleep(60)  # stopped by the runner, not waited for
dist.destroy_process_group()
'''


@pytest.fixture
def rank_script(tmp_path):
    script = tmp_path / 'ranks.py'
    script.write_text(RANKS)
    support = tmp_path / 'support'
    support.mkdir()
    (support / 'support_mod.py').write_text("NAME = 'from-path'\n")
    return str(script), str(support)


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_ranks_see_torchruns_variables_and_reduce_together(
        tmp_path, rank_script):
    script, support = rank_script
    proc = run_ranks([sys.executable, script, 'ok'],
                     3,
                     _free_port(),
                     str(tmp_path),
                     dict(os.environ),
                     path=[support])
    assert proc.returncode == 0, proc.stderr[-2000:]
    # rank order; 1 + 2 + 3 reduced on every rank; one thread each
    assert proc.stdout.splitlines() == [
        f"rank {r} of 3 local {r} sum 6.0 threads 1 from-path ['ok']"
        for r in range(3)
    ]


def test_a_failing_rank_stops_the_others(tmp_path, rank_script):
    script, support = rank_script
    start = time.monotonic()
    failed = run_ranks([sys.executable, script, 'fail'],
                       2,
                       _free_port(),
                       str(tmp_path),
                       dict(os.environ),
                       path=[support])
    assert failed.returncode == 5 and time.monotonic() - start < 50
    hung = run_ranks([sys.executable, script, 'hang'],
                     2,
                     _free_port(),
                     str(tmp_path),
                     dict(os.environ),
                     path=[support],
                     timeout=3)
    assert hung.returncode == -9 and time.monotonic() - start < 100
    with pytest.raises(ValueError, match='run_ranks runs python SCRIPT.py'):
        run_ranks(['bash', 'x.sh'], 2, 1, str(tmp_path), {})
