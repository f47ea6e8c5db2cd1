"""Colours, Plotly template and CSS for desk (light) and big-screen (dark) modes, in one place.

Pure: no Streamlit import. Pages inject ``css(...)`` with ``st.html`` (or ``st.markdown(...,
unsafe_allow_html=True)``) and pass figures through ``apply``. ``.streamlit/config.toml`` repeats
the LIGHT/DARK base colours for Streamlit's own widgets; change both together.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import plotly.graph_objects as go

FONT_FAMILY = "Noto Sans SC, sans-serif"
MODULE_KEYS = ("party_building", "economy", "safety", "public_service")

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """One colour set. Hex strings "#rrggbb"; ``score_scale`` runs from score 0 (bad) to 100 (good)."""

    name: str
    background: str
    panel: str
    border: str
    text: str
    muted: str
    accent: str
    good: str
    warn: str
    bad: str
    neutral: str
    grid: str
    score_scale: tuple[str, ...]
    modules: Mapping[str, str] = field(hash=False)

    @property
    def overdue(self) -> str:
        """Overdue is the same red as bad: one meaning, one colour."""
        return self.bad

    @property
    def colorway(self) -> list[str]:
        """Module colours in MODULE_KEYS order, then neutral for a fifth series (e.g. 全市平均)."""
        return [self.modules[k] for k in MODULE_KEYS] + [self.neutral]

    def plotly_colorscale(self) -> list[list[float | str]]:
        """``score_scale`` as a Plotly continuous colorscale over [0, 1]."""
        n = len(self.score_scale) - 1
        return [[i / n, c] for i, c in enumerate(self.score_scale)]


# Red → amber → yellow → green-teal: the ends also differ in lightness, which keeps the scale
# readable for red-green colour-blind viewers.
LIGHT = Palette(
    name="light",
    background="#f5f7fa",
    panel="#ffffff",
    border="#d5dde8",
    text="#1c2733",
    muted="#5d6b7d",
    accent="#1f5fbf",
    good="#1e9e58",
    warn="#d98a00",
    bad="#d1352b",
    neutral="#8a96a8",
    grid="rgba(28,39,51,0.08)",
    score_scale=("#c9302c", "#e8742c", "#f2c14e", "#8cc084", "#1b8a7a"),
    modules=MappingProxyType(
        {"party_building": "#c2185b", "economy": "#2f6fd6", "safety": "#6a4cc2", "public_service": "#0e8fa0"}
    ),
)

DARK = Palette(
    name="dark",
    background="#0b1a33",
    panel="#0f2344",
    border="#1f6fb2",
    text="#e6f1ff",
    muted="#8fa8c8",
    accent="#22d3ee",
    good="#3ddc84",
    warn="#ffb020",
    bad="#ff4d5e",
    neutral="#6b7f99",
    grid="rgba(143,168,200,0.14)",
    score_scale=("#ff4d5e", "#ff8a3d", "#ffd166", "#8fe388", "#2ec4b6"),
    modules=MappingProxyType(
        {"party_building": "#ff5c93", "economy": "#4da3ff", "safety": "#b08cff", "public_service": "#3fd1c7"}
    ),
)

_NONE_GREY: Mapping[str, RGB] = MappingProxyType({"light": (190, 196, 204), "dark": (70, 84, 104)})


def palette(big_screen: bool) -> Palette:
    """DARK for the big screen (大屏), LIGHT for desks."""
    return DARK if big_screen else LIGHT


def hex_to_rgb(color: str) -> RGB:
    """Hex "#rrggbb" → (r, g, b) in 0–255."""
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def rgb_to_hex(rgb: RGB) -> str:
    """(r, g, b) → "#rrggbb"."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def score_color(score: float | None, pal: Palette) -> RGB:
    """RGB for a 0–100 score on the palette's scale, clamped; grey for None/NaN (for pydeck)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return _NONE_GREY.get(pal.name, hex_to_rgb(pal.neutral))
    t = min(max(float(score), 0.0), 100.0) / 100.0
    stops = [hex_to_rgb(c) for c in pal.score_scale]
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    a, b = stops[i], stops[i + 1]
    return (round(a[0] + (b[0] - a[0]) * f), round(a[1] + (b[1] - a[1]) * f), round(a[2] + (b[2] - a[2]) * f))


def score_color_hex(score: float | None, pal: Palette) -> str:
    """Hex form of ``score_color``."""
    return rgb_to_hex(score_color(score, pal))


@functools.lru_cache(maxsize=8)
def plotly_template(pal: Palette, big_screen: bool | None = None) -> go.layout.Template:
    """Plotly template: local CJK font, transparent backgrounds, faint grid, module colorway (built once per
    palette and size; figures copy it when it is set, so the shared one is never changed).

    Sizes are readable from 5 m on a 1080p wall when ``big_screen`` (defaults to pal is DARK).
    """
    big = (pal.name == "dark") if big_screen is None else big_screen
    base, title, tick = (20, 24, 18) if big else (14, 16, 13)
    axis = {
        "gridcolor": pal.grid,
        "zerolinecolor": pal.grid,
        "linecolor": pal.border,
        "tickfont": {"size": tick, "color": pal.muted},
        "title": {"font": {"size": tick, "color": pal.muted}},
        "automargin": True,
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": base, "color": pal.text},
            "title": {"font": {"size": title, "color": pal.text}, "x": 0.0, "xanchor": "left"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "colorway": pal.colorway,
            "colorscale": {"sequential": pal.plotly_colorscale()},
            "xaxis": axis,
            "yaxis": axis,
            "legend": {"font": {"size": tick, "color": pal.text}, "bgcolor": "rgba(0,0,0,0)"},
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": tick}},
            "margin": {"l": 8, "r": 8, "t": 40 if big else 32, "b": 8},
        }
    )


def apply(fig: go.Figure, pal: Palette, big_screen: bool | None = None) -> go.Figure:
    """Set the palette's template on ``fig`` (in place) and return it, for chaining.

    Plotly Express fixes discrete trace colours when the figure is built: for module colours pass
    ``template=plotly_template(pal)`` (or ``color_discrete_map=pal.modules``) to ``px.*`` as well.
    Render with ``st.plotly_chart(fig, theme=None)``: Streamlit's default ``theme="streamlit"``
    overrides the template's fonts and sizes.
    """
    fig.update_layout(template=plotly_template(pal, big_screen))
    return fig


def _kpi_css(pal: Palette, big: bool) -> str:
    value = "3.4rem" if big else "2rem"
    label = "1.25rem" if big else "0.9rem"
    delta = "1.2rem" if big else "0.85rem"
    return f"""
