# ALFs denoising: Adam lr 1e-3, weight decay 1e-4, cosine annealing to 0
# stepped every iteration; the leaf sets the epochs (T_max follows).
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=True, convert_to_iter_based=True,
    eta_min=0.0)
train_cfg = dict(by_epoch=True, max_epochs=120, val_interval=10)
val_cfg = dict()
test_cfg = dict()
