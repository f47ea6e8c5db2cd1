"""数据导入: the template, the county's export, and an upload that is checked (dry run) before it is written."""

from __future__ import annotations

import streamlit as st

from core.importer.load import may_import
from ui import data
from ui import import_data as imp
from ui.i18n import lang, t
from ui.setup import page_setup

REPORT, DONE, PENDING = "import-report", "import-done", "import-pending"

ctx = page_setup()
st.title(t("page.importer"))
st.caption(t("importer.caption"))
if not may_import(ctx.actor):
    st.info(t("importer.read_only" if not ctx.actor.may_write else "importer.no_rights"))
    st.stop()

left, right = st.columns(2)
with left:
    st.download_button(t("importer.template"), imp.template_bytes(lang()), file_name=t("importer.template_file"), icon=":material/download:", key="import-template",
                       help=t("importer.template_help"))
with right:
    if not data.is_demo() and st.button(t("importer.export"), icon=":material/backup:", key="import-export"):
        name, body = imp.county_export(ctx.actor)
        st.download_button(t("importer.export_ready", name=name), body, file_name=name, key="import-export-file")

if data.is_demo():
    st.warning(t("importer.demo_db"))
    st.stop()

uploaded = st.file_uploader(t("importer.upload"), type=imp.UPLOAD_TYPES, accept_multiple_files=True, key="import-files",
                            help=t("importer.upload_help"))
files = [(f.name, f.getvalue()) for f in uploaded or []]
key = imp.files_key(files)


def _progress() -> imp.Progress:
    bar = st.progress(0.0)

    def say(stage: str, done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{t(stage)} {done:,}" + (f"/{total:,}" if total else ""))

    return say


def _ask(action: str, files_key: str) -> None:
    """A press is kept until the page body runs it (a rerun in between must not lose it)."""
    st.session_state[PENDING] = (action, files_key)


if files:
    st.button(t("importer.check"), type="primary", key="import-check", on_click=_ask, args=("check", key))
pending = st.session_state.pop(PENDING, None)
if pending == ("check", key) and files:
    st.session_state.pop(DONE, None)
    st.session_state[REPORT] = (key, imp.run_import(ctx.actor, files, dry_run=True, progress=_progress()))
elif pending == ("confirm", key) and files:
    result = imp.run_import(ctx.actor, files, dry_run=False, progress=_progress())
    st.session_state.pop(REPORT, None)
    if result.ok:
        st.session_state[DONE] = result
    else:
        st.session_state[REPORT] = (key, result)

done = st.session_state.get(DONE)
if done is not None:
    st.success(t("importer.done", new=done.new, updated=done.updated, seconds=f"{done.seconds:.1f}"))
    st.dataframe(done.counts, hide_index=True, width="stretch")
    if done.passwords:
        st.warning(t("importer.passwords", n=len(done.passwords)))
        st.download_button(t("importer.passwords_file"), imp.passwords_csv(done.passwords), key="import-passwords",
                           file_name="one-time-passwords.csv", on_click=lambda: st.session_state.pop(DONE, None))

stored = st.session_state.get(REPORT)
if stored is not None and stored[0] == key and files:
    report = stored[1]
    if report.unusable:
        st.error(report.unusable)
    elif not report.ok:
        st.error(t("importer.report_errors", n=len(report.errors)))
        st.dataframe(report.errors, hide_index=True, width="stretch")
    else:
        for line in report.notices:
            st.caption(line)
        st.info(t("importer.report_ok") if report.new or report.updated else t("importer.report_nothing"))
        st.dataframe(report.counts, hide_index=True, width="stretch")
        st.caption(t("import.summary.time", seconds=f"{report.seconds:.1f}"))
        if report.new or report.updated:
            st.button(t("importer.confirm"), type="primary", key="import-confirm", on_click=_ask, args=("confirm", key))
