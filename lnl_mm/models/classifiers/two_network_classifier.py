# Copyright (c) lnl_mm contributors. All rights reserved.
"""Two networks in one model: the base of Co-teaching, Co-teaching+, JoCoR
and DivideMix."""
import copy
from typing import Dict, List, Optional, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import get_rank
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.models import BaseClassifier, ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch import Tensor

from ..utils import SampleStore
from ..utils.dist_utils import sum_over_ranks
from .base_meta_classifier import BaseMetaClassifier
from .meta_inputs import batch_labels, batch_sample_idx, check_plain_ce

#: How the two networks predict at test time.
EVAL_MODES = ('mean_prob', 'logit_sum', 'net1', 'net2')
NETS = ('net1', 'net2')


class TwoNetworkClassifier(BaseClassifier):
    """Two image classifiers in one model, trained together.

    ``net1`` and ``net2`` are :class:`~mmpretrain.models.ImageClassifier`
    built from the same ``backbone`` / ``neck`` / ``head`` configs; each is
    initialised on its own (different random weights). Every method that
    trains two networks (:class:`CoTeachingClassifier`,
    :class:`CoTeachingPlusClassifier`, :class:`JoCoRClassifier`,
    :class:`DivideMixClassifier`) subclasses it and writes only its
    ``two_network_step``. What they share:

    * **Optimizers**: an :class:`~mmengine.optim.OptimWrapperDict` with one
      wrapper per network (``net1``, ``net2``), or one ``joint`` wrapper
      over both (JoCoR's single Adam), built by
      :class:`~lnl_mm.engine.TwoNetworkOptimWrapperConstructor`; parameter
      schedulers act on each. Both networks, both optimizers, the
      :attr:`store` and the step counter are in every checkpoint, so a
      resumed run continues bit for bit.
    * **Per-sample state** in one :class:`~lnl_mm.models.utils.SampleStore`
      (:attr:`store`), sized by the train loop
      (:class:`~lnl_mm.engine.TwoNetworkTrainLoop`, which also tells the
      model its epoch through :meth:`start_epoch`).
    * **Distributed training**: each step computes what one process would
      compute on the concatenated batch of all ranks (selection over the
      gathered losses, losses normalised by the global count, gradients
      summed over ranks), BatchNorm's batch statistics apart (per rank, as
      DDP); use
      ``model_wrapper_cfg=dict(type='MetaDistributedDataParallel')``, which
      routes ``train_step`` here (also on CPU with gloo).
    * **Evaluation** (``eval_mode``): ``'mean_prob'`` (the average of both
      networks' probabilities), ``'logit_sum'`` (DivideMix's official test:
      the argmax of the summed logits), ``'net1'`` or ``'net2'``. The
      predictions also carry both networks' logits
      (``net_logits``, ``(2, C)``), which
      :class:`~lnl_mm.evaluation.TwoNetworkAccuracy` scores one by one.

    Args:
        backbone (dict): Backbone config of each network.
        head (dict): Head config of each network (its ``loss`` is the
            per-sample criterion where a method uses one).
        neck (dict, optional): Neck config of each network.
        eval_mode (str): See above. Defaults to ``'mean_prob'``.
        data_preprocessor (dict, optional): As for ImageClassifier.
        init_cfg (dict, optional): Initialisation of the whole model.
        train_cfg (dict, optional): Must be None (batch augmentation mixes
            samples that the methods select one by one).
    """

    #: Whether the optimizers are one ``joint`` wrapper (JoCoR) by default.
    joint_optimizer = False
    #: Whether each network trains its own pass over the training set, net1
    #: then net2 (ELR+), instead of both on every batch (the train loop
    #: reads it).
    sequential_passes = False

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 neck: Optional[dict] = None,
                 eval_mode: str = 'mean_prob',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 train_cfg: Optional[dict] = None):
        if train_cfg:
            raise ValueError(
                f'{type(self).__name__}: train_cfg (batch augmentation) is '
                'not supported: the two networks select and weigh single '
                'samples')
        data_preprocessor = dict(data_preprocessor or {})
        if data_preprocessor.get('batch_augments'):
            raise ValueError(
                f'{type(self).__name__}: data_preprocessor.batch_augments '
                '(Mixup / CutMix) mixes the inputs, but the two networks '
                'select and weigh single samples; remove it')
        data_preprocessor.setdefault('type', 'mmpretrain.ClsDataPreprocessor')
        super().__init__(
            init_cfg=init_cfg,
            data_preprocessor=MODELS.build(copy.deepcopy(data_preprocessor)))
        if eval_mode not in EVAL_MODES:
            raise ValueError(f'eval_mode must be one of {EVAL_MODES}, got '
                             f'eval_mode={eval_mode!r}')
        self.eval_mode = eval_mode
        for name in NETS:
            self.add_module(
                name,
                ImageClassifier(
                    backbone=copy.deepcopy(backbone),
                    neck=copy.deepcopy(neck),
                    head=copy.deepcopy(head),
                    data_preprocessor=copy.deepcopy(data_preprocessor)))
        num_classes = getattr(self.net1.head, 'num_classes', None)
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f'{type(self).__name__} needs a head with '
                             f'num_classes >= 2, got {num_classes!r}')
        self.num_classes = num_classes
        #: Training steps taken (checkpointed: seeds of per-step draws).
        self.register_buffer('num_steps', torch.zeros((), dtype=torch.long))
        #: Per-sample state (fields added by the subclasses).
        self.store = SampleStore()
        #: The 0-based epoch, set by the train loop (:meth:`start_epoch`).
        self.epoch = 0
        #: Whether a two-network loop drives the model (:meth:`start_epoch`).
        self.loop_driven = False
        #: The step's index within its epoch (reset by :meth:`start_epoch`).
        self.epoch_step = 0
        #: Logits of net1 on the latest training batch, for the dynamics.
        self.last_train_logits: Optional[Tensor] = None
        #: Per-sample values of the latest step (for diagnostics hooks).
        self.last_record: Dict[str, Tensor] = {}

    # -- networks ----------------------------------------------------------
    @property
    def nets(self) -> Tuple[ImageClassifier, ImageClassifier]:
        """``(net1, net2)``."""
        return self.net1, self.net2

    @property
    def head(self):
        """net1's head (what single-network hooks attach to)."""
        return self.net1.head

    def logits(self, net: ImageClassifier, inputs: Tensor) -> Tensor:
        """One network's logits."""
        return net(inputs, mode='tensor')

    # -- per-sample state and epochs --------------------------------------
    def init_sample_state(self, given: Tensor) -> None:
        """Size :attr:`store` for the ``(N,)`` given labels of the training
        set (called by the loop before a checkpoint is resumed)."""
        self.store.initialize(given)

    def start_epoch(self, epoch: int) -> None:
        """Called by the train loop at the start of every epoch."""
        self.epoch = int(epoch)
        self.epoch_step = 0
        self.loop_driven = True

    # -- evaluation --------------------------------------------------------
    def extract_feat(self, inputs: Tensor, stage: str = 'neck'):
        """Features of the evaluated network (net2 with ``eval_mode='net2'``,
        net1 otherwise)."""
        net = self.net2 if self.eval_mode == 'net2' else self.net1
        return net.extract_feat(inputs, stage=stage)

    def both_logits(self, inputs: Tensor) -> Tensor:
        """``(2, B, C)`` logits of net1 and net2."""
        return torch.stack([self.logits(net, inputs) for net in self.nets])

    def combine(self, both: Tensor) -> Tensor:
        """The evaluated logits from ``(2, B, C)`` (see ``eval_mode``); for
        ``'mean_prob'`` the log of the mean probability, so that a softmax
        gives the mean."""
        if self.eval_mode == 'net1':
            return both[0]
        if self.eval_mode == 'net2':
            return both[1]
        if self.eval_mode == 'logit_sum':
            return both[0] + both[1]
        return torch.logsumexp(
            F.log_softmax(both.float(), dim=-1), dim=0) - np.log(2.0)

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.combine(self.both_logits(inputs))
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def loss(self, inputs: Tensor, data_samples: List[DataSample]) -> dict:
        raise RuntimeError(
            f'{type(self).__name__} trains in its own train_step (two '
            'networks, two optimizers): use it with TwoNetworkTrainLoop')

    def predict(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Predictions of the evaluated logits; each sample also carries
        ``net_logits`` (both networks' logits, ``(2, C)``)."""
        both = self.both_logits(inputs).float()
        scores = F.softmax(self.combine(both).float(), dim=1)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(inputs.size(0))]
        for i, sample in enumerate(data_samples):
            sample.set_pred_score(scores[i]).set_pred_label(
                scores[i].argmax(keepdim=True))
            sample.set_field(both[:, i].detach(), 'net_logits')
        return data_samples

    # -- training ----------------------------------------------------------
    def split_optim_wrappers(
        self, optim_wrapper: Union[OptimWrapper, OptimWrapperDict]
    ) -> Tuple[OptimWrapper, ...]:
        """``(net1, net2)`` wrappers, or ``(joint,)``."""
        keys = ('joint', ) if self.joint_optimizer else NETS
        wrappers = getattr(optim_wrapper, 'optim_wrappers', None)
        if wrappers is None or set(wrappers) != set(keys):
            got = sorted(wrappers) if wrappers is not None else type(
                optim_wrapper).__name__
            joint = self.joint_optimizer
            raise TypeError(
                f'{type(self).__name__} needs optim_wrapper=dict('
                "constructor='TwoNetworkOptimWrapperConstructor', "
                f'joint={joint}, optimizer=...) (an OptimWrapperDict with '
                f'{keys}), got {got}')
        return tuple(wrappers[k] for k in keys)

    def train_step(
        self, data: Union[dict, list],
        optim_wrapper: Union[OptimWrapper,
                             OptimWrapperDict]) -> Dict[str, Tensor]:
        if not self.loop_driven:
            raise TypeError(
                f'{type(self).__name__} is trained by a two-network loop, '
                'which tells it the epoch (the forget-rate schedule, the '
                "warm-up): set train_cfg=dict(type='TwoNetworkTrainLoop', "
                "...) (DivideMixTrainLoop for DivideMix)")
        wrappers = self.split_optim_wrappers(optim_wrapper)
        self.num_steps += 1
        out = self.two_network_step(data, wrappers)
        self.epoch_step += 1
        return out

    def two_network_step(self, data, wrappers: Tuple[OptimWrapper,
                                                     ...]) -> Dict:
        """One training step of the method (subclasses)."""
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------
    _labels = staticmethod(batch_labels)
    _sample_idx = staticmethod(batch_sample_idx)

    @staticmethod
    def global_count(local: Union[int, Tensor], device) -> Tensor:
        """The sum of ``local`` over the ranks (a float tensor)."""
        n = torch.as_tensor(local, dtype=torch.float32, device=device).clone()
        sum_over_ranks([n.reshape(1)])
        return n

    #: After a backward: sum the gradients over ranks, step, zero (the meta
    #: classifiers' helper).
    finish_update = staticmethod(BaseMetaClassifier.finish_update)

    def update(self, loss: Tensor, optim_wrapper: OptimWrapper, *nets:
               torch.nn.Module) -> None:
        """Backward ``loss`` (this rank's share of the global objective),
        sum the gradients of ``nets`` over ranks, step and zero."""
        optim_wrapper.backward(loss)
        self.finish_update(
            optim_wrapper,
            [p for net in nets for p in net.parameters() if p.requires_grad])

    def step_generator(self,
                       draw: int = 0,
                       per_rank: bool = False) -> np.random.Generator:
        """A NumPy generator seeded by (step, draw) and, with ``per_rank``,
        the rank: per-step draws (mixup coefficients, permutations) are a
        function of the step, so a resumed run repeats them; a draw shared
        by the ranks (the mixup coefficient of the global batch) omits the
        rank, one of each rank's own samples (its permutation) includes
        it."""
        key = [self.draw_seed, int(self.num_steps), draw]
        return np.random.default_rng(key + [get_rank()] if per_rank else key)

    #: Seed of the per-step draws (subclasses expose it as an argument).
    draw_seed = 0

    def check_plain_ce(self) -> None:
        """Refuse a head loss other than plain cross-entropy, for methods
        whose losses are CE by definition (JoCoR, DivideMix)."""
        check_plain_ce(type(self).__name__, self.net1.head.loss_module)

    #: Keeps net1's logits and this step's per-sample values for the
    #: diagnostics hooks, as the meta classifiers do.
    record = BaseMetaClassifier.record
