"""Data paragraphs under tables 三 and 四: fixed wording, derived figures, 同比 rounding."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from lxml import html as lhtml

from helpers import importers
from helpers.checks.narrative_numbers import check_narrative_numbers
from helpers.config import samples_dir
from helpers.errors import XxgkError
from helpers.format import derived, schema
from helpers.format.model import Report
from helpers.report import paragraphs

SAMPLES = samples_dir()


@pytest.fixture(scope="module")
def huaian() -> Report:
    return importers.read(SAMPLES / "huaian-2024.expected.csv")[0]


def test_seed_zeros_phrased_as_published_reports():
    seed = importers.read(SAMPLES / "qianjindao-2023.expected.csv")[0]
    assert paragraphs.requests_text(seed) == "本年度未收到政府信息公开申请，无上年结转、办结及结转下年度继续办理的申请。"
    assert paragraphs.appeals_text(seed) == "本年度未发生政府信息公开行政复议、行政诉讼情况。"


def test_huaian_wording(huaian):
    assert paragraphs.requests_text(huaian) == (
        "本年新收政府信息公开申请 3119 件（其中自然人 3001 件，法人或其他组织 118 件）；"
        "上年结转政府信息公开申请 34 件；"
        "本年度办结 3050 件，其中予以公开 1362 件、部分公开 454 件、不予公开 178 件、无法提供 781 件、"
        "不予处理 88 件、其他处理 187 件，予以公开与部分公开合计占办结数的 59.5%；"
        "结转下年度继续办理 103 件。")
    assert paragraphs.appeals_text(huaian) == (
        "本年度发生政府信息公开行政复议 351 件，其中结果维持 72 件、结果纠正 64 件、其他结果 178 件、尚未审结 37 件，"
        "已审结的行政复议中结果纠正占 20.4%；"
        "发生政府信息公开行政诉讼 46 件（未经复议直接起诉 26 件，复议后起诉 20 件），"
        "其中结果维持 25 件、结果纠正 5 件、其他结果 9 件、尚未审结 7 件。")


def test_only_one_kind_of_appeal(huaian):
    rep = copy.deepcopy(huaian)
    for f in schema.T4_FIELDS:
        rep.set("t4", "review", f.key, 0)
    assert paragraphs.appeals_text(rep).startswith("本年度未发生政府信息公开行政复议；发生政府信息公开行政诉讼 46 件")
    for g in ("suit_direct", "suit_after_review"):
        for f in schema.T4_FIELDS:
            rep.set("t4", g, f.key, 0)
    rep.set("t4", "review", "upheld", 2)
    rep.set("t4", "review", "total", 2)
    assert paragraphs.appeals_text(rep).endswith("；未发生政府信息公开行政诉讼。")


def test_category_subtotals_follow_schema_groups(huaian):
    """不予公开 = Σ denied_*, in both layouts (2019: （六）其他处理 is one row)."""
    denied = sum(huaian.value("t3", r.key, "total") for r in huaian.table("t3").rows if r.key.startswith("denied_"))
    assert derived.category_totals(huaian)["denied"] == denied == 178
    old = Report.zeros("demo", 2020, "2019")
    old.set("t3", "other_processing", "total", 7)
    old.set("t3", "denied_third_party", "total", 2)
    old.set("t3", "denied_state_secret", "total", 1)
    old.set("t3", "processed_total", "total", 10)
    totals = derived.category_totals(old)
    assert totals["other"] == 7 and totals["denied"] == 3
    assert "其他处理 7 件" in paragraphs.requests_text(old) and "不予公开 3 件" in paragraphs.requests_text(old)


def test_derived_figures(huaian):
    assert derived.accepted_total(huaian) == 3119 + 34
    assert derived.substantive_rate(huaian) == Decimal(1362 + 454) / Decimal(3050)
    assert derived.review_correction_rate(huaian) == Decimal(64) / Decimal(351 - 37)
    assert derived.litigation_total(huaian) == 46
    zero = Report.zeros("demo", 2023)
    assert derived.substantive_rate(zero) is None and derived.review_correction_rate(zero) is None


@pytest.mark.parametrize("current, previous, phrase", [
    (9, 8, "同比增长 12.5%（上年 8 件）"),
    (7, 8, "同比下降 12.5%（上年 8 件）"),
    (81, 80, "同比增长 1.3%（上年 80 件）"),      # 1.25 % -> 1.3 (half-up; float round() gives 1.2)
    (79, 80, "同比下降 1.3%（上年 80 件）"),      # symmetric for decreases
    (2001, 2000, "同比增长 0.1%（上年 2000 件）"),  # 0.05 % -> 0.1
    (8001, 8000, "同比增长不足 0.1%（上年 8000 件）"),
    (4, 3, "同比增长 33.3%（上年 3 件）"),
    (5, 3, "同比增长 66.7%（上年 3 件）"),
    (0, 5, "同比下降 100.0%（上年 5 件）"),
    (5, 5, "与上年持平"),
    (3, 0, "上年为 0"),
    (3, None, ""),
])
def test_yoy_phrase(current, previous, phrase):
    assert paragraphs.yoy_phrase(current, previous) == phrase


def test_yoy_in_paragraphs(huaian):
    prev = copy.deepcopy(huaian)
    prev.year = 2023
    prev.set("t3", "new_received", "total", 2000)
    prev.set("t4", "review", "total", 0)
    text = paragraphs.requests_text(huaian, prev)
    assert "法人或其他组织 118 件），同比增长 56.0%（上年 2000 件）；" in text   # 3119/2000 − 1 = 55.95 %
    assert "行政复议 351 件，上年为 0，其中结果维持" in paragraphs.appeals_text(huaian, prev)
    other = copy.deepcopy(prev)
    other.year = 2022
    with pytest.raises(XxgkError):
        paragraphs.requests_text(huaian, other)


def test_generated_text_passes_the_narrative_numbers_check(huaian):
    """The check that audits published reports finds nothing wrong in our own paragraphs."""
    prev = copy.deepcopy(huaian)
    prev.year = 2023
    prev.set("t4", "review", "total", 300)
    prev.set("t4", "suit_direct", "total", 40)
    rep = copy.deepcopy(huaian)
    rep.narrative = {"requests": paragraphs.requests_text(rep, prev), "appeals": paragraphs.appeals_text(rep, prev)}
    assert check_narrative_numbers(rep, prev) == []
    # and the check does see a wrong number: the text of one report under another's tables
    wrong = copy.deepcopy(rep)
    wrong.set("t3", "granted", "total", 1361)
    wrong.set("t4", "review", "total", 350)
    rules = {(f.table, f.row) for f in check_narrative_numbers(wrong, prev)}
    assert ("t3", "granted") in rules and ("t4", "review") in rules
    # the 同比 is read as the growth of the figure it follows, and checked
    other_prev = copy.deepcopy(prev)
    other_prev.set("t4", "review", "total", 310)
    growth = [f for f in check_narrative_numbers(rep, other_prev) if "同比" in f.message]
    assert [(f.table, f.row) for f in growth] == [("t4", "review")]


def test_paragraph_html(huaian):
    frag = paragraphs.requests_paragraph(huaian)
    el = lhtml.fragment_fromstring(frag)
    assert el.tag == "p" and el.get("class") == "data-text"
    assert el.text_content() == paragraphs.requests_text(huaian)
    assert frag._repr_html_() == str(frag)
    assert lhtml.fragment_fromstring(paragraphs.appeals_paragraph(huaian)).text_content() == paragraphs.appeals_text(huaian)
