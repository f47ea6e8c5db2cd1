"""Finding 6 (tracebacks on screen) and finding 4 (secrets on screen).

- an exception inside a page shows one message with an error id; the log holds the traceback under it;
- `?period=²` on the map, leaders and village pages and `dwell=inf` / `dwell=nan` on the carousel fall
  back to the default view with a notice, no traceback;
- a corrupt database page on the leaders page gives the error-id message, no traceback;
- with the database unreachable, the screen names the database without its password.
"""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, reset_settings
from core.db import display_url, dispose_engines
from ui.errors import bad_params

APP = str(REPO_ROOT / "app.py")


def _open(page: str, params: dict[str, str], username: str = "county_admin") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["username"] = username
    at.run()
    at.switch_page(f"pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _screen_text(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in (at.error, at.warning, at.info, at.markdown, at.caption) for e in kind)


@pytest.mark.parametrize(("page", "params"), [
    ("map", {"period": "²"}), ("leaders", {"period": "²"}), ("village", {"period": "²"}),
    ("cockpit", {"screen": "big", "carousel": "1", "dwell": "inf"}),
    ("cockpit", {"screen": "big", "carousel": "1", "dwell": "nan"}),
    ("rankings", {"region": "３３０６２４"}), ("tasks", {"as_of": "2026-13-45"}),
])
def test_malformed_query_parameter_falls_back_to_the_default_view_with_a_notice(app_env, page, params):
    at = _open(page, params)
    assert not at.exception, at.exception
    assert any("参数无效" in w.value for w in at.warning), [w.value for w in at.warning]
    assert not any("错误编号" in e.value for e in at.error), "fell into the error boundary instead of the default view"
    for name in params:
        if name in bad_params({name: [params[name]]}):
            assert name not in at.query_params or at.query_params[name] != params[name]


def test_good_parameters_are_kept():
    assert bad_params({"period": ["202610"], "dwell": ["20"], "region": ["330624000000"], "as_of": ["2026-10-31"],
                       "screen": ["big"], "lang": ["en"], "carousel": ["cockpit,map"], "other": ["²"]}) == []


def test_an_exception_in_a_page_shows_one_message_with_an_id_and_logs_the_traceback(app_env, monkeypatch, caplog):
    from ui import cockpit_data

    def broken(*_a, **_k):
        raise RuntimeError("boom /srv/secret/path.py")

    monkeypatch.setattr(cockpit_data, "region_scores", broken)
    with caplog.at_level(logging.ERROR, logger="xingcun"):
        at = _open("rankings", {})
    assert not at.exception
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and "错误编号" in messages[0] and "/srv/secret" not in messages[0], messages
    error_id = re.search(r"错误编号 ([0-9a-f]{8})", messages[0]).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info and "boom" in str(logged[0].exc_info[1])


def test_the_message_is_in_the_viewers_language(app_env, monkeypatch):
    from ui import cockpit_data

    monkeypatch.setattr(cockpit_data, "region_scores", lambda *a, **k: 1 / 0)
    at = _open("rankings", {"lang": "en"})
    assert not at.exception and "error id" in at.error[0].value


def test_a_corrupt_database_page_on_the_leaders_page_shows_the_error_id_not_a_traceback(tiny_db_path, tmp_path, monkeypatch):
    import streamlit as st

    db = tmp_path / "corrupt.db"
    shutil.copy(tiny_db_path, db)
    data = bytearray(db.read_bytes())
    page = 16384
    for start in range(len(data) // 3 // page * page, len(data), page * 2):  # every other page of the last two thirds
        data[start + 100:start + page] = b"\xa5" * (page - 100)
    db.write_bytes(bytes(data))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=240)
        at.session_state["username"] = "county_admin"
        at.run()
        if "_pages" in at.session_state and "pages/leaders.py" in at.session_state["_pages"]:
            at.switch_page("pages/leaders.py")
            at.run()
        # else the sign-in itself could not read the accounts: the first screen must say so, the same way
        assert not at.exception, at.exception
        assert at.error and all("Traceback" not in e.value and "malformed" not in e.value for e in at.error)
        assert any("错误编号" in e.value or "无法连接数据库" in e.value for e in at.error), [e.value for e in at.error]
    finally:
        dispose_engines()
        st.cache_data.clear()
        st.cache_resource.clear()


def test_an_unreachable_database_is_named_without_its_password(monkeypatch):
    import streamlit as st

    url = "postgresql://cockpit:hunter2-Secret@127.0.0.1:1/xingcun"
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
        assert not at.exception
        shown = _screen_text(at)
        assert "hunter2" not in shown and "127.0.0.1:1/xingcun" in shown, shown
    finally:
        dispose_engines()
        st.cache_data.clear()
        st.cache_resource.clear()


def test_display_url_hides_the_password_and_survives_garbage():
    assert "hunter2" not in display_url("postgresql+psycopg://u:hunter2@db:5432/x")
    assert display_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert "hunter2" not in display_url("postgresql://u:hunter2@[bad")
