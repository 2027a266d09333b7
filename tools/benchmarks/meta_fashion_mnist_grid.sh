#!/usr/bin/env bash
# CE, L2RW (clamp, sigmoid, and clamp with the head-only approximation),
# refurbishment (hard, soft) and Meta-Weight-Net on Fashion-MNIST (Debian's
# dataset-fashion-mnist) under a CPU budget: the first 10,000 training
# images, of which 1,000 (100 per class) are the clean meta set carved out
# before corruption and 9,000 are noisy; 10 epochs (cosine from lr 0.05);
# refurbishment after 1 epoch (71 steps) of CE;
# 40 % symmetric and 40 % asymmetric (MNIST class map) noise; 1 seed; the
# full 10,000-image clean test set. The full protocol is the leaf configs as
# they are (60,000 images, 20 epochs).
# Usage: bash tools/benchmarks/meta_fashion_mnist_grid.sh [work_root] [sym|asym]
set -euo pipefail
ROOT=${1:-work_dirs/grid_meta_fashionmnist}
ONLY=${2:-}
PY=${PY:-python}
C=configs/meta
S=cnn4_1xb128-20e_fashionmnist-sym40
BUDGET=(train_dataloader.dataset.dataset.dataset.indices=10000
  train_cfg.max_epochs=10
  train_dataloader.num_workers=0 val_dataloader.num_workers=0
  train_dataloader.persistent_workers=False
  val_dataloader.persistent_workers=False custom_hooks.TrainingDynamicsHook.interval=5)
for n in sym asym; do
  [[ -n $ONLY && $ONLY != "$n" ]] && continue
  if [[ $n == sym ]]; then NOISE=sym40=type:symmetric,rate:0.4
  else NOISE=asym40=type:asymmetric,rate:0.4,class_map:mnist; fi
  run() {  # run NAME CONFIG [OPTIONS...]
    local name=$1 cfg=$2; shift 2
    $PY tools/benchmarks/accuracy_grid.py "$cfg" --noise "$NOISE" \
      --seeds 0 --work-root "$ROOT/$name" --out "$ROOT/$name-$n.md" \
      --cfg-options "${BUDGET[@]}" "$@"
  }
  M=train_cfg.meta_dataloader.dataset.dataset.indices=10000  # same images
  T=param_scheduler.T_max=10
  run ce $C/ce_$S.py $T
  run l2rw-clamp $C/l2rw-clamp_$S.py $M $T
  run l2rw-sigmoid $C/l2rw-sigmoid_$S.py $M $T
  run l2rw-head $C/l2rw-clamp_$S.py $M $T model.meta_params=head
  run refurb-hard $C/refurb-hard_$S.py $M $T model.warmup_iters=71
  run refurb-soft $C/refurb-soft_$S.py $M $T model.warmup_iters=71
  run mwnet $C/mwnet_$S.py $M param_scheduler.model.0.T_max=10
done
