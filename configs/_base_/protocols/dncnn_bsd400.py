# ALFs denoising protocol: DnCNN-17 on BSD400 patches (batch 128), Adam,
# cosine per iteration, 120 epochs; evaluated on BSD68 (PSNR / SSIM).
_base_ = [
    '../models/dncnn_denoiser.py', '../datasets/bsd400_denoise.py',
    '../schedules/adam_cosine_iter.py', '../denoising_runtime.py'
]
