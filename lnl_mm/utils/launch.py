# Copyright (c) lnl_mm contributors. All rights reserved.
"""What ``tools/train.py`` and ``tools/test.py`` add to mmpretrain's."""
import difflib
import gc
import os
from copy import deepcopy
from typing import Callable, List

import torch
import torch.distributed as torch_dist
from mmengine.config import Config, ConfigDict

from .log import log_info, log_warning

# Scoped: the runner looks wrappers up in MMEngine's root registry.
CPU_DDP = 'mmpretrain.AnyDeviceDistributedDataParallel'

#: Devices MMEngine's ``AmpOptimWrapper`` runs on.
AMP_DEVICES = ('cuda', 'npu', 'mlu', 'musa')


def set_amp(cfg: Config) -> None:
    """Turn on AMP on the optimizer wrapper, or on each sub-wrapper.

    mmpretrain's ``--amp`` rewrites only the top-level type, which is wrong
    for a multi-optimizer (``OptimWrapperDict``) config built by a
    ``constructor``: there every sub-wrapper gets the type instead. Without
    an accelerator of :data:`AMP_DEVICES`, where MMEngine's
    ``AmpOptimWrapper`` refuses to run, the type is
    :class:`~lnl_mm.engine.optimizers.BF16AutocastOptimWrapper` (bfloat16
    autocast on the CPU).
    """
    ow = cfg.optim_wrapper
    subs = [v for v in ow.values() if isinstance(v, dict) and 'optimizer' in v]
    if 'constructor' in ow and subs and 'optimizer' not in ow:
        targets = subs
    else:
        targets = [ow]
    from mmengine.device import get_device
    if get_device() not in AMP_DEVICES:
        # AmpOptimWrapper refuses a machine without an accelerator
        log_info('--amp without a GPU: bfloat16 autocast on the CPU '
                 '(BF16AutocastOptimWrapper; no loss scaling needed)')
        for t in targets:
            t.type = 'BF16AutocastOptimWrapper'
        return
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
    cfg.setdefault('env_cfg',
                   ConfigDict()).setdefault('dist_cfg',
                                            ConfigDict())['backend'] = 'gloo'
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


def teardown_distributed() -> None:
    """Release the process group while the interpreter is fully alive.

    Call it after the runner has gone out of scope: the DDP wrapper's
    reducer holds the process group, and while anything holds it,
    ``destroy_process_group`` only unregisters it. Its gloo threads then
    die during interpreter finalization, which aborts one rank now and
    then ("terminate called without an active exception", exit code -6
    after a finished run; about 1 run in 20 on a loaded 2-core machine).
    The garbage collection frees the runner's reference cycles first, so
    the group, its threads and its sockets go here.
    """
    gc.collect()
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()


#: Hooks ``tools/train.py`` adds to every run that lacks them.
DEFAULT_HOOKS = ('SafeCheckpointHook', 'ResumeCheckHook')


def add_default_hooks(cfg: Config) -> None:
    """Add each of :data:`DEFAULT_HOOKS` missing from ``custom_hooks``."""
    hooks = list(cfg.get('custom_hooks', None) or [])
    present = {h.get('type') for h in hooks}
    hooks += [dict(type=t) for t in DEFAULT_HOOKS if t not in present]
    cfg.custom_hooks = hooks


#: Top-level config keys that MMEngine's Runner, mmpretrain's tools or
#: lnl_mm's read.
RUNNER_KEYS = frozenset({
    'model', 'work_dir', 'experiment_name', 'train_dataloader',
    'val_dataloader', 'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg',
    'auto_scale_lr', 'optim_wrapper', 'param_scheduler', 'val_evaluator',
    'test_evaluator', 'default_hooks', 'custom_hooks', 'data_preprocessor',
    'load_from', 'resume', 'launcher', 'env_cfg', 'log_processor', 'log_level',
    'visualizer', 'default_scope', 'randomness', 'compile',
    'model_wrapper_cfg', 'runner_type', 'custom_imports', 'strategy',
    'activation_checkpointing', 'efficient_conv_bn_eval', 'gpu_ids', 'filename'
})
#: MMCV 1.x / mmcls 0.x keys that MMEngine ignores, and what replaced them.
LEGACY_KEYS = {
    'optimizer': 'optim_wrapper.optimizer',
    'optimizer_config': 'optim_wrapper',
    'lr_config': 'param_scheduler',
    'momentum_config': 'param_scheduler',
    'runner': 'train_cfg',
    'workflow': 'train_cfg',
    'evaluation': 'val_cfg / default_hooks',
    'checkpoint_config': 'default_hooks.checkpoint',
    'log_config': 'default_hooks.logger',
    'dist_params': 'env_cfg.dist_cfg',
}


