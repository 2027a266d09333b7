# Copyright (c) lnl_mm contributors. All rights reserved.
"""Training-dynamics statistics of noisy-label training, and their plots.

Given, for the training samples seen in an epoch, the logits, the given
(noisy) labels and the clean labels, :func:`epoch_dynamics` returns the
memorisation curve (Arpit et al., `A Closer Look at Memorization in Deep
Networks <https://arxiv.org/abs/1706.05394>`_): accuracy against the given
labels and against the clean labels, for clean and noisy samples apart.
"""
from typing import Dict, List, Optional

import numpy as np


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def per_sample_ce(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cross-entropy of each row of ``logits`` against ``labels``."""
    logp = _log_softmax(np.asarray(logits, dtype=np.float64))
    return -logp[np.arange(len(labels)), labels]


def _mean(mask: np.ndarray, values: np.ndarray) -> Optional[float]:
    return float(values[mask].mean()) if mask.any() else None


def epoch_dynamics(logits: np.ndarray,
                   given: np.ndarray,
                   clean: Optional[np.ndarray] = None) -> Dict:
    """Per-epoch diagnostics on the training set.

    Args:
        logits (np.ndarray): (N, C) logits of the samples seen.
        given (np.ndarray): (N,) given (noisy) labels.
        clean (np.ndarray, optional): (N,) clean labels, ``-1`` for open-set
            images. Without them only given-label statistics are returned.

    Returns:
        dict: ``acc_given`` (all samples), ``loss_given``; with clean labels
        also ``acc_clean`` (against clean labels), ``noise_rate_seen`` and,
        for clean / noisy samples apart, ``clean_fit`` (= fit of clean
        samples), ``noisy_memorized`` (predict the wrong given label),
        ``noisy_corrected`` (predict the true label), ``clean_loss`` and
        ``noisy_loss``. A value is ``None`` when its group is empty.
    """
    pred = logits.argmax(axis=1)
    loss = per_sample_ce(logits, given)
    out = dict(
        num_samples=int(len(given)),
        acc_given=float((pred == given).mean()),
        loss_given=float(loss.mean()))
    if clean is None:
        return out
    noisy = given != clean
    known = clean >= 0
    out.update(
        noise_rate_seen=float(noisy.mean()),
        acc_clean=_mean(known, pred == clean),
        clean_fit=_mean(~noisy, pred == given),
        noisy_memorized=_mean(noisy, pred == given),
        noisy_corrected=_mean(noisy & known, pred == clean),
        clean_loss=_mean(~noisy, loss),
        noisy_loss=_mean(noisy, loss))
    return out


def plot_memorization(history: List[Dict], path: str) -> None:
    """Draw the memorisation curve (one line per statistic) into ``path``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    epochs = [h['epoch'] for h in history]
    fig, ax = plt.subplots(figsize=(6, 4))
    curves = [('acc_given', 'train acc vs given labels', 'k'),
              ('acc_clean', 'train acc vs clean labels', 'tab:blue'),
              ('clean_fit', 'clean samples: fit', 'tab:green'),
              ('noisy_memorized', 'noisy samples: memorised', 'tab:red'),
              ('noisy_corrected', 'noisy samples: predict true label',
               'tab:orange')]
    for key, label, color in curves:
        ys = [h.get(key) for h in history]
        if any(y is not None for y in ys):
            ax.plot(
                epochs, [np.nan if y is None else y for y in ys],
                label=label,
                color=color,
                marker='.')
    ax.set_xlabel('epoch')
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel('fraction of training samples')
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title('Memorisation of noisy labels')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_loss_distribution(loss: np.ndarray,
                           is_noisy: np.ndarray,
                           path: str,
                           title: str = '') -> None:
    """Histogram of per-sample losses, clean vs noisy samples."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    bins = np.linspace(0, max(float(np.percentile(loss, 99.5)), 1e-3), 50)
    for mask, label, color in ((~is_noisy, 'clean samples', 'tab:green'),
                               (is_noisy, 'noisy samples', 'tab:red')):
        if mask.any():
            ax.hist(
                np.clip(loss[mask], 0, bins[-1]),
                bins=bins,
                alpha=0.6,
                density=True,
                label=f'{label} (n={int(mask.sum())})',
                color=color)
    ax.set_xlabel('per-sample CE against the given label')
    ax.set_ylabel('density')
    ax.legend(fontsize=8)
    ax.set_title(title or 'Per-sample loss distribution')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
