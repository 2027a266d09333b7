# Copyright (c) lnl_mm contributors. All rights reserved.
"""Size a model's per-sample store from the training set."""
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...datasets.wrappers.utils import given_labels
from ..utils.model import unwrap_model


@HOOKS.register_module()
class SampleStoreHook(Hook):
    """Size the model's :class:`~lnl_mm.models.utils.SampleStore` from the
    training set's given labels before the run (and so before a resume
    loads the stored rows, which are then checked against those labels).

    For models trained by MMEngine's own loops that keep per-sample state
    (:class:`~lnl_mm.models.classifiers.ELRClassifier`; and
    :class:`~lnl_mm.models.classifiers.SOPClassifier`, whose parameters it
    checks against the training set); the meta and two-network loops size
    their models themselves.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        """Call ``model.init_sample_state`` with the given labels.

        Args:
            runner (Runner): The runner.
        """
        model = unwrap_model(runner.model)
        if not hasattr(model, 'init_sample_state'):
            raise TypeError(
                'SampleStoreHook sizes the per-sample store of a model that '
                'keeps one (e.g. ELRClassifier); '
                f'{type(model).__name__} has none: remove the hook')
        # indexed by the noisy wrapper's sample_idx, which subsets
        # (HoldoutSplitDataset) and repetitions keep
        model.init_sample_state(given_labels(runner.train_dataloader.dataset))