def check_config_keys(cfg: Config,
                      warn: Callable[[str], None] = log_warning,
                      info: Callable[[str], None] = log_info) -> List[str]:
    """Report top-level config keys that no component reads.

    A key one or two letters away from a key the runner reads
    (``optim_wraper``, ``randomnes``) is almost surely a typo whose setting
    is silently ignored, and an MMCV 1.x key (``lr_config``, ``optimizer``)
    is ignored by MMEngine: both get a warning with the key to use. Other
    unread keys are the config's own helper variables (``train_pipeline``,
    ``data_root``, ...) and are listed once in the log.

    Returns:
        list[str]: The keys warned about.
    """
    unread = sorted(k for k in cfg.keys() if k not in RUNNER_KEYS)
    typos, helpers = [], []
    for key in unread:
        close = difflib.get_close_matches(key, RUNNER_KEYS, n=1, cutoff=0.85)
        if key in LEGACY_KEYS:
            typos.append(key)
            warn(f'config key {key!r} is an MMCV 1.x key that MMEngine '
                 f'ignores; set {LEGACY_KEYS[key]} instead')
        elif close:
            typos.append(key)
            warn(f'config key {key!r} is read by no component, so its '
                 f'setting is ignored; did you mean {close[0]!r}?')
        else:
            helpers.append(key)
    if helpers:
        info('config variables no component reads (helpers used inside '
             'the config): ' + ', '.join(helpers))
    return typos


def hooks_by_name(cfg: Config, options: dict) -> dict:
    """Translate ``custom_hooks.<Type>.<key>`` options into list indices.

    ``custom_hooks`` is a list, so MMEngine's ``--cfg-options`` reach a hook
    only by its position (``custom_hooks.6.correction_epoch=1``), which
    changes whenever a base config adds a hook. Here a hook is addressed by
    its type instead (``custom_hooks.SLNLabelCorrectionHook.correction_epoch
    =1``); numeric indices still work.

    Args:
        cfg (Config): The config the options will be merged into.
        options (dict): ``--cfg-options`` as parsed by ``DictAction``.

    Returns:
        dict: The options with hook types replaced by their indices.
    """
    hooks = list(cfg.get('custom_hooks', None) or [])
    types = [h.get('type') if isinstance(h, dict) else None for h in hooks]
    out = {}
    for key, value in options.items():
        parts = key.split('.')
        if len(parts) > 2 and parts[0] == 'custom_hooks' and \
                not parts[1].isdigit():
            name = parts[1]
            found = [
                i for i, t in enumerate(types)
                if t == name or str(t).split('.')[-1] == name
            ]
            if len(found) != 1:
                raise KeyError(
                    f'--cfg-options {key}: {len(found)} hooks of type '
                    f'{name!r} in custom_hooks (types: {types}); address it '
                    'by index (custom_hooks.N...) when there are several')
            parts[1] = str(found[0])
            key = '.'.join(parts)
        out[key] = value
    return out


def build_runner(cfg: Config):
    """The runner of ``cfg``, as mmpretrain's tools build it.

    ``runner_type`` is honoured; a local ``load_from`` that is a work dir or
    a ``last_checkpoint`` file becomes the checkpoint it names
    (:func:`~lnl_mm.utils.checkpoint.resolve_checkpoint`); the runner's
    logger is quiet about MMEngine's own deprecations
    (:func:`lnl_mm.quiet.quiet_logger`).

    Args:
        cfg (Config): The full config.

    Returns:
        Runner: The built runner.
    """
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner

    from ..quiet import quiet_logger
    from .checkpoint import resolve_checkpoint
    load_from = cfg.get('load_from')
    if isinstance(load_from, str) and '://' not in load_from and (
            os.path.isdir(load_from) or os.path.basename(load_from)
            in ('last_checkpoint', 'latest.pth')):
        cfg.load_from = resolve_checkpoint(load_from)
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg \
        else RUNNERS.build(cfg)
    quiet_logger(runner.logger)
    return runner


def add_tensorboard(cfg: Config) -> None:
    """Add MMEngine's ``TensorboardVisBackend`` to the visualizer (once).

    Args:
        cfg (Config): Changed in place.

    Raises:
        SystemExit: TensorBoard is not installed (with the command that
            installs it).
    """
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        raise SystemExit(
            '--tensorboard needs TensorBoard: pip install -e '
            '".[tensorboard]" (or pip install tensorboard)') from None
    visualizer = cfg.get('visualizer') or ConfigDict(type='Visualizer')
    backends = list(
        visualizer.get('vis_backends') or [dict(type='LocalVisBackend')])
    if not any(b.get('type') == 'TensorboardVisBackend' for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))
    visualizer['vis_backends'] = backends
    cfg.visualizer = visualizer
