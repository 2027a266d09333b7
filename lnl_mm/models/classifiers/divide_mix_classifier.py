# Copyright (c) lnl_mm contributors. All rights reserved.
"""DivideMix: co-divided training sets and MixMatch with two networks."""
from typing import Dict, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from torch import Tensor

from ..selection import (linear_rampup, mix_coefficient, mixup,
                         negative_entropy_sum, prior_penalty, sharpen,
                         soft_cross_entropy_sum, squared_error_sum)
from ..utils.dist_utils import sum_over_ranks
from .two_network_classifier import NETS, TwoNetworkClassifier

STAGES = ('warmup', 'ssl')
#: Key of the second augmented view (``ExtraAugmentedView``).
VIEW2 = 'view2'


@MODELS.register_module()
class DivideMixClassifier(TwoNetworkClassifier):
    r"""DivideMix.

    `DivideMix: Learning with Noisy Labels as Semi-supervised Learning
    <https://arxiv.org/abs/2002.07394>`_ (ICLR 2020), official code
    ``LiJunnan1992/DivideMix``.

    :class:`~lnl_mm.engine.DivideMixTrainLoop` drives it: it warms both
    networks up with CE, then every epoch fits a two-component Gaussian
    mixture to each network's per-sample losses and writes the clean
    probabilities :math:`w_i` into :attr:`store` (``clean_prob_net1`` /
    ``clean_prob_net2``); each network then trains on the division of its
    **peer** (co-divide): a labelled set (:math:`w_i > \tau`) and an
    unlabelled one. A semi-supervised step of network :math:`k`
    (``stage='ssl'``) on a labelled batch :math:`x` and an unlabelled batch
    :math:`u`, each with two augmented views:

    * **co-refinement**: :math:`\bar y = \mathrm{Sharpen}(w\,y + (1 - w)\,
      \tfrac12 \sum_v p_k(x_v), T)`;
    * **co-guessing**: :math:`q = \mathrm{Sharpen}(\tfrac14 \sum_v (p_k(u_v)
      + p_{peer}(u_v)), T)` (network :math:`k` in train mode, the peer in
      eval mode, as the official code);
    * **MixMatch**: :math:`l \sim \mathrm{Beta}(\alpha, \alpha)`,
      :math:`l \leftarrow \max(l, 1 - l)`, both views of both batches
      mixed with a random permutation of all of them, one forward pass;
    * the loss :math:`L_x + \lambda_u r(t) L_u + L_{reg}`: soft CE on the
      labelled part, the squared error of the probabilities on the
      unlabelled part (averaged over samples *and* classes, as the official
      code), :math:`r(t)` a linear ramp over ``rampup_epochs`` epochs after
      the warm-up, and the uniform-prior penalty
      :math:`\sum_c \tfrac1C \log(\tfrac{1/C}{\bar p_c})` on the mean
      prediction of the mixed batch.

    The warm-up step (``stage='warmup'``) is CE on the given labels, plus
    the confidence penalty :math:`\sum_c p_c \log p_c` with
    ``warmup_penalty=True`` (the official setting for asymmetric noise).

    Under DDP every rank computes what one process computes on the
    concatenated batch (losses normalised by global counts; the prior
    penalty from the global mean prediction; one mixup coefficient), except
    the mixup permutation, drawn within each rank, and the BatchNorm batch
    statistics. The mixup draws are seeded by the step (``mix_seed``, the
    step counter; the permutation also by the rank): a resumed run repeats
    them.
    The training pipeline must add the second view
    (``ExtraAugmentedView`` and ``PackNoisyInputs(algorithm_keys=
    ['view2'])``).

    Args:
        lambda_u (float): :math:`\lambda_u` >= 0 (official: 0 for CIFAR-10
            sym 20 % and asym 40 %, 25 for sym 50/80 %, 50 at 90 %; 25 /
            150 for CIFAR-100). Defaults to 25.
        temperature (float): :math:`T`. Defaults to 0.5.
        alpha (float): Beta(:math:`\alpha, \alpha`). Defaults to 4.
        rampup_epochs (float): Length of the ramp of :math:`\lambda_u`.
            Defaults to 16.
        warmup_penalty (bool): The confidence penalty in the warm-up.
            Defaults to False.
        prior_weight (float): Weight of the uniform-prior penalty.
            Defaults to 1 (official).
        loss_history (int): The mixture is fitted on the mean of the last
            ``loss_history`` epochs' normalised losses (official: 5 at 90 %
            noise, else 1). Defaults to 1.
        mix_seed (int): Seed of the mixup draws. Defaults to 0.
        eval_mode (str): Defaults to ``'logit_sum'``, the official test.
        **kwargs: Arguments of :class:`TwoNetworkClassifier`.
    """

    def __init__(self,
                 *args,
                 lambda_u: float = 25.0,
                 temperature: float = 0.5,
                 alpha: float = 4.0,
                 rampup_epochs: float = 16.0,
                 warmup_penalty: bool = False,
                 prior_weight: float = 1.0,
                 loss_history: int = 1,
                 mix_seed: int = 0,
                 eval_mode: str = 'logit_sum',
                 **kwargs):
        super().__init__(*args, eval_mode=eval_mode, **kwargs)
        for name, value, low in (('lambda_u', lambda_u,
                                  0.0), ('rampup_epochs', rampup_epochs, 0.0),
                                 ('prior_weight', prior_weight, 0.0)):
            if isinstance(value,
                          bool) or not isinstance(value,
                                                  (int, float)) or value < low:
                raise ValueError(f'{name} must be a number >= {low}, got '
                                 f'{name}={value!r}')
        for name, value in (('temperature', temperature), ('alpha', alpha)):
            if isinstance(value,
                          bool) or not isinstance(value,
                                                  (int, float)) or value <= 0:
                raise ValueError(f'{name} must be a number > 0, got '
                                 f'{name}={value!r}')
        if not isinstance(warmup_penalty, bool):
            raise TypeError('warmup_penalty must be a bool, got '
                            f'{warmup_penalty!r}')
        if not isinstance(loss_history, int) or loss_history < 1:
            raise ValueError('loss_history must be an int >= 1, got '
                             f'loss_history={loss_history!r}')
        self.lambda_u = float(lambda_u)
        self.temperature = float(temperature)
        self.alpha = float(alpha)
        self.rampup_epochs = float(rampup_epochs)
        self.warmup_penalty = warmup_penalty
        self.prior_weight = float(prior_weight)
        self.loss_history = loss_history
        self.draw_seed = int(mix_seed)
        self.check_plain_ce()
        for name in NETS:
            self.store.add_field(f'clean_prob_{name}', init=1.0)
            self.store.add_field(f'losses_{name}', (loss_history, ))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        saved = state_dict.get(prefix + 'store.losses_net1')
        if saved is not None and saved.dim() == 2 and \
                saved.shape[1] != self.loss_history:
            raise ValueError(
                f'the checkpoint keeps the losses of {saved.shape[1]} '
                f'epoch(s) (loss_history={saved.shape[1]}), this model '
                f'loss_history={self.loss_history}: resume with the same '
                'value')
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    # -- the division (written by the loop) -------------------------------
    def push_losses(self, net: int, losses: np.ndarray) -> np.ndarray:
        """Append the ``(N,)`` normalised losses of network ``net`` (0 or 1)
        to its history; return the mixture's input (the mean of the last
        ``loss_history`` epochs)."""
        name = f'losses_{NETS[net]}'
        history = getattr(self.store, name)
        new = torch.as_tensor(np.asarray(losses), dtype=history.dtype)
        rows = torch.cat([new.reshape(-1, 1), history[:, :-1].cpu()], dim=1)
        self.store.set_all(name, rows)
        filled = min(self.store.writes(name), self.loss_history)
        return rows[:, :filled].double().mean(1).numpy()

    def set_clean_prob(self, net: int, prob: np.ndarray) -> None:
        """The clean probabilities from network ``net``'s losses."""
        self.store.set_all(f'clean_prob_{NETS[net]}',
                           torch.as_tensor(np.asarray(prob)))

    def clean_prob(self, net: int) -> np.ndarray:
        """``(N,)`` clean probabilities from network ``net``'s losses."""
        return getattr(self.store,
                       f'clean_prob_{NETS[net]}').detach().cpu().numpy()

    # -- steps ---------------------------------------------------------------
    def two_network_step(self, data, wrappers: Tuple[OptimWrapper,
                                                     ...]) -> Dict:
        stage = data.get('stage') if isinstance(data, dict) else None
        net = data.get('net') if isinstance(data, dict) else None
        if stage not in STAGES or net not in (0, 1):
            raise TypeError(
                'DivideMixClassifier.train_step needs dict(stage=...'
                f"{STAGES}, net=0|1, ...) from DivideMixTrainLoop (set "
                "train_cfg=dict(type='DivideMixTrainLoop', ...))")
        self.last_train_logits, self.last_record = None, {}
        if stage == 'warmup':
            return self.warmup_step(data['train'], net, wrappers[net])
        return self.ssl_step(data, net, wrappers[net])

    def warmup_step(self, data: dict, k: int, ow: OptimWrapper) -> Dict:
        """CE (plus the confidence penalty) on the given labels, for
        network ``k``."""
        net = self.nets[k]
        batch = self.data_preprocessor(data, True)
        samples, inputs = batch['data_samples'], batch['inputs']
        labels = self._labels(samples).to(inputs.device)
        with ow.optim_context(net):
            logits = self.logits(net, inputs)
        n = self.global_count(labels.numel(), inputs.device)
        ce = F.cross_entropy(logits.float(), labels, reduction='sum') / n
        loss = ce
        log_vars = {f'warmup_ce_{NETS[k]}': ce.detach()}
        if self.warmup_penalty:
            penalty = negative_entropy_sum(logits) / n
            loss = loss + penalty
            log_vars[f'neg_entropy_{NETS[k]}'] = penalty.detach()
        self.update(loss, ow, net)
        if k == 0:
            self.record(samples, logits)
        return dict(loss=loss.detach(), **log_vars)

    def second_view(self, samples) -> Tensor:
        """The normalised second augmented views of a batch."""
        if VIEW2 not in samples[0]:
            raise KeyError(
                'DivideMixClassifier needs two augmented views: add '
                "dict(type='ExtraAugmentedView', transforms=[...]) to the "
                "training pipeline and PackNoisyInputs(algorithm_keys="
                "['view2'])")
        views = torch.stack([s.get(VIEW2) for s in samples])
        return self.data_preprocessor(dict(inputs=views), False)['inputs']

    def ssl_step(self, data: dict, k: int, ow: OptimWrapper) -> Dict:
        """One MixMatch step of network ``k`` on its peer's division."""
        net, peer = self.nets[k], self.nets[1 - k]
        lab = self.data_preprocessor(data['labeled'], True)
        x1 = lab['inputs']
        x2 = self.second_view(lab['data_samples'])
        views_u = ()
        if data.get('unlabeled') is not None:  # None: everything labelled
            unl = self.data_preprocessor(data['unlabeled'], True)
            views_u = (unl['inputs'], self.second_view(unl['data_samples']))
        device = x1.device
        labels = self._labels(lab['data_samples']).to(device)
        # w from the peer's losses: the division this network trains on
        w = self.store.get(f'clean_prob_{NETS[1 - k]}',
                           self._sample_idx(
                               lab['data_samples'])).to(device).reshape(-1, 1)
        with torch.no_grad(), ow.optim_context(net):
            net.train()
            peer.eval()
            targets_u = []
            if views_u:
                p = [
                    F.softmax(self.logits(m, v).float(), 1)
                    for m in (net, peer) for v in views_u
                ]
                targets_u = [sharpen(sum(p) / 4, self.temperature)] * 2
            px = sum(
                F.softmax(self.logits(net, v).float(), 1)
                for v in (x1, x2)) / 2
            onehot = F.one_hot(labels, self.num_classes).float()
            targets_x = sharpen(w * onehot + (1 - w) * px, self.temperature)
        inputs = torch.cat([x1, x2, *views_u])
        targets = torch.cat([targets_x, targets_x, *targets_u])
        lam = mix_coefficient(self.alpha, self.step_generator(0))
        perm = torch.as_tensor(
            self.step_generator(1, per_rank=True).permutation(inputs.size(0)),
            device=device)
        mixed_inputs, mixed_targets = mixup(inputs, targets, lam, perm)
        with ow.optim_context(net):
            logits = self.logits(net, mixed_inputs).float()
        nx = 2 * x1.size(0)
        n_x = self.global_count(nx, device)
        n_u = self.global_count(inputs.size(0) - nx, device)
        loss_x = soft_cross_entropy_sum(logits[:nx], mixed_targets[:nx]) / n_x
        loss_u = squared_error_sum(logits[nx:], mixed_targets[nx:]) / (
            n_u.clamp_min(1) * self.num_classes)
        ramp = linear_rampup(
            float(data.get('rampup_progress', 0.0)), 0.0, self.rampup_epochs)
        weight_u = self.lambda_u * ramp
        penalty = prior_penalty(self.global_mean_prediction(logits))
        loss = loss_x + weight_u * loss_u + self.prior_weight * penalty
        self.update(loss, ow, net)
        return {
            'loss': loss.detach(),
            f'loss_x_{NETS[k]}': loss_x.detach(),
            f'loss_u_{NETS[k]}': loss_u.detach(),
            'lambda_u': torch.tensor(weight_u),
            'prior_penalty': penalty.detach(),
            'mix_lambda': torch.tensor(lam),
        }

    def global_mean_prediction(self, logits: Tensor) -> Tensor:
        """The mean softmax of all ranks' ``logits``, differentiable
        through this rank's rows (the others' enter as constants)."""
        local = F.softmax(logits, dim=1).sum(0)
        total = local.detach().clone()
        sum_over_ranks([total])
        n = self.global_count(logits.size(0), logits.device)
        return (local + (total - local.detach())) / n
