#!/usr/bin/env bash
# The full Fashion-MNIST protocol: all 60,000 training images, 50 epochs
# (the ALFs MNIST schedule), every method of benchmark_methods.py at 80 %
# symmetric and 40 % asymmetric noise, seed 0, plus CE on clean labels; the
# grid's trials share the GPU (TRIALS at a time, 1/TRIALS of the GPU and one
# CPU core each), then the table and the figure.
#
#   bash tools/benchmarks/gpu_full_protocol.sh [benchmark_grid.py options]
#
# Environment: DATA_ROOT (the four IDX files; default data/fashion-mnist
# when the working tree holds them, else Debian's dataset-fashion-mnist),
# EPOCHS (50), TRIALS (concurrent trials; default: the CPU cores, at most
# 16), PYTHON (python), OUT (docs/results/benchmark_full). Without a GPU
# the trials run on the CPU: time it there first with EPOCHS=1 and a few
# --methods. Finished runs are skipped on a rerun, as in the grid.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python}
# a relative interpreter path (.venv/bin/python) must survive the cd below
case "$PYTHON" in */*) PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")" ;; esac
if [ -z "${DATA_ROOT:-}" ]; then
  DATA_ROOT=/usr/share/datasets/fashion-mnist
  [ -f data/fashion-mnist/train-images-idx3-ubyte.gz ] && DATA_ROOT=data/fashion-mnist
fi
DATA_ROOT=$(cd "$DATA_ROOT" && pwd)
EPOCHS=${EPOCHS:-50}
OUT=${OUT:-docs/results/benchmark_full}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cores=$(nproc)
TRIALS=${TRIALS:-$(( cores < 16 ? cores : 16 ))}
gpus=$("$PYTHON" -c 'import torch; print(torch.cuda.device_count())')
if [ "$gpus" -gt 0 ]; then
  per_trial=$("$PYTHON" -c "print(round($gpus / $TRIALS, 4))")
  device="$("$PYTHON" -c 'import torch; print(torch.cuda.get_device_name(0))')"
else
  per_trial=0
  device="CPU ($cores cores)"
fi
echo "full protocol: $EPOCHS epochs, $TRIALS trial(s) at a time on $device"
start=$(date +%s)
cd tools/benchmarks
"$PYTHON" benchmark_grid.py --noise sym80 asym40 clean --seeds 0 \
  --images 0 --epochs "$EPOCHS" --data-root "$DATA_ROOT" \
  --work-root ../../work_dirs/benchmark_full --records "$OUT" \
  --cpus-per-trial 1 --gpus-per-trial "$per_trial" \
  --max-concurrent "$TRIALS" "$@"
case " $* " in *" --dry-run "*) exit 0 ;; esac
"$PYTHON" benchmark_table.py --records "$OUT" --seeds 1 \
  --out "$OUT/table.md" --plot "$OUT/fashionmnist_full.png" \
  --title "Fashion-MNIST, full protocol (60,000 images, $EPOCHS epochs), $device"
end=$(date +%s)
echo "wall time $(( end - start )) s on $device" | tee "$OUT/wall_time.txt"
