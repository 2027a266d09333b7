# Copyright (c) lnl_mm contributors. All rights reserved.
"""``--noise``: the corruption of the training data, on any leaf.

For a classification config, a noise fragment of ``configs/_base_/noise``
(labels); for a denoising config, an image noise style (pixels) for every
``AddImageNoise`` of its pipelines, training and evaluation alike.

A fragment is a config file that sets only
``train_dataloader.dataset.noise``. MMEngine does not merge two bases that
set the same top-level key, so a fragment cannot be listed beside a
protocol in ``_base_``; ``tools/train.py --noise`` applies it instead,
replacing the leaf's noise entirely (no option of the old generator
survives).
"""
import glob
import os.path as osp
from typing import List

from mmengine.config import Config, ConfigDict

from lnl_mm.datasets.transforms import parse_noise_style

#: Where the fragments live in a source checkout.
NOISE_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
    '_base_', 'noise')


def available_fragments(noise_dir: str = NOISE_DIR) -> List[str]:
    """Names of the fragments in ``noise_dir``."""
    return sorted(
        osp.splitext(osp.basename(p))[0]
        for p in glob.glob(osp.join(noise_dir, '*.py')))


def _noisy_dataset(cfg: Config) -> ConfigDict:
    dataset = cfg.train_dataloader.dataset
    while dataset.get('type') != 'NoisyLabelDataset':
        if 'dataset' not in dataset:
            raise ValueError(
                '--noise: the training set of this config is not a '
                f'NoisyLabelDataset (it is {dataset.get("type")!r}, with its '
                'own labels); there is no synthetic noise to set')
        dataset = dataset.dataset
    return dataset


def apply_noise_fragment(cfg: Config,
                         spec: str,
                         noise_dir: str = NOISE_DIR) -> dict:
    """Replace the training noise of ``cfg`` by fragment ``spec``.

    Args:
        cfg (Config): The merged config.
        spec (str): A fragment name (``sym80``, ``asym40_cifar10``, ...) or
            the path of a fragment file.
        noise_dir (str): Where names are looked up.

    Returns:
        dict: The noise options now in the config.
    """
    path = spec if osp.isfile(spec) else osp.join(noise_dir, f'{spec}.py')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'--noise {spec}: no such fragment in {noise_dir}; choose from '
            f'{available_fragments(noise_dir)} or give a file path (an '
            'installation without the configs folder has no named ones)')
    fragment = Config.fromfile(path).to_dict()
    loader = fragment.get('train_dataloader')
    dataset = loader.get('dataset') if isinstance(loader, dict) else None
    if (set(fragment) != {'train_dataloader'} or set(loader) != {'dataset'}
            or not isinstance(dataset, dict) or set(dataset) != {'noise'}):
        raise ValueError(
            f'--noise {spec}: a noise fragment sets only '
            'train_dataloader = dict(dataset=dict(noise=dict(...))), '
            f'nothing else; {path} sets {fragment}')
    noise = dataset['noise']
    target = _noisy_dataset(cfg)
    target.noise = ConfigDict(noise)
    return target.noise.to_dict()


def image_noise_transforms(cfg: Config) -> List[ConfigDict]:
    """Every ``AddImageNoise`` of the train, val and test pipelines."""
    found = []

    def walk(dataset) -> None:  # through wrappers and ConcatDataset
        if not isinstance(dataset, dict):
            return
        found.extend(
            t for t in dataset.get('pipeline', [])
            if t.get('type') == 'AddImageNoise')
        walk(dataset.get('dataset'))
        for inner in dataset.get('datasets') or []:
            walk(inner)

    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        walk((cfg.get(loader) or {}).get('dataset'))
    return found


def apply_noise(cfg: Config, spec: str, noise_dir: str = NOISE_DIR) -> dict:
    """``--noise spec``: an image noise style for a denoising config (every
    ``AddImageNoise``, so training and evaluation see the same noise), else
    a label-noise fragment (:func:`apply_noise_fragment`).

    Returns:
        dict: What was set, for the log.
    """
    transforms = image_noise_transforms(cfg)
    if not transforms:
        return apply_noise_fragment(cfg, spec, noise_dir)
    try:
        parse_noise_style(spec)
    except ValueError as e:
        raise ValueError(f'--noise {spec}: this is a denoising config, '
                         f'which takes an image noise style: {e}') from None
    for t in transforms:
        t.style = spec
    return dict(style=spec, transforms=len(transforms))
