# Copyright (c) lnl_mm contributors. All rights reserved.
"""Two optimizers: one for the classifier, one for its meta-net."""
import copy

from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from mmpretrain.registry import OPTIM_WRAPPER_CONSTRUCTORS
from torch import nn

KEYS = ('model', 'meta')


class _Children(nn.Module):
    """A module holding some children of another, keeping their names."""

    def __init__(self, children):
        super().__init__()
        for name, child in children:
            self.add_module(name, child)


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MetaOptimWrapperConstructor:
    """Build ``OptimWrapperDict(model=..., meta=...)`` for a meta classifier.

    ``model`` optimises every child of the classifier except ``meta_net``
    (backbone, neck, head), ``meta`` optimises ``meta_net`` (the weighting
    net of Meta-Weight-Net). Each entry is an ordinary optim-wrapper config
    and is built by MMEngine's :class:`DefaultOptimWrapperConstructor`, so
    ``paramwise_cfg``, ``clip_grad`` and ``--amp`` (each entry becomes an
    ``AmpOptimWrapper``) work as usual.

    Example:
        >>> optim_wrapper = dict(
        ...     constructor='MetaOptimWrapperConstructor',
        ...     model=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        ...     meta=dict(optimizer=dict(type='Adam', lr=1e-3,
        ...                              weight_decay=1e-4)))

    Schedulers act on both optimizers unless keyed by name:
    ``param_scheduler = dict(model=[...], meta=[])``.

    Args:
        optim_wrapper_cfg (dict): ``model`` and ``meta`` configs.
        paramwise_cfg: Must be None (give it inside each entry).
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        if paramwise_cfg is not None:
            raise ValueError('MetaOptimWrapperConstructor: give paramwise_cfg '
                             'inside optim_wrapper.model / .meta')
        unknown = set(optim_wrapper_cfg) - set(KEYS)
        if unknown or 'model' not in optim_wrapper_cfg:
            raise KeyError(f'MetaOptimWrapperConstructor expects the keys '
                           f'{KEYS} ("meta" optional), got '
                           f'{sorted(optim_wrapper_cfg)}')
        self.cfg = copy.deepcopy(optim_wrapper_cfg)

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if hasattr(model, 'module'):
            model = model.module
        parts = dict(
            model=_Children(
                (n, c) for n, c in model.named_children() if n != 'meta_net'))
        if 'meta' in self.cfg:
            if getattr(model, 'meta_net', None) is None:
                raise ValueError('optim_wrapper.meta is set but the model '
                                 f'{type(model).__name__} has no meta_net')
            parts['meta'] = _Children([('meta_net', model.meta_net)])
        elif getattr(model, 'meta_net', None) is not None:
            raise ValueError(f'{type(model).__name__} has a meta_net: give '
                             'optim_wrapper.meta an optimizer for it')
        wrappers = {}
        for key, part in parts.items():
            cfg = copy.deepcopy(self.cfg[key])
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[key] = DefaultOptimWrapperConstructor(cfg, paramwise)(
                part)
        return OptimWrapperDict(**wrappers)
