"""The #19 probe suite in real browsers (system Chromium against `streamlit run`); prints its figures (pytest -s).

- 8 browsers sign in through the form at once while 8 threads send 催办 into the same database:
  0 tracebacks, 0 `database is locked` (on screen or in the server log), 8 signed in;
- 50 fuzzed query parameters across every page: 0 tracebacks;
- a Markdown image (and an HTML one) in every free-text field: 0 requests to the outside host, on every
  page and on the sign-in screen.
(Every export: 0 live formula cells — tests/security/test_exports.py.)
"""

from __future__ import annotations

import itertools
import re
import shutil
import threading
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.config import REPO_ROOT
from harness.browser import new_page, start_server, wait_idle
from tests.security.poison import OUTSIDE_HOST, image, poison

pytestmark = pytest.mark.e2e
playwright_api = pytest.importorskip("playwright.sync_api")

#: Every page the app registers (app.py's url paths; the sign-in page is opened signed out), and the root.
PAGES = ["", *(p for p in re.findall(r'url_path="([a-z_]*)"', (REPO_ROOT / "app.py").read_text()) if p != "login")]
USERS = ("county_admin", "town_admin", "town_party_deputy", "town_leader", "stationed_cadre", "line_cadre",
         "village_admin", "village_secretary")
SUBMIT = "登录"
TRACE_WORDS = ("Traceback", 'File "/', "database is locked", "OperationalError")


@pytest.fixture
def chromium(chromium_browser):
    """The session's one Chromium (tests/conftest.py)."""
    return chromium_browser


def _traceback_on(page) -> list[str]:
    found = [f"{len(page.query_selector_all('[data-testid=stException]'))} exception element(s)"] \
        if page.query_selector("[data-testid='stException']") else []
    body = page.inner_text("[data-testid='stApp']")
    return found + [w for w in TRACE_WORDS if w in body]


def test_eight_browsers_sign_in_while_eight_threads_write(chromium, tiny_copy):
    from core import workflow
    from core.actors import first_actor
    from core.config import AuthConfig
    from core.db import make_engine, session_scope

    url_db = tiny_copy()
    server = start_server(env={"DATABASE_URL": url_db})
    engine = make_engine(url_db)
    pages = [new_page(chromium) for _ in USERS]
    stop, writes, write_errors = threading.Event(), [], []
    try:
        for bp in pages:
            bp.page.goto(server.url + "/", timeout=120_000)
        for bp in pages:
            bp.page.wait_for_selector("input[type='password']", timeout=120_000)
        with Session(engine) as s:
            admin = first_actor(s, "county_admin")
            tasks = [int(r[0]) for r in s.execute(sa.text(
                "SELECT id FROM task WHERE status IN ('dispatched', 'signed', 'in_progress') ORDER BY id LIMIT 64"))]

        def writer(k: int) -> None:
            for n in itertools.count():
                if stop.is_set():
                    return
                try:
                    with session_scope(engine, write=True) as s:  # as ui/tasks_data.py sends 催办 (BEGIN IMMEDIATE)
                        workflow.urge(s, actor=admin, task_id=tasks[(k * 8 + n) % len(tasks)], note=f"并发 {k}-{n}",
                                      now=datetime(2026, 10, 31, 10) + timedelta(seconds=k * 10_000 + n))
                    writes.append(1)
                except Exception as err:  # noqa: BLE001 — counted and shown
                    write_errors.append(repr(err)[:160])

        threads = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(8)]
        for th in threads:
            th.start()
        for bp, user in zip(pages, USERS, strict=True):
            bp.page.get_by_label("用户名", exact=True).fill(user)
            bp.page.get_by_label("密码", exact=True).fill(AuthConfig().demo_password)
        for bp in pages:  # the eight submits leave within milliseconds of each other
            bp.page.get_by_role("button", name=SUBMIT, exact=True).click(no_wait_after=True)
        signed_in, tracebacks = 0, []
        for bp, user in zip(pages, USERS, strict=True):
            wait_idle(bp.page, timeout_ms=180_000)
            bp.page.wait_for_function("!document.querySelector(\"input[type='password']\")", timeout=180_000)
            wait_idle(bp.page, timeout_ms=180_000)
            tracebacks += [f"{user}: {w}" for w in _traceback_on(bp.page)]
            signed_in += 1
        stop.set()
        for th in threads:
            th.join(timeout=30)
        log = server.log_path.read_text(errors="replace")
        locked = log.count("database is locked") + sum("locked" in e for e in write_errors)
        print(f"\nprobe: 8 browsers signing in while 8 threads write: {signed_in} of 8 signed in, "
              f"{len(tracebacks)} tracebacks, {locked} 'database is locked'; {len(writes)} 催办 written meanwhile, "
              f"{len(write_errors)} writer errors")
        assert tracebacks == [] and locked == 0 and signed_in == 8 and write_errors == [], write_errors[:3]
    finally:
        stop.set()
        for bp in pages:
            bp.page.context.close()
        engine.dispose()
        server.stop()


