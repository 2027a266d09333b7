# Copyright (c) lnl_mm contributors. All rights reserved.
"""t-SNE of a checkpoint's features, coloured by clean label, noisy labels
marked (ALFs' ``lnl/visualize.py`` as a tool that reads a checkpoint).

The features are the classifier's input (``extract_feat(stage=
'pre_logits')``) on the training set through the test pipeline (no
augmentation) or on the test set. They are embedded with scikit-learn's
``TSNE(n_components=2, init='pca')`` as the ALFs code does. Each point is
coloured by its clean label; on the training set, samples whose given
label is wrong are drawn with a black cross. Writes the PNG and an ``.npz``
(``embedding``, ``sample_idx``, ``clean_label``, ``given_label``,
``is_noisy``) beside it.

Example:
    python tools/visualization/tsne_features.py \\
        configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py \\
        work_dirs/ce_cnn4_1xb64-30e_digits-sym40/epoch_30.pth \\
        --split train --max-samples 2000
"""
import argparse
import os
import os.path as osp

import numpy as np
from mmengine.config import Config, DictAction


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('config')
    p.add_argument(
        'checkpoint',
        help='epoch_N.pth, latest.pth, a last_checkpoint file or a work dir')
    p.add_argument(
        '--split',
        default='train',
        choices=('train', 'test'),
        help='training set (noisy labels marked) or test set')
    p.add_argument(
        '--max-samples',
        type=int,
        default=2000,
        help='embed a random subset of this size (0: all)')
    p.add_argument('--perplexity', type=float, default=30.0)
    p.add_argument('--seed', type=int, default=123, help='subset and t-SNE')
    p.add_argument(
        '--out-dir',
        help="folder of the PNG and .npz (default: plots/ in the "
        "checkpoint's folder; named tsne_<split>_from_<checkpoint>)")
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py')
    return p.parse_args()


def subset_indices(n: int, max_samples: int, seed: int) -> np.ndarray:
    """A sorted random subset of ``range(n)`` of at most ``max_samples``."""
    if max_samples < 0:
        raise SystemExit(f'--max-samples must be >= 0, got {max_samples}')
    if max_samples == 0 or max_samples >= n:
        return np.arange(n)
    return np.sort(
        np.random.default_rng(seed).choice(n, max_samples, replace=False))


def features(cfg: Config, checkpoint: str, split: str, max_samples: int,
             seed: int):
    """``(sample_idx, features, clean, given, class names)``."""
    from torch.utils.data import Subset

    from lnl_mm.datasets.wrappers import find_noisy_dataset
    from lnl_mm.engine.utils import (build_from_checkpoint, dataset_loader,
                                     predict_features)
    model, train_loader, _ = build_from_checkpoint(cfg, checkpoint)
    if split == 'train':
        dataset = train_loader.dataset
    else:
        from mmpretrain.registry import DATASETS
        dataset = DATASETS.build(cfg.test_dataloader.dataset)
    keep = subset_indices(len(dataset), max_samples, seed)
    loader = dataset_loader(train_loader, dataset=Subset(dataset, keep))
    idx, feats = predict_features(model, loader)
    noisy = find_noisy_dataset(dataset)
    if noisy is not None:
        given = np.asarray(noisy.noisy_labels)[idx]
        clean = np.asarray(noisy.clean_labels)[idx]
    else:
        given = clean = np.asarray(dataset.get_gt_labels())[idx]
    classes = dataset.metainfo.get('classes')
    return idx, feats, clean, given, classes


def embed(feats: np.ndarray, perplexity: float, seed: int) -> np.ndarray:
    from sklearn.manifold import TSNE
    perplexity = min(perplexity, max(1.0, (len(feats) - 1) / 3))
    return TSNE(
        n_components=2, init='pca', perplexity=perplexity,
        random_state=seed).fit_transform(feats)


def plot(path: str, emb: np.ndarray, clean: np.ndarray, noisy: np.ndarray,
         classes, title: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    num_classes = int(max(clean.max() + 1, len(classes or ())))
    cmap = plt.get_cmap('tab10' if num_classes <=
                        10 else 'tab20' if num_classes <= 20 else 'turbo')
    colours = [
        cmap(c / max(num_classes - 1, 1)) if num_classes > 20 else cmap(c)
        for c in range(num_classes)
    ]
    fig, ax = plt.subplots(figsize=(8.5, 7))
    open_set = clean < 0
    for c in range(num_classes):
        sel = clean == c
        ax.scatter(
            emb[sel, 0],
            emb[sel, 1],
            s=9,
            color=colours[c],
            alpha=0.8,
            linewidths=0)
    if open_set.any():
        ax.scatter(
            emb[open_set, 0],
            emb[open_set, 1],
            s=9,
            color='0.6',
            alpha=0.8,
            linewidths=0)
    if noisy.any():
        ax.scatter(
            emb[noisy, 0],
            emb[noisy, 1],
            s=14,
            marker='x',
            color='black',
            linewidths=0.6,
            alpha=0.7)
    names = list(classes) if classes else [str(c) for c in range(num_classes)]
    handles = [
        Line2D(
            [], [], marker='o', linestyle='', color=colours[c], label=names[c])
        for c in range(num_classes)
    ] if num_classes <= 20 else []
    if open_set.any():
        handles.append(
            Line2D([], [],
                   marker='o',
                   linestyle='',
                   color='0.6',
                   label='open-set image'))
    if noisy.any():
        handles.append(
            Line2D([], [],
                   marker='x',
                   linestyle='',
                   color='black',
                   label=f'given label wrong ({noisy.sum()})'))
    ax.legend(
        handles=handles,
        title='clean label',
        fontsize=8,
        title_fontsize=9,
        loc='center left',
        bbox_to_anchor=(1.01, 0.5),
        frameon=False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel('t-SNE 1')
    ax.set_ylabel('t-SNE 2')
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def main():
    args = parse_args()
    import lnl_mm  # noqa: F401  (registration)
    from lnl_mm.utils import resolve_checkpoint
    from lnl_mm.utils.launch import hooks_by_name
    checkpoint = resolve_checkpoint(args.checkpoint)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
    idx, feats, clean, given, classes = features(cfg, checkpoint, args.split,
                                                 args.max_samples, args.seed)
    emb = embed(feats, args.perplexity, args.seed)
    noisy = (given != clean) & (clean >= 0)
    stem = osp.splitext(osp.basename(checkpoint))[0]
    out_dir = args.out_dir or osp.join(
        osp.dirname(osp.abspath(checkpoint)), 'plots')
    os.makedirs(out_dir, exist_ok=True)
    out = osp.join(out_dir, f'tsne_{args.split}_from_{stem}.png')
    name = osp.splitext(osp.basename(args.config))[0]
    title = (f'{name}\n{stem}, {args.split} set: {len(idx)} samples, '
             f'{feats.shape[1]}-d features')
    if args.split == 'train':
        title += f', {noisy.mean():.1%} with a wrong given label'
    plot(out, emb, clean, noisy, classes, title)
    np.savez(
        osp.splitext(out)[0] + '.npz',
        embedding=emb,
        sample_idx=idx,
        clean_label=clean,
        given_label=given,
        is_noisy=noisy)
    print(f'{out}: {len(idx)} samples, {noisy.sum()} with a wrong given '
          f'label; arrays in {osp.splitext(out)[0]}.npz')


if __name__ == '__main__':
    main()
