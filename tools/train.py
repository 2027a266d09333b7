# Copyright (c) lnl_mm contributors. All rights reserved.
"""Train a model: mmpretrain's ``tools/train.py`` plus lnl_mm's additions."""
import argparse
import os
import os.path as osp

import _checkout  # noqa: F401  (this checkout's lnl_mm first)
from mmengine.config import Config, DictAction

import lnl_mm  # noqa: F401  (registers components, checkpoint allowlist)
from lnl_mm.utils.launch import (add_default_hooks, add_tensorboard,
                                 build_runner, check_config_keys,
                                 hooks_by_name, set_amp,
                                 set_dataloader_defaults,
                                 setup_cpu_distributed, teardown_distributed)
from lnl_mm.utils.log import log_info
from lnl_mm.utils.noise_fragment import apply_noise
from lnl_mm.utils.work_dir import prepare_work_dir


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint (a file, a last_checkpoint '
        'pointer or a work dir), or (no value) from the latest checkpoint in '
        'the work dir; fails when there is none')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='start a new run in a work dir that holds an earlier run, '
        'removing its checkpoints and results first')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by actual / auto_scale_lr.base_batch_size')
    parser.add_argument(
        '--tensorboard',
        action='store_true',
        help='also log to TensorBoard (<work_dir>/<timestamp>/vis_data): '
        'scalars, the training-dynamics histograms and figures; needs pip '
        'install -e ".[tensorboard]"')
    parser.add_argument('--no-pin-memory', action='store_true')
    parser.add_argument('--no-persistent-workers', action='store_true')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings, key=value (e.g. '
        'train_dataloader.dataset.noise.rate=0.8)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--noise',
        help='label noise: a fragment of configs/_base_/noise (a name such '
        'as sym80 or asym40_cifar10, or a file path); denoising configs: an '
        'image noise style for training and evaluation (gauss25, '
        'bernoulli0.3, ...). Applied before --cfg-options')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Merge CLI arguments into the config."""
    if args.tensorboard:
        add_tensorboard(cfg)
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        set_amp(cfg)
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    set_dataloader_defaults(cfg, not args.no_pin_memory,
                            not args.no_persistent_workers)
    if args.noise is not None:
        log_info(f'Training noise from --noise {args.noise}: '
                 f'{apply_noise(cfg, args.noise)}')
    if args.cfg_options is not None:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
        # again: --cfg-options ...num_workers=0 must not keep the
        # persistent workers set above (PyTorch refuses them)
        set_dataloader_defaults(cfg, not args.no_pin_memory,
                                not args.no_persistent_workers)
    if args.no_validate:
        cfg.custom_hooks = [
            h for h in cfg.get('custom_hooks', [])
            if h.get('type') != 'AccuracySummaryHook'
        ]
    cfg.load_from = prepare_work_dir(
        osp.abspath(cfg.work_dir), bool(cfg.get('resume', False)),
        cfg.get('load_from', None), args.overwrite)
    add_default_hooks(cfg)
    check_config_keys(cfg)
    setup_cpu_distributed(cfg, args.launcher)
    return cfg


def train(cfg):
    """Build the runner and train; the runner is freed on return."""
    runner = build_runner(cfg)
    runner.train()


def main():
    args = parse_args()
    train(merge_args(Config.fromfile(args.config), args))
    teardown_distributed()


if __name__ == '__main__':
    main()
