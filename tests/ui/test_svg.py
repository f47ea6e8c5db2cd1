"""The cockpit's server-drawn SVG: every value is in the drawing, colours follow the score, bad data is survivable."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pandas as pd

from ui import svg
from ui.theme import DARK, LIGHT, score_color_hex

LABELS = {"kpi.completion": "完成率", "kpi.on_time": "按时率", "kpi.satisfaction": "满意度"}
NS = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def _trend() -> pd.DataFrame:
    return pd.DataFrame({"period": [202608, 202609, 202610], "completion": [81.25, 84.5, 90.0],
                         "on_time_rate": [70.0, float("nan"), 75.5], "satisfaction": [95.0, 96.0, 97.25]})


def test_trend_has_one_point_per_known_value_with_its_exact_title():
    markup = svg.trend_svg(_trend(), LABELS, ["8月", "9月", "10月"], LIGHT, title="近12个月趋势")
    root = _parse(markup)
    titles = [c.find(f"{NS}title").text for c in root.iter(f"{NS}circle")]
    assert len(titles) == 8, "nine values, one missing (NaN) month is skipped"
    assert "完成率 · 8月: 81.2%" in titles or "完成率 · 8月: 81.3%" in titles
    assert "满意度 · 10月: 97.2%" in titles or "满意度 · 10月: 97.3%" in titles
    assert not any("9月" in t and "按时率" in t for t in titles)
    assert len(list(root.iter(f"{NS}polyline"))) == 3
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert {"8月", "9月", "10月", "近12个月趋势", "完成率", "按时率", "满意度"} <= set(texts)
    assert "70%" in texts and "100%" in texts, "the axis is trimmed to the data, in steps of 10"


def test_trend_points_rise_with_the_value():
    root = _parse(svg.trend_svg(_trend(), LABELS, ["8月", "9月", "10月"], DARK, big=True))
    ys = {c.find(f"{NS}title").text.split(": ")[1]: float(c.get("cy")) for c in root.iter(f"{NS}circle")}
    assert ys["70.0%"] > ys["90.0%"] > ys["97.2%" if "97.2%" in ys else "97.3%"], "higher values are drawn higher"


def test_trend_of_an_empty_month_list_is_still_a_drawing():
    empty = pd.DataFrame({"period": [], "completion": [], "on_time_rate": [], "satisfaction": []})
    root = _parse(svg.trend_svg(empty, LABELS, [], LIGHT))
    assert root.tag == f"{NS}svg" and not list(root.iter(f"{NS}circle"))


def _square(lon: float, lat: float, d: float = 0.1) -> list[list[float]]:
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]]


def test_map_colours_each_child_by_its_score_and_tags_its_code():
    shapes = [{"region_id": 1, "code": "330681001000", "name": "暨阳街道", "rings": [_square(120.2, 29.7)]},
              {"region_id": 2, "code": "330681002000", "name": "浣东街道", "rings": [_square(120.3, 29.7)]},
              {"region_id": 3, "code": "330681003000", "name": "陶朱街道", "rings": [_square(120.4, 29.7)]}]
    scores = pd.DataFrame({"region_id": [1, 2, 3], "composite": [91.0, 42.5, float("nan")]})
    root = _parse(svg.map_svg(shapes, scores, LIGHT, tooltip="{name}：{score}"))
    areas = {p.get("data-code"): p for p in root.iter(f"{NS}path")}
    assert set(areas) == {"330681001000", "330681002000", "330681003000"}
    assert areas["330681001000"].get("fill") == score_color_hex(91.0, LIGHT)
    assert areas["330681002000"].get("fill") == score_color_hex(42.5, LIGHT)
    assert areas["330681003000"].get("fill") == score_color_hex(None, LIGHT), "no score: the grey of 'no data'"
    assert areas["330681002000"].find(f"{NS}title").text == "浣东街道：42.5"
    assert areas["330681003000"].find(f"{NS}title").text == "陶朱街道：—"
    labels = "".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert "暨阳街道" in labels and "浣东街道" in labels


def test_map_keeps_east_east_and_north_up():
    shapes = [{"region_id": 1, "code": "a", "name": "西", "rings": [_square(120.0, 30.0)]},
              {"region_id": 2, "code": "b", "name": "东北", "rings": [_square(120.5, 30.5)]}]
    root = _parse(svg.map_svg(shapes, pd.DataFrame({"region_id": [], "composite": []}), LIGHT))
    first = {p.get("data-code"): [float(v) for v in re.findall(r"-?\d+\.?\d*", p.get("d"))] for p in root.iter(f"{NS}path")}
    west_x, northeast_x = min(first["a"][0::2]), min(first["b"][0::2])
    west_y, northeast_y = min(first["a"][1::2]), min(first["b"][1::2])
    assert northeast_x > west_x and northeast_y < west_y, "SVG y grows downwards: north is up"
    width = max(first["b"][0::2]) - min(first["a"][0::2])
    height = max(first["a"][1::2]) - min(first["b"][1::2])
    assert math.isclose(width / height, math.cos(math.radians(30.3)), rel_tol=0.02), "shapes keep their proportions"


def test_map_without_shapes_is_empty():
    assert svg.map_svg([], pd.DataFrame({"region_id": [], "composite": []}), LIGHT) == ""
