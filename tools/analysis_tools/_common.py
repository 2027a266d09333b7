# Copyright (c) lnl_mm contributors. All rights reserved.
"""Arguments shared by the training-dynamics tools.

One style for all of them::

    TOOL WORK_DIR                 # the per-epoch records of a run
    TOOL CHECKPOINT               # a checkpoint, with the config dumped
                                  # beside it
    TOOL CONFIG CHECKPOINT        # a checkpoint and its config

``CHECKPOINT`` is an ``epoch_N.pth``, ``latest.pth``, a ``last_checkpoint``
file or a work dir (its last checkpoint). Outputs go to ``--out-dir``
(default: ``plots/`` of the work dir, or of the checkpoint's folder), named
by their source, so that a checkpoint's figure never replaces the one made
from the records.
"""
import argparse
import os
import os.path as osp
from dataclasses import dataclass
from typing import Optional

USAGE = __doc__.split('One style for all of them::')[1].split('``CHECK')[0]


@dataclass
class Source:
    """What a tool analyses."""
    work_dir: Optional[str]  # the records mode
    config: Optional[str]  # the checkpoint mode
    checkpoint: Optional[str]
    out_dir: str

    def name(self, stem: str, ext: str = '.png') -> str:
        """``<out_dir>/<stem><ext>`` from the records,
        ``<out_dir>/<stem>_from_<checkpoint name><ext>`` from a checkpoint."""
        tag = ''
        if self.checkpoint is not None:
            tag = '_from_' + osp.splitext(osp.basename(self.checkpoint))[0]
        return osp.join(self.out_dir, f'{stem}{tag}{ext}')


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description=description,
        epilog='usage forms:\n' + USAGE.rstrip(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        'source',
        nargs='+',
        metavar='WORK_DIR | [CONFIG] CHECKPOINT',
        help='a work dir (its per-epoch records), or a checkpoint '
        '(epoch_N.pth, latest.pth, last_checkpoint or a work dir) after '
        'its config (default: the config dumped beside it)')
    p.add_argument(
        '--out-dir',
        help='folder of the outputs (default: plots/ in the work dir or in '
        "the checkpoint's folder)")
    p.add_argument(
        '--verbose',
        action='store_true',
        help="checkpoint mode: show the runner's log (environment, config, "
        'checkpoint loading)')
    return p


def source(args) -> Source:
    """Interpret the positional arguments (see the module docstring)."""
    from lnl_mm.utils import resolve_checkpoint
    given = args.source
    if len(given) > 2:
        raise SystemExit(f'give WORK_DIR, CHECKPOINT or CONFIG CHECKPOINT; '
                         f'got {len(given)} arguments: {given}')
    if len(given) == 1 and osp.isdir(given[0]):
        work_dir, config, checkpoint = given[0], None, None
        base = work_dir
    else:
        config = given[0] if len(given) == 2 else None
        if config is not None and not osp.isfile(config):
            raise SystemExit(f'config {config!r} does not exist')
        try:
            checkpoint = resolve_checkpoint(given[-1])
        except (FileNotFoundError, ValueError) as e:
            raise SystemExit(str(e)) from None
        work_dir, base = None, osp.dirname(checkpoint)
    out_dir = args.out_dir or osp.join(base, 'plots')
    os.makedirs(out_dir, exist_ok=True)
    return Source(work_dir, config, checkpoint, out_dir)


def records(args, src: Source) -> dict:
    import lnl_mm  # noqa: F401  (registers components)
    from lnl_mm.engine.utils import load_records
    try:
        return load_records(
            src.work_dir, src.config, src.checkpoint, verbose=args.verbose)
    except (FileNotFoundError, ValueError) as e:
        raise SystemExit(str(e)) from None
