# Copyright (c) lnl_mm contributors. All rights reserved.
"""Draw Dynamic Loss's learned trust-vs-rank curves and class margins.

The command of the official README works as written::

    python tools/visualize_tools/vis_rank_margin.py --config \\
        configs/metadynamic/metadynamic_resnet32_cifar10_cor0.2_imb0.1.py \\
        --checkpoint \\
        work_dirs/metadynamic_resnet32_cifar10_cor0.2_imb0.1/latest.pth

and writes into ``work_dirs/<config name>/`` (``--out-dir`` to change it),
``<name>`` being the checkpoint's stem (``latest``, ``epoch_325``):

* ``<name>_rank_class.jpg``: one panel per class (titled with the class
  name), the trust ``g(r, c)`` of each loss rank ``r = 0 .. R-1``, with the
  expected clean / noisy boundary as a dotted red line (legend). The
  boundary is the class's own: ``R`` times the share of clean labels among
  the samples *given* class ``c`` (ranks are taken within the given class),
  read from the run's realised noise (``noise_manifest.json`` next to the
  checkpoint, or ``--manifest``); for prior-resampled noise it is about
  ``R (1 - r (1 - pi_c))``. Without a manifest the nominal ``R (1 - r)``
  of the config (or ``--noise-rate``) is drawn and labelled nominal;
* ``<name>_rank.jpg`` instead, one curve, for a corrector that is not
  class-wise (``classwise=False``);
* ``<name>_weight.jpg``: the margin ``q_c`` of every class;
* ``<name>_rank_class.npy`` (``(C, R)``, or ``<name>_rank.npy``, ``(R,)``)
  and ``<name>_weight.npy`` (``(C,)``): the arrays, as the official tool.

``--format png`` writes PNGs instead. The checkpoint may be ``epoch_N.pth``,
``latest.pth``, a ``last_checkpoint`` pointer or a work dir.
"""
import argparse
import json
import math
import os
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmpretrain.registry import DATASETS, MODELS

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.utils.checkpoint import register_safe_globals, resolve_checkpoint


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--config', required=True)
    p.add_argument(
        '--checkpoint',
        required=True,
        help='epoch_N.pth, latest.pth, last_checkpoint or a work dir')
    p.add_argument(
        '--out-dir', help='defaults to work_dirs/<config name>/ (official)')
    p.add_argument('--format', choices=('jpg', 'png'), default='jpg')
    p.add_argument(
        '--manifest',
        help='noise manifest for the per-class boundaries (default: '
        'noise_manifest.json next to the checkpoint)')
    p.add_argument(
        '--noise-rate',
        type=float,
        help='draw the nominal boundary R (1 - rate) instead')
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


def class_names(cfg, num_classes):
    """The dataset's class names (its ``METAINFO``, no data read)."""
    dataset = cfg.train_dataloader.dataset
    while isinstance(dataset, dict) and 'dataset' in dataset:
        dataset = dataset['dataset']
    names = None
    try:
        names = DATASETS.get(dataset['type']).METAINFO.get('classes')
    except (AttributeError, KeyError, TypeError):
        pass
    if not names or len(names) != num_classes:
        return [f'class {c}' for c in range(num_classes)]
    return [str(n) for n in names]


def clean_shares(manifest: dict, num_classes: int):
    """Per given class ``c``: the share of samples given ``c`` whose clean
    label is ``c``, from the realised transition matrix of a manifest; and
    the share of clean labels overall."""
    T = np.array([[np.nan if v is None else v for v in row]
                  for row in manifest['transition_matrix']],
                 dtype=np.float64)
    counts = np.asarray(manifest['class_counts'], dtype=np.float64)
    if T.shape != (num_classes, num_classes):
        raise SystemExit(f'the noise manifest has a {T.shape} transition '
                         f'matrix for {num_classes} classes')
    joint = np.nan_to_num(T) * counts[:, None]  # clean i, given j
    given = joint.sum(axis=0)
    shares = np.divide(
        np.diag(joint),
        given,
        out=np.full(num_classes, np.nan),
        where=given > 0)
    return shares, float(np.trace(joint) / joint.sum())


def boundaries(args, cfg, path, num_classes):
    """``(per-class fractions (C,), overall fraction, label)`` of the
    clean / noisy boundary."""
    manifest = args.manifest or osp.join(
        osp.dirname(osp.abspath(path)), 'noise_manifest.json')
    if args.noise_rate is None and osp.isfile(manifest):
        with open(manifest) as f:
            shares, overall = clean_shares(json.load(f), num_classes)
        return shares, overall, 'clean share of the given class (realised)'
    rate = args.noise_rate
    if rate is None:
        rate = cfg.train_dataloader.dataset.get('noise', {}).get('rate')
    if rate is None:
        return None, None, None
    return (np.full(num_classes,
                    1 - rate), 1 - rate, f'nominal R(1 - {rate:g})')


