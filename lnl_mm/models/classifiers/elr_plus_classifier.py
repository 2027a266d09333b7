# Copyright (c) lnl_mm contributors. All rights reserved.
"""ELR+: ELR on two networks with weight averaging and mixup."""
from typing import Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS

from ..losses.elr_loss import PROB_CLAMP, check_elr_args
from ..losses.elr_plus_loss import (elr_plus_target_update, elr_plus_terms,
                                    sigmoid_rampup)
from ..selection import mix_coefficient, mixup
from ..utils import MomentumModel, gather_rows
from .two_network_classifier import NETS, TwoNetworkClassifier

#: How the weight average's decay grows with the network's step.
EMA_RAMPUPS = ('sigmoid', 'mean_teacher')


def _number(name: str,
            value,
            low: float,
            high: Optional[float] = None,
            open_low: bool = False) -> float:
    """``value`` as a float, or an error naming the option."""
    bad = isinstance(value, bool) or not isinstance(value, (int, float))
    if not bad:
        bad = value <= low if open_low else value < low
        bad = bad or (high is not None and not value < high)
    if bad:
        if high is None:
            span = f'> {low}' if open_low else f'>= {low}'
        else:
            span = f'in {"(" if open_low else "["}{low}, {high})'
        raise ValueError(f'ELRPlusClassifier: {name} must be a number '
                         f'{span}, got {name}={value!r}')
    return float(value)