.kpi {{ background:{pal.panel}; border:1px solid {pal.border}; border-radius:6px;
  padding:{"0.9rem 1.1rem" if big else "0.6rem 0.8rem"}; line-height:1.15; }}
.kpi .label {{ color:{pal.muted}; font-size:{label}; letter-spacing:0.02em; }}
.kpi .value {{ color:{pal.text}; font-size:{value}; font-weight:700;
  font-variant-numeric:tabular-nums; font-feature-settings:"tnum"; white-space:nowrap; }}
.kpi .value .unit {{ font-size:0.45em; font-weight:400; color:{pal.muted}; margin-left:0.2em; }}
.kpi .delta {{ font-size:{delta}; font-variant-numeric:tabular-nums; color:{pal.muted}; }}
.kpi .delta.up {{ color:{pal.good}; }}
.kpi .delta.down {{ color:{pal.bad}; }}
.kpi .delta.good {{ color:{pal.good}; }}
.kpi .delta.warn {{ color:{pal.warn}; }}
.kpi .delta.bad {{ color:{pal.bad}; }}
.kpi .delta.up::before {{ content:"▲ "; }}
.kpi .delta.down::before {{ content:"▼ "; }}
"""


def _panel_css(pal: Palette, big: bool) -> str:
    glow = f"box-shadow: inset 0 0 18px {pal.accent}22;" if big else ""
    return f"""
