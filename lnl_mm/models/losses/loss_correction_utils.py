# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared parts of the loss-correction losses: the noise transition matrix
(reading and checking it) and the base class that holds it.

`Making Deep Neural Networks Robust to Label Noise: a Loss Correction
Approach <https://arxiv.org/abs/1609.03683>`_ (Patrini et al., CVPR 2017).

``T[i, j] = P(given label j | clean class i)``, row-stochastic, as the noise
manifest of a run (``noise_manifest.json``, key ``transition_matrix``) and
:func:`~lnl_mm.evaluation.anchor_transition` write it.
"""
import json
import math
import os.path as osp
from typing import Optional, Sequence, Union

import numpy as np
import torch

from .utils import BaseClsLoss, LogitView

#: Tolerance on the row sums of a transition matrix.
ROW_SUM_ATOL = 1e-4
#: The largest condition number backward correction accepts: beyond it the
#: entries of ``T^{-1}`` (computed in float64, used in the logits' dtype)
#: reach the order of the condition number and float32 round-off in the
#: loss grows with them.
MAX_CONDITION = 1e6
#: The keys a JSON file of a transition matrix may hold it under: our
#: estimate file, then the noise manifest.
JSON_KEYS = ('transition', 'transition_matrix')

TransitionSource = Union[str, Sequence[Sequence[float]], np.ndarray]


def read_transition(source: TransitionSource) -> np.ndarray:
    """A transition matrix from a nested list / array, or from a JSON file
    (``transition_estimate.json`` of :class:`LossCorrectionHook` or a run's
    ``noise_manifest.json``) or a ``.npy`` file; float64."""
    if isinstance(source, str):
        if not osp.isfile(source):
            raise FileNotFoundError(f'transition: no file {source!r}')
        if source.endswith('.npy'):
            from lnl_mm.datasets.noise.safe_load import load_npy
            return np.asarray(load_npy(source), dtype=np.float64)
        with open(source) as f:
            content = json.load(f)
        if isinstance(content, dict):
            for key in JSON_KEYS:
                if key in content:
                    # a manifest's empty class is a None row
                    from lnl_mm.datasets.noise.stats import stats_transition
                    return stats_transition(content[key])
            raise KeyError(f'transition: {source!r} holds none of the keys '
                           f'{JSON_KEYS}; it has {sorted(content)}')
        return np.asarray(content, dtype=np.float64)
    try:
        return np.asarray(source, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError('transition must be a (C, C) matrix of numbers or '
                         'a file name, got an irregular sequence') from None


def check_transition(name: str,
                     matrix: np.ndarray,
                     num_classes: Optional[int] = None,
                     invertible: bool = False) -> np.ndarray:
    """Check a row-stochastic ``(C, C)`` matrix for the loss ``name``.

    Every column needs a positive entry (else a label of that class has
    probability 0 under forward correction); ``invertible`` also asks for a
    condition number below :data:`MAX_CONDITION` (backward correction
    multiplies by ``T^{-1}``).
    """
    T = np.asarray(matrix, dtype=np.float64)
    if T.ndim != 2 or T.shape[0] != T.shape[1] or T.shape[0] < 2:
        raise ValueError(f'{name}: transition must be a (C, C) matrix with '
                         f'C >= 2, got shape {T.shape}')
    if num_classes is not None and T.shape[0] != num_classes:
        raise ValueError(f'{name}: transition is {T.shape[0]}x{T.shape[0]} '
                         f'but num_classes={num_classes}')
    if not np.isfinite(T).all():
        raise ValueError(f'{name}: transition has non-finite entries')
    if (T < 0).any():
        i, j = np.argwhere(T < 0)[0]
        raise ValueError(f'{name}: transition has a negative entry, '
                         f'T[{i}, {j}]={float(T[i, j])!r}')
    sums = T.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=ROW_SUM_ATOL):
        bad = int(np.argmax(np.abs(sums - 1.0)))
        raise ValueError(f'{name}: transition rows must sum to 1, row {bad} '
                         f'sums to {sums[bad]:.6g}')
    empty = np.flatnonzero(T.max(axis=0) <= 0)
    if empty.size:
        raise ValueError(f'{name}: transition column {int(empty[0])} is '
                         'all zero: no clean class is ever given that label')
    if invertible:
        cond = np.linalg.cond(T)
        if not cond < MAX_CONDITION:
            raise ValueError(f'{name}: transition is (nearly) singular, '
                             f'condition number {cond:.3g} >= '
                             f'{MAX_CONDITION:.0g}; backward correction '
                             'needs T^-1 (use forward correction)')
    return T


#: The official clip of the probabilities before the logarithm: Keras'
#: ``K.epsilon()`` in ``giorgiop/loss-correction`` ``loss.py``.
PROB_CLAMP = 1e-7


def clamped_log_probs(logp: torch.Tensor, prob_clamp: float) -> torch.Tensor:
    r"""``log clamp(p, eps, 1 - eps)`` from log-probabilities (the official
    clip, in log space; ``eps = 0`` returns ``logp``)."""
    if prob_clamp <= 0:
        return logp
    return logp.clamp(math.log(prob_clamp), math.log1p(-prob_clamp))


class BaseCorrectionLoss(BaseClsLoss):
    """Shared state of forward and backward correction: the transition
    matrix as a buffer (so it is checkpointed and resumed with the model).

    ``transition`` may be left None and set later by
    :class:`~lnl_mm.engine.hooks.LossCorrectionHook` (estimated after a CE
    warm-up, or the oracle matrix of the noise manifest); until then the
    loss refuses to run, except during the warm-up the hook declares, when
    it is plain cross entropy.

    Args:
        num_classes (int): ``C``.
        transition (str | array-like, optional): ``T`` (``(C, C)``,
            ``T[i, j] = P(given j | clean i)``) or a file holding it (see
            :func:`read_transition`). Defaults to None.
        prob_clamp (float): ``eps`` of the clip ``clamp(p, eps, 1 - eps)``
            before the logarithm, in ``[0, 0.5)``. Defaults to
            :data:`PROB_CLAMP` (official).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    transition: torch.Tensor  # buffers
    inverse: torch.Tensor
    has_transition: torch.Tensor
    needs_inverse = False

    def __init__(self,
                 num_classes: int,
                 transition: Optional[TransitionSource] = None,
                 prob_clamp: float = PROB_CLAMP,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        name = type(self).__name__
        if isinstance(
                num_classes,
                bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f'{name}: num_classes must be an int >= 2, got '
                             f'num_classes={num_classes!r}')
        if isinstance(prob_clamp, bool) or not isinstance(
                prob_clamp, (int, float)) or not 0 <= prob_clamp < 0.5:
            raise ValueError(f'{name}: prob_clamp must be in [0, 0.5), got '
                             f'prob_clamp={prob_clamp!r}')
        self.num_classes = num_classes
        self.prob_clamp = float(prob_clamp)
        #: Set by LossCorrectionHook while it warms up: plain CE until then.
        self.warming_up = False
        self.register_buffer('transition',
                             torch.eye(num_classes, dtype=torch.float64))
        # T^-1 in float64, computed once (backward correction uses it)
        self.register_buffer('inverse',
                             torch.eye(num_classes, dtype=torch.float64))
        self.register_buffer('has_transition', torch.zeros((),
                                                           dtype=torch.bool))
        #: Mirrors the buffer ``has_transition`` (no device sync per call).
        self.ready = False
        #: True when ``transition`` came from the config (the hook refuses
        #: to replace it).
        self.given_transition = transition is not None
        if transition is not None:
            self.set_transition(read_transition(transition))

    def set_transition(
            self, matrix: Union[np.ndarray,
                                Sequence[Sequence[float]]]) -> None:
        """Check ``matrix`` and use it from the next call on."""
        T = check_transition(
            type(self).__name__, read_transition(matrix), self.num_classes,
            self.needs_inverse)
        self.transition.copy_(torch.from_numpy(T))
        if self.needs_inverse:
            self.inverse.copy_(torch.from_numpy(np.linalg.inv(T)))
        self.has_transition.fill_(True)
        self.ready = True

    def clear_transition(self) -> None:
        """Forget the matrix (a new run that loaded a checkpoint holding
        one, whose hook sets its own)."""
        self.transition.copy_(torch.eye(self.num_classes))
        self.inverse.copy_(torch.eye(self.num_classes))
        self.has_transition.fill_(False)
        self.ready = False

    def _load_from_state_dict(self, *args, **kwargs):
        super()._load_from_state_dict(*args, **kwargs)
        self.ready = bool(self.has_transition)

    def elementwise(self, view: LogitView) -> torch.Tensor:
        if view.num_classes != self.num_classes:
            raise ValueError(f'{type(self).__name__}: num_classes='
                             f'{self.num_classes} but cls_score has '
                             f'{view.num_classes} columns')
        if not self.ready:
            if not self.warming_up:
                raise RuntimeError(
                    f'{type(self).__name__}: no transition matrix: give '
                    'transition= (a matrix or a file), or add '
                    'LossCorrectionHook to custom_hooks (it estimates T '
                    'after a CE warm-up, or reads the oracle T)')
            return view.cross_entropy()
        source = self.inverse if self.needs_inverse else self.transition
        return self.corrected(view, source.to(view.z.dtype))

    def corrected(self, view: LogitView, T: torch.Tensor) -> torch.Tensor:
        """Per-sample corrected loss ``(N,)`` given ``T`` (backward
        correction: ``T^{-1}``) in the logits' dtype."""
        raise NotImplementedError
