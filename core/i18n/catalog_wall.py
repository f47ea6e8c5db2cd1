"""大屏 wall views (ui/wall*.py): panel titles, big-number explanations and the flash's grouped lines."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "wall.none": ("暂无", "None"),
    # tasks wall
    "wall.tasks.overdue_sub": ("其中逾期 {days} 天内 {n} 项", "{n} of them up to {days} days late"),
    "wall.tasks.by_child": ("逾期任务 · 按{level}", "Overdue tasks by {level}"),
    "wall.tasks.seg_overdue": ("逾期", "Overdue"),
    "wall.tasks.urge_title": ("催办 · 逾期任务", "Urging (催办) of overdue tasks"),
    "wall.tasks.urges": ("催办次数", "Urges"),
    "wall.tasks.urges_sub": ("累计", "so far"),
    "wall.tasks.urged": ("已催办", "Urged"),
    "wall.tasks.urged_sub": ("逾期 {n} 项中", "of {n} overdue"),
    "wall.tasks.never": ("未催办", "Never urged"),
    "wall.tasks.never_sub": ("逾期但无人催办", "overdue, nobody urged"),
    "wall.tasks.repeated": ("催办≥3次", "Urged 3+ times"),
    "wall.tasks.repeated_sub": ("屡催未办", "urged, still open"),
    "wall.tasks.longest": ("逾期最久 · 前 {n} 项轮播", "Longest overdue · top {n}, rotating"),
    # leaders wall
    "wall.leaders.top": ("领雁指数 · 前 {n} 名", "Leader index · top {n}"),
    "wall.leaders.bottom": ("领雁指数 · 后 {n} 名", "Leader index · bottom {n}"),
    "wall.leaders.by_child": ("领雁指数分布 · 按{level}", "Leader index by {level}"),
    "wall.leaders.mean_note": ("右为均值", "mean on the right"),
    "wall.leaders.iqr": ("中间一半（25%–75%）", "Middle half (25–75%)"),
    "wall.leaders.median": ("中位数", "Median"),
    "wall.leaders.median_all": ("本区域中位数", "Median here"),
    "wall.leaders.radar": ("村书记六维画像 · 轮播", "A secretary's six dimensions · rotating"),
}
