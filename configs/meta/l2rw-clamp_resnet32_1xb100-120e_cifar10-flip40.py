# As the unif40 leaf with MW-Net's "flip" noise: every class moves to one
# random other class with probability 0.4 (num_targets=2 gives "flip2").
_base_ = ['./l2rw-clamp_resnet32_1xb100-120e_cifar10-unif40.py']
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='random_flip', rate=0.4, num_targets=1)))
