# Copyright (c) lnl_mm contributors. All rights reserved.
"""Draw Dynamic Loss's learned trust-vs-rank curves and class margins.

Loads the meta-net of a :class:`DynamicLossClassifier` checkpoint and writes,
into the run's work dir (the checkpoint's folder) unless ``--out-dir``:

* ``<name>_rank_class.png``: one panel per class, the trust weight
  ``g(r, c)`` against the loss rank ``r = 0 .. R-1``, with a red dotted line
  at ``R * (1 - noise rate)``, the expected clean / noisy boundary (the
  rate is read from ``train_dataloader.dataset.noise.rate``; ``--noise-rate``
  overrides it);
* ``<name>_weight.png``: the margin of every class.

``<name>`` is the checkpoint's file stem. Accepts ``epoch_N.pth``,
``latest.pth`` and MMEngine's ``last_checkpoint`` pointer.

Example:
    python tools/visualize_tools/vis_rank_margin.py --config \\
        configs/metadynamic/metadynamic_resnet32_cifar10_cor0.2_imb0.1.py \\
        --checkpoint work_dirs/metadynamic_resnet32_cifar10_cor0.2_imb0.1/\\
epoch_325.pth
"""
import argparse
import math
import os
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.utils.checkpoint import register_safe_globals, resolve_checkpoint


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--config', required=True)
    p.add_argument(
        '--checkpoint',
        required=True,
        help='epoch_N.pth, latest.pth or last_checkpoint')
    p.add_argument('--out-dir', help='defaults to the checkpoint folder')
    p.add_argument(
        '--noise-rate',
        type=float,
        help='for the boundary line (default: from the config)')
    return p.parse_args(argv)


def load_meta_net(cfg, path):
    """The config's meta-net with the checkpoint's ``meta_net.*`` weights."""
    net_cfg = dict(cfg.model.meta_net)
    net_cfg.setdefault('num_classes', cfg.model.head.num_classes)
    net = MODELS.build(net_cfg)
    register_safe_globals()
    state = torch.load(path, map_location='cpu', weights_only=True)
    state = state.get('state_dict', state)
    own = {
        k[len('meta_net.'):]: v
        for k, v in state.items() if k.startswith('meta_net.')
    }
    if not own:
        raise SystemExit(f'{path} holds no meta_net.* weights: not a '
                         'DynamicLossClassifier checkpoint')
    net.load_state_dict(own, strict=True)
    return net.eval()


def plot(trust, margins, rate, classes, stem, out_dir):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rank_num, num_classes = trust.shape
    cols = min(num_classes, 5)
    rows = math.ceil(num_classes / cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(3 * cols, 2.4 * rows),
        squeeze=False,
        sharex=True,
        sharey=True)
    ranks = np.arange(rank_num)
    for c, ax in enumerate(axes.flat):
        if c >= num_classes:
            ax.axis('off')
            continue
        ax.scatter(ranks, trust[:, c], s=6)
        if rate is not None:
            ax.axvline(rank_num * (1 - rate), color='red', linestyle=':')
        ax.set_ylim(-0.1, 1.1)
        ax.set_title(classes[c], fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel('loss rank')
    for ax in axes[:, 0]:
        ax.set_ylabel('trust g')
    fig.tight_layout()
    paths = [
        osp.join(out_dir, f'{stem}_rank_class.png'),
        osp.join(out_dir, f'{stem}_weight.png')
    ]
    fig.savefig(paths[0], dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(max(4, 0.5 * num_classes), 3))
    ax.bar(np.arange(num_classes), margins)
    ax.set_xticks(np.arange(num_classes), classes, rotation=90, fontsize=7)
    ax.set_ylabel('margin q_c')
    fig.tight_layout()
    fig.savefig(paths[1], dpi=100)
    plt.close(fig)
    return paths


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if cfg.model.get('type') != 'DynamicLossClassifier':
        raise SystemExit(f'{args.config} is not a Dynamic Loss config')
    path = resolve_checkpoint(args.checkpoint)
    net = load_meta_net(cfg, path)
    with torch.no_grad():
        trust = net.trust_table().numpy()
        margins = net.margins().reshape(-1).numpy()
    rate = args.noise_rate
    if rate is None:
        rate = cfg.train_dataloader.dataset.get('noise', {}).get('rate')
    classes = [str(c) for c in range(trust.shape[1])]
    out_dir = args.out_dir or osp.dirname(osp.abspath(path))
    os.makedirs(out_dir, exist_ok=True)
    stem = osp.splitext(osp.basename(path))[0]
    for p in plot(trust, margins, rate, classes, stem, out_dir):
        print(p)
    boundary = int(len(trust) * (1 - (rate or 0)))
    above = trust[boundary:].mean() if boundary < len(trust) else 0.0
    print(f'mean trust: ranks below the boundary '
          f'{trust[:boundary].mean():.3f}, above {above:.3f}')
    print('margins: ' + ', '.join(f'{m:.3f}' for m in margins))


if __name__ == '__main__':
    main()
