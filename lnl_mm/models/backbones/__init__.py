# Copyright (c) lnl_mm contributors. All rights reserved.
from .alfs_cnn import CNN4Layer, CNN8Layer
from .cifar_resnet import CIFARResNet
from .dncnn import DnCNN
from .small_cnn import SmallCNN
from .wide_resnet import WideResNetCIFAR

__all__ = [
    'CIFARResNet', 'CNN4Layer', 'CNN8Layer', 'DnCNN', 'SmallCNN',
    'WideResNetCIFAR'
]
