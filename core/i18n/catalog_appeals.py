"""民情与预警: appeal KPIs, trend, funnel, ratings, warnings with evidence, decisions, 民情日记 coverage."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "appeals.computing": ("正在统计民情…", "Counting appeals…"),
    "appeals.warnings_computing": ("正在计算预警…", "Computing warnings…"),
    "appeals.volume": ("近12月民情", "Appeals, last 12 months"),
    "appeals.closed": ("办结", "Closed"),
    "appeals.on_time": ("按时办结率", "Closed on time"),
    "appeals.satisfaction": ("满意度（好评率）", "Satisfaction (good ratings)"),
    "appeals.mean_hours": ("平均响应/办结", "Mean response / closing"),
    "appeals.hours": ("{response} / {close} 小时", "{response} / {close} hours"),
    "appeals.recent_warnings": ("近{days}天预警", "Warnings, last {days} days"),
    "appeals.trend_by": ("趋势维度", "Trend by"),
    "appeals.by.category": ("类别", "Category"),
    "appeals.by.channel": ("渠道", "Channel"),
    "appeals.trend_title": ("月度民情量", "Appeals per month"),
    "appeals.cases": ("件", "cases"),
    "appeals.funnel_title": ("办结层级", "Closing level"),
    "appeals.funnel_item": ("{level}（办结{n}）", "{level} (closed {n})"),
    "appeals.rating_title": ("群众评价", "Citizen ratings"),
    "appeals.warnings": (":material/warning: 预警（{n}）", ":material/warning: Warnings ({n})"),
    "appeals.grid_no": ("网格{n}", "grid {n}"),
    "appeals.evidence": ("**窗口** {start} 至 {end}　**计数** {count}　**基线** {baseline}  \n"
                         "**检验** {test}　**阈值** {threshold}　**得分** {score}",
                         "**Window** {start} to {end}　**Count** {count}　**Baseline** {baseline}  \n"
                         "**Test** {test}　**Threshold** {threshold}　**Score** {score}"),
    "appeals.series": ("序列：{series}", "Series: {series}"),
    "appeals.on_map": (":material/map: 在地图中查看", ":material/map: View on the map"),
    "appeals.village_record": (":material/home_work: 村社档案", ":material/home_work: Village record"),
    "appeals.tab_decisions": ("议事决策（五议两公开）", "Decisions (five deliberations, two disclosures)"),
    "appeals.tab_diary": ("民情日记覆盖", "People's-diary coverage"),
    "appeals.diary_drill": ("一周一记、一户一记按干部和农户逐一核对，在区县及以下查看：请从上方面包屑或驾驶舱下钻到区县（本级：{level}）。",
                            "Weekly and household diary coverage is checked cadre by cadre and household by household: "
                            "drill down to a county to see it (this level: {level})."),
    "appeals.decisions_caption": ("共 {n} 项决策，合规 {ok} 项，问题 {bad} 项（问题在前）。",
                                  "{n} decisions: {ok} compliant, {bad} with problems (problems first)."),
    "appeals.weeks": ("统计周数", "Weeks"),
    # notes core writes under a warning (matched by their Chinese text)
    "warning_test.high": ("泊松检验（Anscombe z，基线=前{months}月截尾均值）",
                          "Poisson test (Anscombe z; baseline = trimmed mean of the previous {months} months)"),
    "warning_test.chronic": ("近{k}个月（去掉最高月）合计泊松检验（Anscombe z），且≥{raised}个月高于基线",
                             "Poisson test on the last {k} months together, highest month left out (Anscombe z), "
                             "and at least {raised} months above baseline"),
    "warning_test.new": ("前{months}个月为零、本月≥阈值", "None in the previous {months} months, this month at or above the threshold"),
    "warning_test.burst": ("{hours}小时滑动窗口计数，泊松检验（Anscombe z）", "Count in a sliding {hours}-hour window, Poisson test (Anscombe z)"),
    "warning_test.silent": ("近{days}天零上报，泊松 P(0)=e^-μ", "No report in the last {days} days, Poisson P(0)=e^-μ"),
    "warning_test.decision_skipped": ("五议两公开顺序校验：缺少：{steps}", "Five-deliberations order check: missing {steps}"),
    "warning_test.decision_reordered": ("五议两公开顺序校验：「{first}」先于「{second}」",
                                        "Five-deliberations order check: “{first}” came before “{second}”"),
    "warning_test.decision_overdue": ("五议两公开顺序校验：办理{days}天，超过{limit}天时限",
                                      "Five-deliberations order check: open {days} days, over the {limit}-day limit"),
    "appeals.note_span": ("{start} 至 {end}", "{start} to {end}"),
    "appeals.note_last_report": ("最后上报 {day}", "last report {day}"),
    "appeals.note_never": ("从未上报", "never reported"),
}
