"""Big screen (大屏): page chrome, title bar, carousel and the leader alert flash (预警确认)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # chrome around every page (ui/chrome.py)
    "chrome.demo_banner": (":material/science: 演示数据：本系统中的镇、村、人员与业务记录均为生成的模拟数据，仅供演示。",
                           ":material/science: Demo data: every township, village, person and record here is generated, for "
                           "demonstration only."),
    "chrome.read_only": ("只读", "read-only"),
    "chrome.as_of": ("数据截至 {day}", "Data as of {day}"),
    "chrome.to_big_screen": (":material/tv: 大屏模式", ":material/tv: Big screen"),
    "chrome.sign_out": ("退出登录", "Sign out"),
    "chrome.leave_big_screen": ("退出大屏", "Exit"),
    "chrome.title": ("{region} · {app}", "{region} · {app}"),
    "chrome.scored": ("得分计算于 {at}", "scores computed {at}"),
    "chrome.scored_generated": ("得分为生成/导入时所算", "scores as generated or imported"),
    "chrome.meta": ("数据截至 {as_of} · 刷新于 {refreshed}", "Data as of {as_of} · refreshed {refreshed}"),
    "chrome.demo_tag": ("演示数据", "Demo data"),
    # carousel (ui/carousel.py)
    "bigscreen.carousel.running": ("▶ 下一页：{next} · {seconds} 秒", "▶ Next: {next} · {seconds} s"),
    "bigscreen.carousel.paused": ("⏸ 轮播已暂停 · 下一页：{next}", "⏸ Carousel paused · next: {next}"),
    "bigscreen.carousel.held": ("⏸ 操作中，{seconds} 秒后继续 · 下一页：{next}",
                                "⏸ In use: resumes in {seconds} s · next: {next}"),
    "bigscreen.carousel.pause": ("⏸ 暂停", "⏸ Pause"),
    "bigscreen.carousel.resume": ("▶ 继续", "▶ Resume"),
    # alert flash (ui/alert_flash.py)
    "bigscreen.flash.count": ("⚠ 新增 {n} 项待领导确认", "⚠ {n} new alerts for a leader"),
    "bigscreen.flash.group": ("{mark} {region} · {n} 项{what}", "{mark} {region} · {n} {what}"),
    "bigscreen.flash.since": ("自 {who} {at} 确认 {n} 项以来", "since {who} acknowledged {n}, {at}"),
    "bigscreen.flash.since_never": ("尚无人确认过", "none acknowledged yet"),
    "bigscreen.flash.counts": ("计：逾期超 {days} 天升级至县的在办任务 + 近 {recent} 天的{kinds}预警",
                               "Counts: open tasks over {days} days overdue (up to county) + {kinds} warnings, "
                               "last {recent} days"),
    "bigscreen.flash.kind.burst": ("突发/群发", "burst"),
    "bigscreen.flash.kind.high": ("高发/多发", "high"),
    "bigscreen.flash.kind.chronic": ("顽疾", "chronic"),
    "bigscreen.flash.kind.new": ("新苗头", "new-trend"),
    "bigscreen.flash.kind.silent": ("停报", "silent"),
    "bigscreen.flash.warnings_pending": ("事件预警统计中，下一分钟计入", "warnings still counting"),
    "bigscreen.flash.read_only_hint": ("只读大屏：请由领导确认", "Read-only screen: a leader acknowledges"),
    "bigscreen.ack.button": ("知道了", "Acknowledge"),
    "bigscreen.ack.done": ("已确认 {n} 条预警", "{n} alerts acknowledged"),
    "bigscreen.ack.read_only": ("只读大屏账号不能确认预警，请由领导账号点「知道了」。",
                                "A read-only big-screen account cannot acknowledge alerts: a leader's account "
                                "must press “Acknowledge”."),
    "task_action.acknowledge": ("预警确认", "Alert acknowledged"),
}