.panel {{ background:{pal.panel}; border:1px solid {pal.border}; border-radius:6px;
  padding:{"0.7rem 0.9rem" if big else "0.5rem 0.75rem"}; {glow} }}
.panel > .title, .panel-title {{ color:{pal.accent if big else pal.text}; font-weight:700;
  font-size:{"1.35rem" if big else "1rem"}; margin:0 0 0.4rem 0; padding-left:0.5rem;
  border-left:3px solid {pal.accent}; line-height:1.2; }}
"""


def _ticker_css(pal: Palette, big: bool) -> str:
    return f"""
.ticker {{ overflow:hidden; white-space:nowrap; position:relative;
  border:1px solid {pal.border}; border-radius:6px; background:{pal.panel};
  font-size:{"1.3rem" if big else "0.95rem"}; padding:0.35rem 0; }}
.ticker .track {{ display:inline-block; padding-left:100%;
  animation:xc-marquee var(--ticker-duration, 40s) linear infinite; }}
.ticker:hover .track {{ animation-play-state:paused; }}
.ticker .item {{ margin-right:2.5em; font-variant-numeric:tabular-nums; }}
.ticker .item.overdue, .ticker .item.bad {{ color:{pal.bad}; }}
.ticker .item.warn {{ color:{pal.warn}; }}
.ticker .item.good {{ color:{pal.good}; }}
@keyframes xc-marquee {{ from {{ transform:translateX(0); }} to {{ transform:translateX(-100%); }} }}
@media (prefers-reduced-motion: reduce) {{ .ticker .track {{ animation:none; padding-left:0; }} }}
"""


def _crumbs_css(pal: Palette, big: bool) -> str:
    return f"""
.crumbs {{ color:{pal.muted}; font-size:{"1.2rem" if big else "0.95rem"}; margin:0.1rem 0 0.4rem 0; }}
.crumbs a, .crumbs .level {{ color:{pal.accent}; text-decoration:none; }}
.crumbs .current {{ color:{pal.text}; font-weight:700; }}
.crumbs .sep {{ margin:0 0.4em; color:{pal.muted}; }}
"""


def _search_css(pal: Palette) -> str:
    """Find-anything hits in the sidebar (buttons keyed find-hit-N): a left-aligned list that reads as links."""
    return f"""
[class*="st-key-find-hit-"] button {{ justify-content:flex-start; text-align:left; color:{pal.accent};
  padding:0.15rem 0.25rem; min-height:0; }}
[class*="st-key-find-hit-"] button > div, [class*="st-key-find-hit-"] button [data-testid="stMarkdownContainer"] {{
  justify-content:flex-start; width:100%; }}
[class*="st-key-find-hit-"] button p {{ text-align:left; width:100%; }}
[class*="st-key-find-hit-"] button:hover p {{ text-decoration:underline; }}
"""


def _big_screen_css(pal: Palette) -> str:
    # Hide Streamlit chrome and the running indicator; the wall shows the dashboard only.
    return f"""
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], [data-testid="stMainMenu"], footer {{ display:none !important; }}
[data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background:{pal.background}; color:{pal.text}; }}
[data-testid="stMainBlockContainer"], .block-container {{ padding:0.6rem 1.2rem 0.4rem 1.2rem !important;
  max-width:100% !important; }}
html {{ font-size:18px; }}
body, [data-testid="stApp"] {{ font-family:{FONT_FAMILY}; overflow:hidden; }}
.title-bar {{ text-align:center; color:{pal.text}; font-size:2.2rem; font-weight:700;
  letter-spacing:0.12em; padding:0.3rem 0; border-bottom:2px solid {pal.accent};
  background:linear-gradient(90deg, transparent, {pal.accent}22, transparent); }}
