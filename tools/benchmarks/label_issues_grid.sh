#!/usr/bin/env bash
# Finding the wrong labels on the Fashion-MNIST benchmark protocol (20,000
# training images, 30 epochs, the full clean test set) at 40 % symmetric
# and 40 % asymmetric noise (the MNIST class map), one seed, and the
# accuracy of CE retrained on the fixed labels:
#   - CE on the noisy labels, with its per-epoch records (TrainingDynamicsHook);
#   - AUM from those records, over all 30 epochs and over the first 15
#     (--aum-epochs 15, the first half of the run; docs/label_issues.md);
#   - confident learning (cleanlab) on 3-fold out-of-sample probabilities,
#     each fold a 10-epoch CE (cosine over 10 epochs) on 2/3 of the set;
#   - CE retrained on each --write-labels file (from_file).
# Each step's outputs are in WORK_ROOT/<noise>/{ce,aum30,aum,kfold,cleanlab,
# retrain_aum,retrain_cleanlab}; a finished step is skipped on a rerun, an
# interrupted training resumes. About 2 hours per noise setting on one core.
# Usage: bash tools/benchmarks/label_issues_grid.sh [work_root]
#          [sym40|asym40|all] [seed]
set -euo pipefail
ROOT=${1:-work_dirs/detect_fashion}
ONLY=${2:-all}
SEED=${3:-0}
PY=${PY:-python}
C=configs/noisy_baseline/ce_cnn4_1xb128-30e_fashionmnist-sym80.py
SEEDS=(randomness.seed=$SEED train_dataloader.dataset.seed=$SEED)
NOREC=custom_hooks.TrainingDynamicsHook.save_per_sample=False
N=train_dataloader.dataset.noise

train() {  # work_dir, cfg-options...: a finished run is kept, else resumed
  local wd=$1
  shift
  if [[ -f $wd/grid_done.json ]]; then return; fi
  local resume=()
  if [[ -f $wd/last_checkpoint ]]; then resume=(--resume); fi
  mkdir -p "$wd"
  $PY tools/train.py $C --work-dir "$wd" "${resume[@]}" --cfg-options \
    "${SEEDS[@]}" "$@" >> "$wd.log" 2>&1
  touch "$wd/grid_done.json"
}

for NOISE in sym40 asym40; do
  if [[ $ONLY != all && $ONLY != "$NOISE" ]]; then continue; fi
  if [[ $NOISE == sym40 ]]; then NO=($N.rate=0.4)
  else
    NO=($N.type=asymmetric $N.rate=0.4 $N.class_map=mnist $N.exact=False)
  fi
  D=$ROOT/$NOISE
  mkdir -p "$D"
  train "$D/ce" "${NO[@]}"
  $PY tools/analysis_tools/find_label_issues.py "$D/ce" --method aum \
    --out-dir "$D/aum30" --write-labels "$D/aum30/fixed.npy"
  $PY tools/analysis_tools/find_label_issues.py "$D/ce" --method aum \
    --aum-epochs 15 --out-dir "$D/aum" --write-labels "$D/aum/fixed.npy"
  $PY tools/analysis_tools/kfold_predict.py $C --folds 3 --seed "$SEED" \
    --work-dir "$D/kfold" --cfg-options "${SEEDS[@]}" "${NO[@]}" \
    train_cfg.max_epochs=10 param_scheduler.T_max=10 $NOREC
  $PY tools/analysis_tools/find_label_issues.py "$D/kfold" \
    --method cleanlab --out-dir "$D/cleanlab" \
    --write-labels "$D/cleanlab/fixed.npy"
  for M in aum cleanlab; do
    train "$D/retrain_$M" $N.type=from_file $N.rate=None \
      $N.path="$D/$M/fixed.npy" $NOREC
  done
done
$PY tools/benchmarks/label_issues_table.py "$ROOT" --out "$ROOT/table.md"
