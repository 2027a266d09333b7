# Copyright (c) lnl_mm contributors. All rights reserved.
"""Denoise one image with a trained denoiser; save noisy | denoised | clean.

The image is read as the clean reference (grey, cropped to a multiple of
32), corrupted with ``--noise`` (seeded), denoised, and the three panels are
written side by side; PSNR and SSIM of the noisy and the denoised image are
printed. With ``--noisy-input`` the image is taken as already noisy: no
noise is added and there is no reference.

Example:
    python tools/denoise.py photo.png --config configs/denoising/CONFIG.py \\
        --checkpoint work_dirs/x/epoch_8.pth --noise gauss25
    # -> work_dirs/x/plots/denoised_photo_gauss25_seed0_from_epoch_8.png
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('image', help='an image file, or skimage:<name>')
    p.add_argument('--config', required=True)
    p.add_argument(
        '--checkpoint',
        required=True,
        help='epoch_N.pth, latest.pth, last_checkpoint or a work dir')
    p.add_argument(
        '--noise',
        default='gauss25',
        help='noise style: gauss25, bernoulli0.3, ...')
    p.add_argument('--seed', type=int, default=0, help='noise seed')
    p.add_argument(
        '--noisy-input',
        action='store_true',
        help='the image is already noisy (no reference)')
    p.add_argument(
        '--out-dir',
        help="folder of the PNG (default: plots/ in the checkpoint's folder)")
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py')
    return p.parse_args()


def read_image(path):
    import numpy as np
    if path.startswith('skimage:'):
        import skimage.data
        name = path.split(':', 1)[1]
        loader = getattr(skimage.data, name, None)
        if loader is None:
            raise SystemExit(f'skimage.data has no image {name!r}')
        return np.asarray(loader())
    if not osp.exists(path):
        raise SystemExit(f'image {path!r} does not exist')
    import mmcv
    return mmcv.imread(path, flag='grayscale')


def main():
    args = parse_args()
    import numpy as np
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import load_checkpoint
    from mmpretrain.registry import MODELS

    import lnl_mm  # noqa: F401
    from lnl_mm.datasets.denoising import crop_to_multiple, to_float_grey
    from lnl_mm.datasets.transforms import add_image_noise, parse_noise_style
    from lnl_mm.evaluation import psnr
    from lnl_mm.utils import resolve_checkpoint
    from lnl_mm.utils.launch import hooks_by_name
    try:
        style = parse_noise_style(args.noise)
    except ValueError as e:
        raise SystemExit(f'--noise: {e}')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    model = MODELS.build(cfg.model)
    # strict: a checkpoint of another architecture must fail, not load half.
    checkpoint = resolve_checkpoint(args.checkpoint)
    load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    model.eval()
    clean = crop_to_multiple(to_float_grey(read_image(args.image)), 32)
    noisy = clean if args.noisy_input else add_image_noise(
        clean, style, np.random.default_rng(args.seed))
    with torch.no_grad():
        out = model.predict(torch.from_numpy(noisy)[None, None].float())
    denoised = np.clip(out[0].pred_img[0].numpy(), 0, 1)
    panels = [('noisy', np.clip(noisy, 0, 1)), ('denoised', denoised)]
    if not args.noisy_input:
        from skimage.metrics import structural_similarity
        panels.append(('clean', clean))
        for name, img in panels[:2]:
            print(f'{name}: PSNR {psnr(img, clean):.2f} dB, SSIM '
                  f'{structural_similarity(clean, img, data_range=1.0):.4f}')
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 4.3))
    for ax, (name, img) in zip(axes, panels):
        ax.imshow(img, cmap='gray', vmin=0, vmax=1)
        title = name
        if not args.noisy_input and name != 'clean':
            title += f' ({psnr(img, clean):.2f} dB)'
        ax.set_title(title)
        ax.axis('off')
    fig.tight_layout()
    out_dir = args.out_dir or osp.join(osp.dirname(checkpoint), 'plots')
    os.makedirs(out_dir, exist_ok=True)
    image = osp.splitext(osp.basename(args.image.split(':')[-1]))[0]
    what = 'noisy-input' if args.noisy_input else \
        f'{args.noise}_seed{args.seed}'
    stem = osp.splitext(osp.basename(checkpoint))[0]
    out = osp.join(out_dir, f'denoised_{image}_{what}_from_{stem}.png')
    fig.savefig(out, dpi=100)
    print(f'wrote {out}')


if __name__ == '__main__':
    main()
