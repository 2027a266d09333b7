# Copyright (c) lnl_mm contributors. All rights reserved.
"""The official-protocol configs start from the official initialisation."""
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS
from torch import nn

import lnl_mm  # noqa: F401

ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def build(leaf):
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(ROOT, 'configs', leaf))
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def bn_gammas(model):
    return [m.weight for m in model.modules() if isinstance(m, nn.BatchNorm2d)]


def fan_in(w):
    return w[0].numel()


@pytest.mark.parametrize('leaf', [
    'robust_losses/ce_resnet34_1xb128-200e_cifar100-sym40.py',
    'gls/gls_resnet34_1xb128-100e_cifar10-sym40.py',
    'noisy_baseline/ce_resnet34_1xb128-100e_cifar10n-worst.py',
])
def test_every_bn_gamma_starts_at_one(leaf):
    """mmpretrain's zero_init_residual would start each block's last BN at
    0; ALFs and GLS start every BN at gamma 1, beta 0."""
    model = build(leaf)
    gammas = bn_gammas(model)
    assert len(gammas) == 36  # stem + 16 blocks x 2 + 3 downsample BNs
    assert all(torch.equal(g, torch.ones_like(g)) for g in gammas)


def test_alfs_resnet34_is_kaiming_uniform_fan_in_and_xavier_head():
    model = build('robust_losses/ce_resnet34_1xb128-200e_cifar100-sym40.py')
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            bound = math.sqrt(2) * math.sqrt(3 / fan_in(m.weight))
            assert m.weight.abs().max() <= bound
            # PyTorch's default bound is sqrt(1 / (3 fan_in))-ish smaller
            assert m.weight.abs().max() > 1.5 / math.sqrt(fan_in(m.weight))
    fc = model.head.fc
    bound = math.sqrt(6 / (fc.in_features + fc.out_features))
    assert fc.weight.abs().max() <= bound
    assert fc.weight.abs().max() > 0.9 * bound


def test_gls_resnet34_keeps_pytorch_defaults():
    """GLS's models/resnet.py does not initialise: PyTorch's default, a
    uniform of bound 1 / sqrt(fan_in) for convs and the linear head (whose
    bias is not zero), instead of mmpretrain's Kaiming / N(0, 0.01)."""
    model = build('gls/gls_resnet34_1xb128-100e_cifar10-sym40.py')
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            bound = 1 / math.sqrt(fan_in(m.weight))
            assert m.weight.abs().max() <= bound
            assert m.weight.abs().max() > 0.95 * bound
    fc = model.head.fc
    bound = 1 / math.sqrt(fc.in_features)
    assert fc.weight.abs().max() <= bound and fc.bias.abs().max() > 0


def test_sln_wrn_is_the_official_network():
    """SLN's WRN-28-2: the last BN with momentum 0.9 and PyTorch's default
    init of the linear head (bound 1 / sqrt(128), non-zero bias) instead of
    mmpretrain's N(0, 0.01) (fidelity B1, B2)."""
    model = build('sln/ce_wrn28-2_1xb128-300e_cifar10-sym40.py')
    assert model.backbone.bn.momentum == 0.9
    assert all(m.momentum == 0.1 for m in model.backbone.modules()
               if isinstance(m, nn.BatchNorm2d) and m is not model.backbone.bn)
    fc = model.head.fc
    bound = 1 / math.sqrt(fc.in_features)
    assert fc.weight.abs().max() <= bound
    assert fc.weight.abs().max() > 0.9 * bound and fc.bias.abs().max() > 0


def test_apl_resnet50_is_the_official_network_and_init():
    """APL's CIFAR ResNet-50: 16 bottlenecks (+ stem, 4 downsample BNs), BN
    gamma 1, Kaiming-uniform fan_in convs, Xavier FC weight, bias kept."""
    model = build(
        'robust_losses/nce-rce_resnet50_1xb128-200e_cifar100-sym40.py')
    gammas = bn_gammas(model)
    assert len(gammas) == 1 + 16 * 3 + 4
    assert all(torch.equal(g, torch.ones_like(g)) for g in gammas)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            bound = math.sqrt(2) * math.sqrt(3 / fan_in(m.weight))
            assert m.weight.abs().max() <= bound
    fc = model.head.fc
    assert (fc.in_features, fc.out_features) == (2048, 100)
    out = model(torch.randn(2, 3, 32, 32))
    assert out.shape == (2, 100)


