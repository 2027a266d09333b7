# Copyright (c) lnl_mm contributors. All rights reserved.
"""SOP and SOP+: per-sample parameters that absorb the label noise."""
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.dist import get_world_size
from mmengine.optim import AmpOptimWrapper, OptimWrapper, OptimWrapperDict
from mmpretrain.models import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch import Tensor, nn

from ..losses.sop_loss import SOP_EPS, sop_balance, sop_consistency, sop_loss
from ..utils import SampleStore
from ..utils.dist_utils import sum_over_ranks
from .meta_inputs import batch_labels, batch_sample_idx, check_plain_ce

#: The key of the second augmented view (SOP+), as DivideMix's.
VIEW2 = 'view2'
#: The ``OptimWrapperDict`` keys: the network and the per-sample parameters.
KEYS = ('model', 'sop')


def check_sop_args(num_samples: int, ratio_consistency: float,
                   ratio_balance: float, init_mean: float, init_std: float,
                   eps: float) -> None:
    """Fail with the option's name and value when an argument is bad."""
    if isinstance(num_samples,
                  bool) or not isinstance(num_samples, int) or num_samples < 1:
        raise ValueError('SOPClassifier: num_samples must be an int >= 1 (the '
                         f'training set size), got num_samples='
                         f'{num_samples!r}')
    for name, value in (('ratio_consistency', ratio_consistency),
                        ('ratio_balance', ratio_balance)):
        if isinstance(value,
                      bool) or not isinstance(value,
                                              (int, float)) or not value >= 0:
            raise ValueError(f'SOPClassifier: {name} must be a number >= 0, '
                             f'got {name}={value!r}')
    if isinstance(init_std, bool) or not isinstance(
            init_std, (int, float)) or not 0 < init_std < float('inf'):
        # u = v = 0 is a fixed point: every gradient is proportional to them
        raise ValueError('SOPClassifier: init_std must be a finite number > '
                         '0 (at u = v = 0 their gradients vanish and SOP is '
                         f'CE), got init_std={init_std!r}')
    if isinstance(init_mean, bool) or not isinstance(
            init_mean, (int, float)) or not abs(init_mean) < float('inf'):
        raise ValueError('SOPClassifier: init_mean must be a finite number, '
                         f'got init_mean={init_mean!r}')
    if not 0 < eps < 0.5:
        raise ValueError(f'SOPClassifier: eps must be in (0, 0.5), got '
                         f'eps={eps!r}')


class SOPParameters(nn.Module):
    """The per-sample parameters ``u`` ``(N, 1)`` and ``v`` ``(N, C)``,
    drawn from ``Normal(mean, std)`` as the official ``init_param``."""

    def __init__(self, num_samples: int, num_classes: int, mean: float,
                 std: float):
        super().__init__()
        self.u = nn.Parameter(torch.empty(num_samples, 1))
        self.v = nn.Parameter(torch.empty(num_samples, num_classes))
        nn.init.normal_(self.u, mean=mean, std=std)
        nn.init.normal_(self.v, mean=mean, std=std)

    def init_weights(self) -> None:
        """Keep the draw of the constructor (MMEngine calls this)."""


