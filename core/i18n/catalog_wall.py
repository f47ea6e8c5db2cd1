"""大屏 wall views (ui/wall*.py): panel titles, big-number explanations and the flash's grouped lines."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "wall.none": ("暂无", "None"),
    # tasks wall
    "wall.tasks.overdue_sub": ("其中逾期 {days} 天内 {n} 项", "{n} of them up to {days} days late"),
    "wall.tasks.by_child": ("逾期任务 · 按{level}", "Overdue tasks by {level}"),
    "wall.tasks.seg_overdue": ("逾期", "Overdue"),
    "wall.tasks.urge_title": ("催办 · 逾期任务", "Urging of overdue tasks"),
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
    # appeals wall
    "wall.appeals.volume": ("本月诉求", "Appeals this month"),
    "wall.appeals.vs_last": ("较上月 {delta} 件", "{delta} on last month"),
    "wall.appeals.vs_last_pt": ("较上月 {delta} 个百分点", "{delta} pts on last month"),
    "wall.appeals.satisfaction": ("本月满意度", "Satisfaction this month"),
    "wall.appeals.sat_sub": ("好评 ÷ 已评价 {n} 件", "good ÷ {n} rated"),
    "wall.appeals.closed": ("本月办结", "Closed this month"),
    "wall.appeals.on_time": ("按时办结 {pct}%", "{pct}% on time"),
    "wall.appeals.warnings": ("近 {days} 天预警", "Warnings, last {days} days"),
    "wall.appeals.warnings_sub": ("突发、高发、顽疾、新苗头", "bursts, highs, chronic, new"),
    "wall.appeals.funnel": ("本月办结层级漏斗", "Where this month's appeals closed"),
    "wall.appeals.closed_here": ("{n} / {here}", "{n} / {here}"),
    "wall.appeals.funnel_note": ("每行：到达该层级的件数 / 在该层级办结的件数", "Each row: appeals that reached the level / "
                                 "closed at it"),
    "wall.appeals.channels": ("本月诉求渠道", "Channels this month"),
    "wall.appeals.ratings": ("本月群众评价", "Citizens' ratings this month"),
    "wall.appeals.trend": ("诉求类别趋势 · 前 {n} 类 · 近12个月", "Appeals by category · top {n} · 12 months"),
    "wall.appeals.warning_list": ("事件预警 · {n} 条 · 轮播", "Early warnings · {n} · rotating"),
    "wall.appeals.warning_note": ("证据：窗口 · 计数/基线", "evidence: window · count/baseline"),
    "wall.appeals.evidence": ("{start}–{end} · {count} 件/基线 {baseline}", "{start}–{end} · {count} vs baseline {baseline}"),
    # map wall
    "wall.map.totals": ("本区域合计", "Totals here"),
    "wall.map.legend": ("图例 · 本轮指标", "Legend · metric now"),
    "wall.map.turns": ("轮播依次：{order}", "Turns: {order}"),
    "wall.map.best": ("{metric} · 最好 {n} 个", "{metric} · best {n}"),
    "wall.map.worst": ("{metric} · 最差 {n} 个", "{metric} · worst {n}"),
    # the cockpit wall's trend legend (short: three of them share a narrow column)
    "wall.trend.kpi.completion": ("任务完成率", "Completion"),
    "wall.trend.kpi.on_time": ("按时办结率", "On time"),
    "wall.trend.kpi.satisfaction": ("群众满意度", "Satisfaction"),
    # a page without a wall layout opened on the big screen (ui.nav.DESK_ONLY)
    "wall.desk_only.title": ("「{page}」没有大屏版式", "{page} has no wall layout"),
    "wall.desk_only.body": ("这一页在桌面上使用（筛选、表格、录入、下载），大屏和轮播不显示它。请在桌面模式打开：点右上角「退出大屏」。",
                            "This page is for work at a desk (filters, tables, forms, downloads); the wall and its carousel "
                            "do not show it. Open it on a desk: press Exit at the top right."),
    "wall.desk_only.views": ("大屏视图", "Wall views"),
}
