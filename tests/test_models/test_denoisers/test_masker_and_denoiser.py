# Copyright (c) lnl_mm contributors. All rights reserved.
"""noise2self masking, the denoiser's modes, DnCNN."""
import pytest
import torch
from mmpretrain.structures import DataSample

from lnl_mm.models.backbones import DnCNN
from lnl_mm.models.denoisers import GridMasker, SelfSupervisedDenoiser
from lnl_mm.models.denoisers.masker import grid_mask


def test_phases_cover_every_pixel_exactly_once_per_cycle():
    total = torch.zeros(20, 35)
    for phase in range(25):
        m = grid_mask(20, 35, 5, phase)
        assert m.sum() == 20 * 35 / 25  # 1/25 of the pixels
        total += m
    assert torch.equal(total, torch.ones(20, 35))
    # Phase i is (i mod w, (i div w) mod w); the cycle repeats after w^2.
    m = grid_mask(10, 10, 5, 7)
    assert m[2, 1] == 1 and m[7, 6] == 1 and m.sum() == 4
    assert torch.equal(grid_mask(10, 10, 5, 32), m)
    distinct = {grid_mask(10, 10, 5, p).numpy().tobytes() for p in range(25)}
    assert len(distinct) == 25


def test_mask_modes_replace_only_masked_pixels():
    x = torch.rand(2, 1, 10, 10)
    for mode in ('zero', 'random', 'interpolate'):
        masked, mask = GridMasker(5, mode).mask(x, 3)
        keep = mask == 0
        assert torch.equal(masked[keep.expand_as(x)], x[keep.expand_as(x)])
    masked, mask = GridMasker(5, 'zero').mask(x, 3)
    assert (masked[mask.bool().expand_as(x)] == 0).all()
    # interpolate: weighted mean of the 8 neighbours of an interior pixel.
    masked, mask = GridMasker(5, 'interpolate').mask(x, 6)  # pixel (1, 1)
    w = torch.tensor([[0.5, 1, 0.5], [1, 0, 1], [0.5, 1, 0.5]]) / 6
    assert torch.allclose(masked[0, 0, 1, 1], (x[0, 0, 0:3, 0:3] * w).sum())
    with pytest.raises(ValueError, match='masker mode'):
        GridMasker(5, 'median')


def test_full_inference_is_j_invariant():
    x = torch.rand(1, 1, 10, 10)
    # The identity "denoiser" sees each pixel only when it is zeroed.
    out = GridMasker(5, 'zero').infer_full_image(x, lambda t: t)
    assert torch.equal(out, torch.zeros_like(x))


def _denoiser(mode, **kw):
    torch.manual_seed(0)
    return SelfSupervisedDenoiser(
        backbone=dict(type='DnCNN', depth=3, channels=8),
        loss='heat0.2',
        mode=mode,
        **kw)


def _samples(n=2):
    out = []
    for _ in range(n):
        s = DataSample()
        s.set_field(torch.rand(1, 10, 10), 'gt_img')
        out.append(s)
    return out


def test_n2s_loss_only_on_masked_pixels_and_phase_advances():
    model = _denoiser('n2s', masker=dict(width=5, mode='zero'))
    x = torch.rand(2, 1, 10, 10)
    # Perturb the prediction on unmasked pixels: the loss must not change.
    base = model.backbone
    mask0 = grid_mask(10, 10, 5, 0)[None, None]

    class Perturbed(torch.nn.Module):

        def forward(self, t):
            return base(t) + 5.0 * (1 - mask0)

    loss_a = model.loss(x, _samples())['loss']
    model.mask_step.zero_()
    model.backbone = Perturbed()
    loss_b = model.loss(x, _samples())['loss']
    assert torch.allclose(loss_a, loss_b)
    assert int(model.mask_step) == 1
    assert 'mask_step' in model.state_dict()


def test_modes_targets_and_errors():
    x = torch.rand(2, 1, 10, 10)
    with pytest.raises(KeyError, match=r"needs 'noisy2'.*num_copies=2"):
        _denoiser('n2n').loss(x, _samples())
    assert torch.isfinite(_denoiser('n2c').loss(x, _samples())['loss'])
    with pytest.raises(ValueError, match='mode must be one of'):
        _denoiser('n2x')
    with pytest.raises(ValueError, match='full_inference'):
        _denoiser('n2c', full_inference=True)
    out = _denoiser('n2s', full_inference=True).eval().predict(x)
    assert out[0].pred_img.shape == (1, 10, 10)


def test_dncnn_is_residual_with_the_specified_layers():
    net = DnCNN()
    convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    bns = [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(convs) == 17 and len(bns) == 15
    assert convs[0].bias is not None and convs[-1].bias is None
    assert bns[0].momentum == 0.95 and bns[0].eps == 1e-4
    x = torch.rand(2, 1, 40, 40)
    assert net(x).shape == x.shape
    torch.nn.init.zeros_(convs[-1].weight)  # no predicted noise: identity
    assert torch.equal(net(x), x)
    w = convs[1].weight.reshape(64, -1)  # orthogonal rows
    assert torch.allclose(w @ w.T, torch.eye(64), atol=1e-4)
    with pytest.raises(ValueError, match='depth'):
        DnCNN(depth=1)


def test_mask_as_input_channel_and_single_pass():
    x = torch.rand(2, 1, 10, 10)
    masker = GridMasker(5, 'zero', include_mask_as_input=True)
    net_input, mask = masker.mask(x, 7)
    assert net_input.shape == (2, 2, 10, 10)
    assert torch.equal(net_input[:, 1:], mask.expand(2, 1, 10, 10))
    assert torch.equal(net_input[:, :1], x * (1 - mask))
    seen = []
    out = masker.single_pass(x, lambda t: seen.append(t) or t[:, :1])
    assert torch.equal(seen[0][:, 1:], torch.zeros_like(x))
    assert torch.equal(out, x)
    calls = []
    single = GridMasker(5, 'zero', infer_single_pass=True)
    single.infer_full_image(x, lambda t: calls.append(t) or t)
    assert len(calls) == 1 and torch.equal(calls[0], x)
    with pytest.raises(TypeError, match='include_mask_as_input must be a'):
        GridMasker(5, include_mask_as_input=1)


def test_n2s_with_the_mask_as_input():
    model = SelfSupervisedDenoiser(
        backbone=dict(type='DnCNN', depth=3, channels=8, extra_in_channels=1),
        loss='mse',
        mode='n2s',
        masker=dict(width=5, mode='random', include_mask_as_input=True))
    x = torch.rand(2, 1, 10, 10)
    loss = model(x, _samples(), mode='loss')['loss']
    loss.backward()
    assert torch.isfinite(loss)
    model.eval()
    out = model(x, _samples(), mode='predict')
    assert out[0].pred_img.shape == (1, 10, 10)
    with pytest.raises(ValueError, match='has no mask'):
        _denoiser('n2c', masker=dict(include_mask_as_input=True))
    with pytest.raises(ValueError, match='choose one'):
        _denoiser(
            'n2s', full_inference=True, masker=dict(infer_single_pass=True))
    with pytest.raises(ValueError, match='expected 2 input channels'):
        DnCNN(depth=3, channels=8, extra_in_channels=1)(x)


def test_n2s_prediction_is_one_pass_unless_full_inference():
    model = _denoiser('n2s')
    model.eval()
    x = torch.rand(1, 1, 10, 10)
    single = model(x, _samples(1), mode='predict')[0].pred_img
    assert torch.equal(single, model.backbone(x)[0])
