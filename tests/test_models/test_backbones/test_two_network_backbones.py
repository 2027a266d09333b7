# Copyright (c) lnl_mm contributors. All rights reserved.
"""The networks of Co-teaching, Co-teaching+, JoCoR and DivideMix."""
import pytest
import torch
import torch.nn as nn
from mmpretrain.registry import MODELS

import lnl_mm  # noqa: F401


def _count(module):
    return sum(p.numel() for p in module.parameters())


def _conv(c_in, c_out, k=3, bias=True):
    return c_in * c_out * k * k + (c_out if bias else 0)


def _bn(c):  # weight and bias
    return 2 * c


def _fc(n_in, n_out):
    return n_in * n_out + n_out


def _preact_resnet18_count(in_channels=3):
    """Stem conv + BN, then per block BN(in), conv, BN(out), conv and, where
    the shape changes, a 1x1 conv shortcut without BN; no bias anywhere."""
    total = _conv(in_channels, 64, bias=False) + _bn(64)
    c_in = 64
    for width in (64, 128, 256, 512):
        for _ in range(2):
            total += _bn(c_in) + _conv(c_in, width, bias=False)
            total += _bn(width) + _conv(width, width, bias=False)
            if c_in != width:  # the first block of stages 2-4
                total += _conv(c_in, width, k=1, bias=False)
            c_in = width
    return total


def test_preact_resnet18_shapes_and_parameter_count():
    net = MODELS.build(dict(type='PreActResNet18'))
    out = net(torch.randn(2, 3, 32, 32))
    assert len(out) == 1 and out[0].shape == (2, 512, 4, 4)
    assert _count(net) == _preact_resnet18_count()
    # with DivideMix's Linear(512, 10): 11,171,274. The often quoted
    # 11,173,962 is the post-activation ResNet-18 (kuangliu / PreResNet.py's
    # BasicBlock), which has BN in its 3 projection shortcuts (+1,792) and
    # the first BN of stages 2-4 on the wider output (+896).
    assert _count(net) + _fc(512, 10) == 11_171_274
    assert 11_173_962 - 11_171_274 == 2 * (128 + 256 + 512) + 2 * (64 + 128 +
                                                                   256)
    grey = MODELS.build(dict(type='PreActResNet18', in_channels=1))
    assert grey(torch.randn(2, 1, 28, 28))[0].shape == (2, 512, 4, 4)
    assert _count(grey) == _preact_resnet18_count(in_channels=1)


def test_preact_resnet18_has_no_final_bn_relu_by_default():
    torch.manual_seed(0)
    net = MODELS.build(dict(type='PreActResNet18'))
    net.eval()  # mmpretrain's BaseBackbone.train returns None: no chaining
    last = net.layers[-1]
    assert last.shortcut is None  # identity: the output is conv2 + input
    assert isinstance(net.post, nn.Identity)
    out = net(torch.randn(2, 3, 32, 32))[0]
    assert (out < 0).any()  # no ReLU after the last residual sum
    bnrelu = MODELS.build(dict(type='PreActResNet18', final_bn_relu=True))
    assert isinstance(bnrelu.post[0], nn.BatchNorm2d)
    assert _count(bnrelu) == _preact_resnet18_count() + _bn(512)
    bnrelu.eval()
    assert (bnrelu(torch.randn(2, 3, 32, 32))[0] >= 0).all()


def test_preact_block_shortcut_is_on_the_preactivated_input():
    from lnl_mm.models.backbones.preact_resnet import PreActBlock
    block = PreActBlock(4, 8, 2).eval()
    nn.init.zeros_(block.conv2.weight)  # residual branch 0: out = shortcut
    x = torch.randn(1, 4, 6, 6)
    pre = torch.relu(block.bn1(x))
    assert torch.allclose(block(x), block.shortcut(pre))
    same = PreActBlock(4, 4, 1).eval()
    nn.init.zeros_(same.conv2.weight)
    assert torch.equal(same(x), x)  # identity shortcut on the raw input


def _coteaching_cnn_count(in_channels=3):
    widths = [in_channels, 128, 128, 128, 256, 256, 256, 512, 256, 128]
    return sum(_conv(a, b) + _bn(b) for a, b in zip(widths, widths[1:]))


def test_coteaching_cnn_shapes_and_parameter_count():
    net = MODELS.build(dict(type='CoTeachingCNN'))
    # 32 -> pool 16 -> pool 8 -> three valid 3x3 convs: 6, 4, 2
    assert net(torch.randn(2, 3, 32, 32))[0].shape == (2, 128, 2, 2)
    assert _count(net) == _coteaching_cnn_count() == 4_433_280
    grey = MODELS.build(dict(type='CoTeachingCNN', in_channels=1))
    assert grey(torch.randn(2, 1, 28, 28))[0].shape == (2, 128, 1, 1)
    assert _count(grey) == _coteaching_cnn_count(1)
    acts = [m for m in net.modules() if isinstance(m, nn.LeakyReLU)]
    assert len(acts) == 9 and all(a.negative_slope == 0.01 for a in acts)
    with pytest.raises(ValueError, match='at least 28x28'):
        grey(torch.randn(1, 1, 24, 24))


def _dropout_changes(net, x, training):
    net.train(training)
    torch.manual_seed(1)
    a = net(x)[0]
    torch.manual_seed(2)
    return not torch.equal(a, net(x)[0])


