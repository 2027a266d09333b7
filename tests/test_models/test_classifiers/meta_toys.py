# Copyright (c) lnl_mm contributors. All rights reserved.
"""Tiny meta classifiers and batches shared by the meta tests (also run
as a module by the 2-process test)."""
import torch
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch import nn

import lnl_mm  # noqa: F401


class TupleMLP(nn.Module):
    """A BatchNorm-free backbone: 1x4x4 images -> 8 features (a tuple)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 8)

    def forward(self, x):
        return (torch.tanh(self.fc(x.flatten(1))), )


def make_classifier(type='L2RWClassifier', bn=False, seed=0, **kwargs):
    """3 classes; SmallCNN (with BatchNorm) or a BN-free MLP."""
    torch.manual_seed(seed)
    model = MODELS.build(
        dict(
            type=type,
            backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=8),
            data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=3),
            **kwargs))
    if not bn:
        model.backbone = TupleMLP()
        model.neck = nn.Identity()
    return model


def make_batch(n, seed, num_classes=3, start=0, clean=None):
    """Random 1x4x4 images, labels and sample_idx start..start+n-1."""
    g = torch.Generator().manual_seed(seed)
    inputs = [torch.randn(1, 4, 4, generator=g) for _ in range(n)]
    labels = torch.randint(0, num_classes, (n, ), generator=g)
    samples = []
    for i in range(n):
        s = DataSample().set_gt_label(int(labels[i]))
        meta = dict(sample_idx=start + i)
        if clean is not None:
            meta.update(clean_label=int(clean[i]), is_noisy=False)
        s.set_metainfo(meta)
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


def sgd(model, lr=0.1, **kwargs):
    params = [
        p for n, p in model.named_parameters() if not n.startswith('meta_net.')
    ]
    return OptimWrapper(torch.optim.SGD(params, lr=lr, **kwargs))
