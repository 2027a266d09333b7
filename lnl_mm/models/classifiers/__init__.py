# Copyright (c) lnl_mm contributors. All rights reserved.
from .base_meta_classifier import BaseMetaClassifier
from .co_teaching_classifier import CoTeachingClassifier
from .co_teaching_plus_classifier import CoTeachingPlusClassifier
from .divide_mix_classifier import DivideMixClassifier
from .dynamic_loss_classifier import DynamicLossClassifier
from .elr_classifier import ELRClassifier
from .elr_plus_classifier import ELRPlusClassifier
from .jocor_classifier import JoCoRClassifier
from .l2rw_classifier import L2RWClassifier
from .l2rw_upper_bound_classifier import L2RWUpperBoundClassifier
from .meta_proposal_classifier import MetaProposalClassifier
from .meta_refurbish_classifier import MetaRefurbishClassifier
from .meta_weight_net_classifier import MetaWeightNetClassifier
from .sample_store_classifier import SampleStoreClassifier
from .sop_classifier import SOPClassifier
from .two_network_classifier import TwoNetworkClassifier

__all__ = [
    'BaseMetaClassifier', 'CoTeachingClassifier', 'CoTeachingPlusClassifier',
    'DivideMixClassifier', 'DynamicLossClassifier', 'ELRClassifier',
    'ELRPlusClassifier', 'SOPClassifier', 'JoCoRClassifier', 'L2RWClassifier',
    'L2RWUpperBoundClassifier', 'MetaRefurbishClassifier',
    'MetaProposalClassifier', 'MetaWeightNetClassifier',
    'SampleStoreClassifier', 'TwoNetworkClassifier'
]
