"""ui.theme: one colour per meaning, scores coloured from bad to good, text readable on both palettes."""

from __future__ import annotations

import pytest

from ui.theme import DARK, LIGHT, hex_to_rgb, palette, score_color, score_color_hex


def _luminance(color: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in hex_to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])
def test_text_is_readable_on_its_background(pal):
    assert contrast(pal.text, pal.background) >= 7
    assert contrast(pal.muted, pal.background) >= 4.5
    assert contrast(pal.text, pal.panel) >= 4.5


@pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])
def test_scores_run_from_the_bad_end_to_the_good_end(pal):
    assert score_color_hex(0, pal) == pal.score_scale[0] and score_color_hex(100, pal) == pal.score_scale[-1]
    assert score_color(-20, pal) == score_color(0, pal) and score_color(180, pal) == score_color(100, pal)
    assert score_color(None, pal) == score_color(float("nan"), pal) != score_color(50, pal)


def test_overdue_is_the_bad_colour_and_the_wall_is_dark():
    assert LIGHT.overdue == LIGHT.bad and DARK.overdue == DARK.bad
    assert palette(True) is DARK and palette(False) is LIGHT
