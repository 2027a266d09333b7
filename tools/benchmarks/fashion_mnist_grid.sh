#!/usr/bin/env bash
# Robust losses on Fashion-MNIST (Debian's dataset-fashion-mnist) under a CPU
# budget: the first 10,000 training images, 8 epochs (cosine over 8), the full
# 10,000-image clean test set; symmetric 0.4 / 0.8 and asymmetric 0.4
# (Fashion-MNIST has no standard class map: the MNIST map 7→1, 2→7, 5→6,
# 6→5, 3→8 is used), 2 seeds. The full protocol is the leaf configs as they
# are (60,000 images, 20 epochs).
# Usage: bash tools/benchmarks/fashion_mnist_grid.sh [work_root]
set -euo pipefail
ROOT=${1:-work_dirs/grid_fashionmnist}
PY=${PY:-python}
C=configs/robust_losses
$PY tools/benchmarks/accuracy_grid.py \
  $C/ce_cnn4_1xb128-20e_fashionmnist-sym40.py \
  $C/gce_cnn4_1xb128-20e_fashionmnist-sym40.py \
  $C/sce_cnn4_1xb128-20e_fashionmnist-sym40.py \
  $C/nce-rce_cnn4_1xb128-20e_fashionmnist-sym40.py \
  $C/agce_cnn4_1xb128-20e_fashionmnist-sym40.py \
  $C/aul_cnn4_1xb128-20e_fashionmnist-sym40.py \
  configs/gls/gls-direct_cnn4_1xb128-20e_fashionmnist-sym40.py \
  --noise sym40=type:symmetric,rate:0.4 sym80=type:symmetric,rate:0.8 \
          asym40=type:asymmetric,rate:0.4,class_map:mnist \
  --seeds 0 1 --work-root "$ROOT" --out "$ROOT/table.md" \
  --plot "$ROOT/plot.png" \
  --cfg-options train_dataloader.dataset.dataset.indices=10000 \
    train_cfg.max_epochs=8 param_scheduler.T_max=8 \
    train_dataloader.num_workers=0 val_dataloader.num_workers=0 \
    train_dataloader.persistent_workers=False \
    val_dataloader.persistent_workers=False custom_hooks.TrainingDynamicsHook.interval=4
