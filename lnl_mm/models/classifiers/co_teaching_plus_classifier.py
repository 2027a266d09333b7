# Copyright (c) lnl_mm contributors. All rights reserved.
"""Co-teaching+: Co-teaching on the samples where the networks disagree."""
from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS

from .co_teaching_classifier import CoTeachingClassifier

EMPTY_RULES = ('skip', 'official')
#: The official empty-disagreement branch trains on the whole batch while
#: ``epoch * batch_index`` is below this (``loss.py``: ``step < 5000``).
OFFICIAL_EMPTY_STEPS = 5000


@MODELS.register_module()
class CoTeachingPlusClassifier(CoTeachingClassifier):
    r"""Co-teaching+ ("update by disagreement").

    `How does Disagreement Help Generalization against Label Corruption?
    <https://arxiv.org/abs/1901.04215>`_ (ICML 2019), official code
    ``xingruiyu/coteaching_plus``.

    Until ``init_epoch`` it is :class:`CoTeachingClassifier`. Then each
    step keeps only the samples on which the two networks' predictions
    (argmax) disagree, and runs Co-teaching's small-loss exchange within
    them, with :math:`\lfloor (1 - \tau_T) |D| \rfloor` kept (all of
    :math:`D` when that floors to 0, as the official code).

    Official behaviours that are bugs, kept as options:

    * ``softmax_as_logits=True``: the official disagreement loss is the
      cross-entropy of the *softmax probabilities* taken as logits
      (``F.cross_entropy(F.softmax(z), y)``, ``loss.py``), which changes the
      ranking and shrinks the gradients; the default is the loss on the
      logits, as the paper writes it.
    * ``empty_disagreement='official'``: when no sample of the batch
      disagrees, the official code trains on the whole batch while the
      epoch (1-based) times the batch index is below 5000 and afterwards
      takes an optimizer step on a zero loss (Adam still moves); the
      default ``'skip'`` takes no step (nothing to learn from).
    * ``double_norm`` as in Co-teaching.

    Not replicated: the official code drops a disagreeing sample whose
    dataset index is 0 and then the last disagreeing one (a masking bug;
    one sample, rarely).

    Args:
        init_epoch (int): The official ``init_epoch``: Co-teaching runs
            while the 1-based epoch is below it (epochs 1..19 for 20, the
            official CIFAR-10 value; 5 for CIFAR-100, 0 for MNIST).
            Defaults to 20.
        softmax_as_logits (bool): See above. Defaults to False.
        empty_disagreement (str): ``'skip'`` or ``'official'``.
        **kwargs: Arguments of :class:`CoTeachingClassifier`.
    """

    def __init__(self,
                 *args,
                 init_epoch: int = 20,
                 softmax_as_logits: bool = False,
                 empty_disagreement: str = 'skip',
                 **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(init_epoch, int) or init_epoch < 0:
            raise ValueError(f'init_epoch must be an int >= 0, got '
                             f'init_epoch={init_epoch!r}')
        if empty_disagreement not in EMPTY_RULES:
            raise ValueError(f'empty_disagreement must be one of '
                             f'{EMPTY_RULES}, got {empty_disagreement!r}')
        if not isinstance(softmax_as_logits, bool):
            raise TypeError('softmax_as_logits must be a bool, got '
                            f'{softmax_as_logits!r}')
        self.init_epoch = init_epoch
        self.softmax_as_logits = softmax_as_logits
        self.empty_disagreement = empty_disagreement

    @property
    def disagreement_phase(self) -> bool:
        """Whether this epoch selects within the disagreement set."""
        return self.epoch + 1 >= self.init_epoch

    def criterion_inputs(self, logits):
        """What the disagreement loss takes as logits (the softmax under
        ``softmax_as_logits``)."""
        if self.softmax_as_logits:
            return F.softmax(logits.float(), dim=1)
        return logits

    def two_network_step(self, data, wrappers: Tuple[OptimWrapper,
                                                     ...]) -> Dict:
        if not self.disagreement_phase:
            return super().two_network_step(data, wrappers)
        batch = self.data_preprocessor(data, True)
        samples, inputs = batch['data_samples'], batch['inputs']
        labels = self._labels(samples).to(inputs.device)
        z1, z2 = self.forward_both(inputs, wrappers)
        rate = self.current_forget_rate()
        disagree = z1.detach().argmax(1) != z2.detach().argmax(1)
        num_disagree = self.global_count(disagree.sum(), inputs.device)
        losses = (self.per_sample_loss(self.net1, self.criterion_inputs(z1),
                                       labels),
                  self.per_sample_loss(self.net2, self.criterion_inputs(z2),
                                       labels))
        log_vars = dict(
            forget_rate=torch.tensor(rate),
            disagreement=(num_disagree / self.global_count(
                labels.numel(), inputs.device)).detach().reshape(()))
        if int(num_disagree) > 0:
            loss1, loss2, kept1, kept2 = self.exchange_losses(
                losses, rate, disagree, keep_all_if_none=True)
        elif self.empty_disagreement == 'skip':
            self.record(samples, z1, selected1=disagree, selected2=disagree)
            zero = z1.new_zeros(()).detach()
            return dict(loss=zero, loss1=zero, loss2=zero, **log_vars)
        else:
            loss1, loss2 = self.official_empty_losses(losses, labels.numel())
            kept1 = kept2 = torch.ones_like(disagree)
        self.update(loss1, wrappers[0], self.net1)
        self.update(loss2, wrappers[1], self.net2)
        self.record(samples, z1, selected1=kept1, selected2=kept2)
        return dict(
            loss=(loss1 + loss2).detach(),
            loss1=loss1.detach(),
            loss2=loss2.detach(),
            **log_vars)

    def official_empty_losses(self, losses, batch_size: int):
        """The official branch without disagreement: the batch mean while
        ``epoch * batch_index < 5000`` (1-based epoch), zero after."""
        gate = float((self.epoch + 1) * self.epoch_step < OFFICIAL_EMPTY_STEPS)
        n = self.global_count(batch_size, losses[0].device)
        return tuple(loss.sum() / n * gate for loss in losses)
