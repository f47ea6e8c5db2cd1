"""指标目录: the 40 indicators of the four modules (SPEC §4), as catalog rows.

Each entry: code, module, 中文名, English name, 中文定义, English definition, unit,
higher_is_better, weight, is_rate, scale, per. Rates carry numerator/denominator so a parent's
rate is the sum of numerators over the sum of denominators; counts are normalised per 100
households (`per="household"`) so big villages are not favoured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """One catalog entry (mirrors `core.models.IndicatorDef`)."""

    code: str
    module: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    unit: str
    higher_is_better: bool = True
    weight: float = 1.0
    is_rate: bool = True
    scale: float = 100.0
    per: str = ""


def _i(code, module, zh, en, dzh, den, unit="%", hib=True, w=1.0, rate=True, scale=100.0, per=""):
    return Indicator(code, module, zh, en, dzh, den, unit, hib, w, rate, scale, per)


PB, EC, SA, PS = "party_building", "economy", "safety", "public_service"

CATALOG: list[Indicator] = [
    # 党建统领
    _i("pb_member_household", PB, "党员联户覆盖率", "Party-member household coverage", "有党员结对联系的农户占全部农户的比例。", "Share of households paired with a Party member.", w=1.2),
    _i("pb_three_meetings", PB, "三会一课完成率", "'Three meetings, one lesson' completion", "当月按规定召开的支部会议和党课占应开次数的比例。", "Branch meetings and Party lessons held as a share of those required.", w=1.0),
    _i("pb_theme_day", PB, "主题党日参与率", "Party theme-day attendance", "参加主题党日活动的党员占党员总数的比例。", "Party members attending the monthly theme day as a share of all members.", w=0.8),
    _i("pb_five_two", PB, "“五议两公开”规范率", "'Five deliberations, two disclosures' compliance", "按顺序完成全部七个步骤的议事决策占已办结决策的比例。", "Closed village decisions that followed all seven steps in order.", w=1.2),
    _i("pb_affairs_public", PB, "村务公开及时率", "Timely disclosure of village affairs", "按期公开的村务事项占应公开事项的比例。", "Village-affairs items disclosed on time as a share of items due.", w=0.8),
    _i("pb_diary", PB, "民情日记完成率", "People's-diary completion", "村干部实际走访记录数占“一周一记”应记数的比例。", "Household visits logged by village cadres against one per cadre per week.", w=1.0),
    _i("pb_outpost_stars", PB, "前哨支部星级", "Outpost branch star rating", "镇党委对村党组织的星级评定（1–5星）。", "Star rating (1–5) of the village Party branch by the township committee.", unit="星", w=1.0, scale=1.0),
    _i("pb_training", PB, "党员教育培训参与率", "Party-member training participation", "参加当月教育培训的党员占党员总数的比例。", "Party members attending this month's training as a share of all members.", w=0.6),
    _i("pb_task_on_time", PB, "党建任务按时办结率", "Party-building tasks closed on time", "当月到期的党建类任务中按时办结的比例。", "Party-building tasks due this month that were closed by their deadline.", w=1.2),
    _i("pb_warnings", PB, "负面预警数", "Negative warnings", "当月村干部收到的负面预警次数（每百户）。", "Negative warnings issued to village cadres this month, per 100 households.", unit="次/百户", hib=False, w=1.0, rate=False, per="household"),
    # 经济生态
    _i("ec_collective_income", EC, "村集体经济总收入", "Village collective income", "当月村集体经济总收入（万元），按每百户比较。", "Collective-economy income this month (10k yuan), compared per 100 households.", unit="万元", w=1.4, rate=False, per="household"),
    _i("ec_operating_growth", EC, "经营性收入增长率", "Operating-income growth", "当月经营性收入较上年同月的增长比例。", "Growth of operating income over the same month last year.", w=1.0),
    _i("ec_disposable_income", EC, "农民人均可支配收入", "Disposable income per resident", "当月常住居民人均可支配收入（元）。", "Disposable income per resident this month (yuan).", unit="元", w=1.2, scale=1.0),
    _i("ec_pledge_done", EC, "创业承诺办结率", "Pledges delivered", "当月到期的创业承诺任务中按时办结的比例。", "Entrepreneurship pledges due this month that were delivered on time.", w=1.0),
    _i("ec_bidding_projects", EC, "揭榜挂帅项目落地数", "Open-bidding projects landed", "当月落地的揭榜挂帅项目数（每百户）。", "Open-bidding projects that landed this month, per 100 households.", unit="个/百户", w=0.8, rate=False, per="household"),
    _i("ec_common_prosperity_funds", EC, "共富项目资金", "Common-prosperity project funds", "当月到位的共富项目资金（万元），按每百户比较。", "Common-prosperity project funds received this month (10k yuan), per 100 households.", unit="万元", w=0.8, rate=False, per="household"),
    _i("ec_waste_sorting", EC, "垃圾分类合格率", "Waste-sorting compliance", "抽查合格的农户占抽查农户的比例。", "Households passing waste-sorting spot checks as a share of those checked.", w=0.8),
    _i("ec_living_environment", EC, "人居环境整治评分", "Living-environment score", "镇级人居环境整治月度检查得分（百分制）。", "Monthly township inspection score of the living environment (0–100).", unit="分", w=1.0, scale=1.0),
    _i("ec_task_on_time", EC, "经济生态任务按时办结率", "Economy tasks closed on time", "当月到期的经济生态类任务中按时办结的比例。", "Economy and ecology tasks due this month that were closed by their deadline.", w=1.2),
    _i("ec_new_entities", EC, "新型经营主体数", "New agricultural business entities", "当月新增家庭农场、合作社等新型经营主体数（每百户）。", "New family farms and cooperatives this month, per 100 households.", unit="个/百户", w=0.6, rate=False, per="household"),
    # 平安法治
    _i("sa_dispute_resolved", SA, "矛盾纠纷化解率", "Disputes resolved", "当月上报的矛盾纠纷类诉求中已化解的比例。", "Dispute appeals reported this month that have been resolved.", w=1.4),
    _i("sa_petitions", SA, "信访件数", "Petitions", "当月经“浙里访”渠道提交的信访件数（每百户）。", "Petitions filed through Zhelifang this month, per 100 households.", unit="件/百户", hib=False, w=1.2, rate=False, per="household"),
    _i("sa_public_security", SA, "治安案件发生率", "Public-security incidents", "当月治安案件数占常住人口的千分比。", "Public-security incidents this month per 1,000 residents.", unit="‰", hib=False, w=1.0, scale=1000.0),
    _i("sa_hazard_fixed", SA, "安全隐患整改率", "Safety hazards fixed", "当月上报的安全隐患类诉求中已整改的比例。", "Safety-hazard reports this month that have been fixed.", w=1.2),
    _i("sa_grid_on_time", SA, "网格事件按时办结率", "Grid events closed on time", "当月办结的网格事件中在时限内办结的比例。", "Grid events closed this month that were closed within their time limit.", w=1.4),
    _i("sa_violations", SA, "违纪违规事项数", "Disciplinary violations", "当月查实的违纪违规事项数（每百户）。", "Confirmed disciplinary violations this month, per 100 households.", unit="件/百户", hib=False, w=1.0, rate=False, per="household"),
    _i("sa_anti_fraud", SA, "反诈宣传覆盖率", "Anti-fraud outreach coverage", "已开展反诈宣传的农户占全部农户的比例。", "Households reached by anti-fraud outreach as a share of all households.", w=0.6),
    _i("sa_task_on_time", SA, "平安法治任务按时办结率", "Safety tasks closed on time", "当月到期的平安法治类任务中按时办结的比例。", "Safety and rule-of-law tasks due this month closed by their deadline.", w=1.2),
    _i("sa_key_persons", SA, "重点人员稳控率", "Key persons under follow-up", "在册重点人员中当月完成走访稳控的比例。", "Registered key persons visited and followed up this month.", w=0.8),
    _i("sa_fire_checks", SA, "消防安全检查覆盖率", "Fire-safety check coverage", "当月完成消防检查的场所占应查场所的比例。", "Premises given a fire-safety check this month as a share of those due.", w=0.6),
    # 公共服务
    _i("ps_appeal_closed", PS, "民生诉求办结率", "Appeals closed", "当月上报的民生诉求中已办结的比例。", "Appeals reported this month that have been closed.", w=1.4),
    _i("ps_satisfaction", PS, "群众满意度(好评率)", "Citizen satisfaction (good ratings)", "已评价诉求中“好评”所占比例。", "Share of rated appeals that the citizen rated good.", w=1.4),
    _i("ps_response_hours", PS, "诉求平均响应时长", "Average response time", "当月诉求从上报到首次响应的平均小时数。", "Average hours from report to first response this month.", unit="小时", hib=False, w=1.2, scale=1.0),
    _i("ps_one_thing_days", PS, "“一件事”办理时长", "'One thing' processing time", "“一件事”集成办理的平均办理天数。", "Average days to complete an integrated 'one thing' service.", unit="天", hib=False, w=0.8, scale=1.0),
    _i("ps_elderly_care", PS, "养老服务覆盖率", "Elderly-care coverage", "享受居家养老服务的老年人占老年人口的比例。", "Older residents receiving home-care services as a share of all older residents.", w=0.8),
    _i("ps_family_doctor", PS, "家庭医生签约率", "Family-doctor sign-up", "签约家庭医生的常住居民占常住人口的比例。", "Residents signed up with a family doctor as a share of residents.", w=0.8),
    _i("ps_digital_active", PS, "数字化应用活跃率", "Digital-app activity", "当月使用“浙里兴村治社”应用的农户占全部农户的比例。", "Households using the governance app this month as a share of all households.", w=0.6),
    _i("ps_moral_points", PS, "道德积分参与率", "Moral-points participation", "参与道德银行积分的农户占全部农户的比例。", "Households taking part in the moral-points bank as a share of all households.", w=0.6),
    _i("ps_task_on_time", PS, "公共服务任务按时办结率", "Public-service tasks closed on time", "当月到期的公共服务类任务中按时办结的比例。", "Public-service tasks due this month that were closed by their deadline.", w=1.2),
    _i("ps_village_reports_done", PS, "村级上报事项办结率", "Village-reported matters closed", "当月到期的村级上报事项中已办结的比例。", "Matters reported by the village and due this month that have been closed.", w=0.8),
]

BY_CODE: dict[str, Indicator] = {i.code: i for i in CATALOG}


def indicators_of(module: str) -> list[Indicator]:
    """Catalog entries of one module, in catalog order."""
    return [i for i in CATALOG if i.module == module]


if __name__ == "__main__":  # python -m core.indicators recompute [--region CODE] [--period YYYYMM] [--check]
    import importlib  # the catalog itself imports nothing of core: the command lives in core.recompute

    raise SystemExit(importlib.import_module("core.recompute").main())
