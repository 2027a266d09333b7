# Copyright (c) lnl_mm contributors. All rights reserved.
from .base_meta_classifier import BaseMetaClassifier
from .dynamic_loss_classifier import DynamicLossClassifier
from .l2rw_classifier import L2RWClassifier
from .l2rw_upper_bound_classifier import L2RWUpperBoundClassifier
from .meta_proposal_classifier import MetaProposalClassifier
from .meta_refurbish_classifier import MetaRefurbishClassifier
from .meta_weight_net_classifier import MetaWeightNetClassifier
from .sample_store_classifier import SampleStoreClassifier

__all__ = [
    'BaseMetaClassifier', 'DynamicLossClassifier', 'L2RWClassifier',
    'L2RWUpperBoundClassifier', 'MetaRefurbishClassifier',
    'MetaProposalClassifier', 'MetaWeightNetClassifier',
    'SampleStoreClassifier'
]
