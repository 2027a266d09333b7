# Copyright (c) lnl_mm contributors. All rights reserved.
"""The upper bound of the ISIC reweighting seed's table."""
import copy
from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from torch import Tensor, nn

from ..meta.weights import l2rw_scores, normalize_weights
from .base_meta_classifier import MetaStep
from .l2rw_classifier import L2RWClassifier

TARGETS = ('hard', 'soft')
CLEAN_BN_MODES = ('eval', 'train')


@MODELS.register_module()
class L2RWUpperBoundClassifier(L2RWClassifier):
    r"""Reweighting with the noisy labels replaced by a clean network's.

    The upper bound of the reweighting seed's ISIC table
    (``Cute77/learning-to-reweight-examples``, ``upperbound_distributed.py``),
    **an oracle, not a method**: it reads which samples are noisy
    (``is_noisy``, from ``PackNoisyInputs``; the one kind of training path
    allowed to, ``docs/design.md``, decision 6). Every step, as the seed:

    * the L2RW meta gradient :math:`g_i` gives sigmoid weights
      :math:`w_i = \sigma(-g_i) / \sum_j \sigma(-g_j)` (no :math:`\beta`, no
      alternation);
    * a network trained on the clean labels (``clean_checkpoint``, the same
      architecture) predicts the training batch; the target of a noisy
      sample is its prediction (``target='hard'``: the argmax, the seed's;
      ``'soft'``: the softmax), the target of a clean sample its given label;
    * the update minimises :math:`\sum_i w_i\, \mathrm{CE}(z_i, t_i)`.

    The clean network is loaded at the first step (so that a config builds
    without the file), frozen, and never saved in this model's checkpoints.
    The seed leaves it in train mode, so its BatchNorm normalises each
    training batch by its own statistics while predicting; that is a bug,
    ``clean_bn_mode='eval'`` (the default) predicts with the running
    statistics and ``'train'`` reproduces the seed.

    Args:
        clean_checkpoint (str): Checkpoint of the clean-trained network
            (an ``ImageClassifier`` with this backbone, neck and head; a
            work dir or ``last_checkpoint`` is accepted).
        target (str): ``'hard'`` (the seed's) or ``'soft'``. Defaults to
            ``'hard'``.
        clean_bn_mode (str): ``'eval'`` or the seed's ``'train'``. Defaults
            to ``'eval'``.
        weighting (str): L2RW's weighting. Defaults to ``'sigmoid'`` (the
            seed's).
        **kwargs: Arguments of :class:`L2RWClassifier`.
    """

    def __init__(self,
                 *args,
                 clean_checkpoint: str,
                 target: str = 'hard',
                 clean_bn_mode: str = 'eval',
                 weighting: str = 'sigmoid',
                 **kwargs):
        if target not in TARGETS:
            raise ValueError(f'target must be one of {TARGETS}, got '
                             f'target={target!r}')
        if clean_bn_mode not in CLEAN_BN_MODES:
            raise ValueError(f'clean_bn_mode must be one of {CLEAN_BN_MODES},'
                             f' got clean_bn_mode={clean_bn_mode!r}')
        if not isinstance(clean_checkpoint, str) or not clean_checkpoint:
            raise ValueError('clean_checkpoint must name the checkpoint of a '
                             'network trained on the clean labels, got '
                             f'{clean_checkpoint!r}')
        self._clean_cfg = dict(
            type='ImageClassifier',
            backbone=copy.deepcopy(kwargs.get('backbone')),
            neck=copy.deepcopy(kwargs.get('neck')),
            head=copy.deepcopy(kwargs.get('head')))
        super().__init__(*args, weighting=weighting, **kwargs)
        self.clean_checkpoint = clean_checkpoint
        self.target = target
        self.clean_bn_mode = clean_bn_mode
        # kept out of the module tree: not trained, not checkpointed
        self.__dict__['_clean_net'] = None

    def clean_net(self, device) -> nn.Module:
        """The frozen clean-trained network (loaded on first use)."""
        net: Optional[nn.Module] = self.__dict__['_clean_net']
        if net is None:
            from ...utils.checkpoint import (register_safe_globals,
                                             resolve_checkpoint)
            path = resolve_checkpoint(self.clean_checkpoint)
            register_safe_globals()
            state = torch.load(path, map_location='cpu', weights_only=True)
            state = state.get('state_dict', state)
            own = {
                k: v
                for k, v in state.items()
                if k.split('.')[0] in ('backbone', 'neck', 'head')
            }
            net = MODELS.build(self._clean_cfg)
            missing, unexpected = net.load_state_dict(own, strict=False)
            if missing:
                raise ValueError(
                    f'clean_checkpoint={self.clean_checkpoint!r} is not this '
                    f'architecture: {len(missing)} tensors missing, e.g. '
                    f'{missing[:3]}')
            for p in net.parameters():
                p.requires_grad_(False)
            self.__dict__['_clean_net'] = net
        net.to(device)
        net.train(self.clean_bn_mode == 'train')
        return net

    def clean_targets(self, step: MetaStep) -> Tensor:
        """``(B, C)`` targets: the clean network's for noisy samples."""
        samples = step.samples
        if 'is_noisy' not in samples[0]:
            raise KeyError(
                'L2RWUpperBoundClassifier needs is_noisy in the batch (the '
                'oracle reads which labels are wrong): end the training '
                'pipeline with PackNoisyInputs')
        noisy = torch.as_tensor([bool(s.is_noisy) for s in samples],
                                device=step.inputs.device)
        with torch.no_grad():
            logits = self.clean_net(step.inputs.device)(
                step.inputs, mode='tensor').float()
        num_classes = logits.size(1)
        if self.target == 'hard':
            pred = F.one_hot(logits.argmax(dim=1), num_classes).float()
        else:
            pred = F.softmax(logits, dim=1)
        given = F.one_hot(step.labels, num_classes).float()
        return torch.where(noisy.reshape(-1, 1), pred, given)

    def outer_loss(self, step: MetaStep, tangent: Tensor,
                   model_ow: OptimWrapper):
        eps_grad = -tangent  # d L_meta / d eps
        weights = normalize_weights(
            l2rw_scores(eps_grad, self.weighting, self.floor),
            reduce_sum=self._dist_sum)
        targets = self.clean_targets(step)
        self.train_forward(step, model_ow)
        loss = (weights * self.soft_cross_entropy(step.logits, targets)).sum()
        return loss, dict(weight=weights * step.n), {
            'meta/weight_max': (weights * step.n).max().detach()
        }
