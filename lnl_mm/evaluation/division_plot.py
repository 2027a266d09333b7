# Copyright (c) lnl_mm contributors. All rights reserved.
"""DivideMix's division per epoch: how clean the labelled sets are."""
from typing import List

from .dynamics_plots import _plt

NETS = ('net1', 'net2')


def plot_division(history: List[dict], path: str) -> None:
    """Precision, recall and AUC of each network's division per epoch
    (left), and the labelled set's size with its wrong labels (right).

    Args:
        history (list[dict]): ``division.json`` of
            :class:`~lnl_mm.engine.DivideMixTrainLoop` (entries with the
            clean-label statistics).
        path (str): The PNG to write.
    """
    from matplotlib.ticker import MaxNLocator
    plt = _plt()
    rows = [h for h in history if 'precision' in h.get('net1', {})]
    if not rows:
        return
    epochs = [h['epoch'] for h in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    styles = dict(net1='-', net2='--')
    colors = dict(precision='tab:blue', recall='tab:green', auc='tab:purple')
    for net in NETS:
        for key, color in colors.items():
            left.plot(
                epochs, [h[net][key] for h in rows],
                styles[net],
                color=color,
                marker='o',
                ms=3,
                label=f'{key} ({net} division)')
        right.plot(
            epochs, [h[net]['labeled'] for h in rows],
            styles[net],
            color='tab:blue',
            marker='o',
            ms=3,
            label=f'labelled set ({net} division)')
        right.plot(
            epochs, [h[net]['noisy_in_labeled'] for h in rows],
            styles[net],
            color='tab:red',
            marker='o',
            ms=3,
            label=f'of them with a wrong label ({net})')
    left.set_title(
        'Division against the clean labels (diagnostic)', fontsize=9)
    left.set_ylabel('%')
    right.set_title('Labelled set per epoch', fontsize=9)
    right.set_ylabel('samples')
    for ax in (left, right):
        ax.set_xlabel('epoch')
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
