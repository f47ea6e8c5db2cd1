"""Where each indicator's number comes from (SPEC §11): one definition per catalog entry.

- `Records`: the numerator and the denominator of a village and month are sums over the product's own
  records (`core.record_sources`: "source.column" names), e.g. 按时办结率 = tasks due this month closed by
  their deadline ÷ tasks due this month. A coverage (`cap`) never exceeds its denominator.
- `Report`: a figure another system owns, reported per village and month by a department
  (`dept_report`, versioned: the latest version counts, the older ones stay as history).

`core.indicator_values` computes `indicator_value` from these, and nothing else writes that table.
Pure data: no database access here (the i18n catalog reads the texts).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Special denominators (not a record sum).
HOUSEHOLDS = "@households"  # the village's registered households
DIARY_DUE = "@diary_due"  # 一周一记: weeks of the month × the cadres who keep the diary
MEETINGS_DUE = "@meetings_due"  # 三会一课: 2 monthly meetings, plus 2 quarterly ones in a quarter's last month


@dataclass(frozen=True)
class Records:
    """Numerator and denominator summed from records; texts say what each counts (zh, en)."""

    num: tuple[str, ...]
    den: tuple[str, ...]
    num_text: tuple[str, str]
    den_text: tuple[str, str]
    tables: tuple[str, ...]  # the record tables behind the number (the why-this-rank drill opens them)
    cap: bool = False

    kind = "records"


@dataclass(frozen=True)
class Report:
    """A department's monthly figure (value, optional numerator and denominator) for each village."""

    department: tuple[str, str]
    num_text: tuple[str, str] = ("", "")
    den_text: tuple[str, str] = ("", "")

    kind = "report"


Definition = Records | Report


def _task(module: str, zh: str, en: str) -> Records:
    return Records((f"task.{module}_on_time",), (f"task.{module}_due",), (f"{zh}任务中按时办结数", f"{en} tasks closed on time"),
                   (f"当月到期的{zh}任务数", f"{en} tasks due this month"), ("task",))


