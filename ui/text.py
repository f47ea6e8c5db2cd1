"""Data text on screen is text: `md()` escapes a name, note, title or file name for Markdown and HTML at once.

Streamlit renders st.markdown, st.caption, st.info, widget labels, expander and tab titles as Markdown,
so a person called `![x](http://host/p.png)` would make every page that shows the name fetch that URL
(issue #19). Every character that Markdown, Streamlit's `:colour[...]`/`:icon:` directives, LaTeX (`$`)
or HTML give a meaning to is written as a numeric character reference. CommonMark decodes those
references to the literal character without parsing them again, and so does HTML, so the same
escaped string is safe in plain Markdown and in Markdown with `unsafe_allow_html`.
"""

from __future__ import annotations

_SPECIAL = "&<>\"'\\`*_{}[]()#+-.!|~$:="
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}


def md(value: object) -> str:
    """`value` as text that Markdown and HTML show literally (numeric character references for specials)."""
    return str(value).translate(_TABLE)
