"""大屏 wall building blocks: a fixed-height board of titled panels, lists that rotate in place, bars, big numbers.

Every wall view (tasks, leaders, appeals, map; the cockpit and rankings use the same CSS) is one board:
a CSS grid exactly `BOARD_PX` tall under the title bar, flash and heading, so nothing scrolls at
1920×1080 (and at 3840×2160, which is the same CSS size at device scale 2). Panels have a short title
and a thin bright border. A list longer than a panel holds is cut into pages that take turns in place
every `rotate_seconds` (CSS animation only: no timer on the server, no rerun). Colours keep one meaning
everywhere: `good` green, `warn` amber (临期/预警), `bad` red (逾期/差), `accent` cyan for plain figures.

The board goes to the page through `ui.svg_view.show_svg` (st.html drops <svg>), so a panel may hold
the SVG charts of `ui.wall_svg`. Pure HTML builders here; `show()` is the one Streamlit call.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from core.config import get_settings
from ui.i18n import num, t
from ui.svg_view import show_svg
from ui.theme import Palette

#: Height of the board under the wall's title bar, alert flash and heading (CSS px of a 1080 px screen).
BOARD_PX = 790
#: Most pages a rotating list takes turns through (keyframes exist for 2..MAX_PAGES).
MAX_PAGES = 24


def rotate_seconds() -> float:
    """Seconds each page of a rotating list stays on screen (BigScreenConfig.rotate_seconds)."""
    return get_settings().big_screen.rotate_seconds


def wall_css(pal: Palette) -> str:
    """<style> of the board, panels, rotation, bars, big numbers and lists (every size ≥ 1rem = 18 px)."""
    frames = "".join(f"@keyframes xc-rot-{n}{{0%{{visibility:visible}}{100 / n:.4f}%{{visibility:hidden}}"
                     f"100%{{visibility:hidden}}}}" for n in range(2, MAX_PAGES + 1))
    edge = f"{pal.accent}8c"
    return f"""<style>
.wall {{ display:grid; gap:12px; height:{BOARD_PX}px; color:{pal.text}; font-size:1.15rem; line-height:1.3;
  font-variant-numeric:tabular-nums; }}
.wall .col {{ display:flex; flex-direction:column; gap:12px; min-height:0; min-width:0; }}
.wp {{ background:{pal.panel}; border:1px solid {edge}; border-radius:6px; padding:0.45rem 0.75rem 0.5rem;
  display:flex; flex-direction:column; min-height:0; min-width:0; overflow:hidden;
  box-shadow:inset 0 0 16px {pal.accent}1f; }}
.wp > .wp-t {{ color:{pal.accent}; font-size:1.25rem; font-weight:700; margin:0 0 0.35rem 0; padding-left:0.5rem;
  border-left:3px solid {pal.accent}; line-height:1.2; display:flex; justify-content:space-between; gap:0.5rem;
  white-space:nowrap; overflow:hidden; }}
.wp > .wp-t .note {{ color:{pal.muted}; font-weight:400; font-size:1rem; overflow:hidden; text-overflow:ellipsis; }}
.wp > .wp-b {{ flex:1; min-height:0; position:relative; }}
.rot {{ position:relative; height:100%; display:grid; grid-template:minmax(0,1fr) / minmax(0,1fr); }}
.rot > .pg {{ grid-area:1 / 1; position:relative; min-height:0; visibility:hidden; animation-timing-function:step-end;
  animation-iteration-count:infinite; }}
.rot > .pg.only {{ visibility:visible; }}
.rot > .pg:not(.only) {{ padding-bottom:1.4rem; }}
.rot .pgno {{ position:absolute; right:0; bottom:0; color:{pal.muted}; font-size:1rem; }}
{frames}
@media (prefers-reduced-motion: reduce) {{ .rot > .pg {{ animation:none; }} .rot > .pg:first-child {{ visibility:visible; }} }}
.wk-row {{ display:grid; gap:12px; }}
.wk {{ background:{pal.panel}; border:1px solid {edge}; border-radius:6px; padding:0.4rem 0.8rem; min-width:0;
  container-type:inline-size; }}
