# Runtime of the denoising configs: PSNR / SSIM summaries, safe checkpoints.
default_scope = 'mmpretrain'
custom_imports = dict(imports=['lnl_mm'], allow_failed_imports=False)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
custom_hooks = [
    dict(type='AccuracySummaryHook', metric='psnr', last_k=3,
         evaluated_on='clean test images'),
    dict(type='AccuracySummaryHook', metric='ssim', last_k=3,
         evaluated_on='clean test images', filename='summary_ssim.json'),
    dict(type='SafeCheckpointHook'),
]
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
