"""Why this rank → the records: for a village and an indicator, what each record adds to the numerator and the
denominator, or the department report's versions (core.indicator_records via ui.cockpit_data)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import has
from core.scope import Scope
from ui import cockpit_data as cd
from ui.i18n import lang, num, t
from ui.text import md


def _label_table(name: str) -> str:
    return t(f"records.table.{name}") if has(f"records.table.{name}") else name


def _headers(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: t(f"records.col.{c}") for c in df.columns if has(f"records.col.{c}")})


def show_records(scope: Scope, villages: dict[int, str], village_id: int, module: str, period: int, version: int,
                 key: str = "records") -> None:
    """Pick a village (default `village_id`) and an indicator of `module` (composite: any); show what is counted."""
    st.subheader(t("records.title"))
    lang_index = 0 if lang() == "zh" else 1
    left, right = st.columns(2)
    ids = list(villages)
    vid = left.selectbox(t("records.pick_village"), ids, index=ids.index(village_id) if village_id in ids else 0,
                         format_func=villages.get, key=f"{key}-village-{village_id}")
    cat = cd.catalog()
    if module in set(cat["module"]):
        cat = cat[cat["module"] == module]
    codes = dict(zip(cat["code"], cat["name" if lang_index == 0 else "name_en"], strict=True))
    code = right.selectbox(t("records.pick_indicator"), list(codes), format_func=codes.get, key=f"{key}-code")
    if vid is None or code is None:
        return
    got = cd.records_behind(scope, int(vid), period, str(code), version)
    stored = got["stored"]
    if got["kind"] == "report":
        st.caption(t("records.versions"))
        if not got["versions"]:
            st.info(t("records.no_report"))
            return
        frame = pd.DataFrame(got["versions"]).drop(columns=["source_row", "source_kind"], errors="ignore")
        st.dataframe(_headers(frame), hide_index=True, width="stretch")
        return
    num_text, den_text = got["num_text"][lang_index], got["den_text"][lang_index]
    if got["is_rate"]:
        st.markdown(md(t("records.num", text=num_text, n=num(got["num"], 2))) + "  \n"
                    + md(t("records.den", text=den_text, n=num(got["den"], 2))))
    else:
        st.markdown(md(t("records.count", text=num_text, n=num(got["num"], 2))))
    for name, figure in got["fixed"].items():
        text = den_text if name in ("@households", "@diary_due", "@meetings_due") else name
        st.caption(t("records.fixed", text=text, n=num(figure, 2)))
    if got["capped"]:
        st.caption(t("records.capped", n=num(got["num"], 2)))
    if stored["value"] is not None:
        st.caption(t("records.stored", value=num(stored["value"], 2), num=num(stored["numerator"], 2),
                     den=num(stored["denominator"], 2)))
    rows = got["rows"]
    if rows.empty:
        st.info(t("records.none"))
        return
    shown = rows.assign(table=rows["table"].map(_label_table))
    st.dataframe(_headers(shown), hide_index=True, width="stretch")
