#!/usr/bin/env bash
# The Dynamic Loss repository's tools/dist_train_meta.sh: tools/dist_train.sh
# (a meta method is an ordinary config here).
# Usage: tools/dist_train_meta.sh CONFIG GPUS [train.py args...]
exec "$(dirname "$0")/dist_train.sh" "$@"
