# Copyright (c) lnl_mm contributors. All rights reserved.
"""An initializer that leaves the biases at their PyTorch defaults."""
from typing import Dict, List, Union

import torch.nn as nn
from mmengine.model.weight_init import update_init_info
# MMEngine's root registry, where Xavier / Kaiming live: init_cfg is built
# from it when no default scope is set (and found from mmpretrain's child).
from mmengine.registry import WEIGHT_INITIALIZERS


@WEIGHT_INITIALIZERS.register_module(name='KeepBias')
class KeepBiasInit:
    """Apply an init config to the weights only; biases keep their values.

    MMEngine's initializers (``Xavier``, ``Kaiming``, ``Normal``, ...) set
    every bias of the layers they touch to a constant (0 by default).
    Official code that calls ``nn.init.xavier_uniform_(m.weight)`` leaves
    the bias at PyTorch's construction-time default, ``U(-1/sqrt(fan_in),
    1/sqrt(fan_in))``. ``KeepBias`` reproduces that: it records every bias
    of the module tree, runs the inner initializers, and puts the biases
    back::

        init_cfg=dict(type='KeepBias', init=dict(
            type='Xavier', layer='Linear', distribution='uniform'))

    Args:
        init (dict | list[dict]): The initializer config(s) to apply.
    """

    def __init__(self, init: Union[Dict, List[Dict]]):
        cfgs = init if isinstance(init, list) else [init]
        if not cfgs or not all(
                isinstance(c, dict) and 'type' in c for c in cfgs):
            raise TypeError(f"KeepBias: init must be an initializer config "
                            f"dict (or a list of them) with a 'type', got "
                            f'{init!r}')
        if any(c['type'] == 'Pretrained' for c in cfgs):
            raise ValueError('KeepBias: a Pretrained init loads biases too; '
                             'use it outside KeepBias')
        self.inits = [WEIGHT_INITIALIZERS.build(dict(c)) for c in cfgs]
        self.wholemodule = False

    def __call__(self, module: nn.Module) -> None:
        saved = {
            name: m.bias.detach().clone()
            for name, m in module.named_modules()
            if isinstance(getattr(m, 'bias', None), nn.Parameter)
        }
        for init in self.inits:
            init(module)
        for name, bias in saved.items():
            module.get_submodule(name).bias.data.copy_(bias)
        if hasattr(module, '_params_init_info'):
            # the inner initializers logged "bias=0" for the biases just
            # restored; relabel them (only changed parameters are updated)
            update_init_info(module, init_info=self._get_init_info())

    def _get_init_info(self) -> str:
        inner = ', '.join(type(i).__name__ for i in self.inits)
        return (f'KeepBias: {inner} on the weights; biases kept at their '
                f'PyTorch defaults')
