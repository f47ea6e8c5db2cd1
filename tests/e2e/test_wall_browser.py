"""Every carousel view on the wall (?screen=big, 1920×1080, signed in as the read-only screen_viewer, zh and
en): nothing scrolls, no input widget, every visible text ≥ 4.5:1 against its background and ≥ 16 px, no
request leaves the machine; the same view at 3840×2160 is saved under tests/artifacts/wall-*.png. The
carousel goes round all six views and a click holds it. The flash count is the same on two views of one
minute and says what it counts.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from harness.browser import ARTIFACTS, assert_only_local, new_page, screenshot, sign_in

VIEWS = ("cockpit", "rankings", "map", "tasks", "leaders", "appeals", "scenes")
LOAD_MS = 180_000
MIN_CONTRAST = 4.5
MIN_FONT_PX = 16.0
INPUTS = ("input:not([type=hidden]), select, textarea, [data-baseweb='select'], [data-baseweb='input'], "
          "[data-testid='stDataFrame'], [data-testid='stDataEditor'], [data-testid='stDateInput'], "
          "[data-testid='stNumberInput'], [data-testid='stTextInput'], [data-testid='stSelectbox'], "
          "[data-testid='stMultiSelect'], [data-testid='stSlider'], [data-testid='stCheckbox'], "
          "[data-testid='stToggle'], [data-testid='stRadio'], [data-testid='stSegmentedControl'], .glideDataEditor")

#: For every visible text node: its text, colour, the background it sits on (composited up the tree; an SVG
#: label with a halo (paint-order: stroke) sits on its stroke), and its drawn font size (SVG: times the
#: element's scale on screen).
AUDIT_JS = """() => {
  const parse = (c) => { const m = c && c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const page = parse(getComputedStyle(document.querySelector("[data-testid='stApp']")).backgroundColor) || [255, 255, 255, 1];
  const background = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (e instanceof SVGElement && e.tagName !== "svg") {
        if (e === el && s.paintOrder.startsWith("stroke") && s.stroke !== "none") { const c = parse(s.stroke); if (c) { layers.push(c); break; } }
        continue;
      }
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [page[0], page[1], page[2], 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || ["SCRIPT", "STYLE", "NOSCRIPT", "title", "TITLE"].includes(el.tagName)) continue;
    if (el.closest("title, style, script, [aria-hidden='true']")) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) continue;
    let hidden = false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.visibility === "hidden" || s.display === "none" || Number(s.opacity) === 0) { hidden = true; break; }
      // screen-reader-only text (Streamlit's "Skip to main content"): clipped to nothing or a 1 px box
      const box = e.getBoundingClientRect();
      if (s.clip.startsWith("rect(0") || (s.overflow === "hidden" && box.width <= 1 && box.height <= 1)) { hidden = true; break; }
    }
    if (hidden) continue;
    const s = getComputedStyle(el);
    const isSvg = el instanceof SVGElement;
    const fg = parse(isSvg && s.fill !== "none" ? s.fill : s.color);
    const bg = background(el);
    let size = parseFloat(s.fontSize);
    if (isSvg && el.getScreenCTM) { const m = el.getScreenCTM(); size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)); }
    out.push({text: text.slice(0, 40), contrast: fg ? ratio(over(fg, bg), bg) : 21, size,
              fg: s.color, tag: el.tagName, cls: String(el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className)});
  }
  return out;
}"""

HEIGHT_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const block = document.querySelector("[data-testid='stMainBlockContainer']");
  return Math.max(main ? main.scrollHeight : 0, block ? block.getBoundingClientRect().bottom : 0,
                  document.scrollingElement.scrollHeight);
}"""


#: XINGCUN_WALL_DB=/path/to/county.db runs the same checks on a bigger database (screenshots get its name).
OTHER_DB = os.environ.get("XINGCUN_WALL_DB", "")
TAG = f"-{Path(OTHER_DB).stem}" if OTHER_DB else ""


@pytest.fixture(scope="module")
def wall_db(tmp_path_factory) -> Path:
    from seed.cli import main as seed_main

    if OTHER_DB:
        return Path(OTHER_DB)
    path = tmp_path_factory.mktemp("wall") / "tiny.db"
    assert seed_main(["--preset", "tiny", "--out", str(path), "--quiet"]) == 0
    return path


