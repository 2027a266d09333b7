# Copyright (c) lnl_mm contributors. All rights reserved.
"""AUM by hand on recorded margins, the margin in the records, AUROC against
scikit-learn and by hand, detection metrics by hand."""
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from lnl_mm.evaluation import (aligned_records, area_under_margin, auroc,
                               combine_threshold_runs, detection_metrics,
                               fix_effect, make_record,
                               worse_than_threshold_samples)


def test_the_record_holds_the_margin_of_the_given_label():
    logits = np.array([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]])
    given = np.array([0, 0, 2])
    rec = make_record(np.arange(3), logits, given)
    # 2 - 0.5; 0 - 3 (a label the model does not predict: negative); ties 0
    assert np.allclose(rec['margin'], [1.5, -3.0, 0.0])


def test_aum_is_the_mean_margin_over_epochs_by_sample():
    records = {
        1: dict(
            sample_idx=np.array([2, 0, 1]), margin=np.array([0.5, -1.0, 2.0])),
        2: dict(
            sample_idx=np.array([0, 1, 2]), margin=np.array([1.0, 2.0, -0.5])),
        3:
        dict(sample_idx=np.array([1, 2, 0]), margin=np.array([5.0, 0.0, 3.0])),
    }
    idx, aum, epochs = area_under_margin(records)
    assert epochs == 3 and idx.tolist() == [0, 1, 2]
    assert np.allclose(aum, [(-1 + 1 + 3) / 3, (2 + 2 + 5) / 3,
                             (0.5 - 0.5 + 0) / 3])


def test_aum_refuses_old_or_mismatched_records():
    with pytest.raises(KeyError, match='no margin'):
        area_under_margin({1: dict(sample_idx=np.arange(2))})
    with pytest.raises(ValueError, match='other samples'):
        area_under_margin({
            1: dict(sample_idx=np.arange(2), margin=np.zeros(2)),
            2: dict(sample_idx=np.arange(3), margin=np.zeros(3))
        })


def test_auroc_with_ties_equals_scikit_learn_and_the_hand_count():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 5, 200).astype(float)  # many ties
    positive = rng.random(200) < 0.3
    assert auroc(scores,
                 positive) == pytest.approx(roc_auc_score(positive, scores))
    # by hand: pairs (positive, negative) with p > n count 1, ties 1/2
    s, y = np.array([0.9, 0.1, 0.5, 0.5]), np.array([1, 0, 1, 0], bool)
    # positives 0.9, 0.5; negatives 0.1, 0.5: 1 + 1 + 1 + 0.5 of 4 pairs
    assert auroc(s, y) == pytest.approx(3.5 / 4)
    with pytest.raises(ValueError, match='needs positives and negatives'):
        auroc(s, np.zeros(4, bool))


def test_detection_metrics_by_hand():
    noisy = np.array([1, 1, 0, 0, 0, 1], bool)
    flagged = np.array([1, 0, 1, 0, 0, 1], bool)
    scores = np.array([0.9, 0.2, 0.8, 0.1, 0.3, 0.7])
    m = detection_metrics(scores, flagged, noisy)
    assert m['precision'] == pytest.approx(2 / 3)
    assert m['recall'] == pytest.approx(2 / 3)
    assert m['num_flagged'] == 3 and m['num_noisy'] == 3
    assert m['auroc'] == pytest.approx(roc_auc_score(noisy, scores))


def test_fix_effect_by_hand():
    given = np.array([0, 1, 2, 2, 1])
    clean = np.array([0, 0, 2, 1, 1])
    flagged = np.array([1, 1, 0, 1, 1], bool)
    suggested = np.array([1, 0, 2, 0, 1])
    # 0: right, flagged, broken (0 -> 1); 1: wrong, corrected (1 -> 0);
    # 3: wrong, flagged, still wrong (2 -> 0); 4: flagged, suggestion = given
    e = fix_effect(given, suggested, flagged, clean)
    assert (e['wrong_before'], e['wrong_after']) == (2, 2)
    assert (e['corrected'], e['broken']) == (1, 1)
    assert e['wrong_after_rate'] == pytest.approx(0.4)


def test_aligned_records_orders_every_array_by_sample_index():
    records = {
        1: dict(sample_idx=np.array([2, 0, 1]), pred=np.array([7, 5, 6])),
        2: dict(sample_idx=np.array([1, 2, 0]), pred=np.array([3, 4, 2])),
    }
    idx, aligned = aligned_records(records)
    assert idx.tolist() == [0, 1, 2]
    assert aligned[1]['pred'].tolist() == [5, 6, 7]
    assert aligned[2]['pred'].tolist() == [2, 3, 4]
    assert aligned[2]['sample_idx'].tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match=r"\['pred'\] are not as long"):
        aligned_records({1: dict(sample_idx=np.arange(3), pred=np.zeros(2))})
    with pytest.raises(ValueError, match='no records'):
        aligned_records({})


def test_worse_than_threshold_samples_by_hand_and_as_the_official_rule():
    thr = np.arange(100.0)  # 0 .. 99
    # 98 and 99 exceed 97.5: 2 % > 1 %; only 99 exceeds 98: 1 %, not more
    got = worse_than_threshold_samples(np.array([97.5, 98.0, 99.0, -5.0]), thr)
    assert got.tolist() == [True, False, False, True]
    rng = np.random.default_rng(0)
    aum = rng.normal(size=500)
    thr = rng.normal(-1, 1, size=37)
    official = (aum[:, None] < thr[None, :]).mean(1) > 0.01
    assert np.array_equal(worse_than_threshold_samples(aum, thr), official)
    with pytest.raises(ValueError, match='no threshold sample'):
        worse_than_threshold_samples(aum, np.zeros(0))
    with pytest.raises(ValueError, match='share must be in'):
        worse_than_threshold_samples(aum, thr, share=1.0)


def test_combining_runs_flags_what_every_judging_run_flags():
    flags = [np.array([1, 1, 0, 1, 0], bool), np.array([1, 0, 0, 1, 1], bool)]
    judged = [np.array([1, 1, 1, 0, 0], bool), np.array([1, 1, 0, 1, 0], bool)]
    flagged, any_judged = combine_threshold_runs(flags, judged)
    # 0: both flag; 1: one of two; 2: the judging run does not; 3: its only
    # judging run flags; 4: no run judged it (its flag is not a verdict)
    assert flagged.tolist() == [True, False, False, True, False]
    assert any_judged.tolist() == [True, True, True, True, False]
    # the official retraining weight ceil(1 - bad / judged) is 0 exactly then
    bad = sum(f & j for f, j in zip(flags, judged))
    counts = np.maximum(sum(j.astype(int) for j in judged), 1)
    assert np.array_equal(np.ceil(1 - bad / counts) == 0, flagged)
    with pytest.raises(ValueError, match='one flag and one judged'):
        combine_threshold_runs(flags, judged[:1])
