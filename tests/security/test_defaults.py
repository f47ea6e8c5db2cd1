"""Finding 1 (open by default): the server listens on this machine only unless told, and demo mode — the
banner, the listed accounts, one-click sign-in, the county switch, the shared demo password — exists only on
a database the generator made. On imported data an anonymous visitor gets the sign-in form and nothing else.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, AuthConfig, reset_settings
from core.db import dispose_engines

APP = str(REPO_ROOT / "app.py")


def _make_run(**env: str) -> str:
    done = subprocess.run(["make", "-n", "run"], cwd=REPO_ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)
    assert done.returncode == 0, done.stderr
    return next(ln for ln in done.stdout.splitlines() if "streamlit run" in ln)


def test_make_run_listens_on_loopback_unless_told():
    env = {k: v for k, v in os.environ.items() if k != "XINGCUN_ADDRESS"}
    os.environ.pop("XINGCUN_ADDRESS", None)
    assert "--server.address 127.0.0.1" in _make_run(**env)
    assert "--server.address 0.0.0.0" in _make_run(XINGCUN_ADDRESS="0.0.0.0")
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"  # a bare `streamlit run` too


def test_make_run_checks_the_secret_before_serving():
    done = subprocess.run(["make", "-n", "run"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    check = next(i for i, ln in enumerate(lines) if "core.accounts check-secret" in ln)
    assert check < next(i for i, ln in enumerate(lines) if "streamlit run" in ln)


@pytest.fixture
def imported_env(tiny_db_path, tmp_path, monkeypatch):
    """A copy of the tiny database marked as imported (what core.importer writes), with the default settings."""
    import streamlit as st

    db = tmp_path / "imported.db"
    shutil.copy(tiny_db_path, db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO meta (key, value) VALUES ('data_origin', 'import')")
    con.commit()
    con.close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("XINGCUN_DEMO", raising=False)  # the default: demo mode wanted
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()


def _texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in (at.markdown, at.caption, at.info, at.warning, at.error) for e in kind)


def _demo_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith("以 ")]


@pytest.mark.parametrize("page", [None, "admin", "audit", "demo", "cockpit"])
def test_an_anonymous_visitor_on_imported_data_gets_only_the_sign_in_form(imported_env, page):
    """The menu holds only 登录; a deep link runs the page file itself, which shows the form and stops."""
    at = AppTest.from_file(str(REPO_ROOT / "pages" / f"{page}.py") if page else APP, default_timeout=240).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert _demo_buttons(at) == [], "one-click demo sign-in on imported data"
    assert "演示" not in _texts(at)
    assert "账号管理" not in _texts(at) and "审计" not in _texts(at)


def test_the_published_demo_password_does_not_sign_in_on_imported_data(imported_env):
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.text_input[0].input("county_admin")
    at.text_input[1].input(AuthConfig().demo_password)
    at.button[0].click().run()
    assert not at.exception
    assert "username" not in at.session_state or at.session_state["username"] is None
    assert any("用户名或密码错误" in e.value for e in at.error)


def test_on_the_demo_database_demo_mode_works_and_says_it_is_a_demo(tiny_url, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", tiny_url)
    monkeypatch.delenv("XINGCUN_DEMO", raising=False)
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=240).run()
    assert not at.exception
    assert "演示数据库" in _texts(at)
    assert "以 县级管理员（新昌县） 登录" in _demo_buttons(at)
    dispose_engines()
    st.cache_data.clear()
