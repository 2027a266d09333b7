# Copyright (c) lnl_mm contributors. All rights reserved.
"""PSNR / SSIM of every training mode x noise style x pixel loss.

Runs ``tools/train.py`` on the scikit-image leaf configs of
``configs/denoising`` (``{mode}_dncnn7_1xb64-6e_skimage-gauss25.py`` with
``--noise STYLE`` and ``model.loss=<loss>``), ``--jobs`` runs at a time,
each in its own work dir (finished runs are reused), and tabulates the last
evaluation's mean PSNR and SSIM on the 4 test photos.

Example:
    python tools/benchmarks/denoise_grid.py --jobs 2 --out table.md
"""
import argparse
import itertools
import json
import os
import os.path as osp
import subprocess
import sys
import time

from lnl_mm.utils.work_dir import continue_flags

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MODES = ('n2c', 'n2n', 'n2s')
#: Written when a run finished: its summary is rewritten every epoch, so it
#: alone does not say the run is complete.
DONE = 'grid_done'
STYLES = ('gauss25', 'saltpepper0.3', 'bernoulli0.3', 'impulse0.3')
LOSSES = ('mse', 'lp1', 'heat0.2', 'poisson0.2')


def command(mode, style, loss, work_dir, extra):
    cfg = osp.join(ROOT, 'configs/denoising',
                   f'{mode}_dncnn7_1xb64-6e_skimage-gauss25.py')
    return [
        sys.executable,
        osp.join(ROOT, 'tools/train.py'), cfg, '--work-dir', work_dir,
        *continue_flags(work_dir), '--noise', style, '--cfg-options',
        f'model.loss={loss}', *extra
    ]


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--modes', nargs='+', default=MODES)
    p.add_argument('--styles', nargs='+', default=STYLES)
    p.add_argument('--losses', nargs='+', default=LOSSES)
    p.add_argument('--jobs', type=int, default=1)
    p.add_argument('--work-root', default='work_dirs/denoise_grid')
    p.add_argument('--out', help='write the markdown table here')
    p.add_argument('--cfg-options', nargs='*', default=[])
    args = p.parse_args()
    runs = list(itertools.product(args.modes, args.styles, args.losses))
    pending, running = list(runs), []
    env = dict(
        os.environ, OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS', '1'))
    while pending or running:
        while pending and len(running) < args.jobs:
            mode, style, loss = run = pending.pop(0)
            wd = osp.join(args.work_root, mode, style, loss)
            if osp.exists(osp.join(wd, DONE)):  # finished (not only begun)
                continue
            os.makedirs(wd, exist_ok=True)
            log = open(wd + '.log', 'a')
            running.append((run, log,
                            subprocess.Popen(
                                command(mode, style, loss, wd,
                                        args.cfg_options),
                                stdout=log,
                                stderr=subprocess.STDOUT,
                                env=env)))
        for item in list(running):
            run, log, proc = item
            if proc.poll() is not None:
                log.close()
                running.remove(item)
                if proc.returncode != 0:
                    raise SystemExit(f'{run} failed, see {log.name}')
                mode, style, loss = run
                open(osp.join(args.work_root, mode, style, loss, DONE),
                     'w').close()
                print('done', *run, flush=True)
        time.sleep(1)
    lines = [
        '| mode | noise | ' + ' | '.join(args.losses) + ' |',
        '| --- | --- | ' + ' | '.join('---' for _ in args.losses) + ' |'
    ]
    for mode, style in itertools.product(args.modes, args.styles):
        cells = []
        for loss in args.losses:
            wd = osp.join(args.work_root, mode, style, loss)
            psnr = json.load(open(osp.join(wd, 'summary.json')))['last']
            ssim = json.load(open(osp.join(wd, 'summary_ssim.json')))['last']
            cells.append(f'{psnr:.2f} / {ssim:.3f}')
        best = max(
            range(len(cells)), key=lambda i: float(cells[i].split(' / ')[0]))
        cells[best] = f'**{cells[best]}**'
        lines.append(f'| {mode} | {style} | ' + ' | '.join(cells) + ' |')
    table = '\n'.join(lines)
    print(table)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(table + '\n')


if __name__ == '__main__':
    main()
