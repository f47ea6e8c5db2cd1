"""兴村治社驾驶舱 · XingCun Cockpit — entrypoint: page config, sign-in and role-filtered navigation."""

from __future__ import annotations

import streamlit as st

from ui.auth import current_user
from ui.desk_nav import desk_title
from ui.errors import error_boundary
from ui.i18n import t
from ui.nav import page_allowed
from ui.setup import configure_page, page_setup

BIG = configure_page()

try:
    user = current_user()
except Exception:  # noqa: BLE001 — no database yet: let the page explain it in one message
    user = None
#: 我的工作台 is the first page of every role that acts (its count of what waits beside it); the cockpit otherwise.
DESK_FIRST = user is not None and page_allowed("desk", user[0].role) and not BIG

#: url_path → page, in menu order (the name is also the key of ui.nav.PAGE_ROLES; st.Page blanks the default's url_path).
PAGES = {
    "desk": st.Page("pages/desk.py", title=desk_title(user[0]) if DESK_FIRST and user else t("page.desk"),
                    icon=":material/inbox:", url_path="desk", default=DESK_FIRST),
    "cockpit": st.Page("pages/cockpit.py", title=t("page.cockpit"), icon=":material/dashboard:", url_path="cockpit",
                       default=not DESK_FIRST),
    "regions": st.Page("pages/regions.py", title=t("page.regions"), icon=":material/account_tree:", url_path="regions"),
    "rankings": st.Page("pages/rankings.py", title=t("page.rankings"), icon=":material/leaderboard:", url_path="rankings"),
    "dictionary": st.Page("pages/dictionary.py", title=t("page.dictionary"), icon=":material/menu_book:", url_path="dictionary"),
    "map": st.Page("pages/map.py", title=t("page.map"), icon=":material/map:", url_path="map"),
    "leaders": st.Page("pages/leaders.py", title=t("page.leaders"), icon=":material/flag:", url_path="leaders"),
    "village": st.Page("pages/village.py", title=t("page.village"), icon=":material/home_work:", url_path="village"),
    "tasks": st.Page("pages/tasks.py", title=t("page.tasks"), icon=":material/alarm:", url_path="tasks"),
    "appeals": st.Page("pages/appeals.py", title=t("page.appeals"), icon=":material/campaign:", url_path="appeals"),
    "scenes": st.Page("pages/scenes.py", title=t("page.scenes"), icon=":material/emoji_events:", url_path="scenes"),
    "admin": st.Page("pages/admin.py", title=t("page.admin"), icon=":material/manage_accounts:", url_path="admin"),
    "audit": st.Page("pages/audit.py", title=t("page.audit"), icon=":material/policy:", url_path="audit"),
    "password": st.Page("pages/password.py", title=t("page.password"), icon=":material/password:", url_path="password"),
    "importer": st.Page("pages/importer.py", title=t("page.importer"), icon=":material/upload_file:", url_path="importer"),
    "demo": st.Page("pages/demo.py", title=t("page.demo"), icon=":material/slideshow:", url_path="demo"),
}


def _sign_in() -> None:
    page_setup()  # shows the sign-in screen and stops while nobody is signed in


with error_boundary("app"):  # one message with an error id on screen; the traceback goes to the server log
    if user is None:
        st.navigation([st.Page(_sign_in, title=t("page.login"), url_path="login", default=True)], position="hidden").run()
    else:
        allowed = {name: page for name, page in PAGES.items() if page_allowed(name, user[0].role)}
        st.session_state["_pages"] = [f"pages/{name}.py" for name in allowed]
        st.navigation(list(allowed.values()), position="hidden" if BIG else "sidebar").run()
