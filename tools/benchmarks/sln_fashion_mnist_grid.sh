#!/usr/bin/env bash
# CE / SLN / SLN-MO / SLN-MO-LC on Fashion-MNIST (Debian's
# dataset-fashion-mnist) under a CPU budget: the first 10,000 training
# images, 15 epochs at the configs' constant lr 0.01, label correction from
# epoch 12 (the official 250 / 300 ratio), momentum-model decay 0.99 (1,185
# steps in all: 0.999 would leave 30 % of the initial weights in the
# average); the full 10,000-image clean test set; 40 % symmetric noise
# (sigma 1.0) and 40 % asymmetric noise with the MNIST class map
# (sigma 0.5, the official CIFAR-10 value for asymmetric noise); 2 seeds.
# The full protocol is the leaf configs as they are (60,000 images,
# 20 epochs, decay 0.999).
# Usage: bash tools/benchmarks/sln_fashion_mnist_grid.sh [work_root] [sym|asym]
set -euo pipefail
ROOT=${1:-work_dirs/grid_sln_fashionmnist}
ONLY=${2:-}
PY=${PY:-python}
C=configs/sln
SYM=sym40=type:symmetric,rate:0.4
ASYM=asym40=type:asymmetric,rate:0.4,class_map:mnist
BUDGET=(train_dataloader.dataset.dataset.indices=10000 train_cfg.max_epochs=15
  train_dataloader.num_workers=0 val_dataloader.num_workers=0
  train_dataloader.persistent_workers=False
  val_dataloader.persistent_workers=False custom_hooks.TrainingDynamicsHook.interval=5)

grid() {  # grid NAME NOISE CONFIG... -- OPTIONS...
  local name=$1 noise=$2; shift 2
  local cfgs=()
  while [[ $1 != -- ]]; do cfgs+=("$1"); shift; done; shift
  $PY tools/benchmarks/accuracy_grid.py "${cfgs[@]}" --noise "$noise" \
    --seeds 0 1 --work-root "$ROOT" --out "$ROOT/$name.md" \
    --cfg-options "${BUDGET[@]}" "$@"
}

for n in sym asym; do
  [[ -n $ONLY && $ONLY != "$n" ]] && continue
  if [[ $n == sym ]]; then NOISE=$SYM; SIGMA=1.0; else NOISE=$ASYM; SIGMA=0.5; fi
  grid ce-$n "$NOISE" $C/ce_cnn4_1xb128-20e_fashionmnist-sym40.py --
  grid sln-$n "$NOISE" $C/sln_cnn4_1xb128-20e_fashionmnist-sym40.py -- \
    model.head.loss.sigma=$SIGMA
  grid mo-$n "$NOISE" $C/sln-mo_cnn4_1xb128-20e_fashionmnist-sym40.py -- \
    model.head.loss.sigma=$SIGMA custom_hooks.MomentumModelHook.decay=0.99
  grid lc-$n "$NOISE" $C/sln-mo-lc_cnn4_1xb128-20e_fashionmnist-sym40.py -- \
    model.head.loss.sigma=$SIGMA custom_hooks.MomentumModelHook.decay=0.99 \
    custom_hooks.SLNLabelCorrectionHook.correction_epoch=12
done
