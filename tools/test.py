# Copyright (c) lnl_mm contributors. All rights reserved.
"""Evaluate a checkpoint: mmpretrain's ``tools/test.py`` with lnl_mm."""
import argparse
import os
import os.path as osp

import _checkout  # noqa: F401  (this checkout's lnl_mm first)
from mmengine.config import Config, DictAction

import lnl_mm  # noqa: F401  (registers components, checkpoint allowlist)
from lnl_mm.utils import resolve_checkpoint
from lnl_mm.utils.launch import (build_runner, check_config_keys,
                                 hooks_by_name, set_dataloader_defaults,
                                 setup_cpu_distributed, teardown_distributed)
from lnl_mm.utils.log import log_info
from lnl_mm.utils.noise_fragment import apply_noise, image_noise_transforms


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save the results')
    parser.add_argument('--out', help='dump the predictions to a pickle file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings, key=value')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='test with automatic mixed precision')
    parser.add_argument('--no-pin-memory', action='store_true')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--noise',
        help='denoising configs: the image noise style of the test images '
        '(gauss25, impulse0.3, ...), as given to tools/train.py --noise')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Merge CLI arguments into the config."""
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = resolve_checkpoint(args.checkpoint)
    if args.amp:
        cfg.test_cfg = cfg.get('test_cfg') or {}
        cfg.test_cfg.fp16 = True
    if args.out is not None:
        cfg.test_evaluator = [
            *(cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else
              [cfg.test_evaluator]),
            dict(type='DumpResults', out_file_path=args.out)
        ]
    set_dataloader_defaults(cfg, not args.no_pin_memory, True)
    if args.noise is not None:
        if not image_noise_transforms(cfg):
            raise SystemExit(
                '--noise: tools/test.py sets the image noise of a denoising '
                'config; a classifier is always tested on clean labels')
        log_info(f'Test noise from --noise {args.noise}: '
                 f'{apply_noise(cfg, args.noise)}')
    if args.cfg_options is not None:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
        # again: --cfg-options ...num_workers=0 must not keep the
        # persistent workers set above (PyTorch refuses them)
        set_dataloader_defaults(cfg, not args.no_pin_memory, True)
    check_config_keys(cfg)
    setup_cpu_distributed(cfg, args.launcher)
    return cfg


def evaluate(cfg):
    """Build the runner and test; the runner is freed on return."""
    runner = build_runner(cfg)
    metrics = runner.test()
    runner.logger.info(f'Test metrics: {metrics}')


def main():
    args = parse_args()
    evaluate(merge_args(Config.fromfile(args.config), args))
    teardown_distributed()


if __name__ == '__main__':
    main()
