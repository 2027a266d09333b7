# DivideMix on CIFAR-10N "worst" human labels (about 40 % wrong). The
# official repository has no CIFAR-N script: these choices are ours, the
# official CIFAR-10 protocol (PreAct ResNet-18, 301 epochs, warm-up 10)
# with lambda_u 25, p_threshold 0.5, no warm-up confidence penalty (on:
# --cfg-options model.warmup_penalty=True). Put CIFAR-10_human.pt from
# UCSC-REAL/cifar-10-100n into data/cifar-n/; other label sets:
# --cfg-options train_dataloader.dataset.noise.key=aggre_label
_base_ = ['../_base_/protocols/dividemix_cifar10.py']
model = dict(lambda_u=25.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='from_file',
            path='data/cifar-n/CIFAR-10_human.pt',
            key='worse_label')))
train_cfg = dict(warmup_epochs=10, p_threshold=0.5)
