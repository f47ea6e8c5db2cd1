"""The message catalog covers every key the pages use, in both languages; no Chinese literals in pages; the
English pages show no untranslated Chinese label (data such as region and person names excepted)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from core import i18n
from core.config import REPO_ROOT
from core.db import make_engine
from tests.apptest import open_page

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SOURCES = sorted([*(REPO_ROOT / "pages").glob("*.py"), *(REPO_ROOT / "ui").glob("*.py"), REPO_ROOT / "app.py"])
#: ui files that may still hold Chinese literals, and why.
CJK_ALLOWED: set[str] = set()
PAGES = ["cockpit", "regions", "rankings", "dictionary", "map", "leaders", "village", "tasks", "appeals", "demo"]


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def _trees() -> dict[str, ast.Module]:
    return {_rel(p): ast.parse(p.read_text(encoding="utf-8")) for p in SOURCES}


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else (f.attr if isinstance(f, ast.Attribute) else "")


def _literal_prefix(arg: ast.expr) -> tuple[str, bool] | None:
    """(text, complete) of a literal key argument: a plain string, or an f-string's leading constant part."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value, True
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value), False
    return None


def _used_keys() -> list[tuple[str, str, bool]]:
    """(file, key or key prefix, complete) for t(), translate(), term() and key-shaped string constants."""
    namespaces = {k.split(".")[0] for k in i18n.catalog()}
    shaped = re.compile(r"^[a-z_]+(\.[a-z0-9_%]+)+$")
    out = []
    for rel, tree in _trees().items():
        in_fstring = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                name = _call_name(node)
                if name in ("t", "translate"):
                    lit = _literal_prefix(node.args[0])
                    if lit:
                        out.append((rel, *lit))
                elif name == "term":
                    lit = _literal_prefix(node.args[0])
                    if lit and lit[1]:
                        out.append((rel, lit[0] + ".", False))
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstring
                  and shaped.match(node.value)
                  and node.value.split(".")[0] in namespaces and node.value.count(".") >= 1):
                out.append((rel, node.value, True))
    return out


def test_pages_use_only_keys_the_catalog_has_in_both_languages():
    cat = i18n.catalog()
    missing = []
    for rel, key, complete in _used_keys():
        found = [key] if complete else [k for k in cat if k.startswith(key)]
        if not found or any(k not in cat for k in found):
            missing.append(f"{rel}: {key}")
            continue
        missing += [f"{rel}: {k} has an empty text" for k in found if not all(cat[k])]
    assert not missing, "\n".join(sorted(set(missing)))


def test_the_key_scan_finds_the_calls():
    keys = {k for _, k, _ in _used_keys()}
    assert {"page.cockpit", "cockpit.caption", "col.task_code", "level."} <= keys


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_chinese_literals_in_pages_and_ui():
    found = []
    for rel, tree in _trees().items():
        if rel in CJK_ALLOWED:
            continue
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                    and CJK.search(node.value)):
                found.append(f"{rel}:{node.lineno}: {node.value[:40]!r}")
    assert not found, "Chinese literals (move them to core/i18n/catalog_*.py):\n" + "\n".join(found)


def test_allow_list_names_existing_files():
    assert all((REPO_ROOT / rel).exists() for rel in CJK_ALLOWED)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_placeholders_match_between_languages():
    bad = [f"{k}: {_fields(zh)} vs {_fields(en)}" for k, (zh, en) in i18n.catalog().items() if _fields(zh) != _fields(en)]
    assert not bad, "\n".join(bad)


def test_every_catalog_text_formats():
    for key, (zh, _en) in i18n.catalog().items():
        params = {f: 1 for f in _fields(zh)}
        assert i18n.translate(key, "zh", **params) and i18n.translate(key, "en", **params)


def test_english_catalog_texts_are_english():
    chinese = [k for k, (_, en) in i18n.catalog().items() if CJK.search(en) and k != "lang.zh"]  # 中文 names itself
    assert not chinese, chinese


# --- (d) every page in English ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_words(tiny_url) -> tuple[str, ...]:
    """Names that are data and stay Chinese in English: regions, grids, people, accounts, task and matter titles."""
    eng = make_engine(tiny_url)
    with eng.connect() as con:
        words = {r[0] for q in ("SELECT name FROM region", "SELECT name FROM person", "SELECT name FROM grid",
                                "SELECT display_name FROM user_account", "SELECT name FROM matter_type",
                                "SELECT title FROM task", "SELECT title FROM decision")
                 for r in con.execute(sa.text(q)) if r[0]}
    eng.dispose()
    words.add(i18n.translate("lang.zh", "zh"))  # the language switch names Chinese in Chinese, on purpose
    return tuple(words)


def _labels(at: AppTest) -> list[str]:
    """Visible label texts: titles, headers, captions, buttons, metrics, tabs, expanders, widget labels, columns."""
    out = [e.value for kind in ("title", "header", "subheader", "caption") for e in getattr(at, kind)]
    out += [e.label for kind in ("button", "metric", "tabs", "expander", "selectbox", "multiselect", "text_input",
                                 "number_input", "date_input", "toggle", "slider", "radio", "segmented_control")
            for e in getattr(at, kind)]
    out += [m.value for m in at.metric]
    out += [str(c) for df in at.dataframe for c in df.value.columns]
    out += [str(c) for tb in at.table for c in tb.value.columns]
    out += [str(o) for e in at.segmented_control for o in e.options]  # options come formatted
    return [str(x) for x in out if x]


def _untranslated(labels: list[str], words: tuple[str, ...]) -> list[str]:
    """Labels with a Chinese run that is not part of a known data value."""
    bad = []
    for label in labels:
        for run in CJK.findall(label):
            if not any(run in w for w in words):
                bad.append(f"{run!r} in {label!r}")
    return bad


def _open(page: str, region: str | None = None) -> AppTest:
    return open_page(None if page == "cockpit" else page, region=region, lang="en", timeout=180)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_english_shows_no_untranslated_label(app_env, data_words, page):
    at = _open(page)
    assert not at.exception, at.exception
    labels = _labels(at)
    assert labels, "no labels collected"
    assert _untranslated(labels, data_words) == []


@pytest.mark.parametrize("page", ["cockpit", "map", "village", "rankings"])
def test_page_in_english_at_a_village_shows_no_untranslated_label(app_env, data_words, page):
    eng = make_engine(app_env)
    with eng.connect() as con:
        code = con.execute(sa.text("SELECT code FROM region WHERE level='village' ORDER BY id LIMIT 1")).scalar()
    eng.dispose()
    at = _open(page, code)
    assert not at.exception, at.exception
    assert _untranslated(_labels(at), data_words) == []


def test_task_screening_and_leader_records_in_english(app_env, data_words):
    at = _open("tasks")
    at.segmented_control(key="tasks-view").set_value("screening").run()
    assert not at.exception, at.exception
    assert _untranslated(_labels(at), data_words) == []
    at = _open("leaders")
    at.segmented_control(key="leader-dim").set_value("cadre").run()
    assert not at.exception, at.exception
    assert _untranslated(_labels(at), data_words) == []


def test_the_label_check_catches_chinese(data_words):
    assert _untranslated(["Cockpit", f"{data_words[0]} · Cockpit"], data_words) == []
    assert _untranslated(["驾驶舱 · 逾期任务"], ("绍兴市",)) != []
