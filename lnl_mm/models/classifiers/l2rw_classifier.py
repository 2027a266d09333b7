# Copyright (c) lnl_mm contributors. All rights reserved.
"""Learning to reweight examples (L2RW)."""
import torch
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from torch import Tensor

from ..meta.weights import WEIGHTINGS, l2rw_scores, normalize_weights
from .base_meta_classifier import BaseMetaClassifier, MetaStep


@MODELS.register_module()
class L2RWClassifier(BaseMetaClassifier):
    r"""Per-sample weights from one look-ahead step on a clean meta batch.

    `Learning to Reweight Examples for Robust Deep Learning
    <https://arxiv.org/abs/1803.09050>`_ (ICML 2018)

    Each step (Algorithm 1): with per-sample perturbations
    :math:`\epsilon = 0`, the gradient
    :math:`g_i = \partial L^{meta}(\theta - \alpha \nabla\sum_j
    \epsilon_j\ell_j) / \partial\epsilon_i` on the clean meta batch gives

    .. math::
        \tilde w_i = \max(-g_i, 0), \qquad
        w_i = \frac{\tilde w_i}{\sum_j \tilde w_j + \delta(\sum_j \tilde w_j)}

    and the update minimises the weighted *sum*
    :math:`\sum_i w_i \ell_i(\theta)`. A batch whose samples all disagree
    with the meta gradient gets zero weights and no data gradient (counted in
    ``meta/zero_weight`` in the log), never NaN. ``weighting='sigmoid'``
    uses :math:`\sigma(-g_i)` instead, the variant of the ISIC reweighting
    seed; because :math:`|g_i| \ll 1` its weights are close to uniform.

    Gradient clipping (``0.25`` in the ISIC setting) is MMEngine's
    ``optim_wrapper.clip_grad=dict(max_norm=0.25)``.

    Args:
        weighting (str): ``'clamp'`` (default) or ``'sigmoid'``.
        floor (float): Rectification floor of ``'clamp'``. Defaults to 0.
        **kwargs: Arguments of :class:`BaseMetaClassifier` (``meta_params``,
            ``virtual_momentum``, ``virtual_weight_decay``) and
            :class:`ImageClassifier`.
    """

    def __init__(self,
                 *args,
                 weighting: str = 'clamp',
                 floor: float = 0.,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if weighting not in WEIGHTINGS:
            raise ValueError(f'weighting must be one of {WEIGHTINGS}, got '
                             f'weighting={weighting!r}')
        if floor < 0:
            raise ValueError(f'floor must be >= 0, got floor={floor}')
        self.weighting = weighting
        self.floor = float(floor)

    def outer_loss(self, step: MetaStep, tangent: Tensor,
                   model_ow: OptimWrapper):
        eps_grad = -tangent  # d L_meta / d eps
        weights = normalize_weights(
            l2rw_scores(eps_grad, self.weighting, self.floor),
            reduce_sum=self._dist_sum)
        loss = (weights * self.train_losses(step, model_ow)).sum()
        relative = weights * step.n
        zero = torch.tensor(float(weights.sum() == 0))
        return loss, dict(weight=relative), {
            'meta/zero_weight': zero,
            'meta/weight_max': relative.max().detach()
        }
