# Copyright (c) lnl_mm contributors. All rights reserved.
"""Small edits of dataset configs shared by the analysis and sweep tools."""
import copy


def innermost_dataset(dataset_cfg: dict) -> dict:
    """The innermost dataset config below any wrappers (``.dataset``)."""
    while 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg


def use_test_pipeline(dataset_cfg: dict, cfg) -> None:
    """Give ``dataset_cfg``'s innermost dataset a copy of the test pipeline
    of ``cfg`` (no augmentation), in place."""
    innermost_dataset(dataset_cfg)['pipeline'] = copy.deepcopy(
        innermost_dataset(cfg.test_dataloader.dataset)['pipeline'])