@pytest.mark.parametrize('leaf', [
    'robust_losses/ce_cnn4_1xb128-50e_mnist-sym40.py',
    'robust_losses/ce_cnn4_1xb128-apl-50e_mnist-sym40.py',
    'robust_losses/ce_cnn8_1xb128-120e_cifar10-sym40.py',
    'robust_losses/ce_resnet34_1xb128-200e_cifar100-sym40.py',
    'robust_losses/nce-rce_resnet50_1xb128-200e_cifar100-sym40.py',
])
def test_official_protocols_keep_the_pytorch_head_bias(leaf):
    """The official code initialises the FC weight only: Xavier-uniform
    weight, bias at PyTorch's U(+-1/sqrt(fan_in)) (fidelity A10)."""
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(ROOT, 'configs', leaf))
    model = MODELS.build(cfg.model)
    before = model.head.fc.bias.detach().clone()
    model.init_weights()
    fc = model.head.fc
    assert torch.equal(fc.bias, before)
    assert 0 < fc.bias.abs().max() <= 1 / math.sqrt(fc.in_features)
    bound = math.sqrt(6 / (fc.in_features + fc.out_features))
    assert fc.weight.abs().max() <= bound
    assert fc.weight.abs().max() > 0.9 * bound


def test_the_project_protocols_keep_their_zero_head_bias():
    """The digits protocol (our own; its tables were measured so) keeps
    MMEngine's Xavier with bias 0."""
    model = build('robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py')
    assert torch.equal(model.head.fc.bias,
                       torch.zeros_like(model.head.fc.bias))


def test_keep_bias_refuses_bad_configs():
    from mmengine.registry import WEIGHT_INITIALIZERS
    with pytest.raises(TypeError, match="KeepBias: init must be"):
        WEIGHT_INITIALIZERS.build(dict(type='KeepBias', init='Xavier'))
    with pytest.raises(ValueError, match='Pretrained'):
        WEIGHT_INITIALIZERS.build(
            dict(
                type='KeepBias',
                init=dict(type='Pretrained', checkpoint='x.pth')))


def test_dynamic_loss_cifar_classifier_keeps_pytorch_defaults():
    """The official Dynamic Loss code never calls the classifier's
    init_weights: every parameter stays at PyTorch's default (fidelity D4)."""
    torch.manual_seed(0)
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'metadynamic',
                 'metadynamic_resnet32_cifar10_cor0.4_imb0.1.py'))
    model = MODELS.build(cfg.model)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.init_weights()
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k
    fc = model.head.fc
    assert fc.weight.abs().max() <= 1 / math.sqrt(fc.in_features)
    assert fc.bias.abs().max() > 0


def test_dynamic_loss_cifar_schedule_is_mmcv_cosine_with_warmup():
    """mmcv's lr_config of the official config: cosine over all 325 epochs
    (per epoch) times a linear warm-up from 0.1 over 5 epochs (per
    iteration), lr = 0.1 * w(t) * (1 + cos(pi e / 325)) / 2. MMEngine's
    LinearLR reaches 1 at iteration 5L - 1 where mmcv reaches it at 5L
    (L iterations per epoch; documented)."""
    from mmengine.optim.scheduler import CosineAnnealingLR, LinearLR
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'metadynamic',
                 'metadynamic_resnet32_cifar10_cor0.4_imb0.1.py'))
    warm, cos = [dict(c) for c in cfg.param_scheduler['model']]
    assert warm.pop('type') == 'LinearLR' and cos.pop('type') == \
        'CosineAnnealingLR'
    iters = 24  # CIFAR-10 at imbalance 0.1: 12,406 images / 512
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    warm.pop('convert_to_iter_based')
    schedulers = [
        LinearLR.build_iter_from_epoch(opt, **warm, epoch_length=iters),
        CosineAnnealingLR(opt, **cos)
    ]
    for epoch in range(12):
        for it in range(iters):
            done = epoch * iters + it
            w = 0.1 + 0.9 * min(done / (5 * iters - 1), 1.0)
            mmcv = 0.1 + 0.9 * min(done / (5 * iters), 1.0)
            assert abs(w - mmcv) / mmcv < 1e-2  # under 1 % at any step
            expected = 0.1 * w * (1 + math.cos(math.pi * epoch / 325)) / 2
            assert opt.param_groups[0]['lr'] == pytest.approx(
                expected, rel=1e-9), (epoch, it)
            opt.step()
            schedulers[0].step()
        schedulers[1].step()


