"""Browser, 1920×1080: a county administrator signs in on a real (imported, not demo) database, uploads a small
county file on 数据导入, runs the dry run, confirms, and finds the county and its new village on the screens.

The database starts with the county's township, two villages and the administrator's account (imported
through core, the administrator's password already changed); the upload adds a third village with a grid,
people and a task.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from core.auth import hash_password
from core.db import make_engine
from harness.browser import assert_only_local, screenshot, wait_idle
from tests.core.importer_helpers import base, empty_db, load, scalar, task, workbook
from tests.e2e.desk_helpers import CLOCK, PASSWORD, alert_text, goto, press, signed_in

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")

ADMIN = {"post_ext_id": "G9", "person_ext_id": "P9", "name": "赵六", "gender": "M", "birth_year": 1972,
         "phone": "13800000009", "region_id": "330624000000", "role": "county_admin", "title": "新昌县 管理员",
         "since": "2022-01-01", "active": "是", "username": "county_admin"}


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> tuple[str, Path]:
    """(database URL, the file to upload): the county's start on the database, a new village in the file."""
    folder = tmp_path_factory.mktemp("import-e2e")
    url, _ = empty_db(folder)
    start = base()
    start["people"].append(ADMIN)
    assert load(url, workbook(folder / "start.xlsx", start)).ok
    engine = make_engine(url)
    with engine.begin() as conn:  # the administrator has set a password (the forced change is tested elsewhere)
        conn.execute(sa.text("UPDATE user_account SET password_hash = :h WHERE username = 'county_admin'"),
                     {"h": hash_password(PASSWORD)})
        conn.execute(sa.text("DELETE FROM one_time_password"))
    engine.dispose()
    more = base()
    more["people"].append(ADMIN)
    more["regions"].append({"code": "330624101003", "name": "丙村", "level": "village", "kind": "village",
                            "area_km2": 4, "population": 700, "households": 240})
    more["grids"].append({"code": "330624101003001", "village_id": "330624101003", "name": "丙村1网格",
                          "households": 80, "population": 240})
    more["people"].append({"post_ext_id": "G5", "person_ext_id": "P5", "name": "孙七", "gender": "F",
                           "birth_year": 1985, "phone": "13800000005", "region_id": "330624101003",
                           "grid_id": "330624101003001", "role": "grid_worker", "title": "丙村1网格 网格员",
                           "since": "2024-02-01", "active": "是"})
    more["tasks"].append(task("RW2", village_id="330624101003", owner_id="P5", title="丙村·矛盾调解"))
    return url, workbook(folder / "丙村.xlsx", more)


def test_an_administrator_uploads_checks_confirms_and_sees_the_county(chromium_browser, start_app, county):
    url, upload = county
    app = start_app(env={"DATABASE_URL": url, "XINGCUN_CLOCK": CLOCK}).url
    bp = signed_in(chromium_browser, app, "county_admin")
    page = bp.page
    goto(page, f"{app}/importer")
    page.locator("input[type='file']").first.set_input_files(str(upload))
    wait_idle(page)
    press(page, "试运行校验")
    page.get_by_role("button", name="确认导入").wait_for(timeout=120_000)
    assert scalar(url, "SELECT count(*) FROM region WHERE code = '330624101003'") == 0  # the dry run wrote nothing
    screenshot(page, "importer-dry-run-1920x1080")
    press(page, "确认导入")
    page.get_by_text("导入完成").first.wait_for(timeout=180_000)
    assert "导入完成" in alert_text(page, "ok")
    assert scalar(url, "SELECT name FROM region WHERE code = '330624101003'") == "丙村"
    assert scalar(url, "SELECT count(*) FROM task") == 2
    goto(page, f"{app}/")  # the administrator's first page: the county's cockpit
    page.get_by_role("heading", name="新昌县 · 驾驶舱").first.wait_for(timeout=120_000)
    assert page.get_by_text("Page not found").count() == 0
    screenshot(page, "importer-cockpit-after-1920x1080")
    assert_only_local(bp.requests)
    page.context.close()
