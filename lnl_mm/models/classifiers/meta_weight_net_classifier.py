# Copyright (c) lnl_mm contributors. All rights reserved.
"""Meta-Weight-Net: a weighting network learned on a clean meta set."""
from typing import Optional

import torch
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from torch import Tensor

from .base_meta_classifier import BaseMetaClassifier, MetaStep


@MODELS.register_module()
class MetaWeightNetClassifier(BaseMetaClassifier):
    r"""A classifier trained with Meta-Weight-Net sample weights.

    `Meta-Weight-Net: Learning an Explicit Mapping For Sample Weighting
    <https://arxiv.org/abs/1902.07379>`_ (NeurIPS 2019)

    Each step, with per-sample losses :math:`\ell_i` and weights
    :math:`v_i = V(\ell_i; \phi)` of the weighting net (``meta_net``):

    1. virtual step :math:`\hat\theta(\phi) = \theta - \alpha \nabla_\theta
       \frac1n \sum_i v_i \ell_i` with the real learning rate;
    2. meta step on :math:`\phi` with the clean meta loss
       :math:`L^{meta}(\hat\theta(\phi))` (``optim_wrapper['meta']``, Adam
       1e-3 with weight decay 1e-4 in ``MW-Net.py``);
    3. real step on :math:`\frac1n\sum_i V(\ell_i; \phi')\,\ell_i` with the
       *updated* net under no-grad.

    ``normalize=True`` divides by :math:`\sum_j v_j` instead of ``n`` (the
    WRN-28-10 script). The meta gradient is exact: the virtual step is affine
    in :math:`v`, so :math:`\partial L^{meta}/\partial v_i = -\alpha c /n\,
    \langle \nabla L^{meta}(\hat\theta), \nabla\ell_i \rangle`, one
    forward-mode pass (see :mod:`lnl_mm.models.meta.functional`), then a
    backward through the weighting net only.

    Args:
        meta_net (dict): The weighting net, e.g.
            ``dict(type='MetaWeightNet', hidden=100)``.
        normalize (bool): Normalise the weights by their sum. Defaults to
            False (``MW-Net.py``).
        **kwargs: Arguments of :class:`BaseMetaClassifier`.
    """

    def __init__(self,
                 *args,
                 meta_net: dict,
                 normalize: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.meta_net = MODELS.build(meta_net)
        self.normalize = normalize

    def _coefficients(self, weights: Tensor, n: Tensor) -> Tensor:
        """Per-sample coefficients of the (global) objective; ``n`` is the
        global batch size."""
        if self.normalize:
            total = weights.sum().reshape(1)
            total_all = total.detach().clone()
            self._dist_sum(total_all)
            # Keep the local graph, use the global value.
            total = total + (total_all - total).detach()
            return weights / total.clamp_min(torch.finfo(total.dtype).tiny)
        return weights / n

    def begin_step(self, train: dict, model_ow: OptimWrapper) -> MetaStep:
        step = super().begin_step(train, model_ow)
        step.values['losses'] = self.train_losses(step, model_ow)
        return step

    def inner_objective(self, step: MetaStep) -> Tensor:
        losses = step.values['losses']
        step.values['coef'] = self._coefficients(self.meta_net(losses), step.n)
        return (step.values['coef'].detach() * losses).sum()

    def update_meta_net(self, step: MetaStep, tangent: Tensor,
                        meta_ow: Optional[OptimWrapper]) -> None:
        # d L_meta / d coef_i = -tangent_i; a surrogate carries it to phi.
        meta_ow.backward((step.values['coef'] * -tangent.detach()).sum())
        self.finish_update(meta_ow, self.meta_parameters())

    def outer_loss(self, step: MetaStep, tangent: Tensor,
                   model_ow: OptimWrapper):
        losses = step.values['losses']
        with torch.no_grad():  # the updated net
            coef = self._coefficients(self.meta_net(losses), step.n)
        return (coef * losses).sum(), dict(weight=coef * step.n), {
            'meta/vnet_mean': coef.mean() * step.n
        }
