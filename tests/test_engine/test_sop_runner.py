# Copyright (c) lnl_mm contributors. All rights reserved.
"""SOP in a real Runner: both optimizers built and scheduled as configured,
the per-sample parameters trained, bit-exact resume with them."""
import os.path as osp

import pytest
import torch
from mmengine.logging import MMLogger
from test_elr_runner import ROOT, _runner  # noqa: I100
from test_hooks import _Interrupt, _Killed

SOP = osp.join(ROOT, 'configs/sop/sop_cnn4_1xb64-30e_digits-sym80.py')


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def test_sop_resume_is_bit_exact_with_its_parameters(tmp_path):
    opts = {'train_cfg.max_epochs': 2}
    full = _runner(tmp_path / 'full', SOP, **opts)
    u0 = full.model.sop.u.detach().clone()
    full.train()
    ow = full.optim_wrapper
    assert set(ow.optim_wrappers) == {'model', 'sop'}
    # u and v have their own learning rates; only the network's is scheduled
    assert [g['lr'] for g in ow['sop'].optimizer.param_groups] == [1, 10]
    assert ow['model'].optimizer.param_groups[0]['lr'] < 0.05
    assert not torch.equal(full.model.sop.u, u0)
    part = _runner(tmp_path / 'part', SOP, **opts)
    part.register_hook(_Interrupt(at_epoch=1), priority='LOWEST')
    with pytest.raises(_Killed):
        part.train()
    MMLogger._instance_dict.clear()
    resumed = _runner(tmp_path / 'part', SOP, resume=True, **opts)
    resumed.train()
    a, b = full.model.state_dict(), resumed.model.state_dict()
    assert {'sop.u', 'sop.v', 'store.given'} <= set(a)
    for key in a:
        assert torch.equal(a[key], b[key]), key
