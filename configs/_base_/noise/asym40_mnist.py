# Asymmetric noise, 40 %, the MNIST class map (2->7, 3->8, 5<->6, 7->1),
# drawn per sample as ALFs / APL do (each source-class label flips with
# probability 0.4).
# Apply to any leaf: python tools/train.py CONFIG --noise asym40_mnist
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            type='asymmetric', rate=0.4, class_map='mnist', exact=False)))
