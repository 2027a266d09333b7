# CE on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise (the
# MNIST class map: 2->7, 3->8, 5<->6, 7->1; about 20 % of all labels).
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
