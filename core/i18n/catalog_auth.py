"""登录 (sign-in screen) and 演示中心 (demo centre, guided tour) texts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.heading": ("兴村治社驾驶舱 · 登录", "XingCun Governance Cockpit · Sign in"),
    "auth.username": ("用户名", "User name"),
    "auth.password": ("密码", "Password"),
    "auth.submit": ("登录", "Sign in"),
    "auth.demo_caption": ("演示模式：以下为生成的演示账号（密码均为 {password}），点击即可登录。",
                          "Demo mode: generated demo accounts (password {password} for all); click one to sign in."),
    "auth.sign_in_as": ("以 {name} 登录", "Sign in as {name}"),
    # 演示中心
    "demo.switch_admin_only": ("切换演示区县对本服务器的所有用户生效，仅市级管理员可操作。",
                               "Switching the demo county affects everyone on this server; only city administrators may do it."),
    "demo.production": ("当前为生产模式，演示功能已关闭。", "Production mode: the demo features are switched off."),
    "demo.tour_title": ("一键导览", "One-click guided tour"),
    "demo.tour_caption": ("按固定顺序浏览 {pages}，每页附简短说明。",
                          "Walks through {pages} in a fixed order, with a short caption on each page."),
    "demo.tour_start": ("▶ 开始导览", "▶ Start the tour"),
    "demo.county_title": ("切换到来访县的演示数据", "Switch to the visiting county's demo data"),
    "demo.county_caption": ("选择全国任一区县：真实县名与县界，镇、村、网格在县界内生成。首次生成约需半分钟，之后直接打开。",
                            "Pick any county in China: real county name and boundary, with townships, villages and "
                            "grids generated inside it. The first build takes about half a minute, later it opens at once."),
    "demo.county": ("区县", "County"),
    "demo.open": ("生成 / 打开该县演示库", "Generate / open this county's demo database"),
    "demo.preparing": ("正在准备 {county} 的演示数据……", "Preparing demo data for {county}…"),
    "demo.switched": ("已切换到 {county}，请重新登录。", "Switched to {county}; please sign in again."),
    # 导览 tour
    "tour.step": ("演示导览 {step}/{n}", "Guided tour {step}/{n}"),
    "tour.prev": ("◀ 上一步", "◀ Back"),
    "tour.next": ("下一步 ▶", "Next ▶"),
    "tour.end": ("结束导览", "End tour"),
    "tour.cockpit": ("① 驾驶舱：全域态势一屏总览——任务办结、按时率、逾期、群众满意度与综合排名。",
                     "① Cockpit: the whole area on one screen — tasks closed, on-time rate, overdue, citizen "
                     "satisfaction and the composite ranking."),
    "tour.rankings": ("② 四大模块榜单：党建统领、经济生态、平安法治、公共服务，每个名次都能说清“为什么”。",
                      "② Four-module rankings: Party building, economy & ecology, safety & rule of law, public "
                      "services — every rank explains why."),
    "tour.map": ("③ 网格地图：真实县界内的镇、村、网格，离线可用，点击即可下钻。",
                 "③ Grid map: townships, villages and grids inside the real county boundary, offline; click to drill down."),
    "tour.tasks": ("④ 任务督办：临期提醒、逾期预警、分级升级，一键催办全留痕。",
                   "④ Task supervision: due-soon reminders, overdue alerts, escalation by level, one-click urging on record."),
    "tour.appeals": ("⑤ 民情与预警：新苗头、高发多发、突发群发、顽疾，每条预警都附证据。",
                     "⑤ Appeals & warnings: new trends, high frequency, bursts and chronic problems, each with its evidence."),
    "tour.leaders": ("⑥ 领雁指数：以事识人，六个维度的每一分都能追溯到具体记录。",
                     "⑥ Leader index: judged by the record — every point of the six dimensions traces back to records."),
    "tour.village": ("⑦ 村社档案：一个村的全部记录，可导出打印简报和 Excel。",
                     "⑦ Village record: everything about one village, exportable as a printable brief and Excel."),
}
