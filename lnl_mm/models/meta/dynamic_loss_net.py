# Copyright (c) lnl_mm contributors. All rights reserved.
"""The meta-net of Dynamic Loss: a label corrector and a margin generator."""
from typing import Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS
from torch import Tensor, nn

#: Output bias of the label corrector: sigmoid(3.98) = 0.982, the official
#: initial trust in the given label.
INITIAL_TRUST_BIAS = 3.98
#: Output bias of the margin generator (official: keeps the first meta steps
#: from stalling).
INITIAL_MARGIN_BIAS = 1.0


def loss_ranks(losses: np.ndarray, labels: np.ndarray, num_classes: int,
               rank_num: int) -> np.ndarray:
    """Rank of every sample's loss within its (noisy) class.

    Within class ``c`` with ``n_c`` samples sorted by loss ascending, the
    ``j``-th (0-based) gets ``floor(j / (n_c + 1) * rank_num)``: 0 for the
    smallest losses, at most ``rank_num - 1``.
    """
    losses, labels = np.asarray(losses), np.asarray(labels)
    if losses.shape != labels.shape:
        raise ValueError(f'losses {losses.shape} and labels {labels.shape} '
                         'must have the same shape')
    ranks = np.zeros(labels.size, dtype=np.int64)
    for c in range(num_classes):
        members = np.flatnonzero(labels == c)
        order = members[np.argsort(losses[members], kind='stable')]
        ranks[order] = (np.arange(order.size) / (order.size + 1) *
                        rank_num).astype(np.int64)
    return ranks


def _mlp(width: int, out: int, bias: float) -> nn.Sequential:
    mlp = nn.Sequential(
        nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
        nn.Linear(width, out))
    linears = [m for m in mlp if isinstance(m, nn.Linear)]
    for layer in linears:
        nn.init.xavier_normal_(layer.weight)
        nn.init.zeros_(layer.bias)
    nn.init.constant_(linears[-1].bias, bias)
    return mlp