def _plt():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def plot_rank_class(trust, shares, label, classes, path):
    """``trust`` ``(R, C)``: one panel per class."""
    plt = _plt()
    rank_num, num_classes = trust.shape
    cols = min(num_classes, 5 if num_classes <= 10 else 10)
    rows = math.ceil(num_classes / cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(3.2 * cols, 2.5 * rows + 0.6),
        squeeze=False,
        sharex=True,
        sharey=True)
    ranks = np.arange(rank_num)
    for c, ax in enumerate(axes.flat):
        if c >= num_classes:
            ax.axis('off')
            continue
        ax.scatter(ranks, trust[:, c], s=8, color='tab:orange')
        if shares is not None and np.isfinite(shares[c]):
            ax.axvline(rank_num * shares[c], color='red', linestyle=':')
        ax.set_ylim(-0.1, 1.1)
        ax.set_xlim(0, rank_num)
        ax.set_title(classes[c], fontsize=10)
    for ax in axes[-1]:
        ax.set_xlabel('loss rank r')
    for ax in axes[:, 0]:
        ax.set_ylabel('trust g(r, c)')
    _legend(fig, label)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_rank(trust, overall, label, path):
    """A shared curve ``trust`` ``(R,)``; the boundary at the overall
    clean share."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 5))
    ax.scatter(np.arange(trust.size), trust, s=12, color='tab:orange')
    if overall is not None:
        ax.axvline(trust.size * overall, color='red', linestyle=':')
    ax.set_ylim(-0.1, 1.1)
    ax.set_xlim(0, trust.size)
    ax.set_xlabel('loss rank r')
    ax.set_ylabel('trust g(r)')
    _legend(fig, label
            and label.replace('of the given class', 'of all labels'))
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _legend(fig, label):
    from matplotlib.lines import Line2D
    handles = [
        Line2D([], [],
               marker='o',
               linestyle='',
               color='tab:orange',
               label='learned trust')
    ]
    if label:
        handles.append(
            Line2D([], [],
                   color='red',
                   linestyle=':',
                   label=f'clean / noisy boundary: {label}'))
    fig.legend(
        handles=handles,
        loc='upper center',
        ncol=2,
        frameon=False,
        fontsize=10)


def plot_weight(margins, classes, path):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(max(5, 0.55 * len(margins)), 3.5))
    x = np.arange(len(margins))
    ax.plot(x, margins, 'o-', color='tab:blue', linewidth=2, markersize=5)
    ax.axhline(0, color='0.6', linewidth=0.8)
    ax.set_xticks(
        x,
        classes,
        rotation=90 if len(classes) > 10 else 45,
        ha='right',
        fontsize=8)
    ax.set_xlabel('class')
    ax.set_ylabel('margin q_c (added to the logit in training)')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


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
    num_classes = margins.size
    classes = class_names(cfg, num_classes)
    shares, overall, label = boundaries(args, cfg, path, num_classes)
    out_dir = args.out_dir or osp.join(
        'work_dirs',
        osp.splitext(osp.basename(args.config))[0])
    os.makedirs(out_dir, exist_ok=True)
    # the name the user gave (latest.pth -> latest_*), else the file's
    named = args.checkpoint if args.checkpoint.endswith('.pth') else path
    stem = osp.join(out_dir, osp.splitext(osp.basename(named))[0])
    written = []
    if net.use_corrector and net.classwise:
        np.save(f'{stem}_rank_class.npy', trust.T)  # (C, R), as official
        plot_rank_class(trust, shares, label, classes,
                        f'{stem}_rank_class.{args.format}')
        written += [
            f'{stem}_rank_class.{args.format}', f'{stem}_rank_class.npy'
        ]
    elif net.use_corrector:
        np.save(f'{stem}_rank.npy', trust[:, 0])
        plot_rank(trust[:, 0], overall, label, f'{stem}_rank.{args.format}')
        written += [f'{stem}_rank.{args.format}', f'{stem}_rank.npy']
    if net.use_margins:
        np.save(f'{stem}_weight.npy', margins)
        plot_weight(margins, classes, f'{stem}_weight.{args.format}')
        written += [f'{stem}_weight.{args.format}', f'{stem}_weight.npy']
    for p in written:
        print(p)
    if net.use_corrector and shares is not None:
        rank_num = trust.shape[0]
        below, above = [], []
        for c in range(num_classes if net.classwise else 1):
            share = shares[c] if net.classwise else overall
            cut = int(rank_num * share) if np.isfinite(share) else rank_num
            below.append(trust[:cut, c])
            above.append(trust[cut:, c])
        below, above = np.concatenate(below), np.concatenate(above)
        print(f'mean trust: ranks below the boundary {below.mean():.3f}, '
              f'above {above.mean() if above.size else float("nan"):.3f} '
              f'({label})')
    if net.use_margins:
        print('margins: ' + ', '.join(f'{m:.3f}' for m in margins))


if __name__ == '__main__':
    main()
