"""Helpers for the 我的工作台 browser tests: sign in through the form, drive Streamlit widgets, read tiles."""

from __future__ import annotations

import re

from harness.browser import new_page, wait_idle

PASSWORD = "xingcun2026"
CLOCK = "2026-10-31T15:00:00"  # the injected clock: the demo's live day, so the writes land in the month on screen


def signed_in(browser, url: str, username: str):
    """A fresh 1920×1080 page signed in as `username` through the sign-in form (no cookie shortcut)."""
    bp = new_page(browser)
    bp.username = None
    page = bp.page
    page.goto(url + "/", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=120_000)
    page.wait_for_selector("input[type='password']", timeout=60_000)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    wait_idle(page, timeout_ms=120_000)
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
    return bp


def goto(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=120_000)


def section(page, label: str) -> None:
    """Open a desk section by the start of its label (the label carries a count)."""
    page.get_by_role("radio", name=re.compile("^" + re.escape(label))).first.click()
    wait_idle(page)


def choose(page, label: str, text: str) -> None:
    """Pick the option containing `text` in the select box or multiselect labelled `label`."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(text)
    page.get_by_role("option", name=re.compile(re.escape(text))).first.click()
    page.wait_for_timeout(300)


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    wait_idle(page)


def alert_text(page, kind: str) -> str:
    """Text of every success / error box on the page."""
    test_id = {"ok": "stAlertContentSuccess", "err": "stAlertContentError", "warn": "stAlertContentWarning"}[kind]
    return " ".join(e.inner_text() for e in page.query_selector_all(f"[data-testid='{test_id}']"))


def tiles(page) -> dict[str, str]:
    """The cockpit KPI tiles: label → value text."""
    out = {}
    for tile in page.query_selector_all(".kpi-row > div"):
        lines = [x.strip() for x in tile.inner_text().splitlines() if x.strip()]
        if len(lines) >= 2:
            out[lines[0]] = " ".join(lines[1:])
    return out


def set_date(page, label: str, year: int, month: int, day: int) -> None:
    """Type a day into the segmented date field labelled `label` (year, month, day segments)."""
    for part, value in (("year", f"{year:04d}"), ("month", f"{month:02d}"), ("day", f"{day:02d}")):
        seg = page.get_by_role("spinbutton", name=f"{part}, {label}")
        seg.click()
        page.keyboard.type(value)
    page.wait_for_timeout(200)
