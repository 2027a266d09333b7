# Copyright (c) lnl_mm contributors. All rights reserved.
import numpy as np
import pytest

from lnl_mm.datasets.noise import (make_noisy_labels, normalize_class_map,
                                   resolve_class_map)


def test_cifar100_block5_map():
    m = resolve_class_map('cifar100_block5', 100)
    assert (m[0], m[3], m[4], m[95], m[99]) == (1, 4, 0, 96, 95)


def test_cifar100_next_map():
    m = resolve_class_map('cifar100_next', 100)
    assert (m[0], m[98], m[99]) == (1, 99, 0)


def test_named_fixed_maps():
    assert resolve_class_map('mnist', 10) == {7: 1, 2: 7, 5: 6, 6: 5, 3: 8}
    assert resolve_class_map('cifar10', 10) == {9: 1, 2: 0, 3: 5, 5: 3, 4: 7}


def test_asymmetric_exact_per_source_class(balanced):
    labels = balanced(10, 5000)
    noisy = make_noisy_labels(
        labels, 10, dict(type='asymmetric', rate=0.4, class_map='cifar10'), 0)
    for c in range(10):
        rate = (noisy != labels)[labels == c].mean()
        assert rate == (0.4 if c in (9, 2, 3, 5, 4) else 0.0)
    # the flipped cats went to dog, the flipped dogs to cat
    assert set(noisy[(labels == 3) & (noisy != 3)]) == {5}
    assert set(noisy[(labels == 5) & (noisy != 5)]) == {3}
    assert (noisy != labels).mean() == pytest.approx(0.2)


def test_official_cifar10_reselection_quirk(balanced):
    # ALFs/APL pick int(0.4 * n) of the *current* labels, in the order
    # [9, 2, 3, 5, 4]. 2000 cats go to dog; then 0.4 * 7000 = 2800 of the
    # "dog" labels go to cat, 2000/7000 of them flipped cats in expectation
    # (800), so the cat noise is (2000 - 800) / 5000 = 0.24 and the overall
    # rate is (2000 * 3 + 1200 + 2800 * 5000 / 7000) / 50000 ≈ 0.184.
    labels = balanced(10, 5000)
    noisy = make_noisy_labels(
        labels, 10,
        dict(type='asymmetric', rate=0.4, class_map='cifar10', reselect=True),
        0)
    cat = (noisy != labels)[labels == 3].mean()
    # hypergeometric: 2800 draws of 7000 with 2000 cats; sd of the count
    # sqrt(2800 * 2/7 * 5/7 * 4200/6999) ≈ 18.5 → 5 sd ≈ 0.0185 on the rate
    assert abs(cat - 0.24) < 0.0185
    assert abs((noisy != labels).mean() - 0.184) < 0.003


def test_pairflip_exact_and_next_class(balanced):
    labels = balanced(4, 100)
    noisy = make_noisy_labels(labels, 4, dict(type='pairflip', rate=0.3), 0)
    flipped = noisy != labels
    assert flipped.sum() == 4 * 30
    np.testing.assert_array_equal(noisy[flipped], (labels[flipped] + 1) % 4)


def test_unknown_class_map_names_option(balanced):
    with pytest.raises(ValueError, match="noise.class_map='cifar11'"):
        make_noisy_labels(
            balanced(10, 5), 10,
            dict(type='asymmetric', rate=0.4, class_map='cifar11'), 0)


def test_class_map_outside_classes_fails(balanced):
    with pytest.raises(ValueError, match='num_classes=5'):
        make_noisy_labels(
            balanced(5, 5), 5,
            dict(type='asymmetric', rate=0.4, class_map='cifar10'), 0)


def test_block5_needs_multiple_of_five():
    with pytest.raises(ValueError, match='divisible by 5'):
        resolve_class_map('cifar100_block5', 12)


