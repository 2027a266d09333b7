# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-epoch diagnostics of meta-learned sample weights and label trust."""
import json
import os
import os.path as osp
from collections import defaultdict

import numpy as np
from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers import find_noisy_dataset
from ...evaluation import meta_epoch_stats, plot_meta_diagnostics
from ..utils.stage import is_extra_pass
from .resume_utils import resumed_state

META_DIAGNOSTICS_NAME = 'meta_diagnostics.json'


def corrected_label_accuracy(corrected: np.ndarray, clean: np.ndarray,
                             is_noisy: np.ndarray) -> dict:
    """Share of corrected labels equal to the clean label (%), over all,
    clean and noisy visits (NaN for an empty group); open-set samples
    (clean label -1) count as wrong."""
    hit = corrected == clean
    out = {}
    for name, sel in (('all', slice(None)), ('clean', ~is_noisy), ('noisy',
                                                                   is_noisy)):
        part = hit[sel]
        out[f'corrected_label_acc_{name}_mean'] = float(
            100 * part.mean()) if part.size else float('nan')
    return out


@HOOKS.register_module()
class MetaDiagnosticsHook(Hook):
    """Show whether a meta method separates clean from noisy samples.

    After every training step the meta classifier exposes its per-sample
    values (``last_record``): ``weight``, the sample's weight relative to a
    plain mean (1 = uniform; L2RW, proposal, Meta-Weight-Net) and ``beta``,
    the trust in the given label (refurbishment, proposal). At the end of
    each epoch the hook splits the epoch's visits into clean and noisy
    samples, using the noise flags of
    :class:`~lnl_mm.datasets.NoisyLabelDataset` (diagnostics only; training
    never reads them), and

    * logs ``meta/<name>_<clean|noisy>_mean`` (scalars for the visualizer),
    * writes ``<work_dir>/meta_diagnostics.json`` (means and quartiles per
      epoch) and ``<work_dir>/meta/epoch_<E>.npz`` (every visit's
      ``sample_idx``, values and noise flag),
    * draws ``<work_dir>/plots/meta_diagnostics.png``: clean and noisy means
      per epoch, and the distributions of the last epoch.

    A method that works gives noisy samples lower weights or lower trust.

    A method that records ``corrected_label`` (Dynamic Loss: the argmax of
    the corrected target) is also scored against the clean labels, as the
    official ``correct_label.{clean,noise,all}.acc``: the share of visits
    whose corrected label is the clean one, over all, clean and noisy
    samples (``meta/corrected_label_acc_*``).

    Args:
        save_per_sample (bool): Write the per-visit arrays. Defaults to True.
        plot (bool): Draw the figure. Defaults to True.
    """

    priority = 'LOW'

    def __init__(self, save_per_sample: bool = True, plot: bool = True):
        self.save_per_sample = save_per_sample
        self.plot = plot
        self.history = []
        self._stashed = None
        self._visits = defaultdict(list)
        self._enabled = True

    def before_train(self, runner) -> None:
        saved = resumed_state(runner, self._stashed)
        self._stashed = None
        if saved is not None:
            self.history = list(saved)
        model = get_ori_model(runner.model)
        self._enabled = hasattr(model, 'last_record')
        if not self._enabled:
            runner.logger.warning(
                f'MetaDiagnosticsHook: {type(model).__name__} is not a meta '
                'classifier; the hook does nothing (a baseline run)')
        self._noisy = find_noisy_dataset(runner.train_dataloader.dataset)

    def before_train_epoch(self, runner) -> None:
        self._visits = defaultdict(list)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        if not self._enabled or is_extra_pass(runner):
            return  # e.g. the fine-tune pass updates no per-sample record
        record = get_ori_model(runner.model).last_record
        for key, value in record.items():
            self._visits[key].append(np.asarray(value))

    def after_train_epoch(self, runner) -> None:
        if not self._enabled:
            return
        parts = all_gather_object(dict(self._visits))
        self._visits = defaultdict(list)
        merged = defaultdict(list)
        for part in parts:
            for key, chunks in part.items():
                merged[key].extend(chunks)
        if not merged.get('sample_idx'):
            return
        idx = np.concatenate(merged.pop('sample_idx')).astype(np.int64)
        corrected = merged.pop('corrected_label', None)
        values = {k: np.concatenate(v) for k, v in merged.items()}
        if self._noisy is not None:
            is_noisy = np.asarray(self._noisy.is_noisy)[idx]
        else:
            is_noisy = np.zeros(idx.size, bool)
        stats = meta_epoch_stats(values, is_noisy)
        if corrected is not None and self._noisy is not None:
            stats.update(
                corrected_label_accuracy(
                    np.concatenate(corrected).astype(np.int64),
                    np.asarray(self._noisy.clean_labels)[idx], is_noisy))
        stats['epoch'] = runner.epoch + 1
        self.history.append(stats)
        means = {
            f'meta/{k}': v
            for k, v in stats.items() if k.endswith('_mean')
        }
        runner.visualizer.add_scalars(means, step=runner.epoch + 1)
        runner.logger.info('Meta diagnostics: ' +
                           ', '.join(f'{k[5:]}={v:.4f}'
                                     for k, v in means.items()))
        if is_main_process():
            self._save(runner, stats['epoch'], idx, values, is_noisy)

    def _save(self, runner, epoch, idx, values, is_noisy) -> None:
        with open(osp.join(runner.work_dir, META_DIAGNOSTICS_NAME), 'w') as f:
            json.dump(self.history, f, indent=2)
        if self.save_per_sample:
            out_dir = osp.join(runner.work_dir, 'meta')
            os.makedirs(out_dir, exist_ok=True)
            np.savez_compressed(
                osp.join(out_dir, f'epoch_{epoch}.npz'),
                sample_idx=idx,
                is_noisy=is_noisy,
                **values)
        if self.plot and values:
            plot_dir = osp.join(runner.work_dir, 'plots')
            os.makedirs(plot_dir, exist_ok=True)
            plot_meta_diagnostics(self.history, values, is_noisy,
                                  osp.join(plot_dir, 'meta_diagnostics.png'))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['meta_diagnostics'] = self.history

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved history; ``before_train`` continues it when the
        run resumed (``load_from``, weights only, starts a new one)."""
        self._stashed = checkpoint.get('meta_diagnostics')
