# Copyright (c) lnl_mm contributors. All rights reserved.
"""``make demo``: CE and a robust loss on the same noisy labels, side by side.

Trains, at the same time on two processes, the 4-layer CNN of the ALFs MNIST
protocol on scikit-learn's digits with 40 % symmetric label noise (the same
noisy labels for both: same data, noise and seed) with cross-entropy and
with NCE+RCE (the active-passive loss, the best last-epoch accuracy on this
setting in our measurements: configs/robust_losses/README.md), then prints
one table (clean test accuracy last / mean of the last 5 / best epoch, the
share of noisy labels memorised) and draws one figure with both
memorisation curves. About 20 s on two cores.
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RUNS = (
    ('ce', 'configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py'),
    ('nce-rce',
     'configs/robust_losses/nce-rce_cnn4_1xb64-30e_digits-sym40.py'),
)


def main(argv=None):
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--work-dir', default='work_dirs/demo')
    p.add_argument(
        '--cfg-options',
        nargs='*',
        default=[],
        help='options for both runs (e.g. train_cfg.max_epochs=5)')
    args = p.parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    # two processes on two cores: one thread each is faster than both
    # fighting for all cores
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    procs = []
    start = time.time()
    for name, config in RUNS:
        wd = osp.join(args.work_dir, name)
        log = open(osp.join(args.work_dir, f'{name}.log'), 'w')
        cmd = [
            sys.executable,
            osp.join(ROOT, 'tools', 'train.py'),
            osp.join(ROOT, config), '--work-dir', wd, '--overwrite'
        ]
        if args.cfg_options:
            cmd += ['--cfg-options', *args.cfg_options]
        print(f'training {name}: {config} (log: {log.name})', flush=True)
        procs.append((name,
                      subprocess.Popen(
                          cmd, stdout=log, stderr=subprocess.STDOUT,
                          env=env), log))
    failed = []
    for name, proc, log in procs:
        proc.wait()
        log.close()
        if proc.returncode:
            failed.append(f'{name} (see {log.name})')
    print(f'trained in {time.time() - start:.0f} s', flush=True)
    if failed:
        raise SystemExit('failed: ' + ', '.join(failed))
    subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools', 'analysis_tools', 'compare_runs.py'),
        *[osp.join(args.work_dir, name)
          for name, _ in RUNS], '--out-dir', args.work_dir
    ],
                   check=True)


if __name__ == '__main__':
    main()
