# Copyright (c) lnl_mm contributors. All rights reserved.
"""Alternating meta reweighting and meta refurbishment ("proposal")."""
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from torch import Tensor

from ..meta.weights import normalize_weights
from ..utils import gather_rows
from .base_meta_classifier import MetaStep
from .meta_refurbish_classifier import MetaRefurbishClassifier


@MODELS.register_module()
class MetaProposalClassifier(MetaRefurbishClassifier):
    r"""Reweighting and hard refurbishment, recomputed on alternate steps.

    The "proposal" of the ISIC reweighting seed
    (``Cute77/learning-to-reweight-examples``, ``train_mix_distributed.py``),
    on the meta step of `L2RW <https://arxiv.org/abs/1803.09050>`_. With
    :math:`g_i` the meta gradient of sample :math:`i`, odd steps (1, 3, ...)
    recompute the trust :math:`\beta_i = \sigma(-g_i)` and even steps the
    weight score :math:`s_i = \sigma(-g_i)`; both are kept per sample
    (initially :math:`\beta = 1`, trust the given label, and :math:`s = 0.5`,
    uniform weights; :math:`\beta` is not updated during ``warmup_iters``),
    so every update applies each sample's latest values:

    .. math::
        L = \sum_i \frac{s_i}{\sum_j s_j}\,
        \mathrm{CE}\big(z_i,\ \beta_i e_{\tilde y_i}
        + (1 - \beta_i) e_{\hat y_i}\big)

    with :math:`\hat y_i` the predicted class. The seed keeps the latest
    batch-level tensors instead, which pairs them with the samples of another
    batch; storing them per sample (checkpointed, identical on all ranks) is
    what "latest" can mean for a sample.

    ``oracle=True`` is the **upper bound** of the seed's table, not a method:
    :math:`\hat y_i` is the *clean* label (what a network trained on clean
    data predicts at best). It reads ``clean_label`` from the batch, the one
    training path allowed to (``docs/design.md``, decision 6), and needs
    ``PackNoisyInputs``. Open-set samples (no clean class) keep the given
    label.

    Args:
        oracle (bool): The clean-label upper bound. Defaults to False.
        **kwargs: Arguments of :class:`BaseMetaClassifier`.
    """

    def __init__(self, *args, oracle: bool = False, **kwargs):
        if kwargs.pop('target', 'hard') != 'hard':
            raise ValueError('MetaProposalClassifier refurbishes with hard '
                             "targets only (target='hard')")
        super().__init__(*args, target='hard', **kwargs)
        self.oracle = oracle
        self.store.add_field('beta', init=1.0)
        self.store.add_field('score', init=0.5)

    def _predictions(self, samples, logits: Tensor, labels: Tensor) -> Tensor:
        if not self.oracle:
            return logits.detach().argmax(dim=1)
        if 'clean_label' not in samples[0]:
            raise KeyError(
                'MetaProposalClassifier(oracle=True) needs clean_label in '
                'the batch: end the training pipeline with PackNoisyInputs')
        clean = torch.as_tensor([int(s.clean_label) for s in samples],
                                device=labels.device)
        return torch.where(clean >= 0, clean, labels)

    def outer_loss(self, step: MetaStep, tangent: Tensor,
                   model_ow: OptimWrapper):
        eps_grad = -tangent  # d L_meta / d eps
        idx = self._sample_idx(step.samples)
        field = 'beta' if int(self.num_steps) % 2 == 1 else 'score'
        if field == 'score' or not self.warming_up:
            self.store.set(field, *gather_rows(idx, torch.sigmoid(-eps_grad)))
        device = tangent.device
        beta = self.store.get('beta', idx).to(device)
        weights = normalize_weights(
            self.store.get('score', idx).to(device), reduce_sum=self._dist_sum)
        self.train_forward(step, model_ow)
        num_classes = step.logits.size(1)
        pred = self._predictions(step.samples, step.logits, step.labels)
        targets = beta.reshape(-1, 1) * F.one_hot(
            step.labels, num_classes).float() + (1 - beta).reshape(
                -1, 1) * F.one_hot(pred, num_classes).float()
        loss = (weights * self.soft_cross_entropy(step.logits, targets)).sum()
        return loss, dict(
            weight=weights * step.n, beta=beta), {
                'meta/beta_mean': beta.mean()
            }
