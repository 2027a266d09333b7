# plain cross-entropy (the baseline);
# 40 % symmetric noise. Asymmetric: --cfg-options
#   train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist model.head.loss.sigma=0.5
_base_ = ['../_base_/protocols/sln_fashionmnist.py']