@MODELS.register_module()
class DynamicLossMetaNet(BaseModule):
    r"""Label corrector and margin generator of Dynamic Loss.

    `Dynamic Loss For Robust Learning <https://arxiv.org/abs/2211.12506>`_
    (TPAMI 2023), official code ``jiangwenj02/dynamic_loss``.

    * **Label corrector.** Rank embeddings :math:`E \in R^{R\times h}`
      (Xavier) → MLP ``h→h→h→C`` (ReLU) → sigmoid; the column of the noisy
      class is the trust :math:`g(r, c) \in (0, 1)` (class-wise). The output
      bias starts at 3.98, so the initial trust is about 0.98.
    * **Margin generator.** A class embedding ``(1, h)`` → MLP ``h→h→h→C``
      (output bias 1) → one additive margin :math:`q_c` per class, shared by
      all samples.

    The corrected target is
    :math:`t = g\, e_{\tilde y} + (1 - g)\, \hat y` with :math:`\hat y` a hard
    Gumbel-softmax sample (:math:`\tau = 1`) of the detached prediction
    (the softmax itself during the warm-up), and the dynamic loss is the
    soft cross-entropy of :math:`z + q` against :math:`t`.

    The official ablation switches (``use_LC``, ``use_MG``,
    ``LC_classwise`` of its ``DynamicLoss``):

    * ``use_corrector=False``: no corrector; the target is the given label
      (trust 1);
    * ``use_margins=False``: no margin generator; the margins are 0;
    * ``classwise=False``: one trust curve ``g(r)`` shared by every class
      (the corrector's MLP ends in one output instead of ``C``).

    A disabled part has no parameters, as in the official code.

    Args:
        num_classes (int): ``C``.
        rank_num (int): ``R``. Defaults to 100.
        hidden (int): ``h``. Defaults to 64.
        use_corrector (bool): The label corrector. Defaults to True.
        use_margins (bool): The margin generator. Defaults to True.
        classwise (bool): A trust curve per class. Defaults to True (the
            official configs).
        init_cfg (dict, optional): Unused (the official initialisation is
            applied at construction).
    """

    def __init__(self,
                 num_classes: int,
                 rank_num: int = 100,
                 hidden: int = 64,
                 use_corrector: bool = True,
                 use_margins: bool = True,
                 classwise: bool = True,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        for name, value in (('num_classes', num_classes),
                            ('rank_num', rank_num), ('hidden', hidden)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'DynamicLossMetaNet: {name} must be a '
                                 f'positive int, got {name}={value!r}')
        for name, value in (('use_corrector', use_corrector),
                            ('use_margins', use_margins), ('classwise',
                                                           classwise)):
            if not isinstance(value, bool):
                raise TypeError(f'DynamicLossMetaNet: {name} must be a bool, '
                                f'got {name}={value!r}')
        if not (use_corrector or use_margins):
            raise ValueError('DynamicLossMetaNet: use_corrector=False and '
                             'use_margins=False leave nothing to meta-learn '
                             '(train CE instead)')
        self.num_classes = num_classes
        self.rank_num = rank_num
        self.use_corrector = use_corrector
        self.use_margins = use_margins
        self.classwise = classwise
        if use_corrector:
            self.rank_embedding = nn.Parameter(torch.empty(rank_num, hidden))
            nn.init.xavier_uniform_(self.rank_embedding)
            self.corrector = _mlp(hidden, num_classes if classwise else 1,
                                  INITIAL_TRUST_BIAS)
        if use_margins:
            self.class_embedding = nn.Parameter(torch.empty(1, hidden))
            nn.init.xavier_uniform_(self.class_embedding)
            self.margin_generator = _mlp(hidden, num_classes,
                                         INITIAL_MARGIN_BIAS)

    def trust_table(self) -> Tensor:
        """``(R, C)``: the trust of every (rank, class); ``(R, 1)`` for a
        shared curve (``classwise=False``); ones without a corrector."""
        if not self.use_corrector:
            return torch.ones(self.rank_num, self.num_classes)
        return torch.sigmoid(self.corrector(self.rank_embedding))

    def trust(self, ranks: Tensor, labels: Tensor) -> Tensor:
        """``(B,)`` trust ``g(rank_i, label_i)``."""
        ranks = ranks.long()
        if ranks.numel() and (ranks.min() < 0 or ranks.max() >= self.rank_num):
            raise ValueError(f'ranks must lie in [0, {self.rank_num}), got '
                             f'[{int(ranks.min())}, {int(ranks.max())}]')
        if not self.use_corrector:
            return torch.ones(ranks.shape, device=ranks.device)
        table = torch.sigmoid(self.corrector(self.rank_embedding[ranks]))
        if not self.classwise:
            return table.reshape(-1)
        return table.gather(1, labels.long().reshape(-1, 1)).reshape(-1)

    def margins(self) -> Tensor:
        """``(1, C)`` additive margins (zeros without a generator)."""
        if not self.use_margins:
            device = self.rank_embedding.device
            return torch.zeros(1, self.num_classes, device=device)
        return self.margin_generator(self.class_embedding)

    def corrected_targets(self, ranks: Tensor, labels: Tensor,
                          prediction: Tensor) -> Tensor:
        """``g e_y + (1 - g) prediction`` (rows sum to 1 if prediction's
        do)."""
        g = self.trust(ranks, labels).reshape(-1, 1)
        given = F.one_hot(labels.long(), self.num_classes).to(g.dtype)
        return g * given + (1 - g) * prediction.to(g.dtype)

    @staticmethod
    def gumbel_prediction(
            logits: Tensor,
            generator: Optional[torch.Generator] = None) -> Tensor:
        """A hard one-hot Gumbel-softmax sample (tau 1) of the detached
        logits: ``onehot(argmax(z + G))``, ``G = -log(-log U)``.

        ``generator`` (a CPU generator) makes the draw reproducible, so a
        resumed run draws what the uninterrupted one drew.
        """
        logits = logits.detach().float()
        uniform = torch.rand(
            logits.shape, generator=generator).to(logits.device)
        # U in (0, 1): clamp away from 0 so that both logs stay finite.
        uniform = uniform.clamp(min=torch.finfo(torch.float32).tiny)
        gumbel = -torch.log(-torch.log(uniform))
        return F.one_hot((logits + gumbel).argmax(dim=1),
                         logits.size(1)).float()

    def forward(self, ranks: Tensor, labels: Tensor,
                logits: Tensor) -> Tuple[Tensor, Tensor]:
        """Corrected targets (with a Gumbel sample) and the margins."""
        return (self.corrected_targets(ranks, labels,
                                       self.gumbel_prediction(logits)),
                self.margins())
