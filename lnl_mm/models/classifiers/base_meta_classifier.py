# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared machinery of the meta-learning classifiers (L2RW, refurbishment,
Meta-Weight-Net): the bilevel step on a train batch and a meta batch."""
from typing import Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.dist import all_reduce, get_world_size
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.models import ImageClassifier
from torch import Tensor

from ..meta.functional import (Params, clone_buffers, dual_params,
                               functional_forward, meta_gradient,
                               sgd_gradient_coefficient, split_dual,
                               trainable_params, virtual_sgd_step)
from ..utils import SampleStore, refuse_old_layout

META_PARAMS = ('all', 'head')


class BaseMetaClassifier(ImageClassifier):
    """An :class:`ImageClassifier` whose ``train_step`` is a bilevel step.

    It receives ``data = dict(train=batch, meta=batch)`` from
    :class:`~lnl_mm.engine.MetaEpochBasedTrainLoop` and an
    :class:`OptimWrapper` (or an :class:`OptimWrapperDict` with ``model`` and,
    for methods with a meta-net, ``meta``). Subclasses implement
    :meth:`meta_train_step`; this class provides the pieces:

    * the virtual SGD step with the real optimizer's current learning rate
      (and, when asked, its momentum buffers and weight decay), per
      parameter group;
    * the meta gradient on the clean meta batch, in float32 even under AMP,
      on cloned BatchNorm buffers so the real running statistics do not move;
    * the exact per-sample ``eps``-gradient, obtained as a forward-mode
      Jacobian-vector product in the real forward pass
      (:mod:`lnl_mm.models.meta.functional`);
    * distributed training: the meta gradient is averaged and the weight
      normaliser summed over ranks, per-sample coefficients are normalised by
      the global batch, and gradients are summed explicitly, so that every
      rank computes the weights a single process would compute on the
      concatenated batch.

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
        model_ow, meta_ow = self._optim_wrappers(optim_wrapper)
        train = self.data_preprocessor(data['train'], True)
        # training=False: no batch augmentation (mixup) of the clean batch.
        meta = self.data_preprocessor(data['meta'], False)
        self._check_meta_labels(meta)
        self.num_steps += 1
        return self.meta_train_step(train, meta, model_ow, meta_ow)

    def meta_train_step(self, train: dict, meta: dict, model_ow: OptimWrapper,
                        meta_ow: Optional[OptimWrapper]) -> Dict[str, Tensor]:
        raise NotImplementedError

    # -- checks ----------------------------------------------------------
    def _optim_wrappers(self, optim_wrapper):
        if isinstance(optim_wrapper, OptimWrapperDict):
            if 'model' not in optim_wrapper.optim_wrappers:
                raise KeyError(
                    f'{type(self).__name__}: optim_wrapper needs a "model" '
                    f'entry, got {list(optim_wrapper.optim_wrappers)}')
            model_ow = optim_wrapper['model']
            meta_ow = optim_wrapper.optim_wrappers.get('meta')
        else:
            model_ow, meta_ow = optim_wrapper, None
        return model_ow, meta_ow

    def _check_meta_labels(self, meta: dict) -> None:
        labels = self._labels(meta['data_samples'])
        num_classes = self.head.num_classes
        if labels.numel() and (labels.min() < 0
                               or labels.max() >= num_classes):
            raise ValueError(
                f'The meta batch has labels in [{int(labels.min())}, '
                f'{int(labels.max())}] but the head has num_classes='
                f'{num_classes}: train_cfg.meta_dataloader must use the '
                'classes of the training set')

    # -- small helpers ---------------------------------------------------
    @staticmethod
    def _labels(samples) -> Tensor:
        return torch.cat([s.gt_label for s in samples]).long()

    @staticmethod
    def _sample_idx(samples) -> Tensor:
        if not samples or 'sample_idx' not in samples[0]:
            raise KeyError('The training batch has no sample_idx: keep '
                           "'sample_idx' in PackInputs' meta_keys")
        return torch.as_tensor([int(s.sample_idx) for s in samples])

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
    def _dist_mean(t: Tensor) -> None:
        if get_world_size() > 1:
            all_reduce(t, op='mean')

    @staticmethod
    def _dist_sum(t: Tensor) -> None:
        if get_world_size() > 1:
            all_reduce(t, op='sum')

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
        if get_world_size() > 1:
            for p in params:
                if p.grad is not None:
                    all_reduce(p.grad, op='sum')
        optim_wrapper.step()
        optim_wrapper.zero_grad()

    def require_meta_wrapper(self,
                             meta_ow: Optional[OptimWrapper]) -> OptimWrapper:
        """The meta-net's optim wrapper, or a clear error without one."""
        if meta_ow is None:
            raise KeyError(
                f'{type(self).__name__} has a meta_net and needs '
                "optim_wrapper=dict(constructor='MetaOptimWrapperConstructor',"
                ' model=..., meta=...) with an optimizer for it')
        return meta_ow

    def meta_parameters(self) -> List[Tensor]:
        """Parameters of the meta-net (empty without one)."""
        return list(trainable_params(self, prefix='meta_net.').values())

    def model_parameters(self) -> List[Tensor]:
        """Parameters of the classifier (not of a meta-net)."""
        return list(trainable_params(self, exclude=('meta_net.', )).values())

    # -- the virtual step ------------------------------------------------
    def virtual_params(self) -> Params:
        """Parameters the virtual step moves (see ``meta_params``)."""
        if self.meta_params == 'head':
            return trainable_params(self, prefix='head.')
        return trainable_params(self, exclude=('meta_net.', ))

    def _hyper(self, optim_wrapper: OptimWrapper,
               params: Params) -> Dict[str, dict]:
        """Per-parameter virtual-step settings from the real optimizer."""
        optimizer = optim_wrapper.optimizer
        group_of = {}
        for group in optimizer.param_groups:
            for p in group['params']:
                group_of[id(p)] = group
        hyper = {}
        for name, p in params.items():
            group = group_of.get(id(p))
            if group is None:
                raise ValueError(
                    f'{type(self).__name__}: parameter {name} is not in the '
                    'model optimizer')
            momentum = group.get('momentum', 0.) \
                if self.virtual_momentum else 0.
            buf = optimizer.state.get(p, {}).get('momentum_buffer') \
                if momentum else None
            hyper[name] = dict(
                lr=float(group['lr']),
                momentum=momentum,
                dampening=group.get('dampening', 0.),
                nesterov=group.get('nesterov', False),
                weight_decay=group.get('weight_decay', 0.)
                if self.virtual_weight_decay else 0.,
                buf=buf)
        return hyper

    @staticmethod
    def lookahead(params: Params, grads: Params, hyper: Dict[str,
                                                             dict]) -> Params:
        """The virtual step, parameter by parameter (groups may differ)."""
        out = {}
        for name, p in params.items():
            h = hyper[name]
            out.update(
                virtual_sgd_step({name: p}, {name: grads[name]},
                                 h['lr'],
                                 momentum=h['momentum'],
                                 dampening=h['dampening'],
                                 nesterov=h['nesterov'],
                                 weight_decay=h['weight_decay'],
                                 momentum_buffers=None
                                 if h['buf'] is None else {name: h['buf']}))
        return out

    @staticmethod
    def step_tangents(grads: Params, hyper: Dict[str, dict]) -> Params:
        r"""``lr * c * v``: with these tangents the JVP of the per-sample
        losses is :math:`-\partial L^{meta}/\partial\epsilon`."""
        out = {}
        for name, g in grads.items():
            h = hyper[name]
            c = sgd_gradient_coefficient(h['momentum'], h['dampening'],
                                         h['nesterov'], h['buf'] is None)
            out[name] = g * (h['lr'] * c)
        return out

    def _meta_logits_fn(self, inputs: Tensor) -> Callable[[Params], Tensor]:
        """``params -> logits`` of the meta batch, on cloned buffers."""
        buffers = clone_buffers(self)
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
        return meta_gradient(
            lambda p: F.cross_entropy(logits_fn(p).float(), labels),
            at,
            reduce=self._dist_mean)

    @staticmethod
    def replay_state(inputs: Tensor) -> dict:
        """What :meth:`replay_jvp` needs to repeat a forward exactly: copies
        of the buffers and the RNG states (dropout masks are then equal)."""
        return dict(
            cpu_rng=torch.get_rng_state(),
            cuda_rng=torch.cuda.get_rng_state(inputs.device)
            if inputs.is_cuda else None)

    def real_forward(
            self, inputs: Tensor,
            model_ow: OptimWrapper) -> Tuple[Tensor, Tuple[Tensor, ...], dict]:
        """The real training forward (under the optimizer's AMP context;
        BatchNorm statistics move once, as in a plain step).

        Returns the logits, the features and the state from before the
        forward (:meth:`replay_state` plus the buffers), for
        :meth:`replay_jvp`.
        """
        replay = dict(self.replay_state(inputs), buffers=clone_buffers(self))
        with model_ow.optim_context(self):
            feats = self.extract_feat(inputs)
            logits = self.head(feats)
        return logits, feats, replay

    def replay_jvp(
        self,
        inputs: Tensor,
        params: Params,
        tangents: Params,
        replay: dict,
        feats: Optional[Tuple[Tensor, ...]] = None,
        output: Callable[[Tensor],
                         Tensor] = lambda z: z) -> Tuple[Tensor, Tensor]:
        r"""``(primal, tangent)`` of ``output(logits)`` along ``tangents``:
        one forward-mode pass that replays a forward (``replay``), in
        float32 and without a graph.

        With ``meta_params='head'`` and the forward's ``feats``, only the
        head is replayed. A separate pass, rather than dual numbers inside
        the real forward: there the tangent computation would be recorded by
        autograd (the primal activations require grad) and held until the
        backward, which we measured at 3.7x the memory of a plain step on
        ResNet-32, against 1.75x this way, at the same speed.
        """
        devices = [inputs.device] if inputs.is_cuda else []
        with torch.autocast(inputs.device.type, enabled=False), \
                torch.no_grad(), torch.random.fork_rng(devices=devices):
            torch.set_rng_state(replay['cpu_rng'])
            if replay['cuda_rng'] is not None:
                torch.cuda.set_rng_state(replay['cuda_rng'], inputs.device)
            buffers = replay['buffers']
            if self.meta_params == 'head' and feats is not None:
                feats = tuple(f.detach().float() for f in feats)
                fn = lambda p: functional_forward(  # noqa: E731
                    self,
                    p,
                    feats,
                    buffers=buffers,
                    mode='head')
            else:
                fn = lambda p: functional_forward(  # noqa: E731
                    self,
                    p,
                    inputs.float(),
                    buffers=buffers,
                    mode='tensor')
            with dual_params(params, tangents) as duals:
                return split_dual(output(fn(duals)))

    def jvp_losses(self, inputs: Tensor, feats: Tuple[Tensor,
                                                      ...], labels: Tensor,
                   params: Params, tangents: Params, replay: dict) -> Tensor:
        """``<grad l_i, tangents>`` for every sample, replaying the real
        forward (:meth:`replay_jvp`)."""
        return self.replay_jvp(inputs, params, tangents, replay, feats,
                               lambda z: self.per_sample_loss(z, labels))[1]

    def eps_grad_step(self, train: dict, meta: dict,
                      model_ow: OptimWrapper) -> Dict[str, Tensor]:
        r"""The L2RW computation at :math:`\epsilon = 0`.

        Returns a dict with ``logits`` and ``losses`` of the training batch
        (with their graph, from the real forward), ``eps_grad``
        (:math:`\partial L^{meta}/\partial\epsilon_i`) and ``meta_loss``.
        """
        inputs = train['inputs']
        labels = self._labels(train['data_samples']).to(inputs.device)
        params = self.virtual_params()
        hyper = self._hyper(model_ow, params)
        zeros = {k: torch.zeros_like(p) for k, p in params.items()}
        with torch.autocast(inputs.device.type, enabled=False):
            at = {
                k: p.detach()
                for k, p in self.lookahead(params, zeros, hyper).items()
            }
            v, meta_loss = self.meta_grad(meta, at)
        logits, feats, replay = self.real_forward(inputs, model_ow)
        losses = self.per_sample_loss(logits, labels)
        jvp = self.jvp_losses(inputs, feats, labels, params,
                              self.step_tangents(v, hyper), replay)
        return dict(
            logits=logits,
            losses=losses,
            labels=labels,
            eps_grad=-jvp,
            meta_loss=meta_loss)

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