def test_mwnet_cifar_protocol_is_the_official_init_and_padding():
    """MW-Net's resnet.py: kaiming_normal (fan_in) on every conv and linear
    weight, BatchNorm and the linear bias at PyTorch's defaults; the crops
    are taken from a reflect-padded image (fidelity C12)."""
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'meta',
                 'mwnet_resnet32_1xb100-120e_cifar10-unif40.py'))
    crops = [
        t for t in cfg.train_dataloader.dataset.dataset.dataset.pipeline
        if t['type'] == 'RandomCrop'
    ]
    assert crops and all(t['padding_mode'] == 'reflect' for t in crops)
    meta_crops = [
        t for t in cfg.train_cfg.meta_dataloader.dataset.dataset.pipeline
        if t['type'] == 'RandomCrop'
    ]
    assert meta_crops and meta_crops[0]['padding_mode'] == 'reflect'
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    bias = model.head.fc.bias.detach().clone()
    model.init_weights()
    convs = [m for m in model.backbone.modules() if isinstance(m, nn.Conv2d)]
    wide = max(convs, key=lambda m: m.weight.numel())
    std = wide.weight.std().item()
    assert std == pytest.approx(math.sqrt(2 / fan_in(wide.weight)), rel=0.05)
    fc = model.head.fc
    assert fc.weight.std().item() == pytest.approx(
        math.sqrt(2 / fc.in_features), rel=0.25)
    assert torch.equal(fc.bias, bias)  # PyTorch's default, kept
    assert all(torch.equal(g, torch.ones_like(g)) for g in bn_gammas(model))


def test_mwnet_wrn28_10_is_the_official_network_and_init():
    """train_WRN-28-10_Meta_PGC.py's WideResNet: 36.5 M parameters, no
    conv biases, stride on the first conv of a block, the 1x1 shortcut on
    the pre-activated input; convs N(0, sqrt(2 / (k k out))), BN 1 / 0,
    head bias 0 with PyTorch's default weight."""
    from lnl_mm.models.backbones.wide_resnet import MWNetWideBlock
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'meta',
                 'mwnet_wrn28-10_1xb100-20k_cifar10-unif40.py'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    n = sum(p.numel() for n_, p in model.named_parameters()
            if not n_.startswith('meta_net.'))
    assert n == pytest.approx(36.48e6, rel=1e-3)
    convs = [m for m in model.backbone.modules() if isinstance(m, nn.Conv2d)]
    assert all(m.bias is None for m in convs)
    wide = max(convs, key=lambda m: m.weight.numel())
    k = wide.kernel_size[0] * wide.kernel_size[1] * wide.out_channels
    assert wide.weight.std().item() == pytest.approx(
        math.sqrt(2 / k), rel=0.02)
    fc = model.head.fc
    assert torch.equal(fc.bias, torch.zeros_like(fc.bias))
    assert fc.weight.abs().max() <= 1 / math.sqrt(fc.in_features)
    # the block: stride on conv1; a shape-changing shortcut reads relu(bn(x))
    block = MWNetWideBlock(4, 8, stride=2, dropout=0.0).eval()
    assert block.conv1.stride == (2, 2) and block.conv2.stride == (1, 1)
    nn.init.zeros_(block.conv2.weight)  # the residual branch adds 0
    x = torch.randn(2, 4, 8, 8)
    expected = block.shortcut(torch.relu(block.bn1(x)))
    torch.testing.assert_close(block(x), expected)
