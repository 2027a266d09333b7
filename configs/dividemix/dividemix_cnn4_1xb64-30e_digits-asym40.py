# DivideMix on scikit-learn digits, 40 % asymmetric noise (MNIST class map):
# the official asymmetric setting, lambda_u 0 and the confidence penalty in
# the warm-up.
_base_ = ['../_base_/protocols/dividemix_digits.py']
model = dict(lambda_u=0.0, warmup_penalty=True)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
