# Denoising on scikit-image's photos under a CPU budget: a DnCNN of depth 7
# and 32 channels, batch 64, Adam + cosine, 6 epochs, evaluated every 2.
_base_ = [
    '../models/dncnn_denoiser.py', '../datasets/skimage_photos_denoise.py',
    '../schedules/adam_cosine_iter.py', '../denoising_runtime.py'
]
model = dict(backbone=dict(depth=7, channels=32))
train_cfg = dict(max_epochs=6, val_interval=2)
default_hooks = dict(logger=dict(interval=10))
