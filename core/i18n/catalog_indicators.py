"""The 40 indicators' names and definitions (指标名称与定义), taken from `core.indicators.CATALOG`.

The indicator catalog already holds both languages; this module only exposes them as message keys
`indicator.<code>.name` and `indicator.<code>.definition` so pages read them like every other label.
"""

from __future__ import annotations

from core.indicators import CATALOG

MESSAGES: dict[str, tuple[str, str]] = {}
for _ind in CATALOG:
    MESSAGES[f"indicator.{_ind.code}.name"] = (_ind.name_zh, _ind.name_en)
    MESSAGES[f"indicator.{_ind.code}.definition"] = (_ind.definition_zh, _ind.definition_en)
