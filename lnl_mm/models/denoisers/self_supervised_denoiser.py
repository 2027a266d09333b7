# Copyright (c) lnl_mm contributors. All rights reserved.
"""Denoiser trained noise2clean, noise2noise or noise2self."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..losses.regression_utils import build_regression_loss
from .masker import GridMasker

MODES = ('n2c', 'n2n', 'n2s')


@MODELS.register_module()
class SelfSupervisedDenoiser(BaseModel):
    """An image denoiser with three training modes.

    * ``n2c`` (noise2clean): input the noisy image, target the clean one;
    * ``n2n`` (`noise2noise <https://arxiv.org/abs/1803.04189>`_): target
      an independent noisy copy (``AddImageNoise(num_copies=2)``);
    * ``n2s`` (`noise2self <https://arxiv.org/abs/1901.11365>`_): input the
      noisy image with the pixels of one :class:`GridMasker` phase
      replaced, target the noisy image itself, loss on the masked pixels
      only. The phase follows the training iteration (a buffer saved in
      checkpoints, so a resumed run continues the cycle).

    Prediction is one forward pass (as ALFs evaluates), or for ``n2s`` with
    ``full_inference=True`` the J-invariant ``width**2``-pass prediction.
    The batch comes from :class:`PackDenoiseInputs` through mmengine's
    ``ImgDataPreprocessor`` (no normalisation: images stay in [0, 1]);
    predictions are written to each data sample as ``pred_img``.

    Args:
        backbone (dict): The image-to-image network (e.g. ``DnCNN``).
        loss (str | dict): A pixel loss or its compact name: ``'mse'``,
            ``'lp2'``, ``'heat0.1'``, ``'poisson0.2'``. Defaults to
            ``'mse'``.
        mode (str): ``'n2c'``, ``'n2n'`` or ``'n2s'``. Defaults to ``'n2c'``.
        masker (dict): :class:`GridMasker` options. Defaults to
            ``dict(width=5, mode='random')`` (ALFs).
        full_inference (bool): J-invariant prediction for ``n2s``
            (``width**2`` masked passes). Defaults to False: one pass on the
            unmasked image, as the official evaluation (which calls the
            network on the noisy image); with the masker's
            ``include_mask_as_input`` a zero mask channel is appended.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ImgDataPreprocessor')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 loss: Union[str, dict] = 'mse',
                 mode: str = 'n2c',
                 masker: Optional[dict] = None,
                 full_inference: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if mode not in MODES:
            raise ValueError(f'mode must be one of {MODES}, got mode={mode!r}')
        if full_inference and mode != 'n2s':
            raise ValueError('full_inference is the J-invariant prediction '
                             f"of mode='n2s', not of mode={mode!r}")
        super().__init__(
            data_preprocessor=data_preprocessor
            or dict(type='ImgDataPreprocessor'),
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.loss_module = build_regression_loss(loss)
        self.mode = mode
        self.masker = GridMasker(**(masker or dict(width=5, mode='random')))
        if mode != 'n2s' and self.masker.include_mask_as_input:
            raise ValueError('masker include_mask_as_input feeds the n2s mask '
                             f"to the network; mode={mode!r} has no mask")
        if full_inference and self.masker.infer_single_pass:
            raise ValueError('full_inference=True asks for the J-invariant '
                             'prediction and masker infer_single_pass=True '
                             'for one pass: choose one')
        self.full_inference = full_inference
        self.register_buffer('mask_step', torch.zeros((), dtype=torch.long))

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        """``loss`` -> dict, ``predict`` -> data samples, ``tensor`` -> the
        network output."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.backbone(inputs)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def _target(self, data_samples: List[DataSample],
                key: str) -> torch.Tensor:
        if not data_samples or key not in data_samples[0]:
            need = ('AddImageNoise(num_copies=2)'
                    if key == 'noisy2' else 'PackDenoiseInputs')
            raise KeyError(f"mode={self.mode!r} needs '{key}' in the data "
                           f'samples: use {need} in the training pipeline')
        return torch.stack([s.get(key) for s in data_samples])

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> Dict[str, torch.Tensor]:
        """The training loss of the configured mode."""
        if self.mode == 'n2s':
            masked, mask = self.masker.mask(inputs, int(self.mask_step))
            self.mask_step += 1
            return dict(
                loss=self.loss_module(
                    self.backbone(masked), inputs, mask=mask))
        key = 'gt_img' if self.mode == 'n2c' else 'noisy2'
        target = self._target(data_samples, key).to(inputs)
        return dict(loss=self.loss_module(self.backbone(inputs), target))

    def predict(
            self,
            inputs: torch.Tensor,
            data_samples: Optional[List[DataSample]] = None
    ) -> List[DataSample]:
        """Denoised images as ``pred_img`` (not clipped)."""
        if self.full_inference:
            out = self.masker.infer_full_image(inputs, self.backbone)
        elif self.mode == 'n2s':
            out = self.masker.single_pass(inputs, self.backbone)
        else:
            out = self.backbone(inputs)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(out.shape[0])]
        for sample, img in zip(data_samples, out):
            sample.set_field(img, 'pred_img')
        return data_samples
