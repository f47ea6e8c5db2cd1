"""Server-drawn SVG in the page (no iframe, no WebGL); on a map, a click on an area drills into it.

`st.html` sanitises with the HTML profile only and drops `<svg>`, so a tiny `st.components.v2`
component puts the markup from ui.svg in place. On a map it sends back the code of the area clicked,
as a trigger (one rerun per click, like pydeck's selection).
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
  const { setTriggerValue, data, parentElement } = component;
  const box = parentElement.querySelector(".xc-svg-box");
  if (box.__xcSvg !== data.svg) { box.innerHTML = data.svg; box.__xcSvg = data.svg; }
  if (!data.clickable) return;
  const click = (event) => {
    const area = event.target.closest && event.target.closest("[data-code]");
    if (area) setTriggerValue("picked", area.getAttribute("data-code"));
  };
  box.addEventListener("click", click);
  return () => box.removeEventListener("click", click);
}
"""
_CSS = """
.xc-svg-box .xc-map-area { cursor: pointer; transition: fill-opacity 0.15s; }
.xc-svg-box .xc-map-area:hover { fill-opacity: 0.65; stroke-width: 4; }
.xc-svg-box .mxd-box { max-height: 22rem; overflow-y: auto; border: 1px solid var(--xc-border); border-radius: 6px;
  background: var(--xc-panel); }
.xc-svg-box .mxd { width: 100%; border-collapse: collapse; font-size: 0.95rem; font-variant-numeric: tabular-nums; }
.xc-svg-box .mxd th { position: sticky; top: 0; background: var(--xc-panel); font-weight: 600; text-align: left;
  padding: 0.4rem 0.5rem; border-bottom: 2px solid var(--xc-accent); white-space: nowrap; z-index: 1; }
.xc-svg-box .mxd td { padding: 0.3rem 0.5rem; border-bottom: 1px solid rgba(28, 39, 51, 0.08); white-space: nowrap; }
.xc-svg-box .mxd .num { text-align: right; font-weight: 700; }
.xc-svg-box .mxd .rk { width: 3em; text-align: center; color: var(--xc-accent); font-weight: 700; }
.xc-svg-box .mxd .nm { font-weight: 600; }
.xc-svg-box .mxd small { font-weight: 400; opacity: 0.6; margin-left: 0.35em; font-size: 0.78em; }
.xc-svg-box .mxd .mv { font-size: 0.75em; margin-left: 0.3em; font-weight: 400; }
.xc-svg-box .mxd .mv.up { color: var(--xc-good); } .xc-svg-box .mxd .mv.down { color: var(--xc-bad); }
.xc-svg-box .mxd tbody tr { cursor: pointer; }
.xc-svg-box .mxd tbody tr:hover { background: rgba(31, 95, 191, 0.08); }
"""
_svg_widget = st.components.v2.component("xc_svg", html="<div class='xc-svg-box'></div>", js=_JS, css=_CSS,
                                         isolate_styles=False)


def show_svg(svg: str, key: str) -> None:
    """Show a drawing (a trend, a legend)."""
    _svg_widget(key=key, data={"svg": svg, "clickable": False})


def clickable_map(svg: str, key: str) -> str | None:
    """Show a map (or a table whose rows carry `data-code`); the code clicked in this run, else None."""
    event = _svg_widget(key=key, data={"svg": svg, "clickable": True}, on_picked_change=lambda: None)
    picked = getattr(event, "picked", None)
    return str(picked) if picked else None
