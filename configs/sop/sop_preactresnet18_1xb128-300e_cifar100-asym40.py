# SOP on CIFAR-100, 40 % asymmetric noise: shengliu66/SOP README "python
# train.py -c config_cifar100.json --lr_u 0.1 --lr_v 100 --percent 0.4
# --name CIFAR100 --asym True" (lr_u 0.1 rather than the paper's 1, as the
# README says), without SOP+'s terms; the rest as the sym50 leaf.
# data_loader/cifar100.py asymmetric_noise() with ITS build_for_cifar100
# ("random flip between two random classes"): in every block of five
# consecutive classes two classes drawn at random swap labels, each sample
# of them with probability 0.4 (multiclass_noisify, per sample); the other
# three classes stay clean, so the realised rate is 0.16 overall. The
# official pairs come from the unseeded np.random, a new draw every run; the
# ones below were drawn once, np.random.default_rng(0).choice(5, 2,
# replace=False) per block. (ELR's and ALFs' CIFAR-100 noise, i -> i + 1
# in every block, is --noise asym40_cifar100.)
_base_ = ['./sop_preactresnet18_1xb128-300e_cifar100-sym50.py']
optim_wrapper = dict(sop=dict(lr_u=0.1, lr_v=100))
_sop_pairs = [(3, 4), (9, 6), (14, 10), (18, 19), (22, 23), (27, 28), (34, 32),
              (39, 38), (41, 44), (45, 48), (50, 53), (58, 55), (61, 60),
              (67, 66), (74, 70), (77, 79), (81, 83), (86, 87), (94, 93),
              (97, 99)]
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map=dict(_sop_pairs + [(b, a) for a, b in _sop_pairs]),
            exact=False)))
