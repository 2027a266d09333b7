# Copyright (c) lnl_mm contributors. All rights reserved.
"""Alternating meta reweighting and meta refurbishment ("proposal")."""
import torch
import torch.nn.functional as F
from mmengine.dist import get_world_size
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

    ``state='previous_batch'`` reproduces the seed's bookkeeping instead
    (``train_mix_distributed.py``): the steps are counted from 0 in every
    epoch (the loop calls :meth:`start_epoch`), even steps
    recompute the weights (``sigma(-g)`` divided by their sum over the rank's
    batch) and odd steps the trust ``beta``; each is a batch-level tensor that
    the next steps apply **by position** to whatever samples come next
    (``beta`` starts at 1). Both tensors are model buffers, saved with the
    checkpoint, and each rank's own under DDP, as in the seed. The batches
    must all have the seed's size (it drops the last incomplete one:
    ``train_dataloader.drop_last=True``).

    Args:
        oracle (bool): The clean-label upper bound. Defaults to False.
        state (str): ``'per_sample'`` (the latest values of each sample) or
            ``'previous_batch'`` (the seed's). Defaults to ``'per_sample'``.
        **kwargs: Arguments of :class:`BaseMetaClassifier`.
    """

    seed_beta: Tensor  # 'previous_batch' state (sized by the first batch)
    seed_weight: Tensor
    seed_epoch_step: Tensor  # the seed's i: the batch index in the epoch
    #: Each rank's own batch tensors (MetaDistributedDataParallel does not
    #: broadcast them from rank 0): the seed keeps them per GPU.
    rank_local_buffers = ('seed_beta', 'seed_weight')

    def __init__(self,
                 *args,
                 oracle: bool = False,
                 state: str = 'per_sample',
                 **kwargs):
        if kwargs.pop('target', 'hard') != 'hard':
            raise ValueError('MetaProposalClassifier refurbishes with hard '
                             "targets only (target='hard')")
        super().__init__(*args, target='hard', **kwargs)
        if state not in ('per_sample', 'previous_batch'):
            raise ValueError("state must be 'per_sample' or 'previous_batch',"
                             f' got state={state!r}')
        self.oracle = oracle
        self.state = state
        self.store.add_field('beta', init=1.0)
        self.store.add_field('score', init=0.5)
        self.register_buffer('seed_beta', torch.zeros(0))
        self.register_buffer('seed_weight', torch.zeros(0))
        self.register_buffer('seed_epoch_step',
                             torch.zeros((), dtype=torch.long))

    def start_epoch(self) -> None:
        """Called by the meta loop before each epoch: the seed's batch
        index ``i`` (its parity) restarts at 0."""
        self.seed_epoch_step.zero_()

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        for name in ('seed_beta', 'seed_weight'):  # sized by the first batch
            saved = state_dict.get(prefix + name)
            if saved is not None:
                setattr(self, name, torch.empty_like(saved))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def _previous_batch_state(self, eps_grad: Tensor):
        """The seed's: ``(beta, weights)`` of this step, by position."""
        size = eps_grad.numel()
        if self.seed_beta.numel() == 0:
            self.seed_beta = torch.ones(size, device=eps_grad.device)
            self.seed_weight = torch.ones(size, device=eps_grad.device)
        if self.seed_beta.numel() != size:
            raise ValueError(
                f"MetaProposalClassifier(state='previous_batch') applies the "
                f'previous batch by position: a batch of {size} after '
                f'{self.seed_beta.numel()}; set train_dataloader.drop_last='
                'True (as the seed)')
        score = torch.sigmoid(-eps_grad.detach().float())
        i = int(self.seed_epoch_step)
        self.seed_epoch_step += 1
        if i % 2 == 0:  # the seed's even i (0-based within the epoch)
            total = score.sum()
            self.seed_weight = score / total if total != 0 else score
        elif not self.warming_up:
            self.seed_beta = score
        # each rank's weights sum to 1 and DDP averages the gradients in
        # the seed; here gradients are summed over ranks
        return self.seed_beta.clone(), self.seed_weight / get_world_size()

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
        if self.state == 'previous_batch':
            beta, weights = self._previous_batch_state(eps_grad)
        else:
            idx = self._sample_idx(step.samples)
            field = 'beta' if int(self.num_steps) % 2 == 1 else 'score'
            if field == 'score' or not self.warming_up:
                self.store.set(field,
                               *gather_rows(idx, torch.sigmoid(-eps_grad)))
            device = tangent.device
            beta = self.store.get('beta', idx).to(device)
            weights = normalize_weights(
                self.store.get('score', idx).to(device),
                reduce_sum=self._dist_sum)
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
