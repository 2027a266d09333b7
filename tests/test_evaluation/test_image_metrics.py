# Copyright (c) lnl_mm contributors. All rights reserved.
"""PSNR / SSIM on hand-computed cases."""
import pytest
import torch

from lnl_mm.evaluation import PSNR, SSIM, psnr


def _sample(pred, clean):
    return dict(pred_img=pred, gt_img=clean)


def test_psnr_by_hand_and_clipping():
    clean = torch.zeros(1, 8, 8)
    # MSE = 0.01 -> 10 log10(1 / 0.01) = 20 dB.
    assert psnr(torch.full((8, 8), 0.1).numpy(),
                clean[0].numpy()) == pytest.approx(20)
    metric = PSNR()
    metric.process(None, [
        _sample(torch.full((1, 8, 8), 0.1), clean),
        _sample(torch.full((1, 8, 8), 0.01), clean)
    ])
    # 20 dB and 40 dB (MSE 1e-4): the metric is the mean over images.
    assert metric.compute_metrics(metric.results)['psnr'] == \
        pytest.approx(30)
    assert psnr(clean[0].numpy(), clean[0].numpy()) == float('inf')


def test_psnr_clips_prediction_to_unit_range():
    metric = PSNR()
    metric.process(
        None,
        [_sample(torch.full((1, 4, 4), 1.5), torch.full((1, 4, 4), 0.9))])
    # Clipped to 1.0 against 0.9: MSE 0.01 -> 20 dB.
    assert metric.results[0][0] == pytest.approx(20)


def test_ssim_identical_is_one_and_noise_lowers_it():
    torch.manual_seed(0)
    clean = torch.rand(1, 32, 32)
    metric = SSIM()
    metric.process(None, [
        _sample(clean, clean),
        _sample(clean + 0.2 * torch.randn_like(clean), clean)
    ])
    assert metric.results[0][0] == pytest.approx(1.0)
    assert metric.results[1][0] < 0.9
    with pytest.raises(KeyError, match='pred_img and gt_img'):
        metric.process(None, [dict(gt_img=clean)])


def test_named_test_sets_are_reported_apart():
    clean = torch.zeros(1, 8, 8)
    metric = PSNR()
    metric.process(None, [
        dict(_sample(torch.full((1, 8, 8), 0.1), clean), set_name='Set68'),
        dict(_sample(torch.full((1, 8, 8), 0.01), clean), set_name='Set12'),
        dict(_sample(torch.full((1, 8, 8), 0.001), clean), set_name='Set12'),
    ])
    out = metric.compute_metrics(metric.results)
    # 20, 40 and 60 dB
    assert out == pytest.approx({
        'psnr': 40.0,
        'psnr/Set68': 20.0,
        'psnr/Set12': 50.0
    })
    assert list(out) == ['psnr', 'psnr/Set68', 'psnr/Set12']