.title-bar .tt {{ display:block; white-space:nowrap; line-height:1.3; }}
.title-bar .meta {{ display:block; font-size:1.15rem; font-weight:400; letter-spacing:0.02em;
  color:{pal.muted}; font-variant-numeric:tabular-nums; }}
{_flash_css(pal)}
{_wall_css(pal)}
"""


def _wall_css(pal: Palette) -> str:
    # 大屏 page parts: page heading, ranking table (.mxt), module best/worst cards (.mxb), dark widgets.
    return f"""
h1.page-head {{ color:{pal.text}; font-size:1.9rem !important; font-weight:700; line-height:1.2;
  margin:0.1rem 0 !important; padding:0 !important; }}
.page-head .month {{ color:{pal.accent}; }}
.mxt {{ width:100%; border-collapse:collapse; font-size:1.3rem; color:{pal.text};
  font-variant-numeric:tabular-nums; background:{pal.panel}; border:1px solid {pal.border}; }}
.mxt th {{ color:{pal.muted}; font-size:1rem; word-break:keep-all; font-weight:600; text-align:left; padding:0.35rem 0.5rem;
  border-bottom:2px solid {pal.accent}; background:{pal.accent}1a; line-height:1.15; }}
.mxt td {{ padding:0.28rem 0.5rem; border-bottom:1px solid {pal.border}66; white-space:nowrap; overflow:hidden;
  text-overflow:ellipsis; }}
.mxt .rk {{ padding-left:0.2rem; padding-right:0.2rem; }}
.mxt tbody tr:nth-child(even) {{ background:{pal.background}99; }}
.mxt .num {{ text-align:right; font-weight:700; }}
.mxt .rk {{ text-align:center; color:{pal.accent}; font-weight:700; }}
.mxt .nm {{ font-weight:600; overflow:hidden; text-overflow:ellipsis; }}
.mxt .mv {{ font-size:0.72em; margin-left:0.3em; font-weight:400; }}
.mxt .mv.up {{ color:{pal.good}; }} .mxt .mv.down {{ color:{pal.bad}; }}
.mxt-more {{ color:{pal.muted}; font-size:1.1rem; padding:0.3rem 0.5rem; }}
.mxb {{ background:{pal.panel}; border:1px solid {pal.border}; border-radius:6px; padding:0.35rem 0.7rem;
  margin-bottom:0.45rem; font-size:1.15rem; line-height:1.45; color:{pal.text}; }}
