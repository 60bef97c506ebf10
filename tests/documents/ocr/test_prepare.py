"""Pre-processing of scanned pages: seals removed by colour, contrast, noise, skew measured and undone."""

from __future__ import annotations

import pytest

from tests.documents.ocr import testset

pytestmark = [pytest.mark.ocr, pytest.mark.shared]  # the extra, and ../shared's gold


@pytest.fixture(scope="module")
def page() -> object:
    """Page 2 of seed 003 printed and rasterised at 150 dpi, as an RGB array."""
    import numpy as np

    return np.asarray(testset.rasterise(testset.printed("003"), 150)[1])


def test_a_red_seal_is_removed_and_the_black_text_under_it_kept(page: object) -> None:
    """After seal removal no red pixel is left, and the dark pixels of the page are still there."""
    import numpy as np

    from jixiao.documents.ocr.prepare import remove_red

    sealed = np.asarray(testset.seal(testset.rasterise(testset.printed("003"), 150)[1]))
    red = lambda a: (a[:, :, 0].astype(int) - np.maximum(a[:, :, 1], a[:, :, 2]) > 50) & (a[:, :, 0] > 110)  # noqa: E731
    assert red(sealed).sum() > 5000  # the seal is there
    cleaned = remove_red(sealed)
    assert red(cleaned).sum() == 0
    dark = np.asarray(page).max(axis=2) < 100
    # text under the seal is darkened by the red ink, never lightened: it survives as ink
    assert (cleaned.max(axis=2)[dark] < 128).mean() > 0.99


@pytest.mark.parametrize("degrees", [1.0, -2.0, 3.0])
def test_skew_is_measured_and_undone(page: object, degrees: float) -> None:
    """A page fed crooked by 1-3 degrees is measured to within 0.2 degrees and levelled."""
    import numpy as np

    from jixiao.documents.ocr.prepare import deskew, skew_angle, to_grey

    crooked = to_grey(np.asarray(testset.skew(testset.rasterise(testset.printed("003"), 150)[1], degrees)))
    assert abs(skew_angle(crooked) + degrees) <= 0.2
    level, angle = deskew(crooked)
    assert abs(skew_angle(level)) <= 0.1 and abs(angle + degrees) <= 0.2


def test_a_level_page_is_left_alone(page: object) -> None:
    """A straight page is not turned at all (no resampling blur)."""
    from jixiao.documents.ocr.prepare import deskew, to_grey

    grey = to_grey(page)
    level, angle = deskew(grey)
    assert angle == 0.0 and level is grey


def test_salt_noise_is_filtered_and_a_clean_page_is_not(page: object) -> None:
    """The median filter runs on a noisy page (specks gone) and leaves a clean page untouched."""
    import numpy as np

    from jixiao.documents.ocr.prepare import denoise, to_grey

    grey = to_grey(page)
    assert denoise(grey) is grey
    noisy = to_grey(np.asarray(testset.salt(testset.rasterise(testset.printed("003"), 150)[1], 0.01)))
    cleaned = denoise(noisy)
    specks = lambda a: int(((a < 60) & (grey > 200)).sum())  # noqa: E731
    assert specks(noisy) > 1000 and specks(cleaned) < specks(noisy) / 10


def test_a_grey_scan_is_stretched_to_white_paper(page: object) -> None:
    """A dull scan (grey paper, grey ink) gets white paper and dark ink back."""
    import numpy as np

    from jixiao.documents.ocr.prepare import stretch, to_grey

    dull = (to_grey(page).astype(np.float32) * 0.5 + 90).astype(np.uint8)  # paper 217, ink 90
    out = stretch(dull)
    assert np.percentile(out, 90) == 255 and np.percentile(out, 1) < 30
