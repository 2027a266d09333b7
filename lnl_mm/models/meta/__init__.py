# Copyright (c) lnl_mm contributors. All rights reserved.
from .dynamic_loss_net import DynamicLossMetaNet, loss_ranks
from .functional import (clone_buffers, dual_forward, eps_grad_reference,
                         functional_forward, meta_gradient, sgd_direction,
                         sgd_gradient_coefficient, trainable_params,
                         virtual_sgd_step)
from .meta_weight_net import MetaWeightNet
from .replay import ForwardState, replay_dual_forward
from .virtual_sgd import SGDRule, VirtualSGD
from .weights import l2rw_scores, normalize_weights

__all__ = [
    'clone_buffers', 'dual_forward', 'eps_grad_reference',
    'functional_forward', 'meta_gradient', 'sgd_direction',
    'sgd_gradient_coefficient', 'trainable_params', 'virtual_sgd_step',
    'DynamicLossMetaNet', 'loss_ranks', 'MetaWeightNet', 'l2rw_scores',
    'normalize_weights', 'SGDRule', 'VirtualSGD', 'ForwardState',
    'replay_dual_forward'
]
