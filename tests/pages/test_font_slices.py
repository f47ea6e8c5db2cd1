"""The web font's unicode-range slices (.streamlit/config.toml, static/noto-sc-*.woff2, tools/make_font.py).

A page downloads only the slices holding characters it shows; the app's own text and the demo data must
need only the `ui` slice, and nothing the app or its demo data prints may fall outside every slice (it would show
in a fallback font, or as boxes on a kiosk without CJK fonts).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
REBUILD = "rebuild the slices: .venv/bin/python tools/make_font.py (see its docstring)"


def _faces() -> list[dict]:
    theme = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))["theme"]
    return theme["fontFaces"]


def _ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(","):
        lo, _, hi = part.strip().removeprefix("U+").partition("-")
        out.append((int(lo, 16), int(hi or lo, 16)))
    return out


def _covers(ranges: list[tuple[int, int]], cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _hanzi(patterns: list[str]) -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for pat in patterns for p in ROOT.glob(pat))
    return set(HANZI.findall(text))


def _slice(name: str, weight: str) -> list[tuple[int, int]]:
    face = next(f for f in _faces() if f["url"].endswith(f"-{name}.woff2") and f["weight"] == weight)
    return _ranges(face["unicodeRange"])


def test_every_face_points_at_a_committed_file_of_reasonable_size():
    faces = _faces()
    assert len(faces) > 4
    for face in faces:
        assert face["family"] == "Noto Sans SC" and face["url"].startswith("app/static/")
        file = ROOT / "static" / face["url"].removeprefix("app/static/")
        assert file.exists(), f"{file} missing: {REBUILD}"
        assert file.stat().st_size < 500_000, f"{file.name} is {file.stat().st_size:,} bytes"
        assert _ranges(face["unicodeRange"])  # parses


@pytest.mark.parametrize("weight", ["100 500", "600 900"])
def test_the_ui_slice_comes_last_so_it_wins_overlaps(weight):
    names = [Path(f["url"]).stem.rsplit("-", 1)[-1] for f in _faces() if f["weight"] == weight]
    assert names[-1] == "ui" and names.count("ui") == 1


@pytest.mark.parametrize("weight", ["100 500", "600 900"])
def test_the_apps_own_text_needs_only_the_ui_slice(weight):
    ui = _slice("ui", weight)
    missing = sorted(c for c in _hanzi(["app.py", "ui/*.py", "pages/*.py", "core/*.py", "core/*/*.py"])
                     if not _covers(ui, ord(c)))
    assert not missing, f"hanzi outside the ui slice: {''.join(missing)}; {REBUILD}"
    assert all(_covers(ui, ord(c)) for c in "0123456789.%，。：（）—▲▼·")


@pytest.mark.parametrize("weight", ["100 500", "600 900"])
def test_demo_data_needs_only_the_ui_slice(weight):
    first = _slice("ui", weight)
    from faker.providers.person.zh_CN import Provider

    names = "".join([*Provider.last_names, *Provider.first_names_male, *Provider.first_names_female])
    text = _hanzi(["seed/*.py"]) | set(HANZI.findall(names))
    missing = sorted(c for c in text if not _covers(first, ord(c)))
    assert not missing, f"demo-data hanzi outside the ui slice: {''.join(missing)}; {REBUILD}"


def test_every_slice_together_covers_all_of_gb2312():
    ranges = [r for f in _faces() if f["weight"] == "100 500" for r in _ranges(f["unicodeRange"])]
    gb = [bytes([row, cell]).decode("gb2312", errors="ignore") for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF)]
    missing = [c for c in gb if c and not _covers(ranges, ord(c))]
    assert not missing, f"{len(missing)} GB2312 hanzi in no slice: {''.join(missing[:40])}"
