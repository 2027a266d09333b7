# Forward loss correction on the Fashion-MNIST benchmark protocol, 40 %
# asymmetric noise (the MNIST class map), T estimated after 3 CE warm-up
# epochs (see the sym80 config).
_base_ = ['./forward-correction_cnn4_1xb128-30e_fashionmnist-sym80.py']
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
