#!/usr/bin/env bash
# CE / SLN / SLN-MO / SLN-MO-LC on scikit-learn digits (embedded), 40 %
# symmetric and 40 % asymmetric noise (MNIST class map, sigma 0.5), the
# leaf configs as they are (40 epochs, constant lr 0.02, LC from epoch 33),
# 3 seeds.
# Usage: bash tools/benchmarks/sln_digits_grid.sh [work_root]
set -euo pipefail
ROOT=${1:-work_dirs/grid_sln_digits}
PY=${PY:-python}
C=configs/sln
SEEDS=(0 1 2)
SYM=sym40=type:symmetric,rate:0.4
ASYM=asym40=type:asymmetric,rate:0.4,class_map:mnist
for m in ce sln sln-mo sln-mo-lc; do
  cfg=$C/${m}_smallcnn_1xb64-40e_digits-sym40.py
  $PY tools/benchmarks/accuracy_grid.py $cfg --noise $SYM --seeds "${SEEDS[@]}" \
    --work-root "$ROOT" --out "$ROOT/$m-sym.md"
  extra=()
  [[ $m != ce ]] && extra=(--cfg-options model.head.loss.sigma=0.5)
  $PY tools/benchmarks/accuracy_grid.py $cfg --noise $ASYM --seeds "${SEEDS[@]}" \
    --work-root "$ROOT" --out "$ROOT/$m-asym.md" "${extra[@]}"
done
