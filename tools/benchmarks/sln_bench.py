# Copyright (c) lnl_mm contributors. All rights reserved.
"""Cost of SLN-MO and of one label-correction pass, measured side by side.

1. Training throughput of SLN + momentum model relative to plain CE: the
   CE and the SLN-MO configs of one setting (same model, data, batch) are
   trained for ``--epochs`` epochs each, alternately, ``--rounds`` times in
   this process; an epoch is timed from after every ``before_train_epoch``
   hook to before every ``after_train_epoch`` hook (no validation, no
   label correction). Goal: ratio (CE epoch time / SLN-MO epoch time)
   >= 0.95.
2. One label-correction pass (the momentum model predicts the whole
   training set, the targets are recomputed) relative to one training
   epoch of the SLN-MO-LC config.

Medians over epochs 2..E of every round. Example:
    python tools/benchmarks/sln_bench.py --setting digits fashionmnist
"""
import argparse
import os.path as osp
import statistics
import tempfile
import time
import uuid

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.runner import Runner

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.engine.hooks import SLNLabelCorrectionHook
from lnl_mm.utils.launch import hooks_by_name

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SETTINGS = {
    'digits': ('smallcnn_1xb64-40e_digits-sym40', {}),
    'fashionmnist': ('cnn4_1xb128-20e_fashionmnist-sym40', {
        'train_dataloader.dataset.dataset.indices': 10000
    }),
}
QUIET = {
    'default_hooks.logger.interval': 10**6,
    'default_hooks.checkpoint.interval': 10**6,
    'train_cfg.val_interval': 10**6,
    'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'custom_hooks.TrainingDynamicsHook.interval': 10**6,
}


class EpochStart(Hook):
    priority = 'LOWEST'

    def __init__(self, log):
        self.log = log

    def before_train_epoch(self, runner):
        self.log.append(-time.perf_counter())


class EpochEnd(Hook):
    priority = 'HIGHEST'

    def __init__(self, log):
        self.log = log

    def after_train_epoch(self, runner):
        self.log[-1] += time.perf_counter()


def train(config, epochs, options):
    cfg = Config.fromfile(config)
    cfg.work_dir = tempfile.mkdtemp(prefix='sln_bench_')
    cfg.experiment_name = f'sln_bench_{uuid.uuid4().hex}'
    cfg.log_level = 'WARNING'
    cfg.merge_from_dict(
        hooks_by_name(cfg, {
            **QUIET,
            **options, 'train_cfg.max_epochs': epochs
        }))
    runner = Runner.from_cfg(cfg)
    epoch_times = []
    runner.register_hook(EpochStart(epoch_times))
    runner.register_hook(EpochEnd(epoch_times))
    runner.train()
    MMLogger._instance_dict.clear()
    return epoch_times[1:]


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        '--setting', nargs='+', default=['digits'], choices=sorted(SETTINGS))
    p.add_argument('--epochs', type=int, default=4)
    p.add_argument('--rounds', type=int, default=3)
    args = p.parse_args()
    lc_times = []
    original = SLNLabelCorrectionHook.correct

    def timed_correct(self, runner):
        start = time.perf_counter()
        original(self, runner)
        lc_times.append(time.perf_counter() - start)

    SLNLabelCorrectionHook.correct = timed_correct
    print('| setting | CE epoch (s) | SLN-MO epoch (s) | throughput ratio '
          '(goal >= 0.95) | LC pass (s) | LC pass / epoch |')
    print('| --- | --- | --- | --- | --- | --- |')
    for name in args.setting:
        tag, options = SETTINGS[name]
        cfg = {
            m: osp.join(ROOT, 'configs/sln', f'{m}_{tag}.py')
            for m in ('ce', 'sln-mo', 'sln-mo-lc')
        }
        ce, mo = [], []
        for _ in range(args.rounds):
            ce += train(cfg['ce'], args.epochs, options)
            mo += train(cfg['sln-mo'], args.epochs, options)
        lc_times.clear()
        lc_epochs = train(cfg['sln-mo-lc'], args.epochs, {
            **options, 'custom_hooks.SLNLabelCorrectionHook.correction_epoch':
            1
        })
        t_ce, t_mo = statistics.median(ce), statistics.median(mo)
        t_lc = statistics.median(lc_times)
        print(
            f'| {name} | {t_ce:.3f} | {t_mo:.3f} | {t_ce / t_mo:.3f} | '
            f'{t_lc:.3f} | {t_lc / statistics.median(lc_epochs):.3f} |',
            flush=True)


if __name__ == '__main__':
    main()
