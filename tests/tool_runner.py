# Copyright (c) lnl_mm contributors. All rights reserved.
"""Run an entry point (``python tools/X.py ARGS``) as a user runs it, in a
process of its own, without paying the imports each time.

A subprocess spends about 5 s importing torch, MMEngine, mmpretrain and
lnl_mm before the tool does anything; the suite starts about a hundred.
Here each run is a child of a multiprocessing *fork server* (one per pytest
worker) that imported them once: the child is a fresh process (its own
globals, registries, random state, working directory, environment and file
descriptors 1 and 2), so what a test sees is what a subprocess shows, minus
the imports. The fork server is single-threaded and has run no torch op, so
forking it is safe (a pytest worker has threads and OpenMP pools).

:func:`run_ranks` starts the ranks of a distributed run the same way, with
the variables torchrun gives its workers: a two-rank gloo test then costs
no imports (with torchrun, three interpreters import torch and two import
everything else: 52 s against 10 s for the SLN store test on a busy
2-core machine).

What a subprocess does and this does not: read environment variables at
interpreter start (``PYTHONPATH``, ``PYTHONHASHSEED``, ...) or at the import
of a preloaded module (``OMP_NUM_THREADS`` for torch). :func:`run_tool`
refuses none of them; :func:`forkable` tells the caller when to use a real
subprocess instead.
"""
import atexit
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import time
import traceback
from multiprocessing.connection import wait
from typing import Dict, List, Optional, Sequence

