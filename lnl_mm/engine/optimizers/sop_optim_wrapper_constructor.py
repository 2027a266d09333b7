# Copyright (c) lnl_mm contributors. All rights reserved.
"""Two optimizers: the network's and SOP's per-sample parameters'."""
import copy

from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from mmpretrain.registry import (OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS,
                                 OPTIMIZERS)
from torch import nn

from .meta_optim_wrapper_constructor import _Children

KEYS = ('model', 'sop')


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SOPOptimWrapperConstructor:
    """Build ``OptimWrapperDict(model=..., sop=...)`` for
    :class:`~lnl_mm.models.classifiers.SOPClassifier`.

    ``model`` optimises every child of the classifier except ``sop`` (an
    ordinary optim-wrapper config, built by MMEngine's
    :class:`DefaultOptimWrapperConstructor`: ``paramwise_cfg`` and
    ``clip_grad`` work as usual). ``sop`` optimises ``u`` and ``v`` with the
    optimizer it names and their own learning rates ``lr_u`` and ``lr_v``,
    as the official ``optimizer_overparametrization`` (SGD, momentum 0,
    weight decay 0) with its two parameter groups.

    Example:
        >>> optim_wrapper = dict(
        ...     constructor='SOPOptimWrapperConstructor',
        ...     model=dict(optimizer=dict(type='SGD', lr=0.02,
        ...                               momentum=0.9, weight_decay=5e-4)),
        ...     sop=dict(optimizer=dict(type='SGD', momentum=0,
        ...                             weight_decay=0), lr_u=1, lr_v=10))

    The official code schedules only the network's learning rate: key the
    schedulers, ``param_scheduler = dict(model=[...], sop=[])``.

    Args:
        optim_wrapper_cfg (dict): ``model`` and ``sop`` configs.
        paramwise_cfg: Must be None (give it inside ``model``).
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        if paramwise_cfg is not None:
            raise ValueError('SOPOptimWrapperConstructor: give paramwise_cfg '
                             'inside optim_wrapper.model')
        if set(optim_wrapper_cfg) != set(KEYS):
            raise KeyError(f'SOPOptimWrapperConstructor expects the keys '
                           f'{KEYS}, got {sorted(optim_wrapper_cfg)}')
        sop = optim_wrapper_cfg['sop']
        missing = {'optimizer', 'lr_u', 'lr_v'} - set(sop)
        extra = set(sop) - {'optimizer', 'lr_u', 'lr_v', 'type'}
        if missing or extra:
            raise KeyError('SOPOptimWrapperConstructor: optim_wrapper.sop '
                           'takes optimizer, lr_u and lr_v; missing '
                           f'{sorted(missing)}, unknown {sorted(extra)}')
        for name in ('lr_u', 'lr_v'):
            value = sop[name]
            if isinstance(
                    value,
                    bool) or not isinstance(value,
                                            (int, float)) or not value >= 0:
                raise ValueError(f'SOPOptimWrapperConstructor: sop.{name} '
                                 f'must be a number >= 0, got {value!r}')
        if 'AmpOptimWrapper' in (sop.get('type'),
                                 optim_wrapper_cfg['model'].get('type')):
            raise ValueError(
                'SOPClassifier: --amp with loss scaling (AmpOptimWrapper) is '
                'not supported: the per-sample step needs unscaled gradients')
        if 'lr' in sop['optimizer']:
            raise ValueError('SOPOptimWrapperConstructor: sop.optimizer.lr '
                             'would be ignored; give lr_u and lr_v')
        self.cfg = copy.deepcopy(optim_wrapper_cfg)

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if hasattr(model, 'module'):
            model = model.module
        if getattr(model, 'sop', None) is None:
            raise TypeError('SOPOptimWrapperConstructor builds the optimizers '
                            'of SOPClassifier; this model has no per-sample '
                            f'parameters: {type(model).__name__}')
        part = _Children(
            (n, c) for n, c in model.named_children() if n != 'sop')
        cfg = copy.deepcopy(self.cfg['model'])
        paramwise = cfg.pop('paramwise_cfg', None)
        wrappers = dict(
            model=DefaultOptimWrapperConstructor(cfg, paramwise)(part))
        sop = self.cfg['sop']
        optimizer = OPTIMIZERS.build(
            dict(
                sop['optimizer'],
                params=[
                    dict(params=[model.sop.u], lr=sop['lr_u']),
                    dict(params=[model.sop.v], lr=sop['lr_v'])
                ],
                lr=sop['lr_u']))
        wrappers['sop'] = OPTIM_WRAPPERS.build(
            dict(type=sop.get('type', 'OptimWrapper'), optimizer=optimizer))
        return OptimWrapperDict(**wrappers)
