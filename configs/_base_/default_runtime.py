# Runtime shared by every lnl_mm config.
default_scope = 'mmpretrain'
custom_imports = dict(imports=['lnl_mm'], allow_failed_imports=False)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Model selection on test labels is never the default
    # (docs/design.md, decision 7): keep the last checkpoints only.
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False),
)

# Noise manifest + num_classes check, clean-test summary, memorisation curve.
custom_hooks = [
    dict(type='NoiseManifestHook'),
    dict(type='AccuracySummaryHook', metric='accuracy/top1', last_k=5),
    dict(type='TrainingDynamicsHook', interval=1),
    # Checkpoints load with torch.load(weights_only=True)
    # (docs/design.md, decision 4).
    dict(type='SafeCheckpointHook'),
]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