#: Imported once by the fork server (what every tool imports).
PRELOAD = ['torch', 'mmengine.runner', 'mmpretrain.models', 'lnl_mm']
#: Environment variables a forked child cannot honour (read at start-up).
START_UP_ENV = ('PYTHONPATH', 'PYTHONHASHSEED', 'PYTHONSAFEPATH',
                'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'CUDA_VISIBLE_DEVICES')

_context: Optional[multiprocessing.context.BaseContext] = None


def forkable(args: List[str], env_vars: Dict[str, str]) -> bool:
    """Whether ``args`` is ``python SCRIPT.py ...`` with no start-up
    environment variable set: then :func:`run_tool` runs it as a subprocess
    would. ``LNL_MM_TESTS_NO_FORK_SERVER=1`` makes it always False."""
    if os.environ.get('LNL_MM_TESTS_NO_FORK_SERVER'):
        return False  # every run a real subprocess (to compare, to debug)
    return (len(args) >= 2 and args[0] == sys.executable
            and args[1].endswith('.py') and not args[1].startswith('-')
            and not set(env_vars) & set(START_UP_ENV))


def _fork_server() -> multiprocessing.context.BaseContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context('forkserver')
        _context.set_forkserver_preload(PRELOAD)
    return _context


def _child(script: str,
           args: List[str],
           cwd: str,
           env: Dict[str, str],
           out_path: str,
           err_path: str,
           path: Sequence[str] = (),
           threads: Optional[int] = None) -> None:
    """The tool's ``__main__`` in this process, its output to the two
    files; exits with the code a subprocess would have. ``path``: folders
    after the script's on ``sys.path``; ``threads``: torch's intra-op
    threads (what ``OMP_NUM_THREADS`` sets in a fresh interpreter)."""
    for fd, file in ((1, out_path), (2, err_path)):
        target = os.open(file, os.O_WRONLY | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    # fresh Python streams on the redirected descriptors
    sys.stdout = open(1, 'w', closefd=False, buffering=1)
    sys.stderr = open(2, 'w', closefd=False, buffering=1)
    # a fresh interpreter has chosen no start method yet (the child
    # inherits the fork server's)
    multiprocessing.set_start_method(None, force=True)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))  # as python
    sys.path[1:1] = list(path)  # as PYTHONPATH: after the script's folder
    if threads is not None:
        import torch  # preloaded
        torch.set_num_threads(threads)
    code = 0
    try:
        runpy.run_path(script, run_name='__main__')
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: B902  (what the interpreter prints)
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()  # as an interpreter does at exit
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_tool(args: List[str], cwd: str,
             env: Dict[str, str]) -> subprocess.CompletedProcess:
    """``subprocess.run(args, cwd=cwd, env=env, capture_output=True,
    text=True)`` for ``args = [sys.executable, SCRIPT, *ARGS]``, in a child
    of the fork server."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = (os.path.join(tmp, n) for n in ('out', 'err'))
        for path in (out_path, err_path):
            open(path, 'w').close()
        proc = _fork_server().Process(
            target=_child,
            args=(args[1], list(args[2:]), cwd, dict(env), out_path, err_path))
        proc.start()
        proc.join()
        with open(out_path) as f:
            stdout = f.read()
        with open(err_path) as f:
            stderr = f.read()
    code = proc.exitcode
    return subprocess.CompletedProcess(args, code, stdout, stderr)


def _read(path: str) -> str:
    with open(path) as f:
        return f.read()


def run_ranks(args: List[str],
              nproc: int,
              port: int,
              cwd: str,
              env: Dict[str, str],
              path: Sequence[str] = (),
              timeout: float = 600) -> subprocess.CompletedProcess:
    """``torchrun --nproc_per_node NPROC --master_port PORT SCRIPT ARGS``
    (one thread per rank) for ``args = [sys.executable, SCRIPT, *ARGS]``,
    each rank a child of the fork server.

    Each rank gets the variables torchrun gives its workers on one node
    (``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``LOCAL_WORLD_SIZE``,
    ``GROUP_RANK``, ``ROLE_RANK``, ``ROLE_WORLD_SIZE``, ``MASTER_ADDR``,
    ``MASTER_PORT``, ``OMP_NUM_THREADS=1``); ``path`` is put on each rank's
    ``sys.path`` as ``PYTHONPATH`` would. The output is every rank's, in
    rank order. As torchrun, a rank that fails stops the others; the exit
    code is the first failure's, and a run past ``timeout`` seconds is
    stopped with code -9.
    """
    if not forkable(args, {}):
        raise ValueError(f'run_ranks runs python SCRIPT.py ...; got {args}')
    with tempfile.TemporaryDirectory() as tmp:
        procs, files = [], []
        for rank in range(nproc):
            out_path, err_path = (
                os.path.join(tmp, f'{n}{rank}') for n in ('out', 'err'))
            for file in (out_path, err_path):
                open(file, 'w').close()
            rank_env = dict(
                env,
                RANK=str(rank),
                LOCAL_RANK=str(rank),
                GROUP_RANK='0',
                ROLE_RANK=str(rank),
                WORLD_SIZE=str(nproc),
                LOCAL_WORLD_SIZE=str(nproc),
                ROLE_WORLD_SIZE=str(nproc),
                MASTER_ADDR='127.0.0.1',
                MASTER_PORT=str(port),
                OMP_NUM_THREADS='1')
            proc = _fork_server().Process(
                target=_child,
                args=(args[1], list(args[2:]), cwd, rank_env, out_path,
                      err_path, list(path), 1))
            proc.start()
            procs.append(proc)
            files.append((out_path, err_path))
        code = _join_ranks(procs, timeout)
        stdout = ''.join(_read(o) for o, _ in files)
        stderr = ''.join(_read(e) for _, e in files)
    return subprocess.CompletedProcess(args, code, stdout, stderr)


def _join_ranks(procs: list, timeout: float) -> int:
    """Wait for every rank; the first non-zero exit code stops the rest
    (0 when all succeed, -9 past ``timeout``)."""
    deadline = time.monotonic() + timeout
    live = list(procs)
    code = 0
    while live:
        left = deadline - time.monotonic()
        if left <= 0:
            code = code or -9
            break
        for sentinel in wait([p.sentinel for p in live], left):
            done = next(p for p in live if p.sentinel == sentinel)
            done.join()
            live.remove(done)
            if done.exitcode and not code:
                code = done.exitcode
        if code:
            break
    for proc in live:  # stopped: a failed peer, or the time is up
        proc.kill()
        proc.join()
    return code


def run_python(args: List[str],
               cwd: Optional[str] = None,
               env: Optional[Dict[str, str]] = None,
               check: bool = False,
               capture_output: bool = True,
               text: bool = False) -> subprocess.CompletedProcess:
    """:func:`subprocess.run` with ``capture_output`` for a command line,
    forked from the fork server when :func:`forkable` (``env`` adds to the
    environment rather than replacing it)."""
    if not capture_output:
        raise ValueError('run_python always captures the output')
    extra = dict(env or {})
    full = dict(os.environ, **extra)
    cwd = cwd or os.getcwd()
    if forkable(args, extra):
        proc = run_tool(args, cwd, full)
        if not text:
            proc.stdout, proc.stderr = (proc.stdout.encode(),
                                        proc.stderr.encode())
    else:
        proc = subprocess.run(
            args, cwd=cwd, env=full, capture_output=True, text=text)
    if check:
        proc.check_returncode()
    return proc
