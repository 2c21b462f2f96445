"""Charts of a criterion's readings for documents (core.charts): SVG and PNG."""

from __future__ import annotations

import datetime
import re

import pytest

from pocdesk.core.charts import criterion_chart_png, criterion_chart_svg

T0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
LABELS = {"value": "数值", "target": "目标", "mean": "平均值", "range": "最低–最高",
          "reading": "读数", "measured": "实测", "pass": "通过", "fail": "未通过",
          "share": "通过比例", "required": "要求", "no_data": "暂无读数"}


def at(hours: float) -> str:
    return (T0 + datetime.timedelta(hours=hours)).isoformat()


RAW = {"kind": "numeric", "unit": "t/h", "bucketed": False, "count": 300,
       "target": {"comparator": "gte", "value": 120.0, "text": "≥ 120 t/h"},
       "series": [{"t": at(i), "value": 120 + (i % 9)} for i in range(300)]}
BUCKETED = {"kind": "numeric", "unit": "K", "bucketed": True, "count": 1_000_000,
            "target": {"comparator": "between", "min": 2600.0, "max": 2800.0,
                       "text": "2600–2800 K"},
            "series": [{"t": at(i), "until": at(i + 1), "min": 2650.0, "max": 2760.0,
                        "mean": 2700.0 + i % 7, "count": 2500} for i in range(400)]}
FEW = {"kind": "numeric", "unit": "mm", "bucketed": False, "count": 3,
       "target": {"comparator": "lte", "value": 0.5, "text": "≤ 0.5 mm"},
       "series": [{"t": at(24 * i), "value": v} for i, v in enumerate([0.31, 0.42, 0.38])]}
PASS_FAIL = {"kind": "pass_fail", "unit": "", "bucketed": False, "count": 50,
             "target": {"comparator": "pass_fail", "required_share": 95.0,
                        "text": "pass: no dust"},
             "series": [{"t": at(i), "value": int(i % 10 != 0)} for i in range(50)]}
PASS_FAIL_BUCKETED = dict(PASS_FAIL, bucketed=True, count=100_000, series=[
    {"t": at(i), "until": at(i + 1), "share": 96.0, "mean": 0.96, "min": 0, "max": 1,
     "count": 250, "passing": 240} for i in range(400)])
FEW_TESTS = dict(PASS_FAIL, count=3, series=[{"t": at(i), "value": v}
                                             for i, v in enumerate([1, 0, 1])])
EMPTY = dict(RAW, count=0, series=[])
CHARTS = {"raw": RAW, "bucketed": BUCKETED, "few": FEW, "pass_fail": PASS_FAIL,
          "pass_fail_bucketed": PASS_FAIL_BUCKETED, "few_tests": FEW_TESTS, "empty": EMPTY}


@pytest.mark.parametrize("name", list(CHARTS))
def test_each_kind_draws_a_small_svg_with_text_as_text(name):
    svg = criterion_chart_svg(CHARTS[name], labels=LABELS, ident=name)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert len(svg) < 120_000
    assert svg.count("<path") < 400
    assert "<text" in svg  # svg.fonttype none: WeasyPrint sets the text in its own fonts
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(identifier.startswith(f"{name}-") for identifier in ids)
    for reference in re.findall(r"url\(#([^)]+)\)", svg):
        assert reference in ids


def test_the_words_and_the_unit_are_on_the_chart():
    svg = criterion_chart_svg(RAW, labels=LABELS)
    assert "数值 (t/h)" in svg and "目标" in svg and "≥ 120 t/h" in svg
    few = criterion_chart_svg(FEW, labels=LABELS, number=lambda value: f"{value:g}".replace(
        ".", ","))
    assert "0,42" in few and "实测" in few
    assert "暂无读数" in criterion_chart_svg(EMPTY, labels=LABELS)
    assert "要求" in criterion_chart_svg(PASS_FAIL, labels=LABELS)


def test_user_text_in_a_target_is_escaped():
    chart = dict(FEW, target=dict(FEW["target"], text="<b>&</b>"))
    svg = criterion_chart_svg(chart, labels=LABELS)
    assert "<b>" not in svg and "&lt;b&gt;&amp;&lt;/b&gt;" in svg


@pytest.mark.parametrize("name", ["raw", "bucketed", "few_tests", "empty"])
def test_the_png_is_a_png(name):
    png = criterion_chart_png(CHARTS[name], labels=LABELS)
    assert png.startswith(b"\x89PNG")