@pytest.fixture(scope="module")
def wall_url(start_app, wall_db) -> str:
    return start_app(env={"DATABASE_URL": f"sqlite:///{wall_db}"}).url


def _url(base: str, view: str, lang: str, extra: str = "") -> str:
    path = "" if view == "cockpit" else view
    return f"{base}/{path}?screen=big" + ("&lang=en" if lang == "en" else "") + extra


def _open(browser, url: str, scale: float = 1.0):
    bp = new_page(browser, device_scale_factor=scale)
    bp.username = "screen_viewer"
    bp.open(url, timeout_ms=LOAD_MS)
    page = bp.page
    page.wait_for_selector(".title-bar", timeout=LOAD_MS)
    page.wait_for_selector(".wall, .mxt", timeout=LOAD_MS)
    page.wait_for_timeout(1500)  # the map's canvas and the SVG boards draw after the script run
    return bp


def _open_plain(browser, url: str):
    bp = new_page(browser)
    bp.username = "screen_viewer"
    bp.open(url, timeout_ms=LOAD_MS)
    bp.page.wait_for_selector(".title-bar", timeout=LOAD_MS)
    return bp


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", VIEWS)
def test_wall_view_fits_reads_and_has_no_inputs(wall_url, chromium_browser, view, lang):
    bp = _open(chromium_browser, _url(wall_url, view, lang))
    page = bp.page
    assert not page.query_selector("[data-testid='stException']")
    height = page.evaluate(HEIGHT_JS)
    assert height <= 1080, f"{view}/{lang}: the main area is {height:.0f} px tall (scrolls)"
    inputs = page.evaluate(f"() => [...document.querySelectorAll({INPUTS!r})].map(e => e.outerHTML.slice(0, 120))")
    assert not inputs, f"{view}/{lang}: input widgets on the wall: {inputs}"
    texts = page.evaluate(AUDIT_JS)
    assert len(texts) > 30, f"{view}/{lang}: only {len(texts)} text nodes seen: the audit saw nothing"
    low = [x for x in texts if x["contrast"] < MIN_CONTRAST]
    assert not low, f"{view}/{lang}: text below {MIN_CONTRAST}:1: " + "; ".join(
        f"{x['text']!r} {x['contrast']:.2f} ({x['tag']}.{x['cls']})" for x in low[:12])
    small = [x for x in texts if x["size"] < MIN_FONT_PX - 0.05]
    assert not small, f"{view}/{lang}: text below {MIN_FONT_PX} px: " + "; ".join(
        f"{x['text']!r} {x['size']:.1f}px ({x['tag']}.{x['cls']})" for x in small[:12])
    assert_only_local(bp.requests)
    _record(f"{view}-{lang}{TAG}", {"height_px": round(height), "text_nodes": len(texts),
                                    "min_font_px": round(min(x["size"] for x in texts), 1),
                                    "min_contrast": round(min(x["contrast"] for x in texts), 2),
                                    "requests": len(bp.requests)})
    page.context.close()
    big = _open(chromium_browser, _url(wall_url, view, lang), scale=2)
    screenshot(big.page, f"wall-{view}-3840x2160-{lang}{TAG}")
    assert big.page.evaluate(HEIGHT_JS) <= 1080
    assert_only_local(big.requests)
    big.page.context.close()


def _record(name: str, figures: dict) -> None:
    """Keep what a view measured in tests/artifacts/wall-audit.json (the closing note quotes it)."""
    path = ARTIFACTS / "wall-audit.json"
    seen = json.loads(path.read_text()) if path.exists() else {}
    seen[name] = figures
    path.write_text(json.dumps(seen, indent=1, ensure_ascii=False, sort_keys=True))


def _status(page) -> str:
    el = page.query_selector(".carousel-status")
    try:
        return el.inner_text().strip() if el else ""
    except Exception:  # noqa: BLE001 — detached between the query and the read
        return ""