_APPEAL = ("appeal",)
DEFINITIONS: dict[str, Definition] = {
    # 党建统领
    "pb_member_household": Records(("link.linked",), (HOUSEHOLDS,), ("党员联系的农户数（月末）", "households linked to a member (month end)"),
                                   ("全部农户数", "all households"), ("member_link", "party_member"), cap=True),
    "pb_three_meetings": Records(("meeting.meetings_held",), (MEETINGS_DUE,), ("按规定召开的三会一课次数", "required meetings held"),
                                 ("应召开次数", "meetings required"), ("party_meeting",)),
    "pb_theme_day": Records(("meeting.theme_attended",), ("meeting.theme_expected",), ("主题党日实到人数", "members attending"),
                            ("主题党日应到人数", "members expected"), ("party_meeting",)),
    "pb_five_two": Records(("decision.compliant",), ("decision.closed",), ("按序完成七步的决策数", "decisions with all seven steps in order"),
                           ("当月办结的决策数", "decisions closed this month"), ("decision", "decision_step")),
    "pb_affairs_public": Records(("posting.postings_on_time",), ("posting.postings_due",), ("按期公开事项数", "items posted on time"),
                                 ("当月应公开事项数", "items due this month"), ("affairs_posting",)),
    "pb_diary": Records(("diary.visits",), (DIARY_DUE,), ("民情日记走访记录数", "diary visits logged"),
                        ("应记数（每人每周一记）", "visits due (one per cadre a week)"), ("diary_visit",)),
    "pb_outpost_stars": Report(("镇党委", "Township Party committee"), ("评定星级", "stars awarded"), ("评定次数", "ratings")),
    "pb_training": Records(("training.training_attended",), ("training.training_expected",), ("培训实到人数", "members attending"),
                           ("培训应到人数", "members expected"), ("training",)),
    "pb_task_on_time": _task("party_building", "党建", "Party-building"),
    "pb_warnings": Records(("evaluation.warnings",), (), ("负面预警次数", "negative warnings"), ("", ""), ("evaluation",)),
    # 经济生态
    "ec_collective_income": Report(("农业农村局", "Agriculture and rural affairs bureau")),
    "ec_operating_growth": Report(("农业农村局", "Agriculture and rural affairs bureau"), ("经营性收入增加额（元/户）", "operating-income increase"),
                                  ("农户数", "households")),
    "ec_disposable_income": Report(("统计局", "Statistics bureau"), ("可支配收入总额（元）", "total disposable income (yuan)"),
                                   ("常住人口", "residents")),
    "ec_pledge_done": Records(("task.pledge_on_time",), ("task.pledge_due",), ("按时兑现的创业承诺数", "pledges delivered on time"),
                              ("当月到期的创业承诺数", "pledges due this month"), ("task",)),
    "ec_bidding_projects": Records(("bidding.landed",), (), ("当月落地的揭榜挂帅项目数（揭榜村）", "open-bidding projects landed (winning village)"),
                                   ("", ""), ("bid_project", "project_bid", "project_milestone")),
    "ec_common_prosperity_funds": Report(("财政局", "Finance bureau")),
    "ec_waste_sorting": Records(("waste.waste_passed",), ("waste.waste_checked",), ("抽查合格户数", "households passing"),
                                ("抽查户数", "households checked"), ("waste_check",)),
    "ec_living_environment": Report(("镇人居办", "Township living-environment office"), ("检查得分", "inspection score"),
                                    ("检查次数", "inspections")),
    "ec_task_on_time": _task("economy", "经济生态", "Economy"),
    "ec_new_entities": Report(("市场监管局", "Market regulation bureau")),
    # 平安法治
    "sa_dispute_resolved": Records(("appeal.disputes_closed",), ("appeal.disputes",), ("已化解的矛盾纠纷数", "disputes resolved"),
                                   ("当月上报的矛盾纠纷数", "disputes reported this month"), _APPEAL),
    "sa_petitions": Records(("appeal.petitions",), (), ("浙里访信访件数", "petitions"), ("", ""), _APPEAL),
    "sa_public_security": Report(("公安局", "Public security bureau"), ("治安案件数", "incidents"), ("常住人口", "residents")),
    "sa_hazard_fixed": Records(("appeal.hazards_closed", "inspection.hazards_fixed"), ("appeal.hazards", "inspection.hazards_found"),
                               ("已整改隐患数（诉求 + 检查）", "hazards fixed (appeals + inspections)"),
                               ("发现隐患数（诉求 + 检查）", "hazards found (appeals + inspections)"), ("appeal", "safety_inspection")),
    "sa_grid_on_time": Records(("appeal.on_time",), ("appeal.closed",), ("时限内办结的事件数", "events closed in time"),
                               ("已办结的事件数", "events closed"), _APPEAL),
    "sa_violations": Report(("纪委", "Discipline inspection commission")),
    "sa_anti_fraud": Records(("fraud.fraud_reached",), (HOUSEHOLDS,), ("反诈宣传覆盖户数", "households reached"),
                             ("全部农户数", "all households"), ("anti_fraud_visit",), cap=True),
    "sa_task_on_time": _task("safety", "平安法治", "Safety"),
    "sa_key_persons": Records(("key_person.visited",), ("key_person.registered",), ("当月已走访的重点人员数", "key persons visited"),
                              ("在册重点人员数（月末）", "key persons registered (month end)"), ("key_person", "key_person_visit")),
    "sa_fire_checks": Records(("inspection.fire_checked",), ("inspection.fire_due",), ("已检查场所数", "premises checked"),
                              ("应查场所数", "premises due"), ("safety_inspection",)),
    # 公共服务
    "ps_appeal_closed": Records(("appeal.closed",), ("appeal.n",), ("已办结诉求数", "appeals closed"),
                                ("当月上报诉求数", "appeals reported this month"), _APPEAL),
    "ps_satisfaction": Records(("appeal.good",), ("appeal.rated",), ("好评数", "good ratings"), ("已评价诉求数", "rated appeals"),
                               _APPEAL),
    "ps_response_hours": Records(("appeal.resp_hours",), ("appeal.responded",), ("响应时长合计（小时）", "hours to respond, summed"),
                                 ("已响应诉求数", "appeals responded to"), _APPEAL),
    "ps_one_thing_days": Records(("one_thing.days",), ("one_thing.closed",), ("当月办结一件事的办理天数合计", "days from opening to closing, summed"),
                                 ("当月办结的一件事件数", "cases closed this month"), ("one_thing_case", "case_step")),
    "ps_elderly_care": Report(("民政局", "Civil affairs bureau"), ("享受居家养老服务人数", "older residents served"),
                              ("老年人口", "older residents")),
    "ps_family_doctor": Report(("卫健局", "Health commission"), ("签约人数", "residents signed up"), ("常住人口", "residents")),
    "ps_digital_active": Report(("大数据中心", "Big-data centre"), ("活跃农户数", "active households"), ("农户数", "households")),
    "ps_moral_points": Records(("moral.taking_part",), (HOUSEHOLDS,), ("参与道德银行积分的农户数（月末）", "households taking part in the moral-points bank (month end)"),
                               ("全部农户数", "all households"), ("moral_household", "moral_entry"), cap=True),
    "ps_task_on_time": _task("public_service", "公共服务", "Public-service"),
    "ps_village_reports_done": Records(("task.village_report_fin",), ("task.village_report_due",),
                                       ("已办结的村级上报事项数", "matters closed"), ("当月到期的村级上报事项数", "matters due this month"),
                                       ("task",)),
}

REPORTED = tuple(code for code, d in DEFINITIONS.items() if isinstance(d, Report))


def sources_of(codes) -> set[str]:
    """The record sources (core.record_sources.SOURCES names) the given indicators read."""
    return {col.split(".")[0] for c in codes if isinstance(d := DEFINITIONS[c], Records)
            for col in (*d.num, *d.den) if not col.startswith("@")}


def source_text(code: str, lang: int = 0) -> str:
    """'记录：A ÷ B' / '部门报送：dept' (lang 0 zh, 1 en): where the indicator's number comes from."""
    d = DEFINITIONS[code]
    if isinstance(d, Report):
        return ("部门报送：" if lang == 0 else "Reported by: ") + d.department[lang]
    head = "记录：" if lang == 0 else "Records: "
    return head + d.num_text[lang] + (f" ÷ {d.den_text[lang]}" if d.den_text[lang] else "")
