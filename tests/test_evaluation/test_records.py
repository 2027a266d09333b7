# Copyright (c) lnl_mm contributors. All rights reserved.
"""Sample dissection and training-set confusion on hand-built records."""
import numpy as np
import pytest

from lnl_mm.evaluation import confusion, load_epoch_records, sample_dissection


def test_sample_dissection_by_hand():
    # 4 noisy samples: memorised, corrected, other, memorised.
    # 3 clean samples: fit, fit, other. One open-set sample (clean -1).
    rec = dict(
        given=np.array([1, 2, 0, 3, 0, 1, 2, 4]),
        clean=np.array([0, 1, 2, 0, 0, 1, 2, -1]),
        pred=np.array([1, 1, 4, 3, 0, 1, 0, 4]))
    d = sample_dissection(rec)
    assert d['num_noisy'] == 5 and d['num_clean'] == 3
    assert d['noisy_memorized'] == pytest.approx(3 / 5)
    assert d['noisy_corrected'] == pytest.approx(1 / 5)
    assert d['noisy_other'] == pytest.approx(1 / 5)
    assert d['clean_fit'] == pytest.approx(2 / 3)
    assert d['clean_other'] == pytest.approx(1 / 3)
    with pytest.raises(KeyError, match='clean labels'):
        sample_dissection(dict(given=rec['given'], pred=rec['pred']))


def test_confusion_rows_normalised_and_ignores_unknown():
    rows = np.array([0, 0, 0, 1, -1, 2])
    cols = np.array([0, 1, 1, 1, 0, 0])
    m = confusion(rows, cols, 3)
    assert np.allclose(m, [[1 / 3, 2 / 3, 0], [0, 1, 0], [1, 0, 0]])
    assert np.allclose(confusion(np.array([0]), np.array([0]), 2)[1], 0)


def test_load_epoch_records_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='TrainingDynamicsHook'):
        load_epoch_records(str(tmp_path))
    (tmp_path / 'dynamics').mkdir()
    np.savez(
        tmp_path / 'dynamics' / 'epoch_3.npz',
        sample_idx=[0],
        pred=[0],
        prob_given=[1.0],
        loss=[0.0])
    with pytest.raises(KeyError, match="lacks \\['given'\\]"):
        load_epoch_records(str(tmp_path))
