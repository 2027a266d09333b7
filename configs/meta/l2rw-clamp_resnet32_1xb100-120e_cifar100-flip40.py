# L2RW (clamp weights), MW-Net's "flip" noise: every class moves to one
# random other class with probability 0.4 (num_targets=2 gives "flip2");
# 1,000-image clean meta set.
_base_ = ['../_base_/protocols/meta_cifar100.py']
model = dict(type='L2RWClassifier', weighting='clamp')
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='random_flip', rate=0.4, num_targets=1)))