def test_explicit_dict_map(balanced):
    labels = balanced(3, 10)
    noisy = make_noisy_labels(
        labels, 3, dict(type='asymmetric', rate=0.5, class_map={0: 2}), 0)
    assert ((noisy != labels) & (labels == 0)).sum() == 5
    assert set(noisy[labels == 0]) == {0, 2}
    np.testing.assert_array_equal(noisy[labels != 0], labels[labels != 0])


@pytest.mark.parametrize('class_map,match', [
    ({}, r'noise.class_map=\{\} maps no class'),
    ({
        'cat': 'dog'
    }, r"'cat' is neither a class index nor a class name.*no class names"),
    ({
        3: 5.5
    }, r'5.5 is not a class index'),
])
def test_bad_class_map_dicts_are_explained(balanced, class_map, match):
    # without a dataset (the pure generator) there are no class names
    with pytest.raises(ValueError, match=match):
        make_noisy_labels(
            balanced(10, 50), 10,
            dict(type='asymmetric', rate=0.4, class_map=class_map), 0)


def test_string_digit_keys_from_the_command_line(balanced):
    labels = balanced(10, 50)
    a = make_noisy_labels(
        labels, 10, dict(type='asymmetric', rate=0.4, class_map={'3': '5'}), 0)
    b = make_noisy_labels(labels, 10,
                          dict(type='asymmetric', rate=0.4, class_map={3: 5}),
                          0)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize('reselect', ['yes', 1, 'False'])
def test_reselect_must_be_a_bool(balanced, reselect):
    with pytest.raises(TypeError, match=f'noise.reselect={reselect!r}'):
        make_noisy_labels(
            balanced(10, 50), 10,
            dict(
                type='asymmetric',
                rate=0.4,
                class_map='cifar10',
                reselect=reselect), 0)


def test_per_sample_draws_of_the_official_code(balanced):
    """exact=False: each source-class sample flips with probability rate
    (binomial counts), to the mapped class only (fidelity A6)."""
    labels = balanced(10, 5000)
    noisy = make_noisy_labels(
        labels, 10,
        dict(type='asymmetric', rate=0.4, class_map='mnist', exact=False), 0)
    flipped = noisy != labels
    for s, t in {2: 7, 3: 8, 5: 6, 6: 5, 7: 1}.items():
        rate = flipped[labels == s].mean()
        # binomial(5000, 0.4): sd 0.0069; 5 sd
        assert abs(rate - 0.4) < 0.035 and rate != 0.4
        assert (noisy[(labels == s) & flipped] == t).all()
    assert not flipped[np.isin(labels, [0, 1, 4, 8, 9])].any()
    with pytest.raises(ValueError, match='cannot be combined'):
        make_noisy_labels(
            labels, 10,
            dict(
                type='asymmetric',
                rate=0.4,
                class_map='cifar10',
                reselect=True,
                exact=False), 0)


def test_class_maps_as_command_line_text_and_by_name():

    # DictAction splits "{3:5,9:1}" at its comma: the pieces are joined
    assert normalize_class_map(['{3:5', '9:1}']) == {3: 5, 9: 1}
    assert resolve_class_map('{3: 5, 9: 1}', 10) == {3: 5, 9: 1}
    names = ('airplane', 'automobile', 'bird', 'cat', 'deer', 'dog')
    assert normalize_class_map("{'cat': 'dog', 4: automobile}", names) == {
        3: 5,
        4: 1
    }
    assert normalize_class_map('cifar10', names) == 'cifar10'
    with pytest.raises(ValueError, match=r"'cow' is neither.*'airplane'"):
        normalize_class_map({'cow': 'dog'}, names)
    with pytest.raises(ValueError, match='is not source: target'):
        normalize_class_map('{3}')


def test_a_digit_string_that_is_also_another_class_name_is_ambiguous():
    # CustomDataset folders 0..11 sort as text: '10' is the class at 2
    names = tuple(sorted(str(i) for i in range(12)))
    assert names[2] == '10'
    with pytest.raises(ValueError, match="'10' is ambiguous"):
        normalize_class_map('{10:3}', names)
    assert normalize_class_map('{0:1}', names) == {0: 1}  # same either way
