# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared machinery of the meta-learning classifiers (L2RW, refurbishment,
proposal, Meta-Weight-Net, Dynamic Loss): one bilevel step, of which each
method supplies only what differs."""
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.models import ImageClassifier
from torch import Tensor

from ..meta.functional import (Params, clone_buffers, functional_forward,
                               meta_gradient, trainable_params)
from ..meta.replay import ForwardState, replay_dual_forward
from ..meta.virtual_sgd import VirtualSGD
from ..utils import SampleStore, refuse_old_layout
from ..utils.dist_utils import mean_over_ranks, sum_over_ranks
from .meta_inputs import (batch_labels, batch_sample_idx, check_meta_labels,
                          check_meta_wrapper, split_optim_wrappers)

META_PARAMS = ('all', 'head')
#: Buffers no forward reads (the per-sample tables): never copied per step.
NOT_IN_FORWARD = ('store.', )


@dataclass
class MetaStep:
    """What one bilevel step knows about its training batch.

    :meth:`BaseMetaClassifier.begin_step` fills the first fields; the real
    forward (``logits``, ``feats``, ``replay``) is run by whichever stage
    needs it first; ``values`` holds what a method computes along the way.
    """
    samples: list
    labels: Tensor
    #: The number of training samples over all ranks.
    n: Tensor
    inputs: Tensor
    #: The real training forward (:meth:`BaseMetaClassifier.train_forward`)
    #: and the state it started from.
    logits: Optional[Tensor] = None
    feats: Optional[Tuple[Tensor, ...]] = None
    replay: Optional[ForwardState] = None
    meta_loss: Optional[Tensor] = None
    values: Dict[str, Any] = field(default_factory=dict)


class BaseMetaClassifier(ImageClassifier):
    r"""An :class:`ImageClassifier` whose ``train_step`` is a bilevel step.

    It receives ``data = dict(train=batch, meta=batch)`` from
    :class:`~lnl_mm.engine.MetaEpochBasedTrainLoop` and an
    :class:`OptimWrapper` (or an :class:`OptimWrapperDict` with ``model`` and,
    for methods with a meta-net, ``meta``). :meth:`meta_train_step` is the
    one recipe of every method:

    1. :meth:`begin_step`: the batch's labels and global size (methods add
       their forward passes);
    2. :meth:`inner_objective`: the loss of the virtual step (``None``, the
       default: the L2RW family's per-sample perturbations at 0);
    3. the virtual step (:class:`~lnl_mm.models.meta.VirtualSGD` of the real
       optimizer) and the meta gradient :math:`u` at its parameters;
    4. :meth:`meta_tangent`: the forward-mode derivative along
       :math:`\alpha c\,u` (default: of the per-sample losses, replaying
       the real forward, i.e. :math:`-\partial L^{meta}/\partial\epsilon`);
    5. :meth:`update_meta_net`: the meta-net's step (default: none);
    6. :meth:`outer_loss` (each method's own): the loss of the real update,
       from the coefficients or targets; then the real step and the record.

    Its invariants: the meta passes run in float32 even under AMP, on cloned
    BatchNorm buffers (the real running statistics move once per step); the
    per-sample meta gradient is exact, a forward-mode pass that replays the
    real forward (:mod:`lnl_mm.models.meta.replay`); in distributed training
    every rank computes what one process would compute on the concatenated
    batch (meta gradient averaged, normalisers and gradients summed, in
    buckets: :mod:`lnl_mm.models.utils.dist_utils`).

    Args:
        meta_params (str): Parameters of the virtual step: ``'all'`` (exact)
            or ``'head'``, the opt-in approximation that differentiates only
            through the classification head (much cheaper).
        virtual_momentum (bool): Use the real optimizer's momentum, dampening,
            Nesterov flag and momentum buffers in the virtual step. Defaults
            to False (a plain SGD step, as L2RW and Meta-Weight-Net).
        virtual_weight_decay (bool): Add the real optimizer's weight decay to
            the virtual step. Defaults to False.
        **kwargs: Arguments of :class:`ImageClassifier`.
    """

    def __init__(self,
                 *args,
                 meta_params: str = 'all',
                 virtual_momentum: bool = False,
                 virtual_weight_decay: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.data_preprocessor, 'batch_augments', None):
            raise ValueError(
                f'{type(self).__name__}: batch augmentation (Mixup / CutMix '
                'in data_preprocessor.batch_augments) mixes the inputs, but '
                'the meta step weighs and relabels single samples; remove it')
        if meta_params not in META_PARAMS:
            raise ValueError(f'meta_params must be one of {META_PARAMS}, got '
                             f'meta_params={meta_params!r}')
        self.meta_params = meta_params
        self.virtual_momentum = virtual_momentum
        self.virtual_weight_decay = virtual_weight_decay
        #: Per-sample quantities of the latest step, for the diagnostics hook.
        self.last_record: Dict[str, Tensor] = {}
        #: Bilevel steps taken (checkpointed, so a resumed run continues).
        self.register_buffer('num_steps', torch.zeros((), dtype=torch.long))
        #: Logits of the latest real training forward.
        self.last_train_logits: Optional[Tensor] = None
        #: Per-sample state (fields added by the subclasses), sized by
        #: :meth:`init_sample_state`.
        self.store = SampleStore()

    # -- entry points ----------------------------------------------------
    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """Adds ``mode='feats'`` (features) and ``mode='head'`` (logits from
        features) so that the functional passes can split the network."""
        if mode == 'feats':
            return self.extract_feat(inputs)
        if mode == 'head':
            return self.head(inputs)
        return super().forward(inputs, data_samples, mode)

    def init_sample_state(self, given: Tensor) -> None:
        """Size :attr:`store` for the ``(N,)`` given labels of the training
        set, indexed by ``sample_idx`` (called by the loop before a
        checkpoint is resumed)."""
        self.store.initialize(given)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        refuse_old_layout(state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def train_step(
        self, data: Union[dict, list],
        optim_wrapper: Union[OptimWrapper,
                             OptimWrapperDict]) -> Dict[str, Tensor]:
        """One bilevel step on ``data = dict(train=..., meta=...)``."""
        if not (isinstance(data, dict) and 'train' in data and 'meta' in data):
            raise TypeError(
                f'{type(self).__name__}.train_step needs a meta batch: set '
                "train_cfg=dict(type='MetaEpochBasedTrainLoop', "
                'meta_dataloader=dict(...))')
        owner = type(self).__name__
        model_ow, meta_ow = split_optim_wrappers(owner, optim_wrapper)
        train = self.data_preprocessor(data['train'], True)
        # training=False: no batch augmentation (mixup) of the clean batch.
        meta = self.data_preprocessor(data['meta'], False)
        check_meta_labels(
            batch_labels(meta['data_samples']), self.head.num_classes)
        if hasattr(self, 'meta_net'):
            check_meta_wrapper(owner, meta_ow)
        self.num_steps += 1
        return self.meta_train_step(train, meta, model_ow, meta_ow)

    # -- the recipe ------------------------------------------------------
    def meta_train_step(self, train: dict, meta: dict, model_ow: OptimWrapper,
                        meta_ow: Optional[OptimWrapper]) -> Dict[str, Tensor]:
        """The bilevel step (see the class documentation)."""
        # float32 throughout; the real forward (train_forward) alone runs
        # under the optimizer's AMP context. (Nested in this region, that
        # context keeps its cast weights cached until the region ends.)
        with torch.autocast(train['inputs'].device.type, enabled=False):
            step = self.begin_step(train, model_ow)
            params = self.virtual_params()
            optimizer = VirtualSGD.from_optimizer(
                model_ow.optimizer,
                params,
                momentum=self.virtual_momentum,
                weight_decay=self.virtual_weight_decay)
            grads = self.virtual_gradients(step, params)
            at = {
                k: p.detach()
                for k, p in optimizer.step(params, grads).items()
            }
            u, step.meta_loss = self.meta_grad(meta, at)
            tangent = self.meta_tangent(step, params, optimizer.tangents(u),
                                        model_ow)
            self.update_meta_net(step, tangent, meta_ow)
            loss, record, log_vars = self.outer_loss(step, tangent, model_ow)
        if step.logits is None:
            raise RuntimeError(
                f'{type(self).__name__}.outer_loss must run the real '
                'forward of the training batch (self.train_forward)')
        self.apply_update(loss, model_ow, self.model_parameters())
        self.record(step.samples, step.logits, **record)
        return dict(loss=loss.detach(), meta_loss=step.meta_loss, **log_vars)

    def begin_step(self, train: dict, model_ow: OptimWrapper) -> MetaStep:
        """The batch's samples, labels and global size."""
        inputs = train['inputs']
        labels = self._labels(train['data_samples']).to(inputs.device)
        return MetaStep(
            samples=train['data_samples'],
            labels=labels,
            n=self.global_batch_size(labels.numel(), inputs.device),
            inputs=inputs)

    def inner_objective(self, step: MetaStep) -> Optional[Tensor]:
        """This rank's share of the loss whose gradient the virtual step
        takes (in float32), or ``None``: a zero gradient (per-sample
        perturbations at 0, the L2RW family)."""
        return None

    def virtual_gradients(self, step: MetaStep, params: Params) -> Params:
        """Gradients of :meth:`inner_objective`, summed over ranks."""
        objective = self.inner_objective(step)
        if objective is None:
            return {k: torch.zeros_like(p) for k, p in params.items()}
        # Keep the real forward's graph (if it ran) for the real update.
        grads = dict(
            zip(
                params,
                torch.autograd.grad(
                    objective,
                    list(params.values()),
                    retain_graph=step.logits is not None)))
        sum_over_ranks(grads.values())
        return grads

    def meta_tangent(self, step: MetaStep, params: Params, tangents: Params,
                     model_ow: OptimWrapper) -> Tensor:
        """Forward-mode derivative of the per-sample losses along
        ``tangents``, replaying the real forward (run here if no earlier
        stage did): ``-d L_meta / d eps``."""
        self.train_forward(step, model_ow)
        return self.replay_jvp(
            step.inputs, params, tangents, step.replay, step.feats,
            lambda z: self.per_sample_loss(z, step.labels))[1]

    def update_meta_net(self, step: MetaStep, tangent: Tensor,
                        meta_ow: Optional[OptimWrapper]) -> None:
        """The meta-net's step from the tangent (none by default)."""

    def outer_loss(
        self, step: MetaStep, tangent: Tensor, model_ow: OptimWrapper
    ) -> Tuple[Tensor, Dict[str, Tensor], Dict[str, Tensor]]:
        """This rank's share of the real update's loss, the per-sample
        values to record (:meth:`record`) and the values to log."""
        raise NotImplementedError

    def train_forward(self, step: MetaStep, model_ow: OptimWrapper) -> None:
        """The real forward of the training batch, once per step
        (:meth:`real_forward`)."""
        if step.logits is None:
            step.logits, step.feats, step.replay = self.real_forward(
                step.inputs, model_ow)

    def train_losses(self, step: MetaStep, model_ow: OptimWrapper) -> Tensor:
        """Per-sample losses of the real forward (with their graph)."""
        self.train_forward(step, model_ow)
        return self.per_sample_loss(step.logits, step.labels)

    # -- small helpers ---------------------------------------------------
    _labels = staticmethod(batch_labels)
    _sample_idx = staticmethod(batch_sample_idx)

    def per_sample_loss(self, logits: Tensor, labels: Tensor) -> Tensor:
        """The head's loss per sample, in float32 (the loss being
        reweighted)."""
        return self.head.loss_module(
            logits.float(), labels, reduction_override='none').reshape(-1)

    @staticmethod
    def soft_cross_entropy(logits: Tensor, target: Tensor) -> Tensor:
        """``-sum_k t_k log softmax(z)_k`` per sample, in float32."""
        return -(target.float() *
                 F.log_softmax(logits.float(), dim=1)).sum(dim=1)

    @staticmethod
    def _dist_sum(t: Tensor) -> None:
        """Sum ``t`` over the ranks, in place."""
        sum_over_ranks([t])

    def global_batch_size(self, local: int, device) -> Tensor:
        """The number of training samples over all ranks."""
        n = torch.tensor([float(local)], device=device)
        self._dist_sum(n)
        return n

    def apply_update(self, loss: Tensor, optim_wrapper: OptimWrapper,
                     params: List[Tensor]) -> None:
        """Backward, sum the gradients over ranks, step, zero.

        ``loss`` must already be this rank's share of the *global* objective
        (coefficients normalised over all ranks), hence the sum.
        """
        optim_wrapper.backward(loss)
        self.finish_update(optim_wrapper, params)

    @staticmethod
    def finish_update(optim_wrapper: OptimWrapper,
                      params: List[Tensor]) -> None:
        """After a backward: sum the gradients over ranks, step, zero."""
        sum_over_ranks(p.grad for p in params if p.grad is not None)
        optim_wrapper.step()
        optim_wrapper.zero_grad()

    def meta_parameters(self) -> List[Tensor]:
        """Parameters of the meta-net (empty without one)."""
        return list(trainable_params(self, prefix='meta_net.').values())

    def model_parameters(self) -> List[Tensor]:
        """Parameters of the classifier (not of a meta-net)."""
        return list(trainable_params(self, exclude=('meta_net.', )).values())

    def forward_buffers(self) -> Params:
        """Copies of the buffers a functional forward reads (not the
        per-sample tables)."""
        return clone_buffers(self, exclude=NOT_IN_FORWARD)

    # -- the virtual step ------------------------------------------------
    def virtual_params(self) -> Params:
        """Parameters the virtual step moves (see ``meta_params``)."""
        if self.meta_params == 'head':
            return trainable_params(self, prefix='head.')
        return trainable_params(self, exclude=('meta_net.', ))

    def _meta_logits_fn(self, inputs: Tensor) -> Callable[[Params], Tensor]:
        """``params -> logits`` of the meta batch, on cloned buffers."""
        buffers = self.forward_buffers()
        if self.meta_params == 'head':
            with torch.no_grad():
                feats = functional_forward(
                    self, {}, inputs, buffers=buffers, mode='feats')
            return lambda p: functional_forward(
                self, p, feats, buffers=buffers, mode='head')
        return lambda p: functional_forward(
            self, p, inputs, buffers=buffers, mode='tensor')

    def meta_grad(self, meta: dict, at: Params) -> Tuple[Params, Tensor]:
        """Mean clean CE of the meta batch, differentiated at ``at``
        (averaged over ranks), in float32."""
        labels = self._labels(meta['data_samples']).to(meta['inputs'].device)
        logits_fn = self._meta_logits_fn(meta['inputs'])
        grads, loss = meta_gradient(
            lambda p: F.cross_entropy(logits_fn(p).float(), labels), at)
        mean_over_ranks(grads.values())
        return grads, loss

    def real_forward(
        self, inputs: Tensor, model_ow: OptimWrapper
    ) -> Tuple[Tensor, Tuple[Tensor, ...], ForwardState]:
        """The real training forward (under the optimizer's AMP context;
        BatchNorm statistics move once, as in a plain step).

        Returns the logits, the features and the state from before the
        forward, for :meth:`replay_jvp`.
        """
        replay = ForwardState.capture(self, inputs, NOT_IN_FORWARD)
        with model_ow.optim_context(self), replay.recording():
            feats = self.extract_feat(inputs)
            logits = self.head(feats)
        return logits, feats, replay

    def replay_jvp(
        self,
        inputs: Tensor,
        params: Params,
        tangents: Params,
        replay: ForwardState,
        feats: Optional[Tuple[Tensor, ...]] = None,
        output: Callable[[Tensor],
                         Tensor] = lambda z: z) -> Tuple[Tensor, Tensor]:
        """``(primal, tangent)`` of ``output(logits)`` along ``tangents``,
        replaying a forward (:func:`~lnl_mm.models.meta.replay_dual_forward`).

        With ``meta_params='head'`` and the forward's ``feats``, only the
        head is replayed.
        """
        if self.meta_params == 'head' and feats is not None:
            return replay_dual_forward(
                self,
                replay,
                params,
                tangents,
                tuple(f.detach().float() for f in feats),
                output=output,
                mode='head')
        return replay_dual_forward(
            self,
            replay,
            params,
            tangents,
            inputs.float(),
            output=output,
            mode='tensor')

    def record(self, samples, logits: Tensor, **values: Tensor) -> None:
        """Keep this step's per-sample values for the diagnostics hooks
        (``MetaDiagnosticsHook``, ``TrainingDynamicsHook``)."""
        self.last_train_logits = logits.detach().float().cpu()
        self.last_record = dict(
            sample_idx=self._sample_idx(samples),
            **{
                k: v.detach().float().cpu()
                for k, v in values.items()
            })
