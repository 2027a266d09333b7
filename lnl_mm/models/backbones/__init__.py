# Copyright (c) lnl_mm contributors. All rights reserved.
from .alfs_cnn import CNN4Layer, CNN8Layer
from .cifar_resnet import CIFARResNet
from .co_teaching_cnn import CoTeachingCNN
from .dncnn import DnCNN
from .jocor_cnn import JoCoRCNN
from .lenet_small import LeNetSmall
from .mlp_net import MLPNet
from .preact_resnet import PreActResNet18
from .small_cnn import SmallCNN
from .wide_resnet import WideResNetCIFAR

__all__ = [
    'CIFARResNet', 'CNN4Layer', 'CNN8Layer', 'CoTeachingCNN', 'DnCNN',
    'JoCoRCNN', 'LeNetSmall', 'MLPNet', 'PreActResNet18', 'SmallCNN',
    'WideResNetCIFAR'
]
