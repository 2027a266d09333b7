#!/usr/bin/env bash
# CE, Co-teaching, Co-teaching+, JoCoR, DivideMix and ELR+ on the Fashion-MNIST
# benchmark protocol (Debian's dataset-fashion-mnist: 20,000 training
# images, 30 epochs, the full clean test set) at 80 % symmetric and 40 %
# asymmetric noise, 2 seeds (the noise seed is the training seed). Resumable:
# a finished run is read back, an interrupted one resumes. The single-step
# methods and DivideMix with ELR+ (the long runs) are two groups, so that they can run
# side by side, one per core; CE on clean labels (the reference row) runs
# with the first.
# Usage: bash tools/benchmarks/two_network_grid.sh [work_root]
#          [sym80|asym40|all] [selection|dividemix|digits|all]
# ("digits": the six methods on scikit-learn digits at 80 % symmetric and
# 40 % asymmetric noise, 2 seeds, a few minutes each.)
set -euo pipefail
ROOT=${1:-work_dirs/grid_two_network}
ONLY=${2:-all}
GROUP=${3:-all}
PY=${PY:-python}
OPTS=(custom_hooks.TrainingDynamicsHook.save_per_sample=False)
CLEAN=clean=type:symmetric,rate:0.0  # the reference row: CE, clean labels
if [[ $GROUP == all || $GROUP == digits ]]; then
  $PY tools/benchmarks/accuracy_grid.py \
    configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py \
    --noise "$CLEAN" --seeds 0 1 --work-root "$ROOT/digits" \
    --out "$ROOT/digits_clean.md" --cfg-options "${OPTS[@]}"
  for NOISE in sym80 asym40; do
    if [[ $ONLY != all && $ONLY != "$NOISE" ]]; then continue; fi
    if [[ $NOISE == sym80 ]]; then SPEC=type:symmetric,rate:0.8
    else SPEC=type:asymmetric,rate:0.4,class_map:mnist,exact:False; fi
    S=cnn4_1xb64-30e_digits-$NOISE
    $PY tools/benchmarks/accuracy_grid.py \
      configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py \
      configs/coteaching/coteaching_$S.py \
      configs/coteaching_plus/coteaching-plus_$S.py \
      configs/jocor/jocor_$S.py configs/dividemix/dividemix_$S.py \
      configs/elr/elr-plus_$S.py \
      --noise "$NOISE=$SPEC" --seeds 0 1 \
      --work-root "$ROOT/digits" --out "$ROOT/digits_$NOISE.md" \
      --cfg-options "${OPTS[@]}"
  done
  if [[ $GROUP == digits ]]; then exit 0; fi
fi
if [[ $GROUP == all || $GROUP == selection ]]; then
  $PY tools/benchmarks/accuracy_grid.py \
    configs/noisy_baseline/ce_cnn4_1xb128-30e_fashionmnist-sym80.py \
    --noise "$CLEAN" --seeds 0 1 --work-root "$ROOT" \
    --out "$ROOT/clean.md" --cfg-options "${OPTS[@]}"
fi
for NOISE in sym80 asym40; do
  if [[ $ONLY != all && $ONLY != "$NOISE" ]]; then continue; fi
  if [[ $NOISE == sym80 ]]; then SPEC=type:symmetric,rate:0.8
  else SPEC=type:asymmetric,rate:0.4,class_map:mnist,exact:False; fi
  S=1xb128-30e_fashionmnist-$NOISE
  if [[ $GROUP == all || $GROUP == selection ]]; then
    $PY tools/benchmarks/accuracy_grid.py \
      configs/noisy_baseline/ce_cnn4_$S.py \
      configs/coteaching/coteaching_cnn4_$S.py \
      configs/coteaching_plus/coteaching-plus_cnn4_$S.py \
      configs/jocor/jocor_cnn4_$S.py \
      --noise "$NOISE=$SPEC" --seeds 0 1 \
      --work-root "$ROOT" --out "$ROOT/$NOISE.md" --cfg-options "${OPTS[@]}"
  fi
  if [[ $GROUP == all || $GROUP == dividemix ]]; then
    $PY tools/benchmarks/accuracy_grid.py \
      configs/dividemix/dividemix_cnn4_$S.py configs/elr/elr-plus_cnn4_$S.py \
      --noise "$NOISE=$SPEC" --seeds 0 1 \
      --work-root "$ROOT" --out "$ROOT/${NOISE}_dividemix.md" \
      --cfg-options "${OPTS[@]}"
  fi
done
