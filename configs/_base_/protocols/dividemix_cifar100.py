# The official CIFAR-100 protocol of DivideMix: that of dividemix_cifar10.py
# with the CIFAR-100 normalisation of dataloader_cifar.py and a warm-up of
# 30 epochs.
_base_ = ['./dividemix_cifar10.py']
dataset_type = 'CIFAR100'
data_root = 'data/cifar100'
data_preprocessor = dict(
    num_classes=100,
    mean=[0.507 * 255, 0.487 * 255, 0.441 * 255],
    std=[0.267 * 255, 0.256 * 255, 0.276 * 255])
train_dataloader = dict(
    dataset=dict(dataset=dict(type=dataset_type, data_root=data_root)))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
model = dict(head=dict(num_classes=100))
train_cfg = dict(warmup_epochs=30)