@MODELS.register_module()
class ELRPlusClassifier(TwoNetworkClassifier):
    r"""ELR+, as the official code composes it.

    `Early-Learning Regularization Prevents Memorization of Noisy Labels
    <https://arxiv.org/abs/2007.00151>`_ (NeurIPS 2020), official code
    ``shengliu66/ELR`` (``ELR_plus/``).

    Two networks, each with a weight average (``ema_net1``, ``ema_net2``,
    :class:`~lnl_mm.models.utils.MomentumModel` over the parameters) and
    its own ELR targets in :attr:`store` (``elr_targets_net1`` /
    ``elr_targets_net2``, zeros at the start). Each epoch trains net1 for a
    whole pass over the training set, then net2 for its own pass
    (:class:`~lnl_mm.engine.TwoNetworkTrainLoop` with
    :attr:`sequential_passes`). A step of network :math:`k` on a batch:

    1. the **peer's weight average** predicts the un-mixed batch (no
       gradient, in training mode as the official code: BatchNorm uses the
       batch statistics) and updates network :math:`k`'s targets,
       :math:`t_i \leftarrow \beta t_i + (1 - \beta) \mathrm{softmax}`;
    2. **mixup**: :math:`l \sim \mathrm{Beta}(\alpha, \alpha)`,
       :math:`l \leftarrow \max(l, 1 - l)`, a permutation :math:`\pi` of the
       batch; inputs, one-hot labels and targets are mixed with it;
    3. the loss on network :math:`k`'s logits of the mixed batch, soft CE
       plus :math:`r(s) \lambda \log(1 - \langle q, \bar p\rangle)`
       (:mod:`~lnl_mm.models.losses.elr_plus_loss`), :math:`s` the
       network's step, 1-based;
    4. the optimizer step, then the network's weight average:
       :math:`\bar\theta \leftarrow d_s \bar\theta + (1 - d_s) \theta` with
       :math:`d_s = d \cdot \exp(-5 (1 - \min(s + 1, S) / S)^2)` (the
       official ``ema_update``; ``ema_rampup='mean_teacher'``:
       :math:`\min(1 - 1 / (s + 1), d)`). BatchNorm statistics are not
       averaged: the average copies the network's.

    The test is the argmax of the two networks' summed logits
    (``eval_mode='logit_sum'``, the official test averages them). The
    training dynamics record the peer average's logits of net1's
    un-mixed batches (what net1's targets follow; net1's own logits are of
    mixed images), and the diagnostics the targets' mass on the given
    label (``elr_target_given``).

    Under DDP every rank computes what one process computes on the
    concatenated batch (losses normalised by the global count, gradients
    summed, every rank writes every rank's target rows), except the mixup
    permutation, drawn within each rank, and the BatchNorm batch
    statistics; the mixup draws are seeded by the step (``mix_seed``), so a
    resumed run repeats them.

    Args:
        beta (float): The targets' momentum :math:`\beta` in ``[0, 1)``.
            Official: 0.7 (CIFAR-10), 0.9 (CIFAR-10 asymmetric, CIFAR-100).
            Defaults to 0.7.
        lambda_elr (float): :math:`\lambda \ge 0`. Official: 3 (CIFAR-10),
            1 (CIFAR-10 asymmetric), 7 (CIFAR-100). Defaults to 3.
        mixup_alpha (float): :math:`\alpha \ge 0` of the mixup; 0 turns
            mixup off (the official ``_mixup_data``). Defaults to 1.
        ema_decay (float): :math:`d` in ``(0, 1)``. Defaults to 0.997.
        ema_rampup (str): ``'sigmoid'`` (the official configs'
            ``ema_update: true``) or ``'mean_teacher'``. Defaults to
            ``'sigmoid'``.
        ema_rampup_steps (int): :math:`S`, steps of the sigmoid ramp of the
            decay (0: none). Official: 40,000. Defaults to 40000.
        coef_rampup_steps (int): Steps of the sigmoid ramp of
            :math:`\lambda` (0: none). Official: 0 (CIFAR-10), 40,000
            (CIFAR-100). Defaults to 0.
        label_reweight (bool, optional): Re-weight the mixed labels by the
            targets. None: as the official code, on exactly when the head
            has 100 classes. Defaults to None.
        clamp (float): :math:`\epsilon` of the clamp of the softmax in the
            regulariser. Defaults to 1e-4 (official).
        mix_seed (int): Seed of the mixup draws. Defaults to 0.
        eval_mode (str): Defaults to ``'logit_sum'``.
        **kwargs: Arguments of :class:`TwoNetworkClassifier`.
    """

    sequential_passes = True

    def __init__(self,
                 *args,
                 beta: float = 0.7,
                 lambda_elr: float = 3.0,
                 mixup_alpha: float = 1.0,
                 ema_decay: float = 0.997,
                 ema_rampup: str = 'sigmoid',
                 ema_rampup_steps: int = 40000,
                 coef_rampup_steps: int = 0,
                 label_reweight: Optional[bool] = None,
                 clamp: float = PROB_CLAMP,
                 mix_seed: int = 0,
                 eval_mode: str = 'logit_sum',
                 **kwargs):
        super().__init__(*args, eval_mode=eval_mode, **kwargs)
        check_elr_args(beta, lambda_elr, clamp)
        self.beta, self.lambda_elr, self.clamp = beta, lambda_elr, clamp
        self.mixup_alpha = _number('mixup_alpha', mixup_alpha, 0.0)
        self.ema_decay = _number('ema_decay', ema_decay, 0.0, 1.0, True)
        if ema_rampup not in EMA_RAMPUPS:
            raise ValueError(f'ELRPlusClassifier: ema_rampup must be one of '
                             f'{EMA_RAMPUPS}, got ema_rampup={ema_rampup!r}')
        self.ema_rampup = ema_rampup
        for name, value in (('ema_rampup_steps', ema_rampup_steps),
                            ('coef_rampup_steps', coef_rampup_steps)):
            if isinstance(value,
                          bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f'ELRPlusClassifier: {name} must be an int '
                                 f'>= 0, got {name}={value!r}')
        self.ema_rampup_steps = ema_rampup_steps
        self.coef_rampup_steps = coef_rampup_steps
        if label_reweight is None:
            label_reweight = self.num_classes == 100
        if not isinstance(label_reweight, bool):
            raise TypeError('ELRPlusClassifier: label_reweight must be a bool '
                            f'or None, got label_reweight={label_reweight!r}')
        self.label_reweight = label_reweight
        self.draw_seed = int(mix_seed)
        self.check_plain_ce()
        for name in NETS:
            self.add_module(
                f'ema_{name}',
                MomentumModel(
                    getattr(self, name),
                    decay=self.ema_decay,
                    update_buffers=False))
            self.store.add_field(
                f'elr_targets_{name}', (self.num_classes, ), init=0.0)

    @property
    def emas(self) -> Tuple[MomentumModel, MomentumModel]:
        """``(ema_net1, ema_net2)``."""
        return self.ema_net1, self.ema_net2

    def init_weights(self) -> None:
        """Initialise the networks, then start each weight average as a
        copy of its network."""
        super().init_weights()
        for net, ema in zip(self.nets, self.emas):
            ema.module.load_state_dict(net.state_dict())

    def ema_decay_at(self, step: int) -> float:
        """The decay of the weight average's ``step``-th update
        (1-based)."""
        if self.ema_rampup == 'mean_teacher':
            return min(1.0 - 1.0 / (step + 1), self.ema_decay)
        return self.ema_decay * sigmoid_rampup(step + 1, self.ema_rampup_steps)

    # -- steps ---------------------------------------------------------------
    def two_network_step(self, data, wrappers: Tuple[OptimWrapper,
                                                     ...]) -> Dict:
        net = data.get('net') if isinstance(data, dict) else None
        if net not in (0, 1) or 'train' not in data:
            raise TypeError(
                'ELRPlusClassifier.train_step needs dict(stage=..., '
                'net=0|1, train=batch) from a sequential TwoNetworkTrainLoop '
                "(set train_cfg=dict(type='TwoNetworkTrainLoop', ...))")
        self.last_train_logits, self.last_record = None, {}
        return self.elr_plus_step(data['train'], net, wrappers[net])

    def elr_plus_step(self, data: dict, k: int, ow: OptimWrapper) -> Dict:
        """One step of network ``k``: targets from the peer's average, then
        the ELR loss on a mixed batch, then the weight average."""
        net, own_ema, peer_ema = self.nets[k], self.emas[k], self.emas[1 - k]
        batch = self.data_preprocessor(data, True)
        samples, x = batch['data_samples'], batch['inputs']
        labels = self._labels(samples).to(x.device)
        idx = torch.as_tensor(self._sample_idx(samples))
        field = f'elr_targets_{NETS[k]}'
        with torch.no_grad():
            peer_logits = self.logits(peer_ema.module, x)
        targets = elr_plus_target_update(
            self.store.get(field, idx).to(x.device), peer_logits, self.beta)
        self.store.set(field, *gather_rows(idx, targets))
        onehot = F.one_hot(labels, self.num_classes).to(targets)
        lam, perm = 1.0, torch.arange(x.size(0), device=x.device)
        if self.mixup_alpha > 0:
            lam = mix_coefficient(self.mixup_alpha, self.step_generator(0))
            perm = torch.as_tensor(
                self.step_generator(1, per_rank=True).permutation(x.size(0)),
                device=x.device)
        x_mix, y_mix = mixup(x, onehot, lam, perm)
        q = lam * targets + (1 - lam) * targets[perm]
        with ow.optim_context(net):
            logits = self.logits(net, x_mix)
        ce, reg = elr_plus_terms(logits, y_mix, q, self.clamp,
                                 self.label_reweight)
        step = int(own_ema.steps) + 1  # this network's step, 1-based
        weight = self.lambda_elr * sigmoid_rampup(step, self.coef_rampup_steps)
        n = self.global_count(x.size(0), x.device)
        loss_ce, loss_elr = ce.sum() / n, weight * reg.sum() / n
        loss = loss_ce + loss_elr
        self.update(loss, ow, net)
        decay = self.ema_decay_at(step)
        own_ema.update_parameters(net, decay=decay)
        if k == 0:
            self.record(
                samples,
                peer_logits,
                elr_target_given=targets.gather(1, labels[:, None])[:, 0])
        return {
            'loss': loss.detach(),
            f'loss_ce_{NETS[k]}': loss_ce.detach(),
            f'loss_elr_{NETS[k]}': loss_elr.detach(),
            'elr_weight': torch.tensor(weight),
            'mix_lambda': torch.tensor(lam),
            'ema_decay': torch.tensor(decay),
        }