def test_coteaching_cnn_dropout_modes():
    x = torch.randn(2, 3, 32, 32)
    nets = {
        mode: MODELS.build(dict(type='CoTeachingCNN', dropout=mode))
        for mode in ('train', 'off', 'always')
    }
    for mode in ('train', 'off'):  # deterministic predictions
        assert not _dropout_changes(nets[mode], x, False), mode
    assert _dropout_changes(nets['always'], x, False)  # PyTorch >= 1 quirk
    assert _dropout_changes(nets['train'], x, True)
    assert not _dropout_changes(nets['off'], x, True)
    # same weights: in eval mode 'train' and 'off' are the same function,
    # and 'always' differs from it
    state = nets['always'].state_dict()
    for net in nets.values():
        net.load_state_dict(state)
        net.eval()
    with torch.no_grad():
        assert torch.equal(nets['train'](x)[0], nets['off'](x)[0])
        assert not torch.equal(nets['always'](x)[0], nets['off'](x)[0])


@pytest.mark.parametrize('kwargs,match', [
    (dict(dropout='eval'), r"dropout='eval'"),
    (dict(dropout=True), 'dropout=True'),
    (dict(dropout_rate=1.0), 'dropout_rate=1.0'),
])
def test_coteaching_cnn_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='CoTeachingCNN', **kwargs))


def _jocor_cnn_count(in_channels=3):
    widths = [in_channels, 64, 64, 128, 128, 196, 16]
    return sum(_conv(a, b) + _bn(b) for a, b in zip(widths, widths[1:]))


def test_jocor_cnn_shapes_and_parameter_count():
    net = MODELS.build(dict(type='JoCoRCNN'))
    out = net(torch.randn(2, 3, 32, 32))
    assert len(out) == 1 and out[0].shape == (2, 16 * 4 * 4)  # Linear(256, C)
    assert _count(net) == _jocor_cnn_count() == 515_580
    assert all(m.momentum == 0.1 for m in net.modules()
               if isinstance(m, nn.BatchNorm2d))
    grey = MODELS.build(dict(type='JoCoRCNN', in_channels=1))
    assert grey(torch.randn(2, 1, 28, 28))[0].shape == (2, 16 * 3 * 3)


def test_mlp_net_shapes_and_parameter_count():
    net = MODELS.build(dict(type='MLPNet'))
    out = net(torch.randn(3, 1, 28, 28))
    assert len(out) == 1 and out[0].shape == (3, 256)
    assert (out[0] >= 0).all()  # ReLU
    assert _count(net) == _fc(784, 256) == 200_960
    cifar = MODELS.build(dict(type='MLPNet', in_features=3 * 32 * 32))
    assert cifar(torch.randn(2, 3, 32, 32))[0].shape == (2, 256)
    with pytest.raises(ValueError, match='in_features=784'):
        net(torch.randn(2, 3, 32, 32))


@pytest.mark.parametrize('kwargs,match',
                         [(dict(hidden=0), 'hidden=0'),
                          (dict(in_features=2.5), 'in_features=2.5')])
def test_mlp_net_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='MLPNet', **kwargs))


def test_lenet_small_shapes_and_parameter_count():
    net = MODELS.build(dict(type='LeNetSmall'))
    out = net(torch.randn(2, 3, 32, 32))
    assert len(out) == 1 and out[0].shape == (2, 84)
    assert net.fc[0].in_features == 16 * 5 * 5
    expected = _conv(
        3, 6, k=5) + _conv(
            6, 16, k=5) + _fc(400, 120) + _fc(120, 84)
    assert _count(net) == expected
    assert expected + _fc(84, 10) == 62_006  # the classic LeNet-5 count
    grey = MODELS.build(dict(type='LeNetSmall', in_channels=1, input_size=28))
    assert grey(torch.randn(2, 1, 28, 28))[0].shape == (2, 84)
    assert grey.fc[0].in_features == 16 * 4 * 4
    with pytest.raises(ValueError, match=r'input_size=\(32, 32\)'):
        net(torch.randn(1, 3, 28, 28))
    with pytest.raises(ValueError, match='too small'):
        MODELS.build(dict(type='LeNetSmall', input_size=12))


@pytest.mark.parametrize('kwargs,match', [
    (dict(in_channels=0), 'in_channels=0'),
    (dict(final_bn_relu='yes'), "final_bn_relu='yes'"),
])
def test_preact_resnet18_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='PreActResNet18', **kwargs))


@pytest.mark.parametrize(
    'backbone,neck,in_channels',
    [(dict(type='PreActResNet18'), dict(type='GlobalAveragePooling'), 512),
     (dict(type='CoTeachingCNN'), dict(type='GlobalAveragePooling'), 128),
     (dict(type='JoCoRCNN'), None, 256), (dict(type='LeNetSmall'), None, 84),
     (dict(type='MLPNet', in_features=3072), None, 256)])
def test_classifiers_with_mmpretrain_heads(backbone, neck, in_channels):
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=backbone,
            neck=neck,
            head=dict(
                type='LinearClsHead', num_classes=10,
                in_channels=in_channels)))
    model.init_weights()
    assert model(torch.randn(2, 3, 32, 32), mode='tensor').shape == (2, 10)
