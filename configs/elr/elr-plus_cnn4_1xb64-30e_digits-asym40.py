# ELR+ on scikit-learn digits, 40 % asymmetric noise (MNIST class map): the
# official CIFAR-10 asymmetric setting beta 0.9, lambda 1 (shengliu66/ELR
# ELR_plus/config_cifar10_asym.json), otherwise as the sym80 leaf.
_base_ = ['./elr-plus_cnn4_1xb64-30e_digits-sym80.py']
model = dict(beta=0.9, lambda_elr=1.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
