# ALFs denoising protocol: DnCNN-17 on BSD400 patches (batch 128), Adam,
# cosine per iteration, 120 epochs; evaluated on BSD68 and Set12 (PSNR /
# SSIM of each set, as the official evaluation reports them).
_base_ = [
    '../models/dncnn_denoiser.py', '../datasets/bsd400_denoise.py',
    '../schedules/adam_cosine_iter.py', '../denoising_runtime.py'
]
custom_hooks = [
    dict(type='AccuracySummaryHook', metric='psnr/Set68', last_k=3,
         evaluated_on='clean test images'),
    dict(type='AccuracySummaryHook', metric='ssim/Set68', last_k=3,
         evaluated_on='clean test images', filename='summary_ssim.json'),
    dict(type='AccuracySummaryHook', metric='psnr/Set12', last_k=3,
         evaluated_on='clean test images', filename='summary_set12.json'),
    dict(type='AccuracySummaryHook', metric='ssim/Set12', last_k=3,
         evaluated_on='clean test images', filename='summary_ssim_set12.json'),
    dict(type='SafeCheckpointHook'),
]
