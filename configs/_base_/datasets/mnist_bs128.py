# MNIST from the IDX files in data/mnist (train-images-idx3-ubyte[.gz], ...).
_base_ = ['./fashion_mnist_bs128.py']
dataset_type = 'IDXMNIST'
data_root = 'data/mnist'
# normalisation of APL / ALFs: (0.1307, 0.3081) on the [0, 1] scale
data_preprocessor = dict(mean=[33.32], std=[78.57])
# no augmentation in the MNIST protocol
train_pipeline = [dict(type='PackNoisyInputs')]
train_dataloader = dict(
    dataset=dict(
        dataset=dict(type=dataset_type, data_root=data_root,
                     pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
