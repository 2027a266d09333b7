# Copyright (c) lnl_mm contributors. All rights reserved.
r"""The functional bilevel core of the meta-learning methods.

Pure PyTorch (``torch.func.functional_call`` and forward-mode AD), no
mmengine import, so every piece is testable in float64 on a toy model.

The methods share one computation. A batch of ``B`` noisy samples with
per-sample losses :math:`\ell_i(\theta)` receives per-sample coefficients
:math:`\epsilon_i` (L2RW: perturbations at 0; Meta-Weight-Net: the outputs of
the weighting net). A *virtual* optimizer step

.. math::
    \hat\theta(\epsilon) = \theta - \alpha\, D\Big(\sum_i \epsilon_i
    \nabla_\theta \ell_i(\theta)\Big)

with the real optimizer's learning rate :math:`\alpha` and its SGD rule
:math:`D` (momentum, dampening, Nesterov, weight decay) gives a model whose
loss on a clean meta batch, :math:`L^{meta}(\hat\theta)`, is differentiated
with respect to :math:`\epsilon`.

Two implementations compute :math:`\partial L^{meta} / \partial\epsilon`:

* :func:`eps_grad_reference` follows the definition literally: a
  differentiable virtual step and a double backward. It works for any
  differentiable ``D`` and is the reference of the tests.
* :func:`dual_forward` + :func:`sgd_gradient_coefficient` use the structure of
  SGD: :math:`D` is affine in the gradient with one scalar coefficient
  :math:`c`, hence exactly

  .. math::
      \frac{\partial L^{meta}}{\partial \epsilon_i} = -\alpha c\,
      \big\langle \nabla L^{meta}(\hat\theta),\, \nabla_\theta \ell_i(\theta)
      \big\rangle ,

  and the inner products of all ``B`` samples are one Jacobian-vector product
  of the per-sample losses, computed with forward-mode AD in one extra
  forward pass (no double backward, no second-order graph).
"""
import warnings
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, Optional, Sequence, Tuple

import torch
import torch.autograd.forward_ad as fwAD
from torch import Tensor, nn
from torch.func import functional_call

Params = Dict[str, Tensor]


def trainable_params(module: nn.Module,
                     prefix: str = '',
                     exclude: Sequence[str] = ()) -> Params:
    """Named parameters with ``requires_grad``, optionally without prefixes.

    Args:
        module (nn.Module): The module.
        prefix (str): Only names starting with it (e.g. ``'head.'``).
        exclude (Sequence[str]): Name prefixes to leave out (e.g.
            ``('meta_net.',)``).
    """
    return {
        k: p
        for k, p in module.named_parameters()
        if p.requires_grad and k.startswith(prefix) and not any(
            k.startswith(e) for e in exclude)
    }


def clone_buffers(module: nn.Module, exclude: Sequence[str] = ()) -> Params:
    """Copies of all buffers, so a functional forward cannot move them.

    BatchNorm in training mode updates ``running_mean`` / ``running_var`` /
    ``num_batches_tracked`` in place; a virtual or meta forward runs on
    these copies and the real model's statistics stay where they were.

    Args:
        module (nn.Module): The module.
        exclude (Sequence[str]): Name prefixes of buffers the forward does
            not read (e.g. a per-sample table): not copied, and a functional
            forward then uses the module's own.
    """
    return {
        k: b.clone()
        for k, b in module.named_buffers()
        if not any(k.startswith(e) for e in exclude)
    }


def functional_forward(module: nn.Module,
                       params: Params,
                       *args,
                       buffers: Optional[Params] = None,
                       **kwargs):
    """``module(*args, **kwargs)`` with ``params`` in place of its own.

    Parameters missing from ``params`` keep the module's values. Buffers are
    cloned unless ``buffers`` is given (pass ``dict(module.named_buffers())``
    to let a real forward update the running statistics).
    """
    if buffers is None:
        buffers = clone_buffers(module)
    return functional_call(
        module, ({
            **params,
            **buffers
        }), args, kwargs, strict=False)


def sgd_direction(params: Params,
                  grads: Params,
                  momentum: float = 0.,
                  dampening: float = 0.,
                  weight_decay: float = 0.,
                  nesterov: bool = False,
                  momentum_buffers: Optional[Params] = None) -> Params:
    r"""The update direction of :class:`torch.optim.SGD`, differentiably.

    :math:`d = g + \lambda\theta`; with momentum
    :math:`b' = \mu b + (1 - \tau) d` (:math:`b' = d` on the first step, when
    ``momentum_buffers`` has no entry) and the direction is :math:`b'`, or
    :math:`d + \mu b'` with Nesterov. The step is :math:`\theta - \alpha\cdot`
    direction. Nothing is modified in place.
    """
    out = {}
    buffers = momentum_buffers or {}
    for name, p in params.items():
        d = grads[name]
        if weight_decay:
            d = d + weight_decay * p
        if momentum:
            buf = buffers.get(name)
            buf = d if buf is None else momentum * buf + (1 - dampening) * d
            d = d + momentum * buf if nesterov else buf
        out[name] = d
    return out


def virtual_sgd_step(params: Params, grads: Params, lr: float,
                     **sgd_kwargs) -> Params:
    """``theta - lr * sgd_direction(...)``: the differentiable look-ahead.

    Args:
        params (dict): Current parameters.
        grads (dict): Their gradients (keep the graph to differentiate
            through the step).
        lr (float): The real optimizer's current learning rate.
        **sgd_kwargs: ``momentum``, ``dampening``, ``weight_decay``,
            ``nesterov``, ``momentum_buffers`` of :func:`sgd_direction`.
    """
    direction = sgd_direction(params, grads, **sgd_kwargs)
    return {k: p - lr * direction[k] for k, p in params.items()}


