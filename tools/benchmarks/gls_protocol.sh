#!/usr/bin/env bash
# GLS on embedded digits (40 % symmetric noise), 2 seeds:
#   CE warm-up, then GLS from the warm-up's last checkpoint for r in
#   {0.4, 0, -0.4, -2}; and GLS trained directly for the same rates.
# Prints one line per run (last / mean-of-last-5 / best on clean test labels).
# Finished runs (with a summary.json) are reused.
# Usage: bash tools/benchmarks/gls_protocol.sh [work_root]
set -euo pipefail
ROOT=${1:-work_dirs/gls_digits}
PY=${PY:-python}

run() {  # run NAME WORK_DIR CONFIG [cfg-options...]
  local name=$1 wd=$2 cfg=$3
  shift 3
  if [ ! -f "$wd/summary.json" ]; then
    mkdir -p "$(dirname "$wd")"
    # an interrupted run (checkpoints, no summary) resumes
    local cont=()
    ls "$wd"/epoch_*.pth > /dev/null 2>&1 && cont=(--resume)
    $PY tools/train.py "$cfg" --work-dir "$wd" "${cont[@]}" --cfg-options "$@" \
      > "$wd.log" 2>&1
  fi
  $PY -c "import json,sys; s=json.load(open(sys.argv[1])); print(f\"{sys.argv[2]}: last {s['last']:.2f} mean-last-{s['k']} {s['mean_last_k']:.2f} best {s['best']:.2f}\")" \
    "$wd/summary.json" "$name"
}

for seed in 0 1; do
  S="randomness.seed=$seed train_dataloader.dataset.seed=$seed"
  W=$ROOT/seed$seed/warmup
  run "seed $seed warm-up CE" "$W" \
    configs/gls/ce-warmup_cnn4_1xb64-20e_digits-sym40.py $S
  for r in 0.4 0.0 -0.4 -2.0; do
    run "seed $seed warm-up + GLS r=$r" "$ROOT/seed$seed/gls_r$r" \
      configs/gls/gls_cnn4_1xb64-20e_digits-sym40.py $S \
      "load_from=$W" "model.head.loss.smooth_rate=$r"
  done
  for r in 0.4 0.0 -0.4 -2.0; do
    run "seed $seed direct GLS r=$r" "$ROOT/seed$seed/direct_r$r" \
      configs/gls/gls-direct_cnn4_1xb64-30e_digits-sym40.py $S \
      "model.head.loss.smooth_rate=$r"
  done
done
