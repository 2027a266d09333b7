# Copyright (c) lnl_mm contributors. All rights reserved.
"""The replay reuses the recorded convolution outputs of the forward that
ran (and only while they are valid) and its tangent is still torch.func's:
convolutions with and without bias, grouped, strided, a first layer
without input tangent, an in-place op that makes an output stale."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lnl_mm.models.meta import ForwardState, dual_conv, replay_dual_forward
from lnl_mm.models.meta.functional import functional_forward


class Net(nn.Module):

    def __init__(self, inplace_after_conv: bool):
        super().__init__()
        self.c1 = nn.Conv2d(3, 4, 3, padding=1)
        self.b1 = nn.BatchNorm2d(4)
        self.c2 = nn.Conv2d(4, 4, 3, stride=2, groups=2, bias=False)
        self.c3 = nn.Conv1d(4, 2, 3, padding='same')
        self.inplace = inplace_after_conv
        self.fc = nn.Linear(2, 3)

    def forward(self, x):
        x = F.relu(self.b1(self.c1(x)))
        x = self.c2(x)
        if self.inplace:
            x.relu_()  # makes c2's recorded output stale
        x = self.c3(x.flatten(2))
        return self.fc(x.mean(2))


def _reference(model, state, params, tangents, x):
    return torch.func.jvp(
        lambda p: functional_forward(
            model,
            p,
            x,
            buffers={
                k: b.clone()
                for k, b in state.buffers.items()
            }), (params, ), (tangents, ))


@pytest.mark.parametrize('inplace', [False, True])
def test_replay_reuses_valid_outputs_and_keeps_the_tangent(
        inplace, monkeypatch):
    torch.manual_seed(0)
    model = Net(inplace).double().train()
    x = torch.randn(5, 3, 6, 6, dtype=torch.float64)
    state = ForwardState.capture(model, x)
    with state.recording():
        out = model(x)
    assert len(state.convs) == 3
    reused = []
    real = dual_conv.conv_jvp

    def spy(*args, primal=None, **kwargs):
        reused.append(primal is not None)
        return real(*args, primal=primal, **kwargs)

    monkeypatch.setattr('lnl_mm.models.meta.replay.conv_jvp', spy)
    params = {k: p.detach() for k, p in model.named_parameters()}
    tangents = {k: torch.randn_like(p) for k, p in params.items()}
    primal, tangent = replay_dual_forward(model, state, params, tangents, x)
    assert reused == [True, not inplace, True]
    torch.testing.assert_close(primal, out.detach(), rtol=0, atol=0)
    ref_primal, ref_tangent = _reference(model, state, params, tangents, x)
    torch.testing.assert_close(tangent, ref_tangent, rtol=1e-12, atol=1e-12)


def test_unrecorded_or_mismatched_forwards_compute_the_primal(monkeypatch):
    torch.manual_seed(1)
    model = Net(False).double().train()
    x = torch.randn(5, 3, 6, 6, dtype=torch.float64)
    state = ForwardState.capture(model, x)
    with state.recording():
        model(x[:4])  # another batch: shapes differ, nothing reused
    reused = []
    real = dual_conv.conv_jvp
    monkeypatch.setattr(
        'lnl_mm.models.meta.replay.conv_jvp',
        lambda *a, primal=None, **k:
        (reused.append(primal is not None), real(*a, primal=primal, **k))[1])
    params = {k: p.detach() for k, p in model.named_parameters()}
    tangents = {k: torch.randn_like(p) for k, p in params.items()}
    _, tangent = replay_dual_forward(model, state, params, tangents, x)
    assert reused == [False, False, False]
    torch.testing.assert_close(
        tangent,
        _reference(model, state, params, tangents, x)[1])
    # only some parameters move (the others carry no tangent)
    head = {k: v for k, v in tangents.items() if not k.startswith('c1.')}
    zero = {
        k: torch.zeros_like(v) if k.startswith('c1.') else v
        for k, v in tangents.items()
    }
    _, tangent = replay_dual_forward(model, state,
                                     {k: params[k]
                                      for k in head}, head, x)
    torch.testing.assert_close(tangent,
                               _reference(model, state, params, zero, x)[1])


def test_conv_jvp_bias_only_tangent():
    x = torch.randn(2, 3, 5, dtype=torch.float64)
    w = torch.randn(4, 3, 2, dtype=torch.float64)
    b = torch.randn(4, dtype=torch.float64)
    b_t = torch.randn(4, dtype=torch.float64)
    y, y_t = dual_conv.conv_jvp(F.conv1d, x, None, w, None, b, b_t)
    torch.testing.assert_close(y, F.conv1d(x, w, b))
    torch.testing.assert_close(y_t, b_t.view(1, -1, 1).expand_as(y))


class KeywordBias(nn.Module):
    """A frozen convolution called with keyword arguments (no tangent),
    then a trainable one."""

    def __init__(self):
        super().__init__()
        self.frozen = nn.Conv2d(3, 4, 3, padding=1)
        self.frozen.requires_grad_(False)
        self.c = nn.Conv2d(4, 2, 3)

    def forward(self, x):
        x = F.conv2d(
            input=x,
            weight=self.frozen.weight,
            bias=self.frozen.bias,
            padding=1)
        return self.c(torch.tanh(x)).mean((2, 3))


def test_keyword_arguments_and_calls_without_tangent_keep_their_bias():
    torch.manual_seed(2)
    model = KeywordBias().double()
    x = torch.randn(3, 3, 5, 5, dtype=torch.float64)
    state = ForwardState.capture(model, x)
    with state.recording():
        out = model(x)
    params = {
        k: p.detach()
        for k, p in model.named_parameters() if p.requires_grad
    }
    tangents = {k: torch.randn_like(p) for k, p in params.items()}
    primal, tangent = replay_dual_forward(model, state, params, tangents, x)
    torch.testing.assert_close(primal, out.detach(), rtol=0, atol=0)
    torch.testing.assert_close(
        tangent,
        _reference(model, state, params, tangents, x)[1],
        rtol=1e-12,
        atol=1e-12)
    assert state.convs == []  # released after the replay


def test_a_record_is_tied_to_its_weight():
    """Same shapes, another weight tensor (or the same one updated in
    place): the record is not reused."""
    x = torch.randn(2, 3, 4, 4)
    w = torch.randn(5, 3, 3, 3)
    record = dual_conv.RecordedConv.of(F.conv2d(x, w), x, w)
    assert record.matches(x, w)
    assert not record.matches(x, w.clone())
    w.add_(1.0)  # an in-place update
    assert not record.matches(x, w)
