# Copyright (c) lnl_mm contributors. All rights reserved.
"""Denoising datasets: patches, crops, the image folder and skimage photos."""
import numpy as np
import pytest

from lnl_mm.datasets import ImageFolderDenoising, SkimagePhotos
from lnl_mm.datasets.denoising import (TEST_PHOTOS, TRAIN_PHOTOS,
                                       crop_to_multiple, extract_patches,
                                       to_float_grey)


def test_patch_count_and_content():
    img = np.arange(100 * 60, dtype=np.float32).reshape(100, 60) / 6000
    patches = extract_patches(img, size=40, stride=10, scales=(1, ))
    assert len(patches) == 7 * 3  # (100-40)/10+1 rows, (60-40)/10+1 cols
    assert np.array_equal(patches[4], img[10:50, 10:50])
    # Scales shrink the image first: 0.5 -> 50x30, too narrow for 40x40.
    assert len(extract_patches(img, 40, 10, (1, 0.5))) == 21
    with pytest.raises(ValueError, match='stride'):
        extract_patches(img, 40, 0)


def test_crop_and_grey_conversion():
    assert crop_to_multiple(np.zeros((70, 100)), 32).shape == (64, 96)
    with pytest.raises(ValueError, match='smaller than one'):
        crop_to_multiple(np.zeros((20, 100)), 32)
    rgb = np.zeros((2, 2, 3), np.uint8)
    rgb[..., 1] = 255
    assert np.allclose(to_float_grey(rgb), 0.7154)
    assert to_float_grey(np.ones((2, 2), bool)).dtype == np.float32


def test_image_folder(tmp_path):
    import mmcv
    rng = np.random.default_rng(0)
    for name in ('b.png', 'a.png'):
        mmcv.imwrite(
            rng.integers(0, 256, (70, 90), dtype=np.uint8),
            str(tmp_path / name))
    (tmp_path / 'notes.txt').write_text('not an image')
    train = ImageFolderDenoising(
        data_root=str(tmp_path), split='train', stride=10, scales=(1, ))
    assert len(train) == 2 * 4 * 6
    test = ImageFolderDenoising(data_root=str(tmp_path), split='test')
    info = test.get_data_info(0)
    assert info['img_name'] == 'a.png' and info['img'].shape == (64, 64)
    assert info['img'].max() <= 1 and info['img'].dtype == np.float32
    with pytest.raises(FileNotFoundError, match='data_root'):
        ImageFolderDenoising(data_root=str(tmp_path / 'missing'))
    with pytest.raises(ValueError, match='split must be one of'):
        ImageFolderDenoising(data_root=str(tmp_path), split='val')


def test_skimage_photos_split_is_fixed_and_disjoint():
    assert not set(TRAIN_PHOTOS) & set(TEST_PHOTOS)
    test = SkimagePhotos(split='test')
    names = [test.get_data_info(i)['img_name'] for i in range(len(test))]
    assert names == list(TEST_PHOTOS)
    for i in range(len(test)):
        h, w = test.get_data_info(i)['img'].shape
        assert h % 32 == 0 and w % 32 == 0
    train = SkimagePhotos(split='train', max_side=128, stride=40, scales=(1, ))
    assert len(train) > len(TRAIN_PHOTOS)
    with pytest.raises(ValueError, match="no photo 'lena'"):
        SkimagePhotos(split='test', names=['lena'])


def test_discard_to_multiple_and_set_name(tmp_path):
    import mmcv
    rng = np.random.default_rng(0)
    for name in ('a.png', 'b.png'):
        mmcv.imwrite(
            rng.integers(0, 256, (70, 90), dtype=np.uint8),
            str(tmp_path / name))
    full = ImageFolderDenoising(
        data_root=str(tmp_path), split='train', stride=10, scales=(1, ))
    trimmed = ImageFolderDenoising(
        data_root=str(tmp_path),
        split='train',
        stride=10,
        scales=(1, ),
        discard_to_multiple=32)
    # 48 patches -> the first 16 dropped, as the official generator does
    assert len(full) == 48 and len(trimmed) == 32
    assert trimmed.get_data_info(0)['img_name'] == \
        full.get_data_info(16)['img_name']
    test = ImageFolderDenoising(
        data_root=str(tmp_path), split='test', set_name='Set12')
    assert test.get_data_info(1)['set_name'] == 'Set12'
    with pytest.raises(ValueError, match='discard_to_multiple must be'):
        ImageFolderDenoising(
            data_root=str(tmp_path), split='train', discard_to_multiple=0)
    with pytest.raises(ValueError, match='trims training patches'):
        ImageFolderDenoising(
            data_root=str(tmp_path), split='test', discard_to_multiple=8)
    with pytest.raises(ValueError, match='set_name must be'):
        ImageFolderDenoising(data_root=str(tmp_path), set_name='')
