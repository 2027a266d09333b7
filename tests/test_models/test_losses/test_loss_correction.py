# Copyright (c) lnl_mm contributors. All rights reserved.
"""Forward and backward loss correction: CE at T = I, the closed forms in
float64 by hand, backward's unbiasedness (Theorem 1 of Patrini et al.),
extreme logits, the transition buffer, bad inputs."""
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from torch.testing import assert_close

from lnl_mm.models.losses import (backward_correction_loss,
                                  forward_correction_loss, read_transition)

T3 = [[0.6, 0.4, 0.0], [0.0, 0.8, 0.2], [0.1, 0.0, 0.9]]


def _logits(n=6, c=3, seed=0, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    return scale * torch.randn(n, c, generator=g, dtype=torch.float64)


def _np_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize('fn',
                         [forward_correction_loss, backward_correction_loss])
def test_identity_transition_is_cross_entropy(fn):
    z, y = _logits(8, 5), torch.tensor([0, 1, 2, 3, 4, 0, 1, 2])
    eye = torch.eye(5, dtype=torch.float64)
    # moderate logits: the 1e-7 clip does not bind
    assert_close(fn(z, y, eye), F.cross_entropy(z, y, reduction='none'))


def test_forward_is_the_log_of_the_noisy_posterior_by_hand():
    z, y = _logits(), np.array([0, 1, 2, 1, 0, 2])
    T = np.array(T3)
    p = np.clip(_np_softmax(z.numpy()), 1e-7, 1 - 1e-7)
    expected = -np.log((p @ T)[np.arange(6), y])
    got = forward_correction_loss(z, torch.from_numpy(y), torch.tensor(T))
    assert_close(got, torch.from_numpy(expected))


def test_backward_is_the_inverse_transition_times_the_loss_vector():
    z, y = _logits(), np.array([0, 1, 2, 1, 0, 2])
    T = np.array(T3)
    log_p = np.log(np.clip(_np_softmax(z.numpy()), 1e-7, 1 - 1e-7))
    expected = -(np.linalg.inv(T)[y] * log_p).sum(axis=1)
    got = backward_correction_loss(z, torch.from_numpy(y), torch.tensor(T))
    assert_close(got, torch.from_numpy(expected))


def test_backward_is_unbiased_over_the_noise():
    """E_{y~ ~ T[y]} l<-(z, y~) = l(z, y): the corrected loss of the noisy
    label, averaged over the noise process, is the clean CE."""
    z = _logits(4, 3, seed=3)
    T = torch.tensor(T3, dtype=torch.float64)
    per_label = torch.stack([
        backward_correction_loss(z, torch.full((4, ), j), T) for j in range(3)
    ], 1)  # (N, given label)
    for clean in range(3):
        expected = F.cross_entropy(
            z, torch.full((4, ), clean), reduction='none')
        assert_close(per_label @ T[clean], expected)


@pytest.mark.parametrize('fn',
                         [forward_correction_loss, backward_correction_loss])
def test_soft_targets_are_the_expectation(fn):
    z, T = _logits(), torch.tensor(T3, dtype=torch.float64)
    y1, y2 = torch.tensor([0, 1, 2, 0, 1, 2]), torch.tensor([1, 1, 0, 2, 2, 0])
    lam = torch.linspace(0, 1, 6, dtype=torch.float64)[:, None]
    mixed = lam * F.one_hot(y1, 3) + (1 - lam) * F.one_hot(y2, 3)
    assert_close(
        fn(z, mixed, T),
        lam[:, 0] * fn(z, y1, T) + (1 - lam[:, 0]) * fn(z, y2, T))


@pytest.mark.parametrize('type_',
                         ['ForwardCorrectionLoss', 'BackwardCorrectionLoss'])
@pytest.mark.parametrize('dtype', [torch.float32, torch.float16])
def test_extreme_logits_stay_finite(type_, dtype):
    loss = MODELS.build(dict(type=type_, num_classes=3, transition=T3))
    z = torch.tensor([[1e4, -1e4, 0.], [-6e4, 6e4, 6e4], [0., 0., 0.]],
                     dtype=dtype,
                     requires_grad=True)
    out = loss(z, torch.tensor([1, 0, 2]))
    out.backward()
    assert out.dtype == torch.float32 and torch.isfinite(out)
    assert torch.isfinite(z.grad).all()


def test_backward_is_bounded_below_by_the_clip():
    T = torch.tensor([[0.7, 0.3], [0.3, 0.7]], dtype=torch.float64)
    # the wrong class pushed to -inf: T^-1 has a negative entry there
    z = torch.tensor([[50., -50.]], dtype=torch.float64)
    inv = np.linalg.inv(T.numpy())
    bound = -(inv[0, 0] * np.log1p(-1e-7) + inv[0, 1] * np.log(1e-7))
    assert inv[0, 1] < 0 and bound < 0  # past the clip it would go to -inf
    got = backward_correction_loss(z, torch.tensor([0]), T)[0]
    assert abs(float(got) - bound) < 1e-9


def test_the_transition_is_a_checkpointed_buffer():
    loss = MODELS.build(dict(type='ForwardCorrectionLoss', num_classes=3))
    assert not loss.has_transition and 'transition' in loss.state_dict()
    loss.set_transition(T3)
    other = MODELS.build(dict(type='ForwardCorrectionLoss', num_classes=3))
    other.load_state_dict(loss.state_dict())
    assert bool(other.has_transition)
    assert torch.equal(other.transition, torch.tensor(T3, dtype=torch.float64))
    z, y = _logits(), torch.tensor([0, 1, 2, 1, 0, 2])
    assert_close(other(z, y), loss(z, y))


def test_without_a_transition_the_loss_says_where_to_get_one():
    loss = MODELS.build(dict(type='BackwardCorrectionLoss', num_classes=3))
    z, y = _logits(), torch.tensor([0, 1, 2, 1, 0, 2])
    with pytest.raises(
            RuntimeError, match='no transition matrix.*'
            'LossCorrectionHook'):
        loss(z, y)
    loss.warming_up = True  # the hook's warm-up: plain CE
    assert_close(loss(z, y), F.cross_entropy(z, y))


def test_transition_files(tmp_path):
    manifest = tmp_path / 'noise_manifest.json'
    manifest.write_text(json.dumps(dict(transition_matrix=T3, seed=0)))
    estimate = tmp_path / 'transition_estimate.json'
    estimate.write_text(json.dumps(dict(transition=T3, realised=None)))
    npy = tmp_path / 'T.npy'
    np.save(npy, np.array(T3))
    for path in (manifest, estimate, npy):
        assert_close(read_transition(str(path)), np.array(T3))
        loss = MODELS.build(
            dict(
                type='ForwardCorrectionLoss',
                num_classes=3,
                transition=str(path)))
        assert bool(loss.has_transition) and loss.given_transition
    other = tmp_path / 'other.json'
    other.write_text(json.dumps(dict(rates=[0.1])))
    with pytest.raises(KeyError, match="none of the keys.*'rates'"):
        read_transition(str(other))
    with pytest.raises(FileNotFoundError, match='no file'):
        read_transition(str(tmp_path / 'missing.json'))


@pytest.mark.parametrize('cfg, error, match', [
    (dict(num_classes=3, transition=[[0.5, 0.5, 0], [0, 1, 0]
                                     ]), ValueError, r'\(C, C\) matrix'),
    (dict(num_classes=4, transition=T3), ValueError, 'is 3x3 but '
     'num_classes=4'),
    (dict(num_classes=3, transition=[[1.2, -0.2, 0], [0, 1, 0], [0, 0, 1]]),
     ValueError, r'negative entry, T\[0, 1\]=-0.2'),
    (dict(num_classes=3, transition=[[0.5, 0.4, 0], [0, 1, 0], [0, 0, 1]
                                     ]), ValueError, 'row 0 sums to 0.9'),
    (dict(num_classes=3, transition=[[0.5, 0.5, 0], [0, 1, 0], [0, 1, 0]
                                     ]), ValueError, 'column 2 is all zero'),
    (dict(num_classes=1), ValueError, 'num_classes must be an int >= 2'),
    (dict(num_classes=3, prob_clamp=0.5), ValueError, 'prob_clamp must be in'),
    (dict(num_classes=3, transition=[[1, 0], [0]
                                     ]), ValueError, 'irregular sequence'),
])
def test_bad_inputs_name_the_option(cfg, error, match):
    with pytest.raises(error, match=match):
        MODELS.build(dict(type='ForwardCorrectionLoss', **cfg))


def test_backward_needs_an_invertible_matrix_and_a_clip():
    singular = [[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1]]
    with pytest.raises(ValueError, match='nearly\\) singular.*forward'):
        MODELS.build(
            dict(
                type='BackwardCorrectionLoss',
                num_classes=3,
                transition=singular))
    # forward correction takes it
    MODELS.build(
        dict(type='ForwardCorrectionLoss', num_classes=3, transition=singular))
    with pytest.raises(ValueError, match='prob_clamp must be > 0'):
        MODELS.build(
            dict(type='BackwardCorrectionLoss', num_classes=3, prob_clamp=0))
    loss = MODELS.build(
        dict(type='BackwardCorrectionLoss', num_classes=3, transition=T3))
    with pytest.raises(ValueError, match='num_classes=3 but cls_score has 4'):
        loss(_logits(2, 4), torch.tensor([0, 1]))


def test_backward_inverts_in_float64():
    """An ill-conditioned (but accepted) T: float32 logits, the loss equal
    to the float64 formula to float32 precision (T^-1 inverted once in
    float64, not in float32 each call)."""
    d = 1e-5  # eigenvalues 1, 1 and 2d: condition number 5e4
    T = np.array([[0.5 + d, 0.5 - d, 0], [0.5 - d, 0.5 + d, 0], [0, 0, 1.0]])
    assert 1e4 < np.linalg.cond(T) < 1e6
    z, y = _logits(4, 3, seed=5, scale=1.0), np.array([0, 1, 2, 0])
    log_p = np.log(np.clip(_np_softmax(z.numpy()), 1e-7, 1 - 1e-7))
    want = -(np.linalg.inv(T)[y] * log_p).sum(axis=1)
    loss = MODELS.build(
        dict(
            type='BackwardCorrectionLoss',
            num_classes=3,
            transition=T.tolist(),
            reduction='none'))
    got = loss(z.float(), torch.from_numpy(y)).double().numpy()
    assert np.allclose(got, want, rtol=1e-4, atol=1e-3 * np.abs(want).max())


def test_a_manifest_with_an_empty_class(tmp_path):
    path = tmp_path / 'noise_manifest.json'
    path.write_text(
        json.dumps(
            dict(transition_matrix=[[0.8, 0.2, 0], [None, None, None],
                                    [0, 0.1, 0.9]])))
    assert np.array_equal(
        read_transition(str(path)), [[0.8, 0.2, 0], [0, 1, 0], [0, 0.1, 0.9]])


def test_a_loaded_matrix_can_be_cleared():
    loss = MODELS.build(
        dict(type='ForwardCorrectionLoss', num_classes=3, transition=T3))
    loss.clear_transition()
    assert not loss.ready and not bool(loss.has_transition)
    with pytest.raises(RuntimeError, match='no transition matrix'):
        loss(_logits(), torch.tensor([0, 1, 2, 1, 0, 2]))
