# Copyright (c) lnl_mm contributors. All rights reserved.
"""What ``tools/train.py`` and ``tools/test.py`` add to mmpretrain's."""
import os
from copy import deepcopy

import torch
import torch.distributed as torch_dist
from mmengine.config import Config, ConfigDict

# Scoped: the runner looks wrappers up in MMEngine's root registry.
CPU_DDP = 'mmpretrain.AnyDeviceDistributedDataParallel'


def set_amp(cfg: Config) -> None:
    """Turn on AMP on the optimizer wrapper, or on each sub-wrapper.

    mmpretrain's ``--amp`` rewrites only the top-level type, which is wrong
    for a multi-optimizer (``OptimWrapperDict``) config built by a
    ``constructor``: there every sub-wrapper gets the type instead.
    """
    ow = cfg.optim_wrapper
    subs = [v for v in ow.values()
            if isinstance(v, dict) and 'optimizer' in v]
    if 'constructor' in ow and subs and 'optimizer' not in ow:
        targets = subs
    else:
        targets = [ow]
    for t in targets:
        t.type = 'AmpOptimWrapper'
        t.setdefault('loss_scale', 'dynamic')


def set_dataloader_defaults(cfg: Config, pin_memory: bool,
                            persistent_workers: bool) -> None:
    """mmpretrain's dataloader defaults, valid for ``num_workers=0`` too."""
    for field in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(field, None) is None:
            continue
        loader = ConfigDict(
            pin_memory=pin_memory and torch.cuda.is_available(),
            persistent_workers=persistent_workers,
            collate_fn=dict(type='default_collate'))
        loader.update(deepcopy(cfg[field]))
        if not loader.get('num_workers', 0):
            loader.persistent_workers = False
        cfg[field] = loader


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Make ``--launcher pytorch`` work on a machine without a GPU.

    MMEngine's launcher calls ``torch.cuda.set_device`` unconditionally and
    its DDP wrapper passes ``device_ids``. Without CUDA we initialise the
    process group with gloo ourselves (MMEngine then skips its own
    initialisation) and select :class:`AnyDeviceDistributedDataParallel`.
    """
    if launcher != 'pytorch' or torch.cuda.is_available():
        return
    cfg.setdefault('env_cfg', ConfigDict()).setdefault(
        'dist_cfg', ConfigDict())['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or ConfigDict()
    if wrapper.get('type', 'MMDistributedDataParallel') == \
            'MMDistributedDataParallel':
        wrapper['type'] = CPU_DDP
        cfg.model_wrapper_cfg = wrapper
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']))


#: Hooks ``tools/train.py`` adds to every run that lacks them.
DEFAULT_HOOKS = ('SafeCheckpointHook', 'ResumeCheckHook')


def add_default_hooks(cfg: Config) -> None:
    """Add each of :data:`DEFAULT_HOOKS` missing from ``custom_hooks``."""
    hooks = list(cfg.get('custom_hooks', None) or [])
    present = {h.get('type') for h in hooks}
    hooks += [dict(type=t) for t in DEFAULT_HOOKS if t not in present]
    cfg.custom_hooks = hooks
