# Copyright (c) lnl_mm contributors. All rights reserved.
"""A long pass over a dataset says where it is: a line at most every
``interval`` seconds and one at the end; silent without a name."""
from types import SimpleNamespace

from lnl_mm.engine.utils import predict as predict_module


def test_progress_lines(monkeypatch):
    clock = iter([0.0, 1.0, 12.0, 13.0, 30.0, 31.0])
    monkeypatch.setattr(predict_module, 'time',
                        SimpleNamespace(time=lambda: next(clock)))
    lines = []
    bar = predict_module._Progress('Rank pass (epoch 2)', 4, lines.append)
    for i in range(1, 5):  # times 1, 12, 13, 30 after a start at 0
        bar.step(i)
    assert lines == [
        'Rank pass (epoch 2): 2/4 batches (12.0 s, ETA 12.0 s)',
        'Rank pass (epoch 2): 4/4 batches in 30.0 s'
    ]
    silent = []
    quiet = predict_module._Progress(None, 2, silent.append)
    quiet.step(1)
    quiet.step(2)
    assert silent == []
