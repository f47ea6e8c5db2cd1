"""准入清单: the township and village matter types the generator writes (codes like T-PB-01)."""

from __future__ import annotations

# (code, name, level, module, on_list, emergency, difficulty)
MATTER_TYPES: list[tuple[str, str, str, str, bool, bool, float]] = [
    ("T-PB-01", "主题党日活动组织", "township", "party_building", True, False, 2.0),
    ("T-PB-02", "党员先锋指数评定", "township", "party_building", True, False, 3.0),
    ("T-PB-03", "“五议两公开”事项报备", "township", "party_building", True, False, 2.0),
    ("T-EC-01", "村集体经济项目推进", "township", "economy", True, False, 5.0),
    ("T-EC-02", "人居环境整治检查整改", "township", "economy", True, False, 3.0),
    ("T-EC-03", "揭榜挂帅项目落地", "township", "economy", True, False, 8.0),
    ("T-SA-01", "矛盾纠纷排查化解", "township", "safety", True, False, 4.0),
    ("T-SA-02", "安全生产隐患整改", "township", "safety", True, False, 4.0),
    ("T-SA-03", "反诈宣传进村入户", "township", "safety", True, False, 1.5),
    ("T-PS-01", "养老服务需求摸排", "township", "public_service", True, False, 2.0),
    ("T-PS-02", "医保参保缴费动员", "township", "public_service", True, False, 1.5),
    ("T-PS-03", "“一件事”联办协同", "township", "public_service", True, False, 3.0),
    ("V-PB-01", "村务公开栏更新", "village", "party_building", True, False, 1.0),
    ("V-EC-01", "垃圾分类入户督导", "village", "economy", True, False, 1.5),
    ("V-EC-02", "创业承诺项目实施", "village", "economy", True, False, 4.0),
    ("V-SA-01", "网格巡查上报", "village", "safety", True, False, 1.0),
    ("V-SA-02", "防汛防台巡查", "village", "safety", True, False, 2.0),
    ("V-PS-01", "民生实事办理", "village", "public_service", True, False, 2.0),
    ("V-PS-02", "困难群众走访帮扶", "village", "public_service", True, False, 1.5),
    # Known matter types that are NOT admitted to the village level (过筛 removes them).
    ("X-01", "部门报表代填", "village", "public_service", False, False, 1.0),
    ("X-02", "商业保险推销任务", "village", "economy", False, False, 1.0),
    ("X-03", "执法检查代为实施", "village", "safety", False, False, 1.0),
    ("X-04", "台账材料重复报送", "village", "party_building", False, False, 1.0),
    # The emergency path "其他/加急": admitted, flagged for compliance review afterwards.
    ("E-99", "其他/加急", "township", "safety", True, True, 3.0),
]
CO_OFFICES = ["党建办", "经发办", "平安办", "社会事务办", "综合执法队", "农业农村办"]
DECISION_TITLES = [
    "村集体资产出租", "道路硬化工程", "土地流转方案", "村级公益事业一事一议", "宅基地审批",
    "农房改造项目", "集体经济合作项目", "低保户评定", "河道整治工程", "文化礼堂建设",
]
DIARY_TOPICS = ["政策宣传", "矛盾调解", "困难帮扶", "意见收集", "安全提醒", "环境整治"]
