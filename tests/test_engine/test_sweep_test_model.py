# Copyright (c) lnl_mm contributors. All rights reserved.
"""A sweep trial reports the clean test accuracy of the model its
selection saw: for a momentum-model (EMA) config the EMA model, as
tools/test.py on the trial's checkpoint, not the raw weights that
``runner.test()`` after ``runner.train()`` evaluates."""
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner

from lnl_mm.engine.utils import evaluate_last_checkpoint, holdout_config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'sln',
               'sln-mo_smallcnn_1xb64-40e_digits-sym40.py')


def _accuracy(model, loader):
    model.eval()
    right = total = 0
    with torch.no_grad():
        for data in loader:
            out = model.test_step(data)
            for s in out:
                right += int(s.pred_label == s.gt_label)
                total += 1
    return 100.0 * right / total


def test_trial_tests_the_ema_model_of_its_checkpoint(tmp_path):
    cfg = Config.fromfile(CFG)
    cfg.merge_from_dict({
        'train_cfg.max_epochs': 3,
        'randomness.seed': 0,
        'model.head.loss.sigma': 0.1
    })
    cfg = holdout_config(cfg, 0.1)
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = f'sweep_{uuid.uuid4().hex}'
    runner = Runner.from_cfg(cfg)
    runner.train()
    stale = runner.test()['accuracy/top1']  # EMA rebuilt from raw weights
    loader = runner.test_dataloader
    raw = _accuracy(runner.model, loader)
    ckpt = torch.load(
        osp.join(tmp_path, 'epoch_3.pth'),
        map_location='cpu',
        weights_only=True)
    runner.model.load_state_dict(ckpt['state_dict'])  # the EMA weights
    ema = _accuracy(runner.model, loader)
    del runner
    MMLogger._instance_dict.clear()
    assert abs(ema - raw) > 5  # else this test could not tell them apart
    assert stale == pytest.approx(raw, abs=1e-4)
    assert evaluate_last_checkpoint(cfg)['accuracy/top1'] == pytest.approx(
        ema, abs=1e-4)
    MMLogger._instance_dict.clear()


def test_a_last_checkpoint_of_another_epoch_is_refused(tmp_path):
    """The holdout summary ends at epoch 3 but the last checkpoint is of
    epoch 2: testing it would report another model than the selected."""
    cfg = Config.fromfile(CFG)
    cfg.merge_from_dict({
        'train_cfg.max_epochs': 3,
        'default_hooks.checkpoint.interval': 2,
        'default_hooks.checkpoint.save_last': False
    })
    cfg = holdout_config(cfg, 0.1)
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = f'sweep_{uuid.uuid4().hex}'
    Runner.from_cfg(cfg).train()
    MMLogger._instance_dict.clear()
    with pytest.raises(
            ValueError,
            match='is of epoch 2, but the holdout '
            'summary ends at epoch 3'):
        evaluate_last_checkpoint(cfg)
    MMLogger._instance_dict.clear()
