# Copyright (c) lnl_mm contributors. All rights reserved.
"""How meta-learned weights and label trust split clean and noisy samples."""
from typing import Dict, List

import numpy as np

from .dynamics_plots import _plt


def meta_epoch_stats(values: Dict[str, np.ndarray],
                     is_noisy: np.ndarray) -> Dict[str, float]:
    """Mean and quartiles of each per-sample quantity, clean vs noisy.

    Args:
        values (dict): Name (``weight``, ``beta``) → ``(M,)`` values of the
            epoch's visits.
        is_noisy (np.ndarray): ``(M,)`` bool, the visit's sample is noisy.

    Returns:
        dict: ``<name>_<clean|noisy>_<mean|q25|q50|q75>`` and the counts
        ``n_clean`` / ``n_noisy``; groups without visits are left out.
    """
    is_noisy = np.asarray(is_noisy, bool)
    stats = dict(n_clean=int((~is_noisy).sum()), n_noisy=int(is_noisy.sum()))
    for name, v in values.items():
        v = np.asarray(v, np.float64)
        for group, mask in (('clean', ~is_noisy), ('noisy', is_noisy)):
            if mask.any():
                q25, q50, q75 = np.percentile(v[mask], (25, 50, 75))
                stats.update({
                    f'{name}_{group}_mean': float(v[mask].mean()),
                    f'{name}_{group}_q25': float(q25),
                    f'{name}_{group}_q50': float(q50),
                    f'{name}_{group}_q75': float(q75),
                })
    return stats


#: Titles of the quantities the meta classifiers record.
TITLES = dict(
    weight='sample weight (L2RW / Meta-Weight-Net)',
    beta='label trust beta (refurbishment: 1 = the given label)',
    trust='corrector trust (Dynamic Loss)',
    score='proposal score')


def plot_meta_diagnostics(history: List[dict],
                          last: Dict[str, np.ndarray],
                          is_noisy: np.ndarray,
                          path: str,
                          bins: int = 30) -> None:
    """Per quantity: clean / noisy means per epoch (with the band between
    the 25th and 75th percentiles) and the distribution of the last
    epoch."""
    from matplotlib.ticker import MaxNLocator
    plt = _plt()
    names = list(last)
    fig, axes = plt.subplots(
        len(names), 2, figsize=(10, 3.3 * len(names)), squeeze=False)
    epochs = [h['epoch'] for h in history]
    is_noisy = np.asarray(is_noisy, bool)
    colors = dict(clean='tab:green', noisy='tab:red')
    for row, name in zip(axes, names):
        title = TITLES.get(name, name)
        for group, color in colors.items():
            key = f'{name}_{group}'
            if not all(f'{key}_mean' in h for h in history):
                continue
            row[0].plot(
                epochs, [h[f'{key}_mean'] for h in history],
                color=color,
                marker='o',
                ms=3,
                label=f'{group} samples: mean')
            row[0].fill_between(
                epochs, [h[f'{key}_q25'] for h in history],
                [h[f'{key}_q75'] for h in history],
                color=color,
                alpha=0.15,
                label=f'{group} samples: 25th-75th percentile')
        row[0].set_title(f'{title}, per epoch', fontsize=9)
        row[0].set_xlabel('epoch')
        row[0].xaxis.set_major_locator(MaxNLocator(integer=True))
        row[0].set_ylabel(name)
        row[0].legend(fontsize=7)
        values = np.asarray(last[name], np.float64)
        edges = np.linspace(values.min(), values.max() + 1e-12, bins + 1)
        for group, mask in (('clean', ~is_noisy), ('noisy', is_noisy)):
            if mask.any():
                row[1].hist(
                    values[mask],
                    bins=edges,
                    alpha=0.6,
                    color=colors[group],
                    weights=np.full(int(mask.sum()), 1 / mask.sum()),
                    label=f'{group} samples (n={int(mask.sum())})')
        last_epoch = epochs[-1] if epochs else '-'
        row[1].set_title(f'{title}, epoch {last_epoch}', fontsize=9)
        row[1].set_xlabel(name)
        row[1].set_ylabel('share of the group')
        row[1].legend(fontsize=7)
    fig.suptitle(
        'Meta-learned values, clean vs noisy training samples '
        '(clean labels used for this diagnostic only)',
        fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
