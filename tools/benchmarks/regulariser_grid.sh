#!/usr/bin/env bash
# The per-sample regularisers (ELR, SOP) and loss correction (forward and
# backward, T estimated by the anchor points; forward with the oracle T as a
# reference) against CE on the Fashion-MNIST benchmark protocol (20,000 training images, 30 epochs, the full clean test
# set) at 80 % symmetric and 40 % asymmetric noise, 2 seeds (the noise seed
# is the training seed), and on digits at 80 % symmetric noise. Resumable: a
# finished run is read back, an interrupted one resumes. The default work
# root is the two-network grid's, so the CE runs are shared with it.
# Usage: bash tools/benchmarks/regulariser_grid.sh [work_root]
#          [sym80|asym40|all] [fashionmnist|digits|all]
set -euo pipefail
ROOT=${1:-work_dirs/grid_two_network}
ONLY=${2:-all}
GROUP=${3:-all}
PY=${PY:-python}
OPTS=(custom_hooks.TrainingDynamicsHook.save_per_sample=False)
if [[ $GROUP == all || $GROUP == digits ]]; then
  $PY tools/benchmarks/accuracy_grid.py \
    configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py \
    configs/elr/elr_cnn4_1xb64-30e_digits-sym80.py \
    configs/sop/sop_cnn4_1xb64-30e_digits-sym80.py \
    configs/loss_correction/forward-correction_cnn4_1xb64-30e_digits-sym80.py \
    configs/loss_correction/backward-correction_cnn4_1xb64-30e_digits-sym80.py \
    configs/loss_correction/forward-correction-oracle_cnn4_1xb64-30e_digits-sym80.py \
    --noise sym80=type:symmetric,rate:0.8 --seeds 0 1 \
    --work-root "$ROOT/digits" --out "$ROOT/digits_sym80_regularisers.md" \
    --cfg-options "${OPTS[@]}"
fi
if [[ $GROUP == digits ]]; then exit 0; fi
for NOISE in sym80 asym40; do
  if [[ $ONLY != all && $ONLY != "$NOISE" ]]; then continue; fi
  if [[ $NOISE == sym80 ]]; then SPEC=type:symmetric,rate:0.8
  else SPEC=type:asymmetric,rate:0.4,class_map:mnist,exact:False; fi
  S=1xb128-30e_fashionmnist-$NOISE
  $PY tools/benchmarks/accuracy_grid.py \
    configs/noisy_baseline/ce_cnn4_$S.py configs/elr/elr_cnn4_$S.py \
    configs/sop/sop_cnn4_$S.py \
    configs/loss_correction/forward-correction_cnn4_$S.py \
    configs/loss_correction/backward-correction_cnn4_$S.py \
    configs/loss_correction/forward-correction-oracle_cnn4_$S.py \
    --noise "$NOISE=$SPEC" --seeds 0 1 \
    --work-root "$ROOT" --out "$ROOT/${NOISE}_regularisers.md" \
    --cfg-options "${OPTS[@]}"
done
