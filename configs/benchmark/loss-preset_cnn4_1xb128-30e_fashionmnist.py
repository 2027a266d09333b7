# A robust loss on the Fashion-MNIST benchmark protocol
# (configs/_base_/protocols/fashionmnist_bench.py) with a LossPreset of
# MNIST hyper-parameters. The benchmark grid sets the loss
# (model.head.loss.loss=GCE, ...), the preset's source (each loss its own
# paper's: 'apl_code' for the APL and SCE papers' losses, 'alfs_code' for
# the others, unless a selection on held-out noisy labels picked the other
# code's: HELDOUT_PICKS in tools/benchmarks/benchmark_methods.py) and, for
# asymmetric noise, model.head.loss.noise=asym; the noise with --noise. Run
# as it is, it trains NCE+RCE with the ALFs code's values.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='LossPreset',
            loss='NCE+RCE',
            dataset='mnist',
            source='alfs_code')))
