# Copyright (c) lnl_mm contributors. All rights reserved.
"""What a meta classifier checks and reads of its inputs: the optim
wrappers, the labels and ``sample_idx`` of a batch."""
from typing import Optional, Tuple, Union

import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import Tensor


def split_optim_wrappers(
    owner: str, optim_wrapper: Union[OptimWrapper, OptimWrapperDict]
) -> Tuple[OptimWrapper, Optional[OptimWrapper]]:
    """``(model, meta)`` wrappers of ``optim_wrapper`` (``meta`` may be
    ``None``); ``owner`` names the classifier in the error."""
    if not isinstance(optim_wrapper, OptimWrapperDict):
        return optim_wrapper, None
    if 'model' not in optim_wrapper.optim_wrappers:
        raise KeyError(f'{owner}: optim_wrapper needs a "model" entry, got '
                       f'{list(optim_wrapper.optim_wrappers)}')
    return optim_wrapper['model'], optim_wrapper.optim_wrappers.get('meta')


def check_meta_wrapper(owner: str, meta_ow: Optional[OptimWrapper]) -> None:
    """A classifier with a meta-net needs an optimizer for it."""
    if meta_ow is None:
        raise KeyError(
            f'{owner} has a meta_net and needs '
            "optim_wrapper=dict(constructor='MetaOptimWrapperConstructor', "
            'model=..., meta=...) with an optimizer for it')


def check_meta_labels(labels: Tensor, num_classes: int) -> None:
    """The meta batch must use the classes of the training set."""
    if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f'The meta batch has labels in [{int(labels.min())}, '
            f'{int(labels.max())}] but the head has num_classes='
            f'{num_classes}: train_cfg.meta_dataloader must use the classes '
            'of the training set')


def batch_labels(samples) -> Tensor:
    """The ``(B,)`` given labels of a batch's data samples."""
    return torch.cat([s.gt_label for s in samples]).long()


def batch_sample_idx(samples) -> Tensor:
    """The ``(B,)`` ``sample_idx`` of the noisy-dataset wrapper."""
    if not samples or 'sample_idx' not in samples[0]:
        raise KeyError('The training batch has no sample_idx: keep '
                       "'sample_idx' in PackInputs' meta_keys")
    return torch.as_tensor([int(s.sample_idx) for s in samples])


def check_plain_ce(owner: str, loss: torch.nn.Module) -> None:
    """Refuse a head loss other than plain cross-entropy, for a method that
    computes its own losses (the head's would be ignored)."""
    plain = type(loss).__name__ == 'CrossEntropyLoss' and getattr(
        loss, 'loss_weight', 1.0) == 1.0 and not getattr(
            loss, 'use_sigmoid', False) and not getattr(
                loss, 'use_soft', False) and getattr(loss, 'class_weight',
                                                     None) is None
    if not plain:
        raise ValueError(
            f'{owner} computes its losses itself; the head loss '
            f'{type(loss).__name__} would be ignored: use '
            "head.loss=dict(type='CrossEntropyLoss', loss_weight=1.0)")
