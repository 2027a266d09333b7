# Copyright (c) lnl_mm contributors. All rights reserved.
"""The fork-server runner shows what a subprocess shows."""
import os
import subprocess
import sys

import pytest
from tool_runner import forkable, run_tool  # noqa: I100

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
