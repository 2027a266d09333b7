# DivideMix on CIFAR-100N "noisy" human labels (about 40 % wrong). The
# official repository has no CIFAR-N script: these choices are ours, the
# official CIFAR-100 protocol (PreAct ResNet-18, 301 epochs, warm-up 30)
# with lambda_u 25, p_threshold 0.5, the warm-up confidence penalty off
# (noisypy's config turns it on: --cfg-options model.warmup_penalty=True).
# Put
# CIFAR-100_human.pt from UCSC-REAL/cifar-10-100n into data/cifar-n/.
_base_ = ['../_base_/protocols/dividemix_cifar100.py']
model = dict(lambda_u=25.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='from_file',
            path='data/cifar-n/CIFAR-100_human.pt',
            key='noisy_label')))
train_cfg = dict(warmup_epochs=30, p_threshold=0.5)
