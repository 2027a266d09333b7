# Copyright (c) lnl_mm contributors. All rights reserved.
"""Dynamic Loss: a meta-learned label corrector and margin generator."""
from typing import Dict, Optional, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import get_rank
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.registry import MODELS
from torch import Tensor

from ..meta.functional import functional_forward
from ..meta.replay import ForwardState
from .base_meta_classifier import NOT_IN_FORWARD, BaseMetaClassifier, MetaStep
from .meta_inputs import split_optim_wrappers

STAGES = ('meta', 'warmup', 'finetune')
#: Added inside the log of the warm-up corrector loss ``-log t_y`` (the
#: official 1e-8), so that a trust of exactly 0 gives a finite loss.
LOG_EPS = 1e-8


@MODELS.register_module()
class DynamicLossClassifier(BaseMetaClassifier):
    r"""A classifier trained with Dynamic Loss.

    `Dynamic Loss For Robust Learning <https://arxiv.org/abs/2211.12506>`_
    (TPAMI 2023), official code ``jiangwenj02/dynamic_loss``.

    ``meta_net`` (:class:`~lnl_mm.models.DynamicLossMetaNet`) gives each
    training sample a corrected target
    :math:`t_i = g(r_i, \tilde y_i)\, e_{\tilde y_i} + (1 - g)\,\hat y_i`
    from its loss rank :math:`r_i` (set every epoch by
    :class:`~lnl_mm.engine.DynamicLossTrainLoop`) and a hard Gumbel sample
    :math:`\hat y_i` of the prediction on the weak (un-augmented) view, plus
    class margins :math:`q`. The dynamic loss is the mean soft
    cross-entropy of :math:`z + q` against :math:`t`. Three stages, chosen by
    the loop (``data['stage']``):

    * ``'meta'`` (``data = dict(train=..., meta=...)``): a virtual SGD step
      of the classifier on the dynamic loss of the weak view, the plain CE of
      the stepped classifier on a meta batch (strong view), its gradient
      with respect to the meta-net (``optim_wrapper['meta']``), then the real
      step on the strong view with the updated meta-net under no-grad.
    * ``'warmup'``: CE on the given labels; for the first
      ``lc_warmup_iters`` steps the corrector is also trained to reproduce
      the given label (:math:`-\log t_{\tilde y}` with the softmax
      prediction in place of the Gumbel sample).
    * ``'finetune'`` (over the epoch's meta set): CE of :math:`z + q` on the
      given labels, the meta-net fixed.

    The meta gradient is exact and needs no second-order graph of the
    network: the virtual step is affine in the gradient, so
    :math:`\partial L^{meta}/\partial\phi = -\alpha c\, \partial_\phi
    \langle \nabla L^{meta}(\hat\theta), \nabla_\theta L_{dyn}(\theta,
    \phi)\rangle`; the inner product is the forward-mode tangent of the
    dynamic loss along :math:`\alpha c \nabla L^{meta}`, and only the small
    loss head (margins, targets) is differentiated with respect to
    :math:`\phi`.

    The training pipeline must keep the weak view:
    ``StoreWeakView`` before the augmentations and
    ``PackNoisyInputs(algorithm_keys=['weak_img'])``.

    The virtual step is a step of the **real** classifier optimizer, as the
    official code takes it (``higher.innerloop_ctx(classifier,
    optimizer)``): its momentum, dampening, Nesterov flag, current momentum
    buffers and weight decay (``virtual_momentum=True,
    virtual_weight_decay=True``, the defaults here). Pass both as False for
    the plain SGD look-ahead of lnl_mm 0.1 (meta-net gradients 5-43 % off
    the official ones per tensor).

    Args:
        meta_net (dict): ``dict(type='DynamicLossMetaNet', rank_num=100,
            hidden=64)``; ``num_classes`` defaults to the head's.
        lc_warmup_iters (int): Warm-up steps that train the corrector.
            Defaults to 2000 (official).
        gumbel_seed (int): Seed of the Gumbel samples (combined with the
            step and the rank). Defaults to 0.
        virtual_momentum (bool): The real optimizer's momentum in the
            virtual step. Defaults to True (official).
        virtual_weight_decay (bool): Its weight decay. Defaults to True
            (official).
        use_weak_view (bool): Take the look-ahead step (and the warm-up's
            corrector step) on the weak, un-augmented view, as the official
            ``use_weak=True``; False uses the augmented training view.
            Defaults to True.
        **kwargs: Arguments of :class:`BaseMetaClassifier`.
    """

    def __init__(self,
                 *args,
                 meta_net: dict,
                 lc_warmup_iters: int = 2000,
                 gumbel_seed: int = 0,
                 virtual_momentum: bool = True,
                 virtual_weight_decay: bool = True,
                 use_weak_view: bool = True,
                 **kwargs):
        super().__init__(
            *args,
            virtual_momentum=virtual_momentum,
            virtual_weight_decay=virtual_weight_decay,
            **kwargs)
        meta_net = dict(meta_net)
        meta_net.setdefault('num_classes', self.head.num_classes)
        self.meta_net = MODELS.build(meta_net)
        if self.meta_net.num_classes != self.head.num_classes:
            raise ValueError(
                f'meta_net.num_classes={self.meta_net.num_classes} differs '
                f'from head.num_classes={self.head.num_classes}')
        if not isinstance(use_weak_view, bool):
            raise TypeError(f'use_weak_view must be a bool, got '
                            f'{use_weak_view!r}')
        self.lc_warmup_iters = lc_warmup_iters
        self.gumbel_seed = gumbel_seed
        self.use_weak_view = use_weak_view
        self.store.add_field('ranks', dtype=torch.long)
        self.register_buffer('warmup_steps', torch.zeros((), dtype=torch.long))

    @property
    def rank_num(self) -> int:
        return self.meta_net.rank_num

    def set_ranks(self, sample_idx, ranks) -> None:
        """Store the loss ranks of ``sample_idx`` (the loop's rank pass)."""
        self.store.set('ranks', sample_idx, torch.as_tensor(ranks))

    # -- entry point -----------------------------------------------------
    def train_step(
        self, data: dict,
        optim_wrapper: Union[OptimWrapper,
                             OptimWrapperDict]) -> Dict[str, Tensor]:
        stage = data.get('stage', 'meta') if isinstance(data, dict) else None
        if stage not in STAGES or 'train' not in data:
            raise TypeError(
                'DynamicLossClassifier.train_step needs dict(train=..., '
                f"stage={STAGES}) from DynamicLossTrainLoop (set "
                "train_cfg=dict(type='DynamicLossTrainLoop', ...))")
        if stage == 'meta':
            return super().train_step(data, optim_wrapper)
        model_ow, meta_ow = split_optim_wrappers(
            type(self).__name__, optim_wrapper)
        train = self.data_preprocessor(data['train'], True)
        if stage == 'warmup':
            return self.warmup_step(train, model_ow, meta_ow)
        return self.finetune_step(train, model_ow)

    # -- pieces ----------------------------------------------------------
    def _batch(self, train: dict):
        samples = train['data_samples']
        device = train['inputs'].device
        labels = self._labels(samples).to(device)
        ranks = self.store.get('ranks', self._sample_idx(samples)).to(device)
        return samples, labels, ranks

    def weak_inputs(self, samples) -> Tensor:
        """The normalised weak views of a batch (``StoreWeakView``)."""
        if 'weak_img' not in samples[0]:
            raise KeyError(
                'DynamicLossClassifier needs the weak view: add '
                "dict(type='StoreWeakView') before the augmentations and "
                "PackNoisyInputs(algorithm_keys=['weak_img'])")
        weak = torch.stack([s.weak_img for s in samples])
        return self.data_preprocessor(dict(inputs=weak), False)['inputs']

    def inner_view(self, inputs: Tensor, samples) -> Tensor:
        """The inputs of the look-ahead: the weak view, or the training
        view itself with ``use_weak_view=False``."""
        return self.weak_inputs(samples) if self.use_weak_view else inputs

    def dynamic_loss(self, logits: Tensor, margins: Tensor, targets: Tensor,
                     n: Tensor) -> Tensor:
        """This rank's share of the mean soft CE of ``logits + margins``."""
        return self.soft_cross_entropy(logits.float() + margins,
                                       targets).sum() / n

    @staticmethod
    def directional_derivative(logits: Tensor, tangent: Tensor,
                               margins: Tensor, targets: Tensor,
                               n: Tensor) -> Tensor:
        r"""Derivative of :meth:`dynamic_loss` when the logits move along
        ``tangent``: with :math:`p = \mathrm{softmax}(z + q)`,

        .. math::
            \frac{1}{n}\sum_i \Big(\big(\textstyle\sum_k t_{ik}\big)
            \langle p_i, \dot z_i\rangle - \langle t_i, \dot z_i\rangle
            \Big),

        differentiable in the margins and targets (hence in the meta-net).
        """
        p = F.softmax(logits + margins, dim=1)
        return (
            (targets.sum(1, keepdim=True) * p - targets) * tangent).sum() / n

    def gumbel_generator(self, draw: int) -> torch.Generator:
        """A generator seeded by (``gumbel_seed``, step, draw, rank): the
        Gumbel samples are a function of the step, so a resumed run repeats
        them exactly, and ranks draw independently."""
        seed = np.random.SeedSequence(
            [self.gumbel_seed,
             int(self.num_steps), draw,
             get_rank()]).generate_state(1)[0]
        return torch.Generator().manual_seed(int(seed))

    # -- stages ----------------------------------------------------------
    def begin_step(self, train: dict, model_ow: OptimWrapper) -> MetaStep:
        """Adds the ranks, the weak view's logits (a functional forward on
        cloned buffers, its state kept for the replay in
        ``values['weak_state']``) and the Gumbel sample."""
        step = super().begin_step(train, model_ow)
        v = step.values
        v['ranks'] = self.store.get('ranks', self._sample_idx(
            step.samples)).to(step.inputs.device)
        v['weak'] = self.inner_view(step.inputs, step.samples)
        v['weak_state'] = ForwardState.capture(self, v['weak'], NOT_IN_FORWARD)
        with v['weak_state'].recording():
            v['logits_w'] = functional_forward(
                self, {},
                v['weak'],
                buffers=self.forward_buffers(),
                mode='tensor').float()
        v['gumbel'] = self.meta_net.gumbel_prediction(v['logits_w'],
                                                      self.gumbel_generator(0))
        return step

    def inner_objective(self, step: MetaStep) -> Tensor:
        v = step.values
        with torch.no_grad():
            targets = self.meta_net.corrected_targets(v['ranks'], step.labels,
                                                      v['gumbel'])
            margins = self.meta_net.margins()
        return self.dynamic_loss(v['logits_w'], margins, targets, step.n)

    def meta_tangent(self, step: MetaStep, params, tangents,
                     model_ow: OptimWrapper) -> Tensor:
        """Tangent of the weak logits along ``tangents``, replaying the same
        forward (buffers, dropout masks); no graph of the network."""
        step.values['primal_w'], tangent = self.replay_jvp(
            step.values['weak'], params, tangents, step.values['weak_state'])
        return tangent

    def update_meta_net(self, step: MetaStep, tangent: Tensor,
                        meta_ow: Optional[OptimWrapper]) -> None:
        # d L_meta / d phi = -d/d phi <lr c u, grad_theta L_dyn(phi)>; the
        # directional derivative of the soft CE along the logits' tangent,
        # in closed form (see directional_derivative).
        net, v = self.meta_net, step.values
        directional = self.directional_derivative(
            v['primal_w'].float(), tangent.float(), net.margins(),
            net.corrected_targets(v['ranks'], step.labels, v['gumbel']),
            step.n)
        meta_ow.backward(-directional)
        self.finish_update(meta_ow, self.meta_parameters())

    def outer_loss(self, step: MetaStep, tangent: Tensor,
                   model_ow: OptimWrapper):
        net, v = self.meta_net, step.values
        with torch.no_grad():  # the updated meta-net, a new Gumbel sample
            trust = net.trust(v['ranks'], step.labels)
            targets = net.corrected_targets(
                v['ranks'], step.labels,
                net.gumbel_prediction(v['logits_w'], self.gumbel_generator(1)))
            margins = net.margins()
        self.train_forward(step, model_ow)
        loss = self.dynamic_loss(step.logits, margins, targets, step.n)
        # the corrected label, for the diagnostics (MetaDiagnosticsHook
        # scores it against the clean labels; training never does)
        return loss, dict(
            trust=trust, corrected_label=targets.argmax(1)), {
                'meta/trust_mean': trust.mean(),
                'meta/margin_mean': margins.mean()
            }

    def warmup_step(self, train: dict, model_ow: OptimWrapper,
                    meta_ow: Optional[OptimWrapper]) -> Dict[str, Tensor]:
        samples, labels, ranks = self._batch(train)
        n = self.global_batch_size(labels.numel(), labels.device)
        logits, _, _ = self.real_forward(train['inputs'], model_ow)
        loss = self.per_sample_loss(logits, labels).sum() / n
        self.apply_update(loss, model_ow, self.model_parameters())
        log_vars = dict(loss=loss.detach())
        if (int(self.warmup_steps) < self.lc_warmup_iters and meta_ow
                and self.meta_net.use_corrector):
            with torch.no_grad(), torch.autocast(
                    logits.device.type, enabled=False):
                weak = functional_forward(
                    self, {},
                    self.inner_view(train['inputs'], samples),
                    buffers=self.forward_buffers(),
                    mode='tensor').float()
            targets = self.meta_net.corrected_targets(ranks, labels,
                                                      F.softmax(weak, dim=1))
            picked = targets.gather(1, labels.reshape(-1, 1)).reshape(-1)
            corrector_loss = -torch.log(picked + LOG_EPS).sum() / n
            meta_ow.backward(corrector_loss)
            self.finish_update(meta_ow, self.meta_parameters())
            log_vars['corrector_loss'] = corrector_loss.detach()
        self.warmup_steps += 1
        self.record(
            samples, logits, trust=self.meta_net.trust(ranks, labels).detach())
        return log_vars

    def finetune_step(self, train: dict,
                      model_ow: OptimWrapper) -> Dict[str, Tensor]:
        samples, labels, _ = self._batch(train)
        n = self.global_batch_size(labels.numel(), labels.device)
        logits, _, _ = self.real_forward(train['inputs'], model_ow)
        with torch.no_grad():
            margins = self.meta_net.margins()
        targets = F.one_hot(labels, logits.size(1)).float()
        loss = self.dynamic_loss(logits, margins, targets, n)
        self.apply_update(loss, model_ow, self.model_parameters())
        return dict(finetune_loss=loss.detach())
