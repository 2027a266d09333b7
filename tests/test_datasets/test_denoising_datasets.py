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
