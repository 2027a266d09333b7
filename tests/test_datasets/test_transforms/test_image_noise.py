# Copyright (c) lnl_mm contributors. All rights reserved.
"""Noise styles: empirical rates, parsing, seeding; packing; dihedral."""
import numpy as np
import pytest
import torch

from lnl_mm.datasets.transforms import (AddImageNoise, PackDenoiseInputs,
                                        add_image_noise, dihedral,
                                        parse_noise_style)

N = 200_000
TOL = 4 * (0.25 / N)**0.5  # 4 binomial standard deviations at p = 1/2


def _img(value=0.5):
    return np.full((400, 500), value, dtype=np.float32)


def test_bernoulli_keeps_pixels_with_probability_p():
    rng = np.random.default_rng(0)
    out = add_image_noise(_img(), 'bernoulli0.3', rng)
    kept = (out == 0.5).mean()
    assert abs(kept - 0.3) < TOL and set(np.unique(out)) == {0.0, 0.5}


def test_saltpepper_corrupts_2p_half_salt_half_pepper():
    out = add_image_noise(_img(), 'saltpepper0.1', np.random.default_rng(1))
    assert abs((out == 0).mean() - 0.1) < TOL
    assert abs((out == 1).mean() - 0.1) < TOL
    assert abs((out != 0.5).mean() - 0.2) < TOL


def test_impulse_replaces_p_by_uniform_values():
    out = add_image_noise(_img(), 'impulse0.3', np.random.default_rng(2))
    hit = out != 0.5
    assert abs(hit.mean() - 0.3) < TOL
    assert abs(out[hit].mean() - 0.5) < 0.01 and out[hit].min() >= 0
    assert abs(out[hit].var() - 1 / 12) < 0.002  # U[0, 1)


def test_gauss_std_and_poisson_mean():
    g = add_image_noise(_img(), 'gauss25', np.random.default_rng(3)) - 0.5
    assert abs(g.std() - 25 / 255) < 0.002 and abs(g.mean()) < 0.002
    p = add_image_noise(_img(), dict(type='poisson', lam=30),
                        np.random.default_rng(4))
    assert abs(p.mean() - 0.5) < 0.005
    assert abs(p.var() - 0.5 / 30) < 0.002  # Var(Poisson(L x) / L) = x / L


@pytest.mark.parametrize(
    'bad,match', [('gauss', 'followed by its parameter'),
                  ('speckle0.1', 'expected one of'),
                  ('bernoulli1.5', 'needs 0 < p <= 1'),
                  ('saltpepper0.6', 'needs 0 <= p <= 0.5'),
                  (dict(type='gauss'), "takes exactly 'sigma'"),
                  (dict(type='gauss', sigma=25, p=1), "takes exactly 'sigma'"),
                  (dict(type='blur', sigma=1), 'type must be one of')])
def test_bad_styles_fail_clearly(bad, match):
    with pytest.raises(ValueError, match=match):
        parse_noise_style(bad)


def test_compact_and_dict_forms_agree():
    assert parse_noise_style('gauss25') == parse_noise_style(
        dict(type='gauss', sigma=25)) == {
            'type': 'gauss',
            'sigma': 25.0
        }
    assert parse_noise_style('bernoulli.3') == {'type': 'bernoulli', 'p': 0.3}


def test_seeded_transform_is_per_image_and_n2n_copies_differ():
    t = AddImageNoise('gauss25', num_copies=2, seed=7)
    a = t(dict(img=_img(), sample_idx=3))
    b = t(dict(img=_img(), sample_idx=3))
    c = t(dict(img=_img(), sample_idx=4))
    assert np.array_equal(a['noisy'], b['noisy'])
    assert not np.array_equal(a['noisy'], c['noisy'])
    assert not np.array_equal(a['noisy'], a['noisy2'])
    fresh = AddImageNoise('gauss25')
    assert not np.array_equal(
        fresh(dict(img=_img()))['noisy'],
        fresh(dict(img=_img()))['noisy'])
    with pytest.raises(ValueError, match='num_copies'):
        AddImageNoise('gauss25', num_copies=3)


def test_pack_and_dihedral():
    patch = np.arange(16, dtype=np.float32).reshape(4, 4)
    modes = {dihedral(patch, m).tobytes() for m in range(8)}
    assert len(modes) == 8 and np.array_equal(dihedral(patch, 0), patch)
    packed = PackDenoiseInputs()(
        dict(img=patch, noisy=patch + 1, noisy2=patch + 2, sample_idx=5))
    assert packed['inputs'].shape == (1, 4, 4)
    sample = packed['data_samples']
    assert torch.equal(sample.gt_img[0], torch.from_numpy(patch))
    assert torch.equal(sample.noisy2[0], torch.from_numpy(patch + 2))
    assert sample.sample_idx == 5
    with pytest.raises(KeyError, match='AddImageNoise before it'):
        PackDenoiseInputs()(dict(img=patch))


def test_range_styles_draw_one_level_per_image():
    assert parse_noise_style('gauss5_50') == parse_noise_style(
        dict(type='gauss_range', sigma_min=5, sigma_max=50)) == {
            'type': 'gauss_range',
            'sigma_min': 5.0,
            'sigma_max': 50.0
        }
    assert parse_noise_style('poisson5_50.5') == {
        'type': 'poisson_range',
        'lam_min': 5.0,
        'lam_max': 50.5
    }
    rng = np.random.default_rng(0)
    x = _img()
    sigmas = np.array([
        np.std(add_image_noise(x, 'gauss5_50', rng) - x) * 255
        for _ in range(200)
    ])
    # each image's noise has one sigma in [5, 50]; the levels spread over it
    assert sigmas.min() > 4.5 and sigmas.max() < 51
    assert sigmas.min() < 10 and sigmas.max() > 45
    assert abs(sigmas.mean() - 27.5) < 3
    # a degenerate range is the fixed style
    a = add_image_noise(x, 'gauss25_25', np.random.default_rng(1))
    fixed = np.random.default_rng(1)
    fixed.uniform(25, 25)  # the range style draws its level first
    assert np.array_equal(a, add_image_noise(x, 'gauss25', fixed))
    lam_mean = np.mean(
        [add_image_noise(x, 'poisson10_100', rng).mean() for _ in range(50)])
    assert lam_mean == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize('bad,match', [
    ('gauss50_5', 'sigma_min <= sigma_max'),
    ('bernoulli0.1_0.3', 'or a range'),
    (dict(type='gauss_range', sigma=5), "takes exactly"),
    (dict(type='poisson_range', lam_min=0, lam_max=5), 'lam > 0'),
])
def test_bad_range_styles_fail_clearly(bad, match):
    with pytest.raises(ValueError, match=match):
        parse_noise_style(bad)
