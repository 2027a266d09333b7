# Copyright (c) lnl_mm contributors. All rights reserved.
"""ELR: CE plus the early-learning regulariser on per-sample targets."""
from typing import List

import torch
from mmpretrain.models import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..losses.elr_loss import (PROB_CLAMP, check_elr_args, elr_probs,
                               elr_regularizer, elr_target_update)
from ..utils import SampleStore, gather_rows
from .meta_inputs import batch_sample_idx

#: The store field of the ELR targets.
ELR_TARGETS = 'elr_targets'


@MODELS.register_module()
class ELRClassifier(ImageClassifier):
    r"""Early-learning regularisation (ELR).

    `Early-Learning Regularization Prevents Memorization of Noisy Labels
    <https://arxiv.org/abs/2007.00151>`_ (NeurIPS 2020), official code
    ``shengliu66/ELR``.

    Each training step first updates the targets of the batch's samples,
    :math:`t_i \leftarrow \beta t_i + (1 - \beta)\hat p_i` (the clamped,
    renormalised softmax, no gradient; see
    :mod:`~lnl_mm.models.losses.elr_loss`), then minimises

    .. math::
        \mathcal L = \underbrace{\mathrm{CE}(z, y)}_{\texttt{loss_ce}}
        + \underbrace{\lambda\,\frac1B \sum_i \log\bigl(1 -
          \langle \bar p_i, t_i \rangle\bigr)}_{\texttt{loss_elr}}

    (the first term is the head's loss, CE in the configs). The targets are
    a field of the model's :class:`~lnl_mm.models.utils.SampleStore`
    (zeros at the start, as the official ``torch.zeros``), indexed by the
    ``sample_idx`` of :class:`~lnl_mm.datasets.NoisyLabelDataset`, saved in
    checkpoints, sized by :class:`~lnl_mm.engine.hooks.SampleStoreHook`
    before a resume loads them. Under DDP every rank writes every rank's
    rows, so the stores stay identical. Prediction is the plain classifier.

    Args:
        beta (float): The targets' momentum :math:`\beta` in ``[0, 1)``.
            The official configs: 0.7 (CIFAR-10 symmetric), 0.9 (CIFAR-10
            asymmetric, CIFAR-100). Defaults to 0.7.
        lambda_elr (float): :math:`\lambda \ge 0`. The official configs: 3
            (CIFAR-10 symmetric), 1 (CIFAR-10 asymmetric), 7 (CIFAR-100).
            Defaults to 3.
        clamp (float): :math:`\epsilon` of the clamp of the softmax, in
            ``(0, 0.5)``. Defaults to 1e-4 (official).
        **kwargs: Arguments of :class:`ImageClassifier`; the head needs
            ``num_classes``.
    """

    def __init__(self,
                 *args,
                 beta: float = 0.7,
                 lambda_elr: float = 3.0,
                 clamp: float = PROB_CLAMP,
                 **kwargs):
        super().__init__(*args, **kwargs)
        check_elr_args(beta, lambda_elr, clamp)
        self.beta, self.lambda_elr, self.clamp = beta, lambda_elr, clamp
        num_classes = getattr(self.head, 'num_classes', None)
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError('ELRClassifier needs a head with num_classes >= '
                             f'2, got {num_classes!r}')
        self.store = SampleStore()
        self.store.add_field(ELR_TARGETS, (num_classes, ), init=0.0)

    def init_sample_state(self, given) -> None:
        """Size the store for the ``(N,)`` given labels of the training set
        (before a checkpoint is resumed)."""
        self.store.initialize(given)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """The head's loss (``loss_ce``) and ``loss_elr``, after the target
        update."""
        if getattr(self.data_preprocessor, 'batch_augments', None):
            raise ValueError(
                'ELRClassifier: batch augmentation (Mixup / CutMix) mixes the '
                'inputs, but the ELR targets belong to single samples; remove '
                'data_preprocessor.batch_augments')
        idx = torch.as_tensor(batch_sample_idx(data_samples))
        cls_score = self.head(self.extract_feat(inputs))
        losses = self.head._get_loss(cls_score, data_samples)
        # MMEngine logs the total as 'loss': the head's term is loss_ce
        losses['loss_ce'] = losses.pop('loss')
        probs = elr_probs(cls_score, self.clamp)
        rows = elr_target_update(
            self.store.get(ELR_TARGETS, idx).to(probs.device), probs,
            self.beta)
        all_idx, all_rows = gather_rows(idx, rows)
        self.store.set(ELR_TARGETS, all_idx, all_rows)
        losses['loss_elr'] = self.lambda_elr * elr_regularizer(probs,
                                                               rows).mean()
        return losses