.mxb > div {{ white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.mxb .panel-title {{ font-size:1.2rem; margin-bottom:0.15rem; display:block; }}
.mxb b {{ color:{pal.good}; }} .mxb i {{ color:{pal.bad}; font-style:normal; }}
.mxb small {{ color:{pal.muted}; font-size:0.8em; }}
[data-baseweb="select"] > div {{ background:{pal.panel}; color:{pal.text}; border-color:{pal.border}; }}
[data-baseweb="popover"] ul, [data-baseweb="popover"] li {{ background:{pal.panel}; color:{pal.text}; }}
[data-testid="stHeading"] h3 {{ color:{pal.text}; font-size:1.5rem; padding:0.2rem 0; }}
[data-testid="stPageLink-NavLink"] {{ background:{pal.panel}; border:1px solid {pal.accent}8c; border-radius:6px;
  padding:0.6rem 0.9rem; justify-content:center; }}
[data-testid="stPageLink-NavLink"] p, [data-testid="stPageLink-NavLink"] span {{ color:{pal.text}; font-size:1.3rem;
  font-weight:600; }}
[data-testid="stPageLink-NavLink"]:hover {{ background:{pal.accent}26; }}
"""


def _flash_css(pal: Palette) -> str:
    # 大屏 alert flash (ui/alert_flash.py) and carousel bar (ui/carousel.py): legible from 5 m.
    return f"""
.alert-flash {{ display:flex; align-items:center; gap:1.2rem; border:2px solid {pal.bad}; border-radius:6px;
  padding:0.25rem 0.8rem; color:#fff; background:#7a0f1c; animation:xc-flash 1.2s ease-in-out infinite; }}
.alert-flash .head {{ display:flex; flex-direction:column; min-width:0; flex:0 1 auto; max-width:60rem; }}
.alert-flash .head .line {{ display:flex; align-items:baseline; gap:0.9rem; min-width:0; }}
.alert-flash .count {{ white-space:nowrap; font-size:1.45rem; font-weight:700; line-height:1.2; }}
.alert-flash .since {{ font-size:1rem; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; min-width:0; }}
.alert-flash .why {{ font-size:1rem; line-height:1.2; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.alert-flash .groups {{ flex:1; min-width:0; font-size:1.3rem; font-weight:700; }}
.alert-flash .groups .rot > .pg {{ padding-bottom:0; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.alert-flash .groups .pgno {{ color:#fff; font-size:0.95rem; font-weight:400; position:static; margin-left:0.6rem; }}
.alert-flash .item {{ margin-right:1.6rem; }}
@keyframes xc-flash {{ 0%, 100% {{ border-color:{pal.bad}; box-shadow:0 0 14px {pal.bad}; }}
  50% {{ border-color:#7a0f1c; box-shadow:none; }} }}
@media (prefers-reduced-motion: reduce) {{ .alert-flash {{ animation:none; }} }}
.flash-hint {{ color:{pal.muted}; font-size:1rem; line-height:1.2; text-align:center; }}
.carousel-status {{ color:{pal.accent}; font-size:1.25rem; font-weight:600; line-height:1.25;
  font-variant-numeric:tabular-nums; }}
[data-testid="stButton"] button p {{ font-size:1.2rem; font-weight:600; }}
[data-testid="stBaseButton-secondary"] {{ background:{pal.panel}; color:{pal.text}; border:1px solid {pal.accent}; }}
[data-testid="stBaseButton-secondary"]:hover {{ color:{pal.accent}; border-color:{pal.accent}; }}
[data-testid="stBaseButton-tertiary"] {{ color:{pal.muted}; }}
[data-testid="stCaptionContainer"] {{ font-size:1rem; color:{pal.muted}; }}
[data-testid="stWidgetLabel"] p {{ color:{pal.muted}; font-size:1rem; }}
"""


def css(pal: Palette, big_screen: bool) -> str:
    """A ``<style>`` block for .kpi, .panel, .ticker, .crumbs (and the 大屏 chrome when big_screen).

    Markup it styles::

        <div class="kpi"><div class="label">任务完成率</div>
          <div class="value">92.4<span class="unit">%</span></div>
          <div class="delta up">1.2</div></div>      # up/down draw ▲/▼; add good/warn/bad to
                                                      # override the colour (e.g. "down good")
        <div class="panel"><div class="title">模块排名</div>…</div>
        <div class="ticker" style="--ticker-duration:60s"><div class="track">
          <span class="item overdue">…</span>…</div></div>   # pauses on hover
        <div class="crumbs"><span class="level">某市</span><span class="sep">›</span>
          <span class="current">某县</span></div>
        <div class="title-bar">某县 驾驶舱<span class="meta">数据截至 …</span></div>  # big screen
    """
    parts = [
        f":root {{ --xc-accent:{pal.accent}; --xc-good:{pal.good}; --xc-warn:{pal.warn}; "
        f"--xc-bad:{pal.bad}; --xc-panel:{pal.panel}; --xc-border:{pal.border}; }}",
        _kpi_css(pal, big_screen),
        _panel_css(pal, big_screen),
        _ticker_css(pal, big_screen),
        _crumbs_css(pal, big_screen),
        _search_css(pal),
    ]
    if big_screen:
        parts.append(_big_screen_css(pal))
    return "<style>" + "".join(parts) + "</style>"
