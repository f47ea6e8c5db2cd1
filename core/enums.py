"""Domain vocabularies as StrEnums, with their Chinese labels (SPEC §2–§7)."""

from __future__ import annotations

from enum import StrEnum


class RegionLevel(StrEnum):
    """行政层级: province › city › county › township › village (grids hang below villages)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


LEVEL_ORDER = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
LEVEL_LABEL = {"province": "省", "city": "市", "county": "县", "township": "镇", "village": "村", "grid": "网格"}

#: Width of each level's own digits in the 12-digit code (省2 市2 县2 镇3 村3).
LEVEL_CODE_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def child_level(level: str) -> RegionLevel | None:
    """The level one below `level`, or None below villages."""
    idx = LEVEL_ORDER.index(RegionLevel(level))
    return LEVEL_ORDER[idx + 1] if idx + 1 < len(LEVEL_ORDER) else None


def parent_level(level: str) -> RegionLevel | None:
    """The level one above `level`, or None at the province."""
    idx = LEVEL_ORDER.index(RegionLevel(level))
    return LEVEL_ORDER[idx - 1] if idx > 0 else None


class Role(StrEnum):
    """用户角色 (SPEC §3, seed 000 组织结构)."""

    CITY_ADMIN = "city_admin"
    CITY_OPERATOR = "city_operator"
    COUNTY_ADMIN = "county_admin"
    TOWN_ADMIN = "town_admin"
    TOWN_PARTY_DEPUTY = "town_party_deputy"
    TOWN_LEADER = "town_leader"
    STATIONED_CADRE = "stationed_cadre"
    LINE_CADRE = "line_cadre"
    VILLAGE_ADMIN = "village_admin"
    VILLAGE_SECRETARY = "village_secretary"
    VILLAGE_COMMITTEE = "village_committee"
    GRID_WORKER = "grid_worker"
    SCREEN_VIEWER = "screen_viewer"
    DEPT_STAFF = "dept_staff"  # 县级部门 staff: 一件事 steps and the department's ratings


ROLE_LABEL = {
    Role.CITY_ADMIN: "市级管理员",
    Role.CITY_OPERATOR: "业务操作员",
    Role.COUNTY_ADMIN: "县级管理员",
    Role.TOWN_ADMIN: "镇级管理员",
    Role.TOWN_PARTY_DEPUTY: "党群副书记",
    Role.TOWN_LEADER: "分管领导",
    Role.STATIONED_CADRE: "驻村干部",
    Role.LINE_CADRE: "线办干部",
    Role.VILLAGE_ADMIN: "村级管理员",
    Role.VILLAGE_SECRETARY: "村书记",
    Role.VILLAGE_COMMITTEE: "其他两委干部",
    Role.GRID_WORKER: "网格员",
    Role.SCREEN_VIEWER: "大屏",
    Role.DEPT_STAFF: "县级部门",
}

VILLAGE_ROLES = {Role.VILLAGE_ADMIN, Role.VILLAGE_SECRETARY, Role.VILLAGE_COMMITTEE, Role.GRID_WORKER}
TOWN_ROLES = {Role.TOWN_ADMIN, Role.TOWN_PARTY_DEPUTY, Role.TOWN_LEADER, Role.STATIONED_CADRE, Role.LINE_CADRE}


class Module(StrEnum):
    """四大模块 (SPEC §4)."""

    PARTY_BUILDING = "party_building"
    ECONOMY = "economy"
    SAFETY = "safety"
    PUBLIC_SERVICE = "public_service"


MODULE_LABEL = {
    Module.PARTY_BUILDING: "党建统领",
    Module.ECONOMY: "经济生态",
    Module.SAFETY: "平安法治",
    Module.PUBLIC_SERVICE: "公共服务",
}


class TaskCategory(StrEnum):
    """任务类别 (SPEC §5)."""

    MAJOR = "major"
    SUPERIOR = "superior"
    TOWNSHIP = "township"
    VILLAGE_REPORT = "village_report"
    PLEDGE = "pledge"


TASK_CATEGORY_LABEL = {
    TaskCategory.MAJOR: "重大任务",
    TaskCategory.SUPERIOR: "上级任务",
    TaskCategory.TOWNSHIP: "镇级任务",
    TaskCategory.VILLAGE_REPORT: "村级上报",
    TaskCategory.PLEDGE: "创业承诺",
}


class TaskStatus(StrEnum):
    """任务状态: 派发 → 签收 → 办理中 → 办结 → 评分, or 驳回."""

    DISPATCHED = "dispatched"
    SIGNED = "signed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SCORED = "scored"
    REJECTED = "rejected"


TASK_STATUS_LABEL: dict[str, str] = {  # keyed by TaskStatus, looked up with the stored str
    TaskStatus.DISPATCHED: "已派发",
    TaskStatus.SIGNED: "已签收",
    TaskStatus.IN_PROGRESS: "办理中",
    TaskStatus.DONE: "已办结",
    TaskStatus.SCORED: "已评分",
    TaskStatus.REJECTED: "已驳回",
}
OPEN_TASK_STATUSES = (TaskStatus.DISPATCHED, TaskStatus.SIGNED, TaskStatus.IN_PROGRESS)
FINISHED_TASK_STATUSES = (TaskStatus.DONE, TaskStatus.SCORED)


class AppealLevel(StrEnum):
    """民情办理层级: 网格收集上报 → 村社办理处置 → 乡镇统筹分流 → 县级部门协同联动."""

    GRID = "grid"
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"


APPEAL_LEVEL_LABEL = {
    AppealLevel.GRID: "网格",
    AppealLevel.VILLAGE: "村社",
    AppealLevel.TOWNSHIP: "乡镇",
    AppealLevel.COUNTY: "县级部门",
}


class AppealStatus(StrEnum):
    """民情诉求状态."""

    REPORTED = "reported"
    HANDLING = "handling"
    CLOSED = "closed"


APPEAL_CATEGORIES = ["环境卫生", "矛盾纠纷", "安全隐患", "民生服务", "基础设施", "政策咨询", "治安防控", "农业生产"]
APPEAL_CHANNELS = ["网格员", "12345", "随手拍", "民情日记", "浙里访"]
RATINGS = {"good": "好评", "mid": "中评", "bad": "差评"}


class EvaluationKind(StrEnum):
    """评价类别: 民主测评, 荣誉表彰, 负面预警."""

    DEMOCRATIC = "democratic"
    HONOR = "honor"
    WARNING = "warning"


EVALUATION_LABEL = {
    EvaluationKind.DEMOCRATIC: "民主测评",
    EvaluationKind.HONOR: "荣誉表彰",
    EvaluationKind.WARNING: "负面预警",
}

#: "五议两公开" in their required order (step numbers 1–7).
DECISION_STEPS = [
    "党员群众建议",
    "村党组织提议",
    "村务联席会议商议",
    "党员大会审议",
    "村民(代表)会议决议",
    "决议公开",
    "实施结果公开",
]
