#!/usr/bin/env bash
# Robust losses on embedded digits (1,347 training / 450 test images), the
# digits protocol of configs/robust_losses (30 epochs): symmetric 0.4 / 0.8
# and asymmetric 0.4 (MNIST class map), 2 seeds; then every loss of the zoo
# at symmetric 0.4. NCE+AGCE/AUL/AEL have no digits leaf: ALFs' MNIST preset
# sets alpha = 0 for them, i.e. AGCE/AUL/AEL alone (the same runs).
# Usage: bash tools/benchmarks/digits_grid.sh [work_root]
set -euo pipefail
ROOT=${1:-work_dirs/grid_digits}
PY=${PY:-python}
C=configs/robust_losses
S=cnn4_1xb64-30e_digits-sym40.py
$PY tools/benchmarks/accuracy_grid.py \
  $C/ce_$S $C/gce_$S $C/sce_$S $C/nce-rce_$S $C/agce_$S $C/aul_$S \
  configs/gls/gls-direct_cnn4_1xb64-30e_digits-sym40.py \
  --noise sym40=type:symmetric,rate:0.4 sym80=type:symmetric,rate:0.8 \
          asym40=type:asymmetric,rate:0.4,class_map:mnist \
  --seeds 0 1 --work-root "$ROOT" --out "$ROOT/table_main.md" \
  --plot "$ROOT/plot_main.png"
ALL=""
for l in ce fl mae rce sce gce nce nfl nmae nrce ngce nce-mae nce-rce nfl-mae \
         nfl-rce ngce-mae ngce-rce agce aul ael; do
  ALL="$ALL $C/${l}_$S"
done
$PY tools/benchmarks/accuracy_grid.py $ALL \
  --noise sym40=type:symmetric,rate:0.4 --seeds 0 1 --work-root "$ROOT" \
  --out "$ROOT/table_all_sym40.md" --plot "$ROOT/plot_all_sym40.png"
