# Copyright (c) lnl_mm contributors. All rights reserved.
r"""The real optimizer's next step, as a function of the gradient.

A meta step needs the parameters the real optimizer *would* reach,
:math:`\hat\theta = \theta - \alpha\, D(g)`, without moving them, and the
slope of that step with respect to the gradient. :class:`VirtualSGD` reads
both off a :class:`torch.optim.SGD` as it stands: per parameter, its group's
learning rate, momentum, dampening, Nesterov flag and weight decay, and its
current momentum buffer. Pure PyTorch, like :mod:`.functional`.
"""
from dataclasses import dataclass
from typing import Dict, Optional

import torch
from torch import Tensor

from .functional import Params, sgd_gradient_coefficient, virtual_sgd_step


@dataclass(frozen=True)
class SGDRule:
    """The SGD hyper-parameters and momentum buffer of one parameter."""
    lr: float
    momentum: float = 0.
    dampening: float = 0.
    nesterov: bool = False
    weight_decay: float = 0.
    buffer: Optional[Tensor] = None

    @property
    def slope(self) -> float:
        r""":math:`c = \partial D / \partial g`
        (:func:`~.functional.sgd_gradient_coefficient`)."""
        return sgd_gradient_coefficient(self.momentum, self.dampening,
                                        self.nesterov, self.buffer is None)


class VirtualSGD:
    r"""SGD's rule per parameter, applied functionally (nothing moves).

    ``step`` is differentiable in the gradients (pass gradients with a graph
    to differentiate through it); ``tangents`` gives :math:`\alpha c\, u`,
    the direction along which a forward-mode pass yields
    :math:`-\partial L^{meta}/\partial\epsilon` (:mod:`.functional`).

    Args:
        rules (dict): :class:`SGDRule` by parameter name.
    """

    def __init__(self, rules: Dict[str, SGDRule]):
        self.rules = rules

    @classmethod
    def from_optimizer(cls,
                       optimizer: torch.optim.Optimizer,
                       params: Params,
                       momentum: bool = False,
                       weight_decay: bool = False) -> 'VirtualSGD':
        """The rules of ``params`` in ``optimizer`` at this moment.

        Args:
            optimizer (Optimizer): The real optimizer of ``params``.
            params (dict): The parameters of the virtual step, by name.
            momentum (bool): Take the optimizer's momentum, dampening,
                Nesterov flag and momentum buffers. Needs
                :class:`torch.optim.SGD`. Defaults to False (as the
                classifiers' ``virtual_momentum``).
            weight_decay (bool): Take its weight decay. Needs
                :class:`torch.optim.SGD`. Defaults to False.

        Without either, the virtual step is a plain SGD step at each group's
        learning rate, whatever the optimizer (L2RW and Meta-Weight-Net).
        """
        sgd = isinstance(optimizer, torch.optim.SGD)
        if (momentum or weight_decay) and not sgd:
            raise ValueError(
                'the virtual step replays SGD: virtual_momentum and '
                'virtual_weight_decay need optim_wrapper.optimizer of type '
                f'SGD, got {type(optimizer).__name__}')
        group_of = {
            id(p): group
            for group in optimizer.param_groups
            for p in group['params']
        }
        rules = {}
        for name, p in params.items():
            group = group_of.get(id(p))
            if group is None:
                raise ValueError(f'parameter {name} is not in the model '
                                 'optimizer (optim_wrapper.optimizer)')
            if sgd and group.get('maximize', False):
                raise ValueError('the virtual step minimises: SGD with '
                                 'maximize=True is not supported')
            mu = group.get('momentum', 0.) if momentum else 0.
            rules[name] = SGDRule(
                lr=float(group['lr']),
                momentum=mu,
                dampening=group.get('dampening', 0.),
                nesterov=group.get('nesterov', False),
                weight_decay=group.get('weight_decay', 0.)
                if weight_decay else 0.,
                buffer=optimizer.state.get(p, {}).get('momentum_buffer')
                if mu else None)
        return cls(rules)

    def step(self, params: Params, grads: Params) -> Params:
        """The parameters after one step on ``grads``, parameter by
        parameter (groups may differ)."""
        out = {}
        for name, p in params.items():
            r = self.rules[name]
            out.update(
                virtual_sgd_step({name: p}, {name: grads[name]},
                                 r.lr,
                                 momentum=r.momentum,
                                 dampening=r.dampening,
                                 nesterov=r.nesterov,
                                 weight_decay=r.weight_decay,
                                 momentum_buffers=None
                                 if r.buffer is None else {name: r.buffer}))
        return out

    def tangents(self, grads: Params) -> Params:
        r""":math:`\alpha c\, g` per parameter: minus the derivative of
        :meth:`step` with respect to the gradient, along ``grads`` (the step
        is affine in the gradient)."""
        return {
            name: g * (self.rules[name].lr * self.rules[name].slope)
            for name, g in grads.items()
        }
