# Copyright (c) lnl_mm contributors. All rights reserved.
from .psnr import PSNR, psnr
from .ssim import SSIM
from .two_network_accuracy import TwoNetworkAccuracy

__all__ = ['PSNR', 'SSIM', 'TwoNetworkAccuracy', 'psnr']
