#!/usr/bin/env bash
# CE, L2RW and Dynamic Loss on noisy and imbalanced data: digits (embedded;
# 3 seeds) and Fashion-MNIST (Debian's dataset-fashion-mnist; the first
# 20,000 training images, 10 epochs, 1 seed, under the CPU budget):
# imbalance rho = 0.1 first, then r = 0.2 or 0.4 of the labels resampled
# from the long-tailed prior. L2RW uses the clean balanced images set aside
# before imbalance and noise (100 on digits, 1,000 on Fashion-MNIST);
# Dynamic Loss uses no clean data. Test sets are the balanced clean ones.
# Usage: bash tools/benchmarks/dynamic_loss_grid.sh [work_root] [digits|fashionmnist]
set -euo pipefail
ROOT=${1:-work_dirs/grid_dynamic_loss}
ONLY=${2:-}
PY=${PY:-python}
C=configs/metadynamic
NOISE=(cor0.2=type:prior_resample,rate:0.2 cor0.4=type:prior_resample,rate:0.4)
if [[ -z $ONLY || $ONLY == digits ]]; then
  S=smallcnn_1xb64-30e_digits-cor40-imb0.1
  $PY tools/benchmarks/accuracy_grid.py $C/ce_$S.py $C/l2rw-clamp_$S.py \
    $C/metadynamic_$S.py --noise "${NOISE[@]}" --seeds 0 1 2 \
    --work-root "$ROOT/digits" --out "$ROOT/digits.md" \
    --cfg-options custom_hooks.TrainingDynamicsHook.save_per_sample=False
fi
if [[ -z $ONLY || $ONLY == fashionmnist ]]; then
  S=cnn4_1xb128-20e_fashionmnist-cor40-imb0.1
  I=dataset.dataset.indices=20000
  BUDGET=(train_dataloader.dataset.dataset.$I train_cfg.max_epochs=10
    train_dataloader.num_workers=0 val_dataloader.num_workers=0
    train_dataloader.persistent_workers=False
    val_dataloader.persistent_workers=False custom_hooks.TrainingDynamicsHook.interval=5)
  run() {  # run NAME CONFIG [OPTIONS...]
    local name=$1 cfg=$2; shift 2
    $PY tools/benchmarks/accuracy_grid.py "$cfg" --noise "${NOISE[@]}" \
      --seeds 0 --work-root "$ROOT/fashionmnist/$name" \
      --out "$ROOT/fashionmnist-$name.md" \
      --cfg-options "${BUDGET[@]}" "$@"
  }
  SCHED=(param_scheduler.1.end=10 param_scheduler.1.T_max=8)
  run ce $C/ce_$S.py "${SCHED[@]}"
  run l2rw-clamp $C/l2rw-clamp_$S.py "${SCHED[@]}" \
    train_cfg.meta_dataloader.$I
  run metadynamic $C/metadynamic_$S.py param_scheduler.model.1.end=10 \
    param_scheduler.model.1.T_max=8
fi
