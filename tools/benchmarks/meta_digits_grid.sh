#!/usr/bin/env bash
# Every meta-learning method on scikit-learn digits (embedded data): 100
# clean meta images (10 per class) carved out before corruption, the other
# 1,247 with 40 % symmetric or asymmetric (MNIST class map) noise, 30
# epochs, 3 seeds of noise and initialisation (the meta split is fixed).
# The oracle row is the upper bound that reads clean labels.
# Usage: bash tools/benchmarks/meta_digits_grid.sh [work_root] [sym|asym]
set -euo pipefail
ROOT=${1:-work_dirs/grid_meta_digits}
ONLY=${2:-}
PY=${PY:-python}
C=configs/meta
S=smallcnn_1xb64-30e_digits-sym40
for n in sym asym; do
  [[ -n $ONLY && $ONLY != "$n" ]] && continue
  if [[ $n == sym ]]; then NOISE=sym40=type:symmetric,rate:0.4
  else NOISE=asym40=type:asymmetric,rate:0.4,class_map:mnist; fi
  $PY tools/benchmarks/accuracy_grid.py \
    $C/ce_$S.py $C/l2rw-clamp_$S.py $C/l2rw-sigmoid_$S.py \
    $C/refurb-hard_$S.py $C/refurb-soft_$S.py $C/proposal_$S.py \
    $C/mwnet_$S.py $C/proposal-oracle_$S.py \
    --noise "$NOISE" --seeds 0 1 2 --work-root "$ROOT" \
    --out "$ROOT/$n.md" --cfg-options custom_hooks.TrainingDynamicsHook.save_per_sample=False
done
