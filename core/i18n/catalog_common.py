"""Shared vocabulary: app name, levels, roles, modules, statuses, units (共用词汇)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("兴村治社驾驶舱", "XingCun Governance Cockpit"),
    "app.short": ("驾驶舱", "Cockpit"),
    "lang.label": ("语言", "Language"),
    "lang.zh": ("中文", "中文"),
    "lang.en": ("English", "English"),
    # 层级 levels
    "level.province": ("省", "Province"),
    "level.city": ("市", "City"),
    "level.county": ("县", "County"),
    "level.township": ("镇", "Township"),
    "level.village": ("村", "Village"),
    "level.grid": ("网格", "Grid"),
    # 角色 roles
    "role.city_admin": ("市级管理员", "City administrator"),
    "role.city_operator": ("业务操作员", "Operator"),
    "role.county_admin": ("县级管理员", "County administrator"),
    "role.town_admin": ("镇级管理员", "Township administrator"),
    "role.town_party_deputy": ("党群副书记", "Deputy Party secretary"),
    "role.town_leader": ("分管领导", "Township leader in charge"),
    "role.stationed_cadre": ("驻村干部", "Stationed cadre"),
    "role.line_cadre": ("线办干部", "Line-office cadre"),
    "role.village_admin": ("村级管理员", "Village administrator"),
    "role.village_secretary": ("村书记", "Village Party secretary"),
    "role.village_committee": ("其他两委干部", "Village committee member"),
    "role.grid_worker": ("网格员", "Grid worker"),
    "role.screen_viewer": ("大屏", "Big screen (read-only)"),
    "role.dept_staff": ("县级部门", "County department"),
    # 四大模块
    "module.party_building": ("党建统领", "Party building"),
    "module.economy": ("经济生态", "Economy & ecology"),
    "module.safety": ("平安法治", "Safety & rule of law"),
    "module.public_service": ("公共服务", "Public services"),
}
