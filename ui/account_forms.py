"""The forms behind 修改密码, 账号管理 and 审计日志: each calls one core.accounts service and shows its outcome."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import accounts, export
from core.config import get_settings
from core.errors import DomainError
from core.i18n import has
from ui import auth, data
from ui.i18n import day, error_text, t, term
from ui.text import md


def _error(err: DomainError) -> None:
    key = getattr(err, "key", None)
    st.error(t(key, **getattr(err, "params", {})) if key and has(key) else error_text(err))


def password_form(forced: bool = False) -> None:
    """Current password, new password twice; on success every session of the account ends (sign in again)."""
    username = st.session_state.get(auth.USER_KEY) or ""
    st.caption(t("password.rule", n=get_settings().auth.min_password_length))
    with st.form("password-form", clear_on_submit=True):
        current = st.text_input(t("password.current"), type="password")
        new = st.text_input(t("password.new"), type="password")
        again = st.text_input(t("password.again"), type="password")
        if not st.form_submit_button(t("password.submit"), type="primary"):
            return
    try:
        accounts.change_password(data.engine(), username=username, current=current, new=new, again=again,
                                 now=datetime.now())
    except DomainError as err:
        _error(err)
        return
    st.success(t("password.done"))
    auth.sign_out()  # this session ended with the others: sign in with the new password


def _actor_name() -> str:
    return str(st.session_state.get(auth.USER_KEY) or "")


def admin_panel(ctx) -> None:
    """Create, disable/enable, reset and move accounts within the administrator's scope."""
    engine = data.engine()
    with Session(engine) as s:
        rows = accounts.list_accounts(s, ctx.scope)
        posts = {p[0]: f"{p[1]} · {term('role', p[2])} · {p[3]}" for p in accounts.posts_in_scope(s, ctx.scope)}
    if shown := st.session_state.pop("_one_time", None):
        st.warning(t("admin.one_time", username=md(shown[0]), password=md(shown[1])))
    st.subheader(t("admin.accounts"))
    if rows:
        st.dataframe(pd.DataFrame([{t("admin.username"): r.username, t("admin.post"): posts.get(r.post_id, r.display_name),
                                    t("admin.col.role"): term("role", r.role), t("admin.col.active"): r.active,
                                    t("admin.col.must_change"): r.must_change_password}
                                   for r in rows]), hide_index=True, width="stretch")
        by_id = {r.id: r for r in rows}
        pick = st.selectbox(t("admin.pick"), list(by_id), format_func=lambda i: by_id[i].username, key="admin-pick")
        row = by_id[pick]
        c1, c2, c3 = st.columns(3)
        try:
            if c1.button(t("admin.enable") if not row.active else t("admin.disable"), key="admin-toggle"):
                accounts.set_active(engine, actor=ctx.actor, actor_username=_actor_name(), account_id=row.id,
                                    active=not row.active, now=datetime.now())
                _done()
            if c2.button(t("admin.reset"), key="admin-reset"):
                password = accounts.reset_password(engine, actor=ctx.actor, actor_username=_actor_name(),
                                                   account_id=row.id, now=datetime.now())
                st.session_state["_one_time"] = (row.username, password)
                _done()
            with c3.form("admin-move"):
                target = st.selectbox(t("admin.move"), list(posts), format_func=posts.get, key="admin-move-post")
                if st.form_submit_button(t("admin.move_submit")):
                    accounts.change_post(engine, actor=ctx.actor, actor_username=_actor_name(), account_id=row.id,
                                         post_id=int(target), now=datetime.now())
                    _done()
        except DomainError as err:
            _error(err)
    else:
        st.info(t("admin.none"))
    st.subheader(t("admin.create"))
    with st.form("admin-create", clear_on_submit=True):
        username = st.text_input(t("admin.username"))
        post = st.selectbox(t("admin.post"), list(posts), format_func=posts.get) if posts else None
        if st.form_submit_button(t("admin.create_submit"), type="primary") and post is not None:
            try:
                password = accounts.create_account(engine, actor=ctx.actor, actor_username=_actor_name(),
                                                   username=username, post_id=int(post), now=datetime.now())
            except DomainError as err:
                _error(err)
            else:
                st.session_state["_one_time"] = (username.strip(), password)
                _done()


def _done() -> None:
    data.bump_data_version()
    st.cache_data.clear()
    st.rerun()


def audit_panel(ctx) -> None:
    """Filters (person, kind, dates), the newest entries first, and an Excel export through core.export."""
    f = st.columns([2, 3, 1.2, 1.2])
    who = f[0].text_input(t("audit.person"), key="audit-who")
    kinds = f[1].multiselect(t("audit.kind"), list(accounts.AUDIT_KINDS), default=list(accounts.AUDIT_KINDS),
                             format_func=lambda k: t(f"audit.kind.{k}"), key="audit-kinds")
    start = f[2].date_input(t("audit.start"), value=None, key="audit-start")
    end = f[3].date_input(t("audit.end"), value=None, key="audit-end")
    filters = accounts.AuditFilters(who=who, kinds=tuple(kinds), start=start if isinstance(start, date) else None,
                                    end=end if isinstance(end, date) else None)
    with Session(data.engine()) as s:
        log = accounts.audit_log(s, ctx.scope, filters)
    st.caption(t("audit.count", n=len(log), limit=filters.limit))
    vocab = {"task": "task_action", "account": "account_action", "appeal": "appeal_action", "decision": "decision_action"}
    actions = [term(vocab[k], a) if k in vocab else t(f"audit.kind.{k}") for k, a in zip(log["kind"], log["action"], strict=True)]
    shown = log.assign(at=log["at"].map(lambda v: day(v, with_time=True)),
                       kind=log["kind"].map(lambda k: t(f"audit.kind.{k}")), action=actions,
                       note=log["note"].fillna("").astype(str).str.strip())
    shown = shown.rename(columns={c: t(f"audit.col.{c}") for c in shown.columns})
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(t("audit.export"), export.workbook_bytes({t("page.audit"): shown}),
                       file_name=f"audit-{datetime.now():%Y%m%d}.xlsx", key="audit-xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
