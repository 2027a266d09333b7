# Copyright (c) lnl_mm contributors. All rights reserved.
"""The one per-sample store: fields, rows, checkpoints, refusals, sharing."""
import pytest
import torch
from mmpretrain.structures import DataSample

from lnl_mm.models.classifiers import SampleStoreClassifier
from lnl_mm.models.utils import MomentumModel, SampleStore

GIVEN = torch.tensor([2, 0, 1, 2])


def _store():
    store = SampleStore()
    store.add_field('targets', (3, ), init='one_hot')
    store.add_field('weight', init=0.5)
    store.add_field('ranks', dtype=torch.long)
    return store


def test_fields_start_at_their_initial_values():
    store = _store()
    assert not store.initialized and store.fields == ('targets', 'weight',
                                                      'ranks')
    store.initialize(GIVEN)
    assert torch.equal(store.targets, torch.eye(3)[GIVEN])
    assert torch.equal(store.weight, torch.full((4, ), 0.5))
    assert store.ranks.dtype == torch.long and not store.ranks.any()
    # a field added later is sized at once
    store.add_field('late', (2, ), init=1.0)
    assert store.late.shape == (4, 2)


def test_rows_writes_and_checksum():
    store = _store()
    store.initialize(GIVEN)
    before = store.checksum()
    store.set('targets', [1], torch.tensor([[0.25, 0.75, 0.0]]))
    assert store.checksum() != before
    assert store.writes('targets') == 1 and store.writes('weight') == 0
    torch.testing.assert_close(
        store.get('targets', [3, 1]), torch.tensor([[0., 0, 1], [.25, .75,
                                                                 0]]))
    got = store.get('weight', [0])
    got += 1  # a copy
    assert store.weight[0] == 0.5
    assert store.check_ranks() == store.checksum()  # one process


def test_bad_use_names_the_problem():
    store = _store()
    with pytest.raises(RuntimeError, match='SampleStore is empty'):
        store.get('targets', [0])
    store.initialize(GIVEN)
    with pytest.raises(KeyError, match="no field 'score'"):
        store.get('score', [0])
    with pytest.raises(IndexError, match=r'out of range \[0, 4\): \[4, 4\]'):
        store.get('targets', [4])
    with pytest.raises(ValueError, match='rows of shape'):
        store.set('targets', [0, 1], torch.zeros(2, 4))
    with pytest.raises(ValueError, match='finite'):
        store.set('targets', [0], torch.tensor([[float('nan'), 0, 0]]))
    with pytest.raises(ValueError, match='invalid or taken'):
        store.add_field('weight')
    with pytest.raises(ValueError, match='invalid or taken'):
        store.add_field('given')
    with pytest.raises(ValueError, match="init='one_hot' needs rows"):
        store.add_field('x', (), init='one_hot')
    with pytest.raises(ValueError, match='outside the 2 classes'):
        small = SampleStore()
        small.add_field('t', (2, ), init='one_hot')
        small.initialize(GIVEN)


def test_state_dict_round_trip_adopts_sizes_and_refuses_other_labels():
    store = _store()
    store.initialize(GIVEN)
    store.set('weight', [2], torch.tensor([0.9]))
    fresh = _store()  # built without the training set (testing)
    fresh.load_state_dict(store.state_dict())
    assert fresh.checksum() == store.checksum()
    assert fresh.writes('weight') == 1
    other = _store()
    other.initialize(torch.tensor([0, 0, 1, 2]))
    with pytest.raises(ValueError, match='other given labels'):
        other.load_state_dict(store.state_dict())


def test_momentum_model_shares_the_store_and_does_not_average_it():
    model = torch.nn.Module()
    model.store = _store()
    model.lin = torch.nn.Linear(2, 2)
    ema = MomentumModel(model, decay=0.5)
    model.store.initialize(GIVEN)  # sized after the copy, in place
    model.store.set('weight', [0], torch.tensor([0.1]))
    assert torch.equal(ema.module.store.weight, model.store.weight)
    assert not any(k.startswith('store.') for k in ema.avg_parameters)
    with torch.no_grad():
        model.lin.weight.add_(1.0)
    ema.update_parameters(model)
    assert torch.equal(ema.module.store.targets, model.store.targets)
    # loading the trained model into the average keeps the shared rows
    ema.module.load_state_dict(model.state_dict())
    assert torch.equal(ema.module.store.weight, model.store.weight)
    assert ema.module.store.weight[0] == pytest.approx(0.1)


def _classifier():
    return SampleStoreClassifier(
        backbone=dict(type='SmallCNN', in_channels=1, channels=(32, 64)),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=3,
            in_channels=64,
            loss=dict(type='SLNLoss', sigma=0.0)))  # the SLN path


def test_classifier_trains_on_the_stored_targets_once_written():
    torch.manual_seed(0)
    model = _classifier()
    model.init_sample_state(GIVEN)
    inputs = torch.randn(2, 1, 8, 8)

    def samples():
        return [
            DataSample(metainfo=dict(sample_idx=i)).set_gt_label(int(y))
            for i, y in ((1, GIVEN[1]), (3, GIVEN[3]))
        ]

    feats = model.extract_feat(inputs)
    logp = torch.log_softmax(model.head(feats), dim=1)
    ce_given = -logp[[0, 1], GIVEN[[1, 3]]].mean()
    torch.testing.assert_close(
        model.loss(inputs, samples())['loss'],
        ce_given)  # not written yet: the given labels
    rows = torch.tensor([[0.2, 0.8, 0.0], [0.5, 0.0, 0.5]])
    model.set_targets([1, 3], rows)
    assert model.uses_stored_targets
    expected = -(rows * logp).sum(1).mean()
    torch.testing.assert_close(model.loss(inputs, samples())['loss'], expected)


def test_classifier_refuses_batch_augments_with_stored_targets():
    model = _classifier()
    model.init_sample_state(GIVEN)
    model.set_targets([0], torch.tensor([[0., 0., 1.]]))
    model.data_preprocessor.batch_augments = [object()]  # any augment
    sample = DataSample(metainfo=dict(sample_idx=0)).set_gt_label(2)
    with pytest.raises(ValueError, match='batch_augments'):
        model.loss(torch.randn(1, 1, 8, 8), [sample])
