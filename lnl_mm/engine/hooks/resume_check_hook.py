# Copyright (c) lnl_mm contributors. All rights reserved.
"""Say when a resumed run's schedule is not the config's."""
import copy
from typing import Dict, List

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

#: Scheduler state that records progress, not the schedule itself.
PROGRESS_KEYS = frozenset({
    'last_step', '_global_step', '_last_value',
    '_get_value_called_within_step', 'last_epoch', '_step_count'
})


def _flatten(schedulers) -> Dict[str, object]:
    """The built schedulers by name. A runner that only tests (``tools/
    test.py`` on a training run's config) keeps ``param_scheduler`` as the
    config, one dict, a list of dicts or one list per optimizer: nothing is
    built, nothing is returned."""
    if schedulers is None:
        return {}
    if isinstance(schedulers, dict):
        if not all(isinstance(g, (list, tuple)) for g in schedulers.values()):
            return {}  # one scheduler's config
        named = {  # one list per optimizer
            f'{name}[{i}]': s
            for name, group in schedulers.items()
            for i, s in enumerate(group)
        }
    else:
        named = {f'param_scheduler[{i}]': s for i, s in enumerate(schedulers)}
    return {k: s for k, s in named.items() if hasattr(s, 'state_dict')}


def schedule_differences(built: dict, loaded: dict) -> List[str]:
    """The schedule settings in which two scheduler states differ.

    Args:
        built (dict): ``state_dict()`` of the scheduler the config built.
        loaded (dict): ``state_dict()`` after the checkpoint was loaded.

    Returns:
        list[str]: ``'key: checkpoint X, config Y'`` for each difference.
    """
    return [
        f'{key}: checkpoint {loaded[key]!r}, config {built[key]!r}'
        for key in sorted(set(built) & set(loaded) - PROGRESS_KEYS)
        if loaded[key] != built[key]
    ]


@HOOKS.register_module()
class ResumeCheckHook(Hook):
    """Warn when ``--resume`` replaces the config's schedule by the saved one.

    MMEngine's ``Runner.resume`` loads every parameter scheduler's state,
    settings included (``T_max``, ``end``, milestones, base learning rates),
    so resuming with a raised ``train_cfg.max_epochs`` keeps the old
    schedule: a cosine schedule then stays at its final learning rate for
    every added epoch. The hook records each scheduler as the config built
    it (``before_run``, before the checkpoint is loaded) and, when the run
    resumed, compares it with the loaded one (``before_train``); every
    difference is logged as a warning that says which value is in force.
    The resumed run is then not equal to any uninterrupted run of the new
    config; to train on with a new schedule, start a new run from the
    weights (``load_from=CKPT`` without ``--resume``).
    ``tools/train.py`` adds the hook when a config lacks it.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        self._built: Dict[str, dict] = {}
        self.differences: List[str] = []

    def before_run(self, runner) -> None:
        """Record the schedule the config built."""
        self._built = {
            name: copy.deepcopy(s.state_dict())
            for name, s in _flatten(runner.param_schedulers).items()
        }

    def before_train(self, runner) -> None:
        """Compare it with the resumed schedule."""
        if runner.iter == 0:  # a new run, or load_from: nothing resumed
            return
        self.differences = []
        for name, scheduler in _flatten(runner.param_schedulers).items():
            built = self._built.get(name)
            if built is None:
                continue
            for diff in schedule_differences(built, scheduler.state_dict()):
                self.differences.append(
                    f'{name} ({type(scheduler).__name__}) {diff}')
        if self.differences:
            runner.logger.warning(
                'The resumed schedule is the checkpoint\'s, not the '
                'config\'s; in force now: the checkpoint values. ' +
                '; '.join(self.differences) + '. To train on with the '
                'config\'s schedule, start a new run with '
                'load_from=CHECKPOINT instead of --resume.')