.wk .l {{ color:{pal.muted}; font-size:1.15rem; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wk .v {{ font-size:3.2rem; font-weight:700; line-height:1.1; white-space:nowrap; }}
.wk .v .u {{ font-size:max(0.4em, 1rem); font-weight:400; color:{pal.muted}; margin-left:0.2em; }}
.wk .s {{ color:{pal.muted}; font-size:1rem; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall .good, .wk .v.good {{ color:{pal.good}; }} .wall .warn, .wk .v.warn {{ color:{pal.warn}; }}
.wall .bad, .wk .v.bad {{ color:{pal.bad}; }} .wall .acc, .wk .v.acc {{ color:{pal.accent}; }}
.wall .muted {{ color:{pal.muted}; }}
.wt {{ width:100%; border-collapse:collapse; table-layout:fixed; }}
.wt th {{ color:{pal.muted}; font-weight:600; font-size:1rem; text-align:left; padding:0.2rem 0.4rem;
  border-bottom:2px solid {pal.accent}; white-space:nowrap; overflow:hidden; }}
.wt td {{ padding:0.22rem 0.4rem; border-bottom:1px solid {pal.border}80; white-space:nowrap; overflow:hidden;
  text-overflow:ellipsis; }}
.wt .n {{ text-align:right; font-weight:700; }}
.wt .r {{ text-align:center; color:{pal.accent}; font-weight:700; }}
.wt .mv {{ font-size:1rem; }}
.wt.lg {{ font-size:1.3rem; }} .wt.lg td {{ padding:0.3rem 0.4rem; }}
.bars {{ display:flex; flex-direction:column; gap:0.3rem; }}
.bar-row {{ display:grid; grid-template-columns:var(--bar-label, 6.5em) 1fr var(--bar-value, 3.5em); gap:0.5rem;
  align-items:center; white-space:nowrap; }}
.bar-row .nm {{ overflow:hidden; text-overflow:ellipsis; }}
.bar-row .val {{ text-align:right; font-weight:700; }}
.bar-track {{ height:0.95rem; background:{pal.background}; border-radius:3px; display:flex; overflow:hidden; }}
.bar-track > i {{ display:block; height:100%; }}
.legend {{ display:flex; gap:1rem; flex-wrap:wrap; color:{pal.muted}; font-size:1rem; margin-top:0.3rem; }}
.legend i {{ display:inline-block; width:0.9em; height:0.9em; border-radius:2px; margin-right:0.3em; vertical-align:-0.1em; }}
.line1 {{ white-space:nowrap; overflow:hidden; text-overflow:ellipsis; padding:0.3rem 0; font-size:1.2rem; border-bottom:1px solid {pal.border}80; }}
.line1 b {{ font-weight:700; }}
.empty {{ color:{pal.muted}; padding:0.5rem 0; }}
</style>"""


def board(columns: str, cols: Sequence[str], top: str = "", height: int = BOARD_PX) -> str:
    """The board: a grid with `columns` (CSS grid-template-columns) holding one flex column per item of `cols`,
    under an optional full-width `top` row (big numbers)."""
    inner = "".join(f"<div class='col'>{c}</div>" for c in cols)
    rows = "grid-template-rows:auto minmax(0,1fr);" if top else "grid-template-rows:minmax(0,1fr);"
    head = f"<div style='grid-column:1/-1'>{top}</div>" if top else ""
    return f"<div class='wall' style='grid-template-columns:{columns};{rows}height:{height}px'>{head}{inner}</div>"


def panel(title: str, body: str, *, note: str = "", grow: float = 1.0, fixed: bool = False) -> str:
    """A titled panel; `grow` shares the column's height among panels, `fixed` keeps its own height."""
    size = "flex:0 0 auto" if fixed else f"flex:{grow} 1 0"
    note_html = f"<span class='note'>{escape(note)}</span>" if note else ""
    return (f"<section class='wp' style='{size}'><div class='wp-t'><span>{escape(title)}</span>{note_html}</div>"
            f"<div class='wp-b'>{body}</div></section>")


def pages(items: Sequence[str], per_page: int) -> list[str]:
    """`items` (HTML rows) cut into pages of `per_page`, at most MAX_PAGES pages."""
    per_page = max(int(per_page), 1)
    return ["".join(items[i:i + per_page]) for i in range(0, len(items), per_page)][:MAX_PAGES]


def rotate(parts: Sequence[str], seconds: float | None = None) -> str:
    """Pages that take turns in place, each `seconds` on screen, with its number (2/5) in the corner."""
    parts = list(parts)[:MAX_PAGES]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"<div class='rot'><div class='pg only'>{parts[0]}</div></div>"
    sec, n = seconds or rotate_seconds(), len(parts)
    out = []
    for i, part in enumerate(parts):
        style = f"animation-name:xc-rot-{n};animation-duration:{sec * n:g}s;animation-delay:{sec * i:g}s"
        out.append(f"<div class='pg' style='{style}'>{part}<span class='pgno'>{i + 1}/{n}</span></div>")
    return f"<div class='rot'>{''.join(out)}</div>"


def big_number(label: str, value: str, *, cls: str = "", unit: str = "", sub: str = "") -> str:
    """One large tabular number with its label and a one-line explanation under it."""
    unit_html = f"<span class='u'>{escape(unit)}</span>" if unit else ""
    sub_html = f"<div class='s'>{escape(sub)}</div>" if sub else ""
    return (f"<div class='wk'><div class='l'>{escape(label)}</div><div class='v {cls}' style='{_fit(value, unit)}'>"
            f"{escape(value)}{unit_html}</div>{sub_html}</div>")


def _fit(value: str, unit: str) -> str:
    """Font size of a big number that fits its tile (.wk is the size container): 3.2rem unless the tile is too
    narrow for that many characters (the unit is drawn at 0.4 em)."""
    return fit(value, 3.2, 1.4, extra_em=0.4 * text_em(unit) + 0.3 if unit else 0.1)


def text_em(text: str, spacing: float = 0.0) -> float:
    """Rough width of `text` in em of the wall font: CJK and full-width 1, digits 0.58, separators and spaces 0.3,
    other Latin 0.6 (generous: a fitted line is never cut), plus `spacing` em of letter spacing per character."""
    def width(c: str) -> float:
        if ord(c) >= 0x2E80:
            return 1.0
        return 0.58 if c.isdigit() else 0.3 if c in " ,.:;·'|()" else 0.6
    return sum(width(c) for c in text) + spacing * len(text)


def fit(text: str, largest: float, smallest: float = 1.0, *, spacing: float = 0.0, extra_em: float = 0.0) -> str:
    """CSS font-size (rem bounds) at which `text` fits on one line of its nearest size container
    (`container-type:inline-size`): `largest` when there is room, smaller in a narrow column or a long language."""
    em = max((text_em(text, spacing) + extra_em) * 1.08, 1.0)  # bold Latin runs a little wider than the estimate
    return f"font-size:clamp({smallest}rem, {100 / em:.2f}cqi, {largest}rem)"


def number_row(tiles: Sequence[str]) -> str:
    """Big numbers side by side in equal widths."""
    return f"<div class='wk-row' style='grid-template-columns:repeat({len(tiles)},minmax(0,1fr))'>{''.join(tiles)}</div>"


def bar_rows(rows: Sequence[tuple[str, Sequence[tuple[float, str]], str]], top: float) -> list[str]:
    """One row per (label, [(value, colour), …] stacked segments, value text); widths against `top`."""
    top = top or 1.0
    out = []
    for label, segments, value in rows:
        fill = "".join(f"<i style='width:{max(v, 0) / top * 100:.2f}%;background:{c}'></i>" for v, c in segments if v)
        out.append(f"<div class='bar-row'><span class='nm'>{escape(label)}</span><div class='bar-track'>{fill}</div>"
                   f"<span class='val'>{escape(value)}</span></div>")
    return out


def legend(items: Sequence[tuple[str, str]]) -> str:
    """Colour keys (label, colour) in one line."""
    keys = "".join(f"<span><i style='background:{c}'></i>{escape(label)}</span>" for label, c in items)
    return f"<div class='legend'>{keys}</div>"


def table(head: Sequence[tuple[str, str]], rows: Sequence[Sequence[tuple[str, str]]], widths: Sequence[str],
          cls: str = "lg") -> str:
    """A wall table: `head` (class, text) cells, rows of (class, already escaped HTML) cells, column widths."""
    cols = "".join(f"<col style='width:{w}'>" for w in widths)
    th = "".join(f"<th class='{c}'>{escape(x)}</th>" for c, x in head)
    body = "".join("<tr>" + "".join(f"<td class='{c}'>{x}</td>" for c, x in r) + "</tr>" for r in rows)
    return f"<table class='wt {cls}'><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def rotating_table(head, rows, widths, per_page: int, cls: str = "lg") -> str:
    """`table` cut into pages of `per_page` rows that take turns in place."""
    if not rows:
        return f"<div class='empty'>{escape(t('wall.none'))}</div>"
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    return rotate([table(head, chunk, widths, cls) for chunk in chunks])


def count(n: float | int | None, digits: int = 0) -> str:
    """A number for the wall (thousands separated; — when missing)."""
    return "—" if n is None else num(n, digits)


def show(html: str, key: str, pal: Palette) -> None:
    """Put a board on the page (with the wall CSS) in one element."""
    show_svg(wall_css(pal) + html, key=key)