def sgd_gradient_coefficient(momentum: float = 0.,
                             dampening: float = 0.,
                             nesterov: bool = False,
                             first_step: bool = True) -> float:
    r"""The scalar :math:`c = \partial D / \partial g` of the SGD rule.

    1 for plain SGD; :math:`1 - \tau` with momentum after the first step;
    :math:`1 + \mu` (first step) or :math:`1 + \mu (1 - \tau)` with Nesterov.
    Weight decay and the momentum buffer shift the step but not its
    derivative with respect to the gradient.
    """
    if not momentum:
        return 1.0
    slope = 1.0 if first_step else 1.0 - dampening
    return 1.0 + momentum * slope if nesterov else slope


def eps_grad_reference(per_sample_loss: Callable[[Params], Tensor],
                       meta_loss: Callable[[Params], Tensor],
                       params: Params,
                       lr: float,
                       eps: Optional[Tensor] = None,
                       **sgd_kwargs) -> Tensor:
    r"""``d meta_loss(theta_hat(eps)) / d eps`` by a double backward.

    The literal definition (L2RW Algorithm 1): a virtual step on
    :math:`\sum_i \epsilon_i \ell_i`, the meta loss at the stepped
    parameters, the gradient with respect to ``eps``.

    Args:
        per_sample_loss (callable): ``params -> (B,)`` losses.
        meta_loss (callable): ``params -> scalar`` meta loss.
        params (dict): Parameters of the virtual step (leaves).
        lr (float): Step size.
        eps (Tensor, optional): Where to differentiate; zeros by default.
        **sgd_kwargs: See :func:`sgd_direction`.

    Returns:
        Tensor: ``(B,)`` gradient with respect to ``eps``.
    """
    losses = per_sample_loss(params)
    if eps is None:
        eps = torch.zeros_like(losses)
    eps = eps.detach().clone().requires_grad_(True)
    names = list(params)
    grads = torch.autograd.grad(
        (eps * losses).sum(), [params[k] for k in names], create_graph=True)
    stepped = virtual_sgd_step(params, dict(zip(names, grads)), lr,
                               **sgd_kwargs)
    return torch.autograd.grad(meta_loss(stepped), eps)[0]


def meta_gradient(
    meta_loss: Callable[[Params], Tensor],
    params: Params,
    reduce: Optional[Callable[[Tensor],
                              None]] = None) -> Tuple[Params, Tensor]:
    """First-order gradient of ``meta_loss`` at ``params`` (detached).

    Args:
        meta_loss (callable): ``params -> scalar``.
        params (dict): Where to evaluate (e.g. the look-ahead parameters).
        reduce (callable, optional): Applied in place to every gradient,
            e.g. the mean over distributed ranks.

    Returns:
        tuple: The gradients by name, and the (detached) meta loss.
    """
    leaves = {k: p.detach().requires_grad_(True) for k, p in params.items()}
    loss = meta_loss(leaves)
    grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))
    if reduce is not None:
        for g in grads.values():
            reduce(g)
    return grads, loss.detach()


_JVP_DECOMPOSITIONS_LOADED = False


def _load_jvp_decompositions() -> None:
    """Load what ``forward_ad.make_dual`` loads on its first call, once.

    PyTorch scripts its forward-AD decompositions with ``torch.jit.script``
    there, which warns that ``torch.jit.script`` is deprecated: a warning
    about PyTorch's internals, not about the caller's code, so it is not
    shown. Any other warning still is.
    """
    global _JVP_DECOMPOSITIONS_LOADED
    if _JVP_DECOMPOSITIONS_LOADED:
        return
    load = getattr(fwAD, '_maybe_load_decompositions', None)
    if load is not None:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                'ignore',
                message=r'`torch\.jit\.script` is deprecated',
                category=FutureWarning)
            load()
    _JVP_DECOMPOSITIONS_LOADED = True


@contextmanager
def dual_params(params: Params, tangents: Params) -> Iterator[Params]:
    """Forward-mode AD level with ``params`` carrying ``tangents``.

    Inside the block, a forward through
    ``functional_forward(module, duals, ...)`` returns dual tensors; use
    :func:`split_dual` on its outputs *inside* the block. The primal outputs
    keep their ordinary autograd graph, so the same pass also serves the
    real backward.
    """
    _load_jvp_decompositions()
    with fwAD.dual_level():
        yield {
            k: fwAD.make_dual(p, tangents[k].to(p.dtype))
            for k, p in params.items()
        }


def split_dual(t: Tensor) -> Tuple[Tensor, Tensor]:
    """``(primal, tangent)`` of a dual tensor (zero tangent if none)."""
    primal, tangent = fwAD.unpack_dual(t)
    if tangent is None:
        tangent = torch.zeros_like(primal)
    return primal, tangent


def dual_forward(per_sample_loss: Callable[[Params], Tensor], params: Params,
                 tangents: Params) -> Tuple[Tensor, Tensor]:
    r"""Per-sample losses and their directional derivatives in one pass.

    Returns ``(losses, jvp)`` with
    :math:`\mathrm{jvp}_i = \langle \nabla_\theta \ell_i, v \rangle` for
    ``v = tangents``; multiplied by :math:`-\alpha c` it is the exact
    ``eps``-gradient of :func:`eps_grad_reference`.
    """
    with dual_params(params, tangents) as duals:
        return split_dual(per_sample_loss(duals))
