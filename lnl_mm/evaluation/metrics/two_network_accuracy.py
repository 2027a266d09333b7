# Copyright (c) lnl_mm contributors. All rights reserved.
"""Top-1 accuracy of each network of a two-network classifier."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric
from mmpretrain.registry import METRICS

#: What the metric reports, from the two networks' logits.
RULES = ('net1', 'net2', 'mean_prob', 'logit_sum')


def two_network_predictions(
        net_logits: torch.Tensor) -> Dict[str, torch.Tensor]:
    """``(B,)`` predictions of each rule from ``(B, 2, C)`` logits."""
    logits = net_logits.float()
    return dict(
        net1=logits[:, 0].argmax(1),
        net2=logits[:, 1].argmax(1),
        mean_prob=F.softmax(logits, dim=2).mean(1).argmax(1),
        logit_sum=logits.sum(1).argmax(1))


@METRICS.register_module()
class TwoNetworkAccuracy(BaseMetric):
    """Top-1 accuracy (%) of net1, net2 and their two ensembles.

    Reads the ``net_logits`` that
    :class:`~lnl_mm.models.TwoNetworkClassifier` puts in every prediction,
    and reports ``two_network/net1``, ``two_network/net2``,
    ``two_network/mean_prob`` (average of the probabilities) and
    ``two_network/logit_sum`` (DivideMix's test). Put it beside
    ``Accuracy`` (which scores the model's ``eval_mode``):
    ``val_evaluator = [dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')]``.

    Args:
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'two_network'``.
    """

    default_prefix = 'two_network'

    def __init__(self,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'net_logits' not in sample:
                raise KeyError(
                    'TwoNetworkAccuracy needs the predictions of a '
                    'two-network classifier (net_logits); the model is not '
                    'one')
            self.results.append(
                dict(
                    net_logits=torch.as_tensor(sample['net_logits']).cpu(),
                    gt_label=torch.as_tensor(sample['gt_label']).cpu()))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        logits = torch.stack([r['net_logits'] for r in results])
        labels = torch.cat([r['gt_label'].reshape(-1) for r in results])
        return {
            rule: float(100.0 * (pred == labels).float().mean())
            for rule, pred in two_network_predictions(logits).items()
        }
