# Copyright (c) lnl_mm contributors. All rights reserved.
"""Optimizers of a two-network classifier: one per network, or one joint."""
import copy

from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from mmpretrain.registry import OPTIM_WRAPPER_CONSTRUCTORS

from .meta_optim_wrapper_constructor import _Children


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class TwoNetworkOptimWrapperConstructor:
    """Build the ``OptimWrapperDict`` of a
    :class:`~lnl_mm.models.TwoNetworkClassifier`.

    The config is an ordinary optim-wrapper config (``type``,
    ``optimizer``, ``clip_grad``, ``paramwise_cfg``, ...), built by
    MMEngine's :class:`DefaultOptimWrapperConstructor` once per network:
    ``OptimWrapperDict(net1=..., net2=...)``, each network its own optimizer
    (Co-teaching, Co-teaching+, DivideMix). With ``joint=True`` it is one
    wrapper over the parameters of both networks,
    ``OptimWrapperDict(joint=...)`` (JoCoR's single Adam). Parameter
    schedulers act on every wrapper, and ``--amp`` sets the type of the
    config (one AMP wrapper per optimizer).

    Example:
        >>> optim_wrapper = dict(
        ...     constructor='TwoNetworkOptimWrapperConstructor',
        ...     optimizer=dict(type='Adam', lr=1e-3))

    Args:
        optim_wrapper_cfg (dict): The optim-wrapper config, plus ``joint``
            (bool, default False).
        paramwise_cfg (dict, optional): As for
            :class:`DefaultOptimWrapperConstructor`.
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        cfg = copy.deepcopy(dict(optim_wrapper_cfg))
        self.joint = cfg.pop('joint', False)
        if not isinstance(self.joint, bool):
            raise TypeError('optim_wrapper.joint must be a bool, got '
                            f'{self.joint!r}')
        if 'optimizer' not in cfg:
            raise KeyError('TwoNetworkOptimWrapperConstructor needs '
                           'optim_wrapper.optimizer (one config, built for '
                           'each network)')
        self.cfg, self.paramwise_cfg = cfg, paramwise_cfg

    def _build(self, module):
        return DefaultOptimWrapperConstructor(
            copy.deepcopy(self.cfg), copy.deepcopy(self.paramwise_cfg))(
                module)

    def __call__(self, model) -> OptimWrapperDict:
        if hasattr(model, 'module'):
            model = model.module
        if not (hasattr(model, 'net1') and hasattr(model, 'net2')):
            raise TypeError('TwoNetworkOptimWrapperConstructor builds the '
                            'optimizers of a two-network classifier (net1, '
                            f'net2), got {type(model).__name__}')
        expected = getattr(model, 'joint_optimizer', self.joint)
        if expected != self.joint:
            raise ValueError(
                f'{type(model).__name__} trains with '
                f'{"one joint optimizer" if expected else "one optimizer per network"}'  # noqa: E501
                f': set optim_wrapper.joint={expected}')
        if self.joint:
            both = _Children([('net1', model.net1), ('net2', model.net2)])
            return OptimWrapperDict(joint=self._build(both))
        return OptimWrapperDict(
            net1=self._build(model.net1), net2=self._build(model.net2))
