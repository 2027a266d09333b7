# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Closed-form backward passes of NFL and NGCE for index targets.

Both losses are ratios of sums over the classes, and autograd records a
dozen ``(N, C)`` operations for them (2.4-4.5x the time of CE). Their
gradients have short closed forms in the log-probabilities
:math:`\ell_k = \log p_k`, and through the log-softmax
:math:`\partial L / \partial z_j = g_j - p_j \sum_k g_k` with
:math:`g_k = \partial L / \partial \ell_k`:

- NFL, focal factors :math:`f_k = (1 - p_k)^\gamma` constant (the official
  code's gradient), :math:`a_k = -f_k \ell_k`, :math:`D = \sum_k a_k`,
  :math:`L = s\, a_y / D`:
  :math:`g_k = (L f_k - s f_y [k = y]) / D`.
- NGCE, :math:`P_k = \max(p_k, m)^q`, :math:`S = \sum_k P_k`,
  :math:`L = (1 - P_y) / (C - S)`:
  :math:`g_k = q\, [p_k \ge m]\, (L P_k - P_y [k = y]) / (C - S)`.

A passive term that is linear in :math:`1 - p_y` for index targets (MAE
``1 - p_y``, RCE ``-A (1 - p_y)``) is added inside the same function:
``passive = w`` makes the output :math:`L + w (1 - p_y)` and adds
:math:`-w p_y` to :math:`g_y`, so an APL pair (NFL + MAE, NGCE + RCE, ...) is
one autograd node instead of one plus the half dozen per-sample operations
of its passive term and of the weighted sum.

Each function also returns :math:`\ell_y = \log p_y` as a second,
differentiable output, which a :class:`~.utils.LogitView` then shares with
the other term of any other combination (NFL + AGCE, NGCE + AUL, ...): a
term that depends on :math:`p_y` alone adds its gradient :math:`h` to
:math:`g_y` (so to :math:`\sum_k g_k` too) inside the same backward pass,
instead of a second log-softmax with its own backward.

The values are those of the autograd forms in ``focal_loss.py`` and
``gce_loss.py``; ``tests/test_models/test_losses/test_normalized_grads.py``
checks values and gradients against them in float64.
"""
import math
from typing import Any, Optional, Tuple

import torch
import torch.nn.functional as F


def denominator_floor(dtype: torch.dtype) -> float:
    """NFL's denominator guard: the smallest normal number of ``dtype``.

    The denominator is at least ``C (1 - 1/C)^gamma log C`` (the uniform
    row), so the guard acts only where that minimum underflows (gamma above
    about 125 in float32 and 1,020 in float64 at ``C = 2``); wherever the
    denominator is a normal number the value is exact. (A fixed 1e-12 made
    the value wrong from gamma about 40: NFL 6e-7 instead of 1/2 on the
    uniform row at gamma 60.)
    """
    return torch.finfo(dtype).tiny


def _first_order_only(name: str) -> None:
    """Refuse a backward pass that would be differentiated again.

    The closed forms compute the gradient from saved tensors outside
    autograd, so under ``create_graph=True`` (a gradient penalty, a
    reverse-over-reverse meta-gradient) the second derivative would be
    silently missing; autograd runs the backward with grad mode on then.
    """
    if torch.is_grad_enabled():
        raise RuntimeError(
            f'{name}: the closed-form backward is first-order only and '
            'cannot be differentiated again (create_graph=True). NFL: '
            "NFLLoss(detach='none') differentiates the ratio with autograd; "
            'NGCE has no second-order path')


def _nfl_denominator_can_underflow(classes: int, gamma: float) -> bool:
    """Whether NFL's denominator might need its guard
    (:func:`denominator_floor`), conservatively.

    Its minimum ``C (1 - 1/C)^gamma log C`` (the uniform row) is above 1e-6
    for every ``gamma`` below about 20 at ``C = 2`` (160 at ``C = 10``);
    there neither the guard nor its zero-gradient mask is computed."""
    return classes * (1 - 1 / classes)**gamma * math.log(classes) < 1e-6


def _upstream(grad: Optional[torch.Tensor],
              like: torch.Tensor) -> torch.Tensor:
    """An output's incoming gradient; zeros where that output was unused
    (the functions do not materialise them)."""
    return torch.zeros_like(like) if grad is None else grad


def _pick(x: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """``x[n, idx[n]]`` for ``idx`` of shape ``(N, 1)``."""
    return x.gather(1, idx).squeeze(1)


def _add_passive(loss: torch.Tensor, b: torch.Tensor, logp_y: torch.Tensor,
                 p: torch.Tensor, idx: torch.Tensor, passive: float) -> None:
    """In place: ``loss += w (1 - p_y)`` and ``b += w p_y``, ``w = passive``
    (``b`` is the per-row coefficient of the gradient at ``k = y``; the
    term's own gradient there is ``-w p_y``). ``1 - p_y`` is ``-expm1(log
    p_y)``, exact where ``p_y`` is near 1."""
    loss.sub_(torch.expm1(logp_y), alpha=passive)
    b.add_(_pick(p, idx), alpha=passive)


class NFLFunction(torch.autograd.Function):
    r"""Per-sample NFL with constant focal factors; see the module doc.

    ``through_denominator=False`` is ``detach='denominator'``: the
    denominator's share vanishes and the backward is one pass and the
    scatter. Forward: the log-softmax, :math:`p = e^{\ell}` (one pass, where
    a second softmax costs five times as much on the CPU), the factors, and
    the denominator written over :math:`\ell` once :math:`\ell_y` is picked
    (no ``(N, C)`` temporary), and the factors' sum; backward: two passes
    and the scatter at ``k = y``, where
    :math:`\sum_k g_k = (L \sum_k f_k - s f_y) / D` is known per row. ``p``
    itself is kept for the backward: rebuilding it from the factors
    (:math:`p = 1 - f^2` at :math:`\gamma = 1/2`) would save a buffer but
    cost about ``C`` float32 roundings of accuracy in every gradient entry
    (the difference of two terms of size :math:`\sum_k g_k`).
    """

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor, target: torch.Tensor, gamma: float,
                scale: float, through_denominator: bool,
                passive: float) -> Tuple[torch.Tensor, torch.Tensor]:
        logp = F.log_softmax(z, dim=1)
        idx = target.long().view(-1, 1)
        logp_y = _pick(logp, idx)
        p = logp.exp()
        factor = torch.rsub(p, 1)
        factor = factor.sqrt_() if gamma == 0.5 else factor.pow_(gamma)
        # D = -sum_k f_k log p_k, over log p's buffer (log p_y is picked)
        denom = logp.mul_(factor).sum(dim=1).neg_()
        guard = _nfl_denominator_can_underflow(z.size(1), gamma)
        if guard:
            floor = denominator_floor(denom.dtype)
            live = denom >= floor
            denom.clamp_(min=floor)
        inv = denom.reciprocal_()
        # per row: b = s f_y / D, L = -b log p_y, a = L / D where D is live
        b = _pick(factor, idx).mul_(inv)
        if scale != 1:
            b.mul_(scale)
        loss = torch.mul(b, logp_y).neg_()
        # 'denominator': only log p_y of the numerator has a gradient
        saved: Tuple[torch.Tensor, ...] = (b, idx, p)
        if through_denominator:  # a from NFL's own L, before the passive
            a = torch.mul(loss, inv)
            if guard:
                a.mul_(live)
            saved += (factor, factor.sum(dim=1), a)
        if passive:
            _add_passive(loss, b, logp_y, p, idx, passive)
        ctx.save_for_backward(*saved)
        ctx.set_materialize_grads(False)
        return loss, logp_y

    @staticmethod
    def backward(ctx: Any, grad: Optional[torch.Tensor],
                 grad_logp_y: Optional[torch.Tensor]) -> Tuple[Any, ...]:
        _first_order_only('NFLLoss')
        b, idx, p, *through = ctx.saved_tensors
        grad = _upstream(grad, b)
        # the numerator's share at k = y, less the gradient that reached
        # the shared log p_y (none when no other term used it)
        c2 = torch.mul(grad, b)
        if grad_logp_y is not None:
            c2.sub_(grad_logp_y)
        if through:
            factor, sum_f, a = through
            c1 = grad * a  # the denominator's share
            g_sum = torch.mul(c1, sum_f).sub_(c2)
            dz = factor * c1.unsqueeze(1)
            dz.addcmul_(p, g_sum.unsqueeze(1), value=-1)
        else:  # 'denominator': g_sum = -c2
            dz = p * c2.unsqueeze(1)
        dz.scatter_add_(1, idx, c2.neg_().unsqueeze(1))
        return dz, None, None, None, None, None


class NGCEFunction(torch.autograd.Function):
    """Per-sample NGCE; see the module doc. ``max(p, m)^q`` is
    ``max(p^q, m^q)``, and the floor's zero gradient is a threshold of
    ``p^q`` at ``m^q`` (one fused pass, no boolean mask), done in place once
    the clamped values have given the loss (a clamped value is ``m^q``
    exactly, rounded once to the logits' dtype, which the threshold zeroes);
    ``p`` and ``p^q`` are exponentials of the one log-softmax, ``p^q`` over
    its buffer."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor, target: torch.Tensor, q: float,
                min_prob: float, scale: float,
                passive: float) -> Tuple[torch.Tensor, torch.Tensor]:
        logp = F.log_softmax(z, dim=1)
        p = logp.exp()
        idx = target.long().view(-1, 1)
        logp_y = _pick(logp, idx)
        pq = logp.mul_(q).exp_()
        if min_prob > 0:
            # m^q as the dtype holds it: clamp and threshold agree on it
            floor = torch.tensor(
                math.exp(q * math.log(min_prob)), dtype=pq.dtype).item()
            pq.clamp_(min=floor)
        inv = torch.rsub(pq.sum(dim=1), z.size(1)).reciprocal_()
        loss = torch.rsub(_pick(pq, idx), 1).mul_(inv)
        if scale != 1:
            loss.mul_(scale)
        # per row: c1 = q L / (C - S), c2 = s q P_y / (C - S), times grad
        a = torch.mul(loss, inv).mul_(q)
        # where p > m (the floor's values become 0), over the same buffer
        pq_live = torch.threshold_(pq, floor, 0.0) if min_prob > 0 else pq
        b = _pick(pq_live, idx).mul_(inv).mul_(q * scale)
        if passive:
            _add_passive(loss, b, logp_y, p, idx, passive)
        ctx.save_for_backward(p, pq_live, pq_live.sum(dim=1), a, b, idx)
        ctx.set_materialize_grads(False)
        return loss, logp_y

    @staticmethod
    def backward(ctx: Any, grad: Optional[torch.Tensor],
                 grad_logp_y: Optional[torch.Tensor]) -> Tuple[Any, ...]:
        _first_order_only('NGCELoss')
        p, pq, sum_pq, a, b, idx = ctx.saved_tensors
        grad = _upstream(grad, a)
        c1 = grad * a
        c2 = torch.mul(grad, b)
        if grad_logp_y is not None:
            c2.sub_(grad_logp_y)
        g_sum = torch.mul(c1, sum_pq).sub_(c2)
        dz = pq * c1.unsqueeze(1)
        dz.addcmul_(p, g_sum.unsqueeze(1), value=-1)
        dz.scatter_add_(1, idx, c2.neg_().unsqueeze(1))
        return dz, None, None, None, None, None


def nfl_closed_form(z: torch.Tensor,
                    target: torch.Tensor,
                    gamma: float,
                    scale: float,
                    detach: str = 'factor',
                    passive: float = 0.0) -> Tuple[torch.Tensor, torch.Tensor]:
    """``scale * NFL + passive * (1 - p_y)`` per sample for index targets
    ``(N,)``, and ``log p_y`` (both ``(N,)``, both differentiable).
    ``detach``: ``'factor'`` (the official gradient) or ``'denominator'``
    (the denominator is a constant too)."""
    if detach not in ('factor', 'denominator'):
        raise ValueError("nfl_closed_form: detach must be 'factor' or "
                         f"'denominator', got {detach!r}")
    return NFLFunction.apply(z, target, gamma, scale, detach == 'factor',
                             passive)


def ngce_closed_form(
        z: torch.Tensor,
        target: torch.Tensor,
        q: float,
        min_prob: float,
        scale: float = 1.0,
        passive: float = 0.0) -> Tuple[torch.Tensor, torch.Tensor]:
    """``scale * NGCE + passive * (1 - p_y)`` per sample, index targets
    ``(N,)``; and ``log p_y``."""
    return NGCEFunction.apply(z, target, q, min_prob, scale, passive)