@MODELS.register_module()
class SOPClassifier(ImageClassifier):
    r"""Sparse over-parameterisation (SOP) and SOP+.

    `Robust Training under Label Noise by Over-parameterization
    <https://arxiv.org/abs/2202.14026>`_ (ICML 2022), official code
    ``shengliu66/SOP``.

    Every training sample has parameters :math:`u_i` and :math:`v_i` (module
    ``sop``, sized ``num_samples`` like the official ``num_examp``), trained
    by their own optimizer beside the network's; the step minimises

    .. math::
        \underbrace{\mathrm{CE}(\hat p, y)}_{\texttt{loss_ce}}
        + \underbrace{\mathrm{MSE}}_{\texttt{loss_mse}}
        + \rho_b \underbrace{B(\hat p)}_{\texttt{loss_balance}}
        + \rho_c \underbrace{\mathrm{KL}(p^{(1)} \Vert p^{(2)})}_{
          \texttt{loss_consistency}}

    (see :mod:`~lnl_mm.models.losses.sop_loss`; SOP is
    :math:`\rho_b = \rho_c = 0`). SOP+ (:math:`\rho_c > 0`) needs a second
    augmented view of every image (``ExtraAugmentedView`` with
    ``PackNoisyInputs(algorithm_keys=['view2'])``); the SOP terms use the
    first view, as officially. Each step backwards the total, steps the
    per-sample optimizer, then the network's (the official order), and
    zeroes both (MMEngine's order: the official code zeroes before the
    backward; the same gradients either way).
    Prediction is the plain network.

    Under DDP (``MetaDistributedDataParallel``) each rank backwards its share
    of the global batch's objective and the gradients are summed over the
    ranks, the network's and ``u``, ``v``'s alike. For SOP (and SOP+'s
    consistency term, a per-sample mean) that is the step of one process on
    the global batch, except that BatchNorm normalises each rank's batch, as
    under DDP generally; SOP+'s class-balance term is the log of a batch
    mean and is computed on each rank's batch.

    Args:
        num_samples (int): The training set size ``N``; checked against it
            by :class:`~lnl_mm.engine.hooks.SampleStoreHook`.
        ratio_consistency (float): :math:`\rho_c`. Defaults to 0 (SOP).
        ratio_balance (float): :math:`\rho_b`. Defaults to 0 (SOP).
        init_mean (float): Mean of the initial ``u``, ``v``. Defaults to 0.
        init_std (float): Their standard deviation. Defaults to 1e-8
            (official).
        eps (float): The clamps. Defaults to 1e-4 (official).
        **kwargs: Arguments of :class:`ImageClassifier`; the head needs
            ``num_classes`` and plain CE as its loss (unused: SOP computes
            its own).
    """

    def __init__(self,
                 *args,
                 num_samples: int,
                 ratio_consistency: float = 0.0,
                 ratio_balance: float = 0.0,
                 init_mean: float = 0.0,
                 init_std: float = 1e-8,
                 eps: float = SOP_EPS,
                 **kwargs):
        super().__init__(*args, **kwargs)
        check_sop_args(num_samples, ratio_consistency, ratio_balance,
                       init_mean, init_std, eps)
        check_plain_ce(type(self).__name__, self.head.loss_module)
        num_classes = getattr(self.head, 'num_classes', None)
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError('SOPClassifier needs a head with num_classes >= '
                             f'2, got {num_classes!r}')
        self.ratio_consistency = float(ratio_consistency)
        self.ratio_balance = float(ratio_balance)
        self.eps = eps
        self.sop = SOPParameters(num_samples, num_classes, init_mean, init_std)
        # the given labels: a checkpoint written for others is refused
        self.store = SampleStore()

    def init_sample_state(self, given) -> None:
        """Check the training set against ``num_samples`` and keep its
        ``(N,)`` given labels (before a checkpoint is resumed)."""
        if len(given) != self.sop.u.size(0):
            raise ValueError(
                f'SOPClassifier: num_samples={self.sop.u.size(0)} but the '
                f'training set has {len(given)} samples: set model.'
                f'num_samples={len(given)}')
        self.store.initialize(given)

    # -- the step ----------------------------------------------------------
    @staticmethod
    def split_optim_wrappers(
        optim_wrapper: Union[OptimWrapper, OptimWrapperDict]
    ) -> Tuple[OptimWrapper, OptimWrapper]:
        """The ``model`` and ``sop`` wrappers, checked."""
        if not isinstance(optim_wrapper, OptimWrapperDict) or set(
                optim_wrapper.optim_wrappers) != set(KEYS):
            raise TypeError(
                'SOPClassifier trains the network and the per-sample '
                'parameters with two optimizers: set optim_wrapper=dict('
                "constructor='SOPOptimWrapperConstructor', model=..., "
                'sop=...)')
        wrappers = optim_wrapper['model'], optim_wrapper['sop']
        if any(isinstance(w, AmpOptimWrapper) for w in wrappers):
            raise ValueError(
                'SOPClassifier: --amp (AmpOptimWrapper) is not supported: the '
                'per-sample step needs unscaled gradients')
        return wrappers

    def train_step(self, data: Union[dict, list],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """Both optimizers step on one backward (official order: the
        per-sample parameters, then the network)."""
        model_ow, sop_ow = self.split_optim_wrappers(optim_wrapper)
        with model_ow.optim_context(self):
            data = self.data_preprocessor(data, True)
            losses = self.loss(data['inputs'], data['data_samples'])
        parsed, log_vars = self.parse_losses(losses)
        # this rank's share of the global batch's objective
        model_ow.backward(model_ow.scale_loss(parsed / get_world_size()))
        if model_ow.should_update():
            sum_over_ranks(p.grad for p in self.parameters()
                           if p.grad is not None)
            sop_ow.step()
            model_ow.step()
            sop_ow.zero_grad()
            model_ow.zero_grad()
        return log_vars

    def loss(self, inputs: Tensor, data_samples: List[DataSample]) -> dict:
        """``loss_ce``, ``loss_mse`` and, for SOP+, ``loss_balance`` and
        ``loss_consistency``."""
        if getattr(self.data_preprocessor, 'batch_augments', None):
            raise ValueError(
                'SOPClassifier: batch augmentation (Mixup / CutMix) mixes the '
                'inputs, but u and v belong to single samples; remove '
                'data_preprocessor.batch_augments')
        if not self.store.initialized:
            raise RuntimeError(
                "SOPClassifier: add dict(type='SampleStoreHook') to "
                'custom_hooks (it checks num_samples against the training '
                'set)')
        idx = batch_sample_idx(data_samples).to(self.sop.u.device)
        labels = batch_labels(data_samples).to(inputs.device)
        if not torch.equal(self.store.given[idx].to(labels), labels):
            raise ValueError('SOPClassifier: the batch labels differ from '
                             'the given labels SampleStoreHook recorded')
        second = self.second_view(data_samples)
        batch = inputs if second is None else torch.cat([inputs, second])
        scores = self.head(self.extract_feat(batch))
        score1 = scores[:inputs.size(0)]
        ce, mse, pred = sop_loss(score1, labels, self.sop.u[idx],
                                 self.sop.v[idx], self.eps)
        losses = dict(loss_ce=ce.mean(), loss_mse=mse.mean())
        if self.ratio_balance > 0:
            losses['loss_balance'] = self.ratio_balance * sop_balance(
                pred, self.eps)
        if second is not None:
            losses['loss_consistency'] = self.ratio_consistency * \
                sop_consistency(score1, scores[inputs.size(0):]).mean()
        return losses

    def second_view(self, samples: List[DataSample]) -> Optional[Tensor]:
        """The normalised second views (SOP+), or None for SOP."""
        if self.ratio_consistency == 0:
            return None
        if VIEW2 not in samples[0]:
            raise KeyError(
                'SOPClassifier: ratio_consistency > 0 (SOP+) needs two '
                "augmented views: add dict(type='ExtraAugmentedView', "
                "transforms=[...]) to the training pipeline and "
                "PackNoisyInputs(algorithm_keys=['view2'])")
        views = torch.stack([s.get(VIEW2) for s in samples])
        return self.data_preprocessor(dict(inputs=views), False)['inputs']
