# Copyright (c) lnl_mm contributors. All rights reserved.
"""The Dynamic Loss repository's command path,
``tools/visualize_tools/vis_rank_margin.py``.

Its README runs ``python tools/visualize_tools/vis_rank_margin.py --config
CONFIG --checkpoint work_dirs/<config>/latest.pth``; in lnl_mm every
plotting tool lives in ``tools/visualization/``, so this runs
``tools/visualization/vis_rank_margin.py`` itself (same arguments, same
outputs), kept so that command works as written.
"""
import os.path as osp
import runpy

if __name__ == '__main__':
    runpy.run_path(
        osp.join(
            osp.dirname(osp.dirname(osp.abspath(__file__))), 'visualization',
            'vis_rank_margin.py'),
        run_name='__main__')
