# Copyright (c) lnl_mm contributors. All rights reserved.
"""Write the noise manifest and check the head against the dataset."""
import os.path as osp

from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers import find_noisy_dataset

MANIFEST_NAME = 'noise_manifest.json'


@HOOKS.register_module()
class NoiseManifestHook(Hook):
    """Before training: check ``num_classes`` and write the noise manifest.

    * The head's ``num_classes`` must equal the number of classes of the
      training dataset; a mismatch raises before the first iteration.
    * If the training set holds a
      :class:`~lnl_mm.datasets.NoisyLabelDataset`, its manifest (generator,
      parameters, seed, realised rates, transition matrix, label hashes) is
      written to ``<work_dir>/noise_manifest.json`` and summarised in the log.
    * Every rank hashes the noisy labels it built; the hashes are gathered
      and compared, so "identical noise on all ranks" is checked, not
      assumed: a difference raises before the first iteration, and the
      log shows the hash and the number of ranks that agree.

    Args:
        filename (str): Manifest file name in the work dir.
            Defaults to ``'noise_manifest.json'``.
    """

    priority = 'VERY_HIGH'

    def __init__(self, filename: str = MANIFEST_NAME):
        self.filename = filename
        self.rank_digests = []

    def before_train(self, runner) -> None:
        """Check the head and write the manifest.

        Args:
            runner (Runner): The runner of the training process.
        """
        dataset = runner.train_dataloader.dataset
        classes = dataset.metainfo.get('classes')
        head = getattr(get_ori_model(runner.model), 'head', None)
        head_classes = getattr(head, 'num_classes', None)
        if classes is not None and head_classes is not None and \
                head_classes != len(classes):
            raise ValueError(
                f'model.head.num_classes={head_classes} differs from the '
                f'{len(classes)} classes of the training dataset '
                f'({type(dataset).__name__})')
        noisy = find_noisy_dataset(dataset)
        if noisy is None:
            runner.logger.info('No NoisyLabelDataset in the training set: '
                               'no noise manifest written.')
            return
        path = osp.join(runner.work_dir, self.filename)
        manifest = noisy.noise_manifest()
        self._check_ranks(runner, manifest['sha256_noisy_labels'])
        if is_main_process():
            noisy.dump_manifest(path)
        per_class = ', '.join('-' if r is None else f'{r:.3f}'
                              for r in manifest['per_class_rate'])
        runner.logger.info(
            f'Noise manifest ({path}): generator={manifest["generator"]} '
            f'params={manifest["params"]} seed={manifest["seed"]} '
            f'realised rate={manifest["realised_rate"]:.4f} '
            f'({manifest["num_flipped"]}/{manifest["num_samples"]} flipped'
            f', {manifest["num_open_set"]} open-set); per class: '
            f'[{per_class}]')

    def _check_ranks(self, runner, digest: str) -> None:
        self.rank_digests = list(all_gather_object(digest))
        if len(set(self.rank_digests)) > 1:
            shown = ', '.join(f'rank {r}: {d[:16]}'
                              for r, d in enumerate(self.rank_digests))
            raise RuntimeError(
                f'The noisy labels differ between ranks ({shown}): every '
                'rank must build the same noise (same noise options and '
                'seed, same dataset, same label file)')
        runner.logger.info(
            f'Noisy labels sha256 {digest[:16]}: identical on all '
            f'{len(self.rank_digests)} rank(s)')
