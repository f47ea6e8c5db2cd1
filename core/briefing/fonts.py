"""The app's own font in the report: Noto Sans SC as the web font slices the app serves (static/noto-sc-*.woff2,
cut by tools/make_font.py, declared in .streamlit/config.toml), so the PDF and its charts carry the same glyphs
as the screen and need no system CJK font for the app's text and the demo data's names.

The PDF gets @font-face rules (data: URLs, nothing fetched) for the `ui` slice of each weight and for the other
slices only when the report holds one of their characters; WeasyPrint subsets and embeds what it uses. The charts
(matplotlib cannot read WOFF2) get the `ui` slices unpacked once per process into a temporary OpenType file under
a family name of their own. A character in no slice falls back to the system's Noto Sans CJK SC (fonts-noto-cjk).
"""

from __future__ import annotations

import base64
import tempfile
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.config import REPO_ROOT

FAMILY = "XingCun Noto SC"
STATIC = REPO_ROOT / "static"
CONFIG = REPO_ROOT / ".streamlit" / "config.toml"
FALLBACK = ('"Noto Sans CJK SC"', '"Noto Sans SC"', "sans-serif")


@dataclass(frozen=True)
class Slice:
    """One font file: its path, CSS weight (400/700), code-point ranges and whether it is the `ui` slice."""

    path: Path
    weight: int
    ranges: tuple[tuple[int, int], ...]
    ui: bool

    def holds(self, code: int) -> bool:
        """True when the slice's declared ranges hold the code point."""
        return any(lo <= code <= hi for lo, hi in self.ranges)


def _range(part: str) -> tuple[int, int]:
    lo, _, hi = part.strip().removeprefix("U+").partition("-")
    return int(lo, 16), int(hi or lo, 16)


@cache
def slices() -> tuple[Slice, ...]:
    """The app's font slices that exist on disk, as .streamlit/config.toml declares them (none without it)."""
    if not CONFIG.is_file():
        return ()
    faces = tomllib.loads(CONFIG.read_text(encoding="utf-8")).get("theme", {}).get("fontFaces", [])
    out = []
    for face in faces:
        path = STATIC / Path(str(face.get("url", ""))).name
        if path.suffix == ".woff2" and path.is_file():
            weight = 700 if str(face.get("weight", "400")).split()[0] >= "600" else 400
            ranges = tuple(_range(p) for p in str(face.get("unicodeRange", "")).split(",") if p.strip())
            out.append(Slice(path, weight, ranges, path.stem.endswith("-ui")))
    return tuple(out)


def _renamed(path: Path, family: str, weight: int):
    """The slice as a fontTools font under names of its own. Every slice carries the source font's names (and
    PostScript name); WeasyPrint, like matplotlib, tells embedded fonts apart by those, so two slices under one
    name would share one glyph table and print wrong glyphs."""
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    font.flavor = None  # plain OpenType: what FreeType and WeasyPrint read without brotli
    ps = family.replace(" ", "") + "-" + path.stem.rsplit("-", 2)[-2] + "-" + path.stem.rsplit("-", 1)[-1]
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = family
        elif rec.nameID == 4:
            rec.string = family + ("" if weight == 400 else " Bold")
        elif rec.nameID == 6:
            rec.string = ps
    if "CFF " in font:  # the CFF table keeps its own font name
        font["CFF "].cff.fontNames = [ps]
    return font


@cache
def _data_url(path: Path) -> str:
    return "data:font/woff2;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _tag(s: Slice) -> str:
    return "ui" if s.ui else s.path.stem.rsplit("-", 1)[-1]


def pdf_fonts(text: str) -> tuple[str, str]:
    """(@font-face rules, CSS font-family list) for the slices `text` needs: the `ui` slice of each weight, and
    another slice only for a character the `ui` slice does not hold. Each slice is a CSS family of its own
    ("XingCun Noto SC ui", "… 03"): WeasyPrint tells embedded fonts apart by family, and two slices under one
    family would share one glyph table and print wrong glyphs. The list ends with the system's CJK font."""
    found = slices()
    ui = [s for s in found if s.ui]
    need = {ord(c) for c in set(text) if ord(c) > 0x7F and not any(s.holds(ord(c)) for s in ui)}
    used = ui + [s for s in found if not s.ui and any(s.holds(c) for c in need)]
    rules = "".join(f"@font-face {{ font-family: '{FAMILY} {_tag(s)}'; font-weight: {s.weight}; font-style: normal; "
                    f"src: url({_data_url(s.path)}) format('woff2'); }}\n" for s in used)
    families = dict.fromkeys(f'"{FAMILY} {_tag(s)}"' for s in used)
    return rules, ", ".join((*families, *FALLBACK))


@cache
def chart_families() -> tuple[str, ...]:
    """Font families for matplotlib, in fallback order (once per process): the app's `ui` slices as FAMILY (regular
    and bold), each other regular slice as a family of its own (FAMILY + its number), then the system's fonts."""
    from matplotlib import font_manager

    families: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="xc-briefing-fonts-"))
    for s in sorted((s for s in slices() if s.ui or s.weight == 400), key=lambda s: not s.ui):
        family = FAMILY if s.ui else f"{FAMILY} {s.path.stem.rsplit('-', 1)[-1]}"
        out = folder / f"{s.path.stem}.otf"
        _renamed(s.path, family, s.weight).save(out)
        font_manager.fontManager.addfont(str(out))
        if family not in families:
            families.append(family)
    have = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(f for f in (*families, "Noto Sans CJK SC", "DejaVu Sans") if f in have)  # only installed ones
