"""ui.period: the month in view and the as-of day come from the URL, then the session, then the data's default,
and are written back to the URL (run in AppTest: they read Streamlit's query params and session)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from ui import period

    if st.session_state.get("set_period"):
        period.set_period(st.session_state["set_period"])
    st.text(f"{period.current_period()}|{period.as_of().isoformat()}|{period.available_periods()[0]}")


def _run(query: dict[str, str] | None = None, session: dict[str, object] | None = None) -> tuple[AppTest, list[str]]:
    at = AppTest.from_function(_script, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in (session or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    return at, at.text[0].value.split("|")


def test_default_is_the_newest_month_and_the_datasets_day(app_env):
    _, (month, day, oldest) = _run()
    assert month == "202610" and day == "2026-10-31" and int(oldest) < 202610


def test_url_wins_over_session(app_env):
    _, (month, _, _) = _run({"period": "202605"}, {"period": 202607})
    assert month == "202605"
    _, (month, _, _) = _run(session={"period": 202607})
    assert month == "202607"


def test_a_month_outside_the_data_or_malformed_falls_back(app_env):
    for bad in ("209912", "²", "2026-05", ""):
        _, (month, _, _) = _run({"period": bad})
        assert month == "202610", bad


def test_as_of_is_clamped_to_the_data_and_malformed_is_ignored(app_env):
    _, (_, day, _) = _run({"as_of": "2031-01-01"})
    assert day <= "2026-12-31"
    _, (_, day, _) = _run({"as_of": "not-a-day"})
    assert day == "2026-10-31"


def test_set_period_writes_the_url(app_env):
    at, (month, _, _) = _run(session={"set_period": 202606})
    assert month == "202606" and at.query_params["period"] in ("202606", ["202606"])