def _wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def test_carousel_goes_round_every_wall_view_and_holds_on_a_click(wall_url, chromium_browser):
    dwell = 6
    url = _url(wall_url, "cockpit", "en", f"&carousel={','.join(VIEWS)}&dwell={dwell}")
    bp = new_page(chromium_browser)
    page = bp.page
    sign_in(page.context, url, "screen_viewer")
    page.goto(url, wait_until="domcontentloaded")
    seen: list[str] = []

    def went_round() -> bool:
        path = page.evaluate("location.pathname").strip("/") or "cockpit"
        if path in VIEWS and (not seen or seen[-1] != path):
            seen.append(path)
        return set(VIEWS) <= set(seen)

    _wait_for(went_round, 60 + len(VIEWS) * (dwell + 30), "the carousel to show every view")
    assert seen[: len(VIEWS)] == list(VIEWS), seen  # in the order given
    page.wait_for_selector(".title-bar", timeout=LOAD_MS)
    _wait_for(lambda: "Next" in _status(page), 60, "the countdown")
    page.click(".title-bar")
    _wait_for(lambda: "resumes in" in _status(page), 30, "the hold after a click")
    held = page.evaluate("location.pathname")
    time.sleep(dwell * 2)
    assert page.evaluate("location.pathname") == held
    assert_only_local(bp.requests)
    page.context.close()


FLASH_WORDS = {"zh": (("以来", "尚无人确认"), "计："), "en": (("since ", "none acknowledged"), "Counts:")}


def _flash(browser, url: str, lang: str) -> tuple[str, int]:
    """Open a wall view, check its flash says since when and what it counts, in full; (minute, count)."""
    bp = _open(browser, url)
    page = bp.page
    flash = page.wait_for_selector(".alert-flash", timeout=LOAD_MS)
    got = (flash.get_attribute("data-minute"), int(flash.get_attribute("data-count")))
    since, why = page.inner_text(".alert-flash .since"), page.inner_text(".alert-flash .why")
    (since_words, counts_word) = FLASH_WORDS[lang]
    assert any(w in since for w in since_words), since  # since when
    assert why.startswith(counts_word) and why.count("7") >= 2, why  # what it counts (7 days overdue, last 7 days)
    for part in (".count", ".since", ".why"):  # shown whole: nothing cut off with an ellipsis
        assert page.evaluate(f"() => {{ const e = document.querySelector('.alert-flash {part}'); "
                             "return e.scrollWidth <= e.clientWidth + 1; }"), f"the flash's {part} is cut off ({lang})"
    assert page.query_selector(".alert-flash .groups .item"), "no region/kind groups in the flash"
    page.context.close()
    return got


def test_flash_count_is_the_same_on_two_views_of_one_minute_and_says_what_it_counts(wall_url, chromium_browser):
    seen = []
    for _ in range(3):  # two views opened one after the other; again when a minute turned between them
        first = _flash(chromium_browser, _url(wall_url, "tasks", "zh"), "zh")
        second = _flash(chromium_browser, _url(wall_url, "leaders", "en"), "en")
        seen.append((first, second))
        if first[0] == second[0]:
            assert first[1] == second[1], f"flash said {first[1]} then {second[1]} within {first[0]}"
            return
    pytest.fail(f"no two views opened within one minute: {seen}")


def test_a_page_without_a_wall_layout_says_so_on_the_wall(wall_url, chromium_browser):
    bp = _open_plain(chromium_browser, _url(wall_url, "regions", "zh"))
    page = bp.page
    assert "没有大屏版式" in page.inner_text("[data-testid='stMain']")
    assert not page.evaluate(f"() => document.querySelectorAll({INPUTS!r}).length")
    assert page.evaluate(HEIGHT_JS) <= 1080
    screenshot(page, f"wall-regions-desk-only-1920x1080-zh{TAG}")
    page.get_by_text("网格地图", exact=True).click()
    page.wait_for_selector(".wall", timeout=LOAD_MS)
    # Streamlit writes the new page's path into the address bar after it draws it
    page.wait_for_function("() => location.pathname.replace(/\\/$/, '').endsWith('/map')", timeout=30_000)
    assert "screen=big" in page.url
    assert_only_local(bp.requests)
    page.context.close()