FUZZ_VALUES = ["²", "inf", "nan", "-1", "9" * 40, "'; DROP TABLE task;--", "<script>alert(1)</script>", "%00",
               "2026-13-45", "３３０６２４", "../../etc/passwd", "{{7*7}}", "[]", "1e309", " "]
FUZZ_NAMES = ["region", "period", "as_of", "screen", "lang", "carousel", "dwell", "metric", "embed", "embed_options",
              "village", "task", "level", "module", "kind"]


def fuzz_cases(n: int = 50) -> list[tuple[str, str, str]]:
    """`n` (page, parameter, value) triples: every page, every parameter name and every value turn up."""
    names, values = itertools.cycle(FUZZ_NAMES), itertools.cycle(FUZZ_VALUES)
    return [(PAGES[i % len(PAGES)], next(names), next(values)) for i in range(n)]


def test_fifty_fuzzed_query_parameters_show_no_traceback(chromium, tiny_copy):
    from harness.browser import sign_in

    url_db = tiny_copy()
    server = start_server(env={"DATABASE_URL": url_db})
    bp = new_page(chromium)
    found: list[str] = []
    try:
        sign_in(bp.page.context, server.url, "county_admin", url_db)
        cases = fuzz_cases()
        for path, name, value in cases:
            extra = "&screen=big&carousel=cockpit" if name == "dwell" else ""
            bp.page.goto(f"{server.url}/{path}?{name}={quote(value)}{extra}", timeout=120_000)
            wait_idle(bp.page, timeout_ms=120_000)
            found += [f"/{path}?{name}={value!r}: {w}" for w in _traceback_on(bp.page)]
        print(f"\nprobe: {len(cases)} fuzzed query parameters over {len({c[0] for c in cases})} pages: "
              f"{len(found)} tracebacks")
        assert found == []
    finally:
        bp.page.context.close()
        server.stop()


def test_a_markdown_image_in_every_text_field_makes_no_outside_request(chromium, tiny_db_path, tmp_path):
    db = tmp_path / "image.db"
    shutil.copy(tiny_db_path, db)
    poisoned = poison(db, image)
    server = start_server(env={"DATABASE_URL": f"sqlite:///{db}"})
    opened: list[str] = []
    try:
        signed_out = new_page(chromium)  # the sign-in screen lists the demo accounts by their (poisoned) names
        signed_out.page.goto(server.url + "/", timeout=120_000)
        signed_out.page.wait_for_selector("input[type='password']", timeout=120_000)
        wait_idle(signed_out.page, timeout_ms=120_000)
        outside = [u for u in signed_out.requests if urlsplit(u).hostname == OUTSIDE_HOST]
        signed_out.page.context.close()
        for user, paths in (("county_admin", PAGES), ("town_admin", ["desk"]), ("village_secretary", ["desk"]),
                            ("grid_worker", ["desk"])):
            bp = new_page(chromium)
            bp.username = user
            for path in paths:
                seen = len(bp.requests)
                bp.open(f"{server.url}/{path}", timeout_ms=120_000)
                opened.append(f"{user}:/{path}")
                outside += [f"{user}:/{path} → {u}" for u in bp.requests[seen:] if urlsplit(u).hostname == OUTSIDE_HOST]
            bp.page.context.close()
        print(f"\nprobe: {poisoned} text values carry a Markdown and an HTML image; {len(opened)} pages and the "
              f"sign-in screen opened: {len(outside)} requests to {OUTSIDE_HOST}")
        assert outside == [], outside
    finally:
        server.stop()


def test_fuzz_cases_cover_every_page_name_and_value():
    cases = fuzz_cases()
    assert len(cases) == 50
    assert {c[0] for c in cases} == set(PAGES)
    assert {c[1] for c in cases} == set(FUZZ_NAMES) and {c[2] for c in cases} == set(FUZZ_VALUES)
