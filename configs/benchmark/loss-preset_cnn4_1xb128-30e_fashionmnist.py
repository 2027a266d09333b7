# A robust loss on the Fashion-MNIST benchmark protocol
# (configs/_base_/protocols/fashionmnist_bench.py), with the MNIST
# hyper-parameters of the ALFs code (LossPreset source 'alfs_code'). The
# benchmark grid sets the loss (model.head.loss.loss=GCE, ...) and, for
# asymmetric noise, model.head.loss.noise=asym; the noise with --noise.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='LossPreset',
            loss='NCE+RCE',
            dataset='mnist',
            source='alfs_code')))
