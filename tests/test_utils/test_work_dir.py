# Copyright (c) lnl_mm contributors. All rights reserved.
"""What a run does with its work dir: resume, refuse, overwrite."""
import os
import os.path as osp
import shutil
from pathlib import Path

import pytest
import torch

from lnl_mm.utils import resolve_checkpoint
from lnl_mm.utils.work_dir import (find_resume_checkpoint,
                                   numbered_checkpoints, prepare_work_dir)


def save(path, epoch=1):
    torch.save({'meta': {'epoch': epoch}}, str(path))
    return str(path)


def point(work_dir, target):
    (work_dir / 'last_checkpoint').write_text(str(target))


def test_resume_without_anything_fails(tmp_path):
    with pytest.raises(
            FileNotFoundError, match='nothing to resume.*no last_checkpoint'):
        prepare_work_dir(str(tmp_path), True, None)


def test_resume_without_pointer_takes_latest_epoch(tmp_path):
    for e in (2, 10, 9):  # numeric, not lexicographic, order
        save(tmp_path / f'epoch_{e}.pth', e)
    assert prepare_work_dir(str(tmp_path), True, None) == \
        str(tmp_path / 'epoch_10.pth')


def test_epoch_checkpoints_win_over_iter_checkpoints(tmp_path):
    save(tmp_path / 'iter_500.pth')
    save(tmp_path / 'epoch_3.pth')
    assert numbered_checkpoints(str(tmp_path))[-1].endswith('epoch_3.pth')


def test_empty_pointer_falls_back_with_a_warning(tmp_path):
    save(tmp_path / 'epoch_4.pth')
    (tmp_path / 'last_checkpoint').write_text('')
    warnings = []
    assert find_resume_checkpoint(str(tmp_path), warnings.append) == \
        str(tmp_path / 'epoch_4.pth')
    assert 'last_checkpoint is empty' in warnings[0]


def test_empty_pointer_alone_is_explained(tmp_path):
    (tmp_path / 'last_checkpoint').write_text('\n')
    with pytest.raises(FileNotFoundError, match='last_checkpoint is empty'):
        find_resume_checkpoint(str(tmp_path))


def test_copied_work_dir_resumes_from_its_own_checkpoint(tmp_path):
    original = tmp_path / 'original'
    original.mkdir()
    save(original / 'epoch_2.pth')
    point(original, original / 'epoch_2.pth')  # MMEngine: absolute path
    copy = tmp_path / 'copy'
    shutil.copytree(original, copy)
    assert resolve_checkpoint(str(copy)) == str(copy / 'epoch_2.pth')
    assert find_resume_checkpoint(str(copy)) == str(copy / 'epoch_2.pth')
    shutil.rmtree(original)  # a moved work dir: the original is gone
    assert find_resume_checkpoint(str(copy)) == str(copy / 'epoch_2.pth')


def test_pointer_to_elsewhere_is_followed_when_nothing_is_beside(tmp_path):
    other = tmp_path / 'other'
    other.mkdir()
    target = save(other / 'epoch_1.pth')
    wd = tmp_path / 'wd'
    wd.mkdir()
    point(wd, target)
    assert resolve_checkpoint(str(wd)) == target


def test_zero_byte_checkpoint_is_explained(tmp_path):
    (tmp_path / 'epoch_3.pth').write_bytes(b'')
    with pytest.raises(ValueError, match=r'epoch_3.pth.*is empty \(0 bytes\)'):
        prepare_work_dir(str(tmp_path), True, str(tmp_path / 'epoch_3.pth'))


def test_truncated_checkpoint_is_explained(tmp_path):
    full = save(tmp_path / 'full.pth')
    data = Path(full).read_bytes()
    (tmp_path / 'epoch_3.pth').write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match='not a torch zip archive'):
        find_resume_checkpoint(str(tmp_path))


@pytest.mark.parametrize('name', [
    'summary.json', 'summary_ssim.json', 'epoch_1.pth', 'last_checkpoint',
    'dynamics/', 'meta/', 'best_accuracy_top1_epoch_3.pth', 'division.json'
])
def test_fresh_run_refuses_an_earlier_run(tmp_path, name):
    if name.endswith('/'):
        (tmp_path / name).mkdir()
    else:
        (tmp_path / name).write_text('x')
    with pytest.raises(
            FileExistsError,
            match=f'earlier run.*{name}'
            '.*--resume.*--overwrite'):
        prepare_work_dir(str(tmp_path), False, None)


def test_overwrite_removes_the_earlier_run_only(tmp_path):
    for name in ('summary.json', 'summary_raw.json', 'epoch_1.pth',
                 'last_checkpoint', 'notes.txt',
                 'best_accuracy_top1_epoch_2.pth', 'division.json'):
        (tmp_path / name).write_text('x')
    (tmp_path / 'dynamics').mkdir()
    (tmp_path / 'dynamics' / 'epoch_1.npz').write_text('x')
    said = []
    prepare_work_dir(str(tmp_path), False, None, True, said.append)
    assert sorted(os.listdir(tmp_path)) == ['notes.txt']
    assert 'removing the earlier run' in said[0]


def test_fresh_run_in_an_empty_or_missing_dir(tmp_path):
    weights = save(tmp_path / 'w.pth')
    assert prepare_work_dir(str(tmp_path / 'new'), False, weights) == weights
    assert not osp.exists(tmp_path / 'new')
    url = 'https://download.openmmlab.com/x.pth'  # left to MMEngine
    assert prepare_work_dir(str(tmp_path / 'new'), False, url) == url


def test_load_from_a_zero_byte_file_is_explained(tmp_path):
    (tmp_path / 'w.pth').write_bytes(b'')
    with pytest.raises(ValueError, match='is empty'):
        prepare_work_dir(str(tmp_path / 'new'), False, str(tmp_path / 'w.pth'))


def test_resume_and_overwrite_contradict(tmp_path):
    with pytest.raises(ValueError, match='contradict'):
        prepare_work_dir(str(tmp_path), True, None, True)


def test_continue_flags_for_benchmark_grids(tmp_path):
    from lnl_mm.utils.work_dir import continue_flags
    assert continue_flags(str(tmp_path / 'none')) == []
    assert continue_flags(str(tmp_path)) == []
    (tmp_path / 'training_dynamics.json').write_text('[]')
    assert continue_flags(str(tmp_path)) == ['--overwrite']
    save(tmp_path / 'epoch_1.pth')
    assert continue_flags(str(tmp_path)) == ['--resume']


def test_latest_pth_stands_for_the_last_checkpoint(tmp_path):
    """MMCV 1.x's latest.pth (the official READMEs' name) resolves to the
    folder's last_checkpoint when MMEngine wrote no such file; a real
    latest.pth wins."""
    target = save(tmp_path / 'epoch_4.pth')
    point(tmp_path, target)
    assert resolve_checkpoint(str(tmp_path / 'latest.pth')) == target
    real = save(tmp_path / 'latest.pth')
    assert resolve_checkpoint(str(tmp_path / 'latest.pth')) == real
    with pytest.raises(FileNotFoundError, match='latest.pth'):
        resolve_checkpoint(str(tmp_path / 'nowhere' / 'latest.pth'))
