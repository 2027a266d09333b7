# Copyright (c) lnl_mm contributors. All rights reserved.
"""Plots of per-sample training records (the analysis tools' figures)."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np


def _plt():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def plot_pred_probs(records: Dict[int, dict],
                    path: str,
                    bins: int = 20) -> None:
    """One histogram per epoch of the predicted probability of the given
    label, clean vs noisy samples."""
    plt = _plt()
    epochs = list(records)
    cols = min(len(epochs), 4)
    rows = (len(epochs) + cols - 1) // cols
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(3.2 * cols, 2.6 * rows),
        squeeze=False,
        sharex=True)
    edges = np.linspace(0, 1, bins + 1)
    for ax, epoch in zip(axes.flat, epochs):
        rec = records[epoch]
        noisy = rec['given'] != rec['clean'] if 'clean' in rec else None
        groups = ([(~noisy, 'clean', 'tab:green'),
                   (noisy, 'noisy', 'tab:red')] if noisy is not None else
                  [(np.ones_like(rec['given'], bool), 'all', 'tab:blue')])
        for mask, label, color in groups:
            if mask.any():
                ax.hist(
                    rec['prob_given'][mask],
                    bins=edges,
                    alpha=0.6,
                    color=color,
                    label=f'{label} (n={int(mask.sum())})',
                    weights=np.full(int(mask.sum()), 1 / mask.sum()))
        ax.set_title(f'epoch {epoch}', fontsize=9)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=6)
    for ax in list(axes.flat)[len(epochs):]:
        ax.axis('off')
    for ax in axes[-1]:
        ax.set_xlabel('p(given label)')
    for ax in axes[:, 0]:
        ax.set_ylabel('share of group')
    fig.suptitle('Predicted probability of the given label')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_sample_dissection(rows: List[dict], path: str) -> None:
    """Stacked shares per epoch: noisy samples (memorised / corrected /
    other) and clean samples (fit / other)."""
    from matplotlib.ticker import MaxNLocator
    plt = _plt()
    epochs = [r['epoch'] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.0), sharey=True)
    for ax, keys, title in ((ax1, [
        ('noisy_memorized', 'memorised (given label)', 'tab:red'),
        ('noisy_corrected', 'corrected (clean label)', 'tab:green'),
        ('noisy_other', 'other class', 'tab:gray')
    ], 'noisy samples'), (ax2, [
        ('clean_fit', 'fit (their label)', 'tab:green'),
        ('clean_other', 'other class', 'tab:gray')
    ], 'clean samples')):
        values = [[r[k] or 0.0 for r in rows] for k, _, _ in keys]
        ax.stackplot(
            epochs,
            values,
            labels=[lbl for _, lbl, _ in keys],
            colors=[c for _, _, c in keys],
            alpha=0.8)
        ax.set_title(title)
        ax.set_xlabel('epoch')
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(min(epochs), max(epochs))
        ax.set_ylim(0, 1)
        # below the axes: a stack fills the whole plot area
        ax.legend(
            fontsize=7,
            loc='upper center',
            bbox_to_anchor=(0.5, -0.2),
            ncol=len(keys),
            frameon=False)
    ax1.set_ylabel('share')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_transition_pair(realised: np.ndarray,
                         model: np.ndarray,
                         path: str,
                         classes: Optional[Sequence[str]] = None,
                         model_title: str = 'model') -> None:
    """Heatmaps of the realised noise transition ``P(given | clean)`` and
    the model's confusion ``P(prediction | clean)`` on the training set."""
    plot_matrices([('realised noise T: P(given | clean)', realised),
                   (f'{model_title}: P(prediction | clean)', model)],
                  path,
                  classes,
                  xlabel='given / predicted class')


def plot_matrices(panels: Sequence[Tuple[str, np.ndarray]],
                  path: str,
                  classes: Optional[Sequence[str]] = None,
                  xlabel: str = 'given class',
                  ylabel: str = 'clean class') -> None:
    """Side-by-side heatmaps of ``(title, C x C matrix)`` panels with values
    in [0, 1], entries >= 0.005 written in the cells when ``C <= 20``."""
    plt = _plt()
    n = panels[0][1].shape[0]
    k = len(panels)
    fig, axes = plt.subplots(
        1, k, figsize=(2 * k + 0.45 * n * k / 2, 2 + 0.22 * n), squeeze=False)
    for ax, (title, mat) in zip(axes[0], panels):
        im = ax.imshow(mat, vmin=0, vmax=1, cmap='viridis')
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if n <= 20:
            ticks = np.arange(n)
            names = list(classes) if classes and len(classes) == n else ticks
            ax.set_xticks(ticks, names, rotation=90, fontsize=6)
            ax.set_yticks(ticks, names, fontsize=6)
            for i in range(n):
                for j in range(n):
                    if mat[i, j] >= 0.005:
                        ax.text(
                            j,
                            i,
                            f'{mat[i, j]:.2f}',
                            ha='center',
                            va='center',
                            fontsize=5,
                            color='w' if mat[i, j] < 0.6 else 'k')
    fig.colorbar(im, ax=list(axes[0]), shrink=0.8)
    fig.savefig(path, dpi=110, bbox_inches='tight')
    plt.close(fig)


def plot_sample_grid(images: List[np.ndarray],
                     titles: List[str],
                     noisy: List[bool],
                     path: str,
                     cols: int = 8) -> None:
    """A grid of images titled with their labels; noisy ones framed red."""
    plt = _plt()
    rows = (len(images) + cols - 1) // cols
    fig, axes = plt.subplots(
        rows, cols, figsize=(1.6 * cols, 1.8 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis('off')
    for ax, img, title, bad in zip(axes.flat, images, titles, noisy):
        ax.axis('on')
        ax.set_xticks([])
        ax.set_yticks([])
        ax.imshow(img, cmap='gray' if img.ndim == 2 else None)
        ax.set_title(title, fontsize=6, color='tab:red' if bad else 'k')
        for spine in ax.spines.values():
            spine.set_color('tab:red' if bad else 'lightgray')
            spine.set_linewidth(2.5 if bad else 0.5)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
