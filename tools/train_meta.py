# Copyright (c) lnl_mm contributors. All rights reserved.
"""The Dynamic Loss repository's entry point, ``tools/train_meta.py``.

The official README trains with ``python tools/train_meta.py CONFIG``; in
lnl_mm a meta method is an ordinary config, so this is ``tools/train.py``
itself (same arguments, same behaviour), kept so that command works as
written.
"""
import os.path as osp
import runpy

if __name__ == '__main__':
    runpy.run_path(
        osp.join(osp.dirname(osp.abspath(__file__)), 'train.py'),
        run_name='__main__')
