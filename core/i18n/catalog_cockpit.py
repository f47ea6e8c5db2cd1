"""驾驶舱, 排名 and 指标字典: tiles, matrix, trend, map, ticker, rankings table, dictionary."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "page.cockpit": ("驾驶舱", "Cockpit"),
    "page.regions": ("区划浏览", "Regions"),
    "page.rankings": ("排名", "Rankings"),
    "page.dictionary": ("指标字典", "Indicator dictionary"),
    "page.map": ("网格地图", "Grid map"),
    "page.leaders": ("领雁指数", "Leader index"),
    "page.village": ("村社档案", "Village record"),
    "page.tasks": ("任务督办", "Task supervision"),
    "page.appeals": ("民情与预警", "Appeals & warnings"),
    "page.demo": ("演示中心", "Demo centre"),
    "page.login": ("登录", "Sign in"),
    "page.heading": ("{region} · {title}", "{region} · {title}"),
    # shared widgets
    "common.drill_to": ("下钻到", "Drill down to"),
    "common.drill_to_level": ("下钻到{level}", "Drill down to {level}"),
    "common.pick": ("— 请选择 —", "— choose —"),
    "common.all": ("全部", "All"),
    "common.list_sep": ("、", ", "),
    "common.month": ("月份", "Month"),
    "common.no_indicator_data": ("数据库中没有指标数据：请先运行 python -m seed。",
                                 "The database has no indicator data: run python -m seed first."),
    "common.no_database": ("找不到演示数据库（{url}）。请先运行 `make run` 或 `python -m seed`。",
                           "Demo database not found ({url}). Run `make run` or `python -m seed` first."),
    "common.role_denied": ("您的角色无权查看此页面。", "Your role may not open this page."),
    "common.page_unavailable": ("该页面暂未开放。", "This page is not available."),
    "common.export_excel": (":material/download: 导出 Excel", ":material/download: Export Excel"),
    "common.export_csv": (":material/download: 导出 CSV", ":material/download: Export CSV"),
    "common.as_of": ("数据截至 {day}", "Data as of {day}"),
    "common.rank_place": ("第{rank}", "#{rank}"),
    # KPI tiles
    "kpi.completion": ("任务完成率", "Task completion"),
    "kpi.on_time": ("按时办结率", "Closed on time"),
    "kpi.overdue": ("逾期任务", "Overdue tasks"),
    "kpi.satisfaction": ("群众满意度", "Citizen satisfaction"),
    "kpi.composite": ("综合得分", "Composite score"),
    "kpi.delta_flat": ("较上月持平 0{unit}", "Unchanged on last month (0{unit})"),
    "kpi.delta": ("较上月 {delta}{unit}", "{delta}{unit} on last month"),
    "kpi.rank_place": ("第{rank}/{n}名 · {move}", "#{rank} of {n} · {move}"),
    "kpi.no_peers": ("本级无同级比较", "No peers at this level"),
    "kpi.completion.definition": ("当月到期任务（不含驳回）中已办结或已评分的比例。",
                                  "Share of tasks due this month (rejected excluded) that are closed or scored."),
    "kpi.on_time.definition": ("当月到期任务（不含驳回）中在截止日当天或之前办结的比例。",
                               "Share of tasks due this month (rejected excluded) closed on or before the deadline."),
    "kpi.overdue.definition": ("截至所选月末（当月为数据截至日）已过截止日仍未办结的任务数（不含驳回）。",
                               "Tasks past their deadline and not closed at the end of the chosen month "
                               "(the as-of day for the current month), rejected excluded."),
    "kpi.satisfaction.definition": ("当月上报且已评价的民情诉求中“好评”所占比例。",
                                    "Share of 'good' ratings among appeals reported and rated this month."),
    "kpi.composite.definition": ("四大模块得分按模块权重加权的综合得分（0–100，同级全部区域间归一化）；排名为在上级区域内的名次。",
                                 "Module scores weighted into one composite (0–100, normalised across all regions "
                                 "of the level); the rank is the place within the parent region."),
    # cockpit page
    "cockpit.caption": ("数据截至 {day}；悬停在指标上可查看定义，详见「指标字典」。",
                        "Data as of {day}; hover over a tile for its definition, see the Indicator dictionary."),
    "cockpit.leaf": ("{region} 是村/社区级，没有下级排名；可在「排名」页查看其所在镇的村社排名。",
                     "{region} is a village or community with no units below it; see Rankings for its township's villages."),
    "cockpit.matrix_title": ("四大模块榜单 · 下辖{level}级（{n}个）", "Four-module ranking · {n} units ({level} level)"),
    "cockpit.map_title": ("综合得分地图", "Composite score map"),
    "cockpit.drill_hint": ("点击榜单中的一行、地图上的区域，或点「下钻到」按名称选择，即可下钻；点击面包屑返回上级。",
                           "Click a row of the ranking or an area on the map, or use 'Drill down to' to pick by "
                           "name; use the breadcrumb to go back up."),
    "cockpit.more_rows": ("另有 {k} 个未列出，完整榜单见「排名」", "+{k} more — full list on Rankings"),
    "cockpit.best": ("优", "Top"),
    "cockpit.worst": ("末", "Bottom"),
    "cockpit.trend_title": ("月度趋势", "Monthly trend"),
    "cockpit.map_tooltip": ("{name}\n综合得分 {score}", "{name}\nComposite score {score}"),
    "cockpit.no_overdue": ("暂无逾期任务", "No overdue tasks"),
    "cockpit.ticker_item": ("● {village} · {title} · 逾期{days}天 · 责任人 {owner} · 催办{urges}次",
                            "● {village} · {title} · {days} days overdue · owner {owner} · urged {urges}×"),
    # rankings page
    "rankings.board": ("榜单", "Ranking"),
    "rankings.leaf": ("{region} 没有下级区域可排名。请通过面包屑返回上级。",
                      "{region} has no units below it to rank. Use the breadcrumb to go back up."),
    "rankings.score_help": ("功效系数法：同级区域间 60–100（有目标值的指标按目标计分），再加权",
                            "Efficacy-coefficient method: 60–100 among the level's regions (indicators with a target "
                            "are scored against it), then weighted"),
    "rankings.why": ("为什么是这个名次？", "Why this rank?"),
    "rankings.pick_region": ("选择区域", "Region"),
    "rankings.formula": ("功效系数法：得分 = 60 + 40 × (原始值 − 下限) ÷ (上限 − 下限)，下限、上限为同级第5、第95百分位，"
                         "超出部分按端点计（越低越好的指标反向）；有目标值的指标：及格值得60分、目标值得100分（最低40分）。"
                         "数据不足（分母低于最小样本数）的指标不参与计算，其余权重按比例放大。",
                         "Efficacy-coefficient method: score = 60 + 40 × (value − low) ÷ (high − low), where low and high "
                         "are the peers' 5th and 95th percentiles and values beyond them count as the bound (reversed "
                         "where lower is better); an indicator with a target scores 60 at its pass mark and 100 at its "
                         "target (40 at the least). Indicators with too little data (denominator below the minimum "
                         "sample) are left out and the other weights scaled up."),
    "rankings.method.peer": ("同级功效系数", "Among peers"),
    "rankings.method.target": ("按目标值", "Against target"),
    "rankings.bounds.peer": ("P5 {low} ～ P95 {high}", "P5 {low} – P95 {high}"),
    "rankings.bounds.target": ("及格 {low} / 目标 {high}", "pass {low} / target {high}"),
    "rankings.more_rows": ("另有 {k} 个未列出，退出大屏可查看完整榜单", "+{k} more — leave the big screen for the full list"),
    "rankings.sheet": ("排名", "Ranking"),
    "rankings.too_few": ("⚠ 不足", "⚠ too few"),
    # dictionary page
    "dictionary.caption": ("四大模块共 40 项核心指标。得分按功效系数法计算：同级全部区域的第5至第95百分位之间映射为 60–100 分；"
                           "配置了目标值的指标按目标计分（及格值 60 分、目标值 100 分）。率类指标的上级数值由下级分子、分母求和后重算。",
                           "40 core indicators in four modules. Scores use the efficacy-coefficient method: the span "
                           "between the 5th and 95th percentile of all regions of a level maps to 60–100; an indicator "
                           "with a configured target is scored against it (pass mark 60, target 100). A parent's rate "
                           "is recomputed from the summed numerators and denominators."),
    "dictionary.rate": ("率（分子/分母）", "Rate (numerator / denominator)"),
    "dictionary.count": ("数量", "Count"),
    "dictionary.per_100hh": ("每百户", "Per 100 households"),
    "dictionary.peer_bounds": ("同级第5～第95百分位 → 60～100分", "peers' 5th–95th percentile → 60–100"),
}

MESSAGES.update({
    # 区划浏览
    "regions.none": ("{region} 下没有{level}级数据。", "{region} has no {level}-level data."),
    "regions.units": ("下辖{level}级单位", "{level} units"),
    "regions.villages": ("村/社区", "Villages"),
    "regions.grids": ("网格", "Grids"),
    "regions.open_tasks": ("在办任务", "Open tasks"),
    "regions.drill_hint": ("点击表格中的一行，或在上方选择名称，即可下钻。",
                           "Click a row of the table or pick a name above to drill down."),
})
