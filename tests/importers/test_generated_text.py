"""What our renderer adds around the stored narrative is recognised exactly on import
(helpers.importers.generated_text), and spaces next to Chinese are kept off line ends
(helpers.report.text_breaks)."""
from __future__ import annotations

import random

import lxml.html
import pytest
from markupsafe import escape

from helpers.importers.generated_text import LEGACY_FOOTER, strip_generated
from helpers.report import paragraphs
from helpers.report.tables import CHECK_PANEL_TITLE
from helpers.report.text_breaks import keep_cjk_spaces
from helpers.synth import series as synthetic


@pytest.fixture
def pair():
    prev, rep = synthetic.consistent_series(random.Random(11), "gen", [2022, 2023], scale=3)
    return prev, rep


def _with(rep, **texts):
    rep.narrative = {**rep.narrative, **texts}
    strip_generated(rep)
    return rep.narrative


@pytest.mark.parametrize("with_previous", [False, True])
def test_data_paragraphs_are_dropped_exactly(pair, with_previous):
    prev, rep = pair
    previous = prev if with_previous else None
    req, app = paragraphs.requests_text(rep, previous), paragraphs.appeals_text(rep, previous)
    assert (req != paragraphs.requests_text(rep)) == with_previous      # 同比 phrases in it
    got = _with(rep, requests=f"本年度依法办理。\n{req}", appeals=f"{app}\n复议均已答复。")
    assert got["requests"] == "本年度依法办理。" and got["appeals"] == "复议均已答复。"


def test_spaces_may_come_and_go_numbers_may_not(pair):
    _, rep = pair
    req = paragraphs.requests_text(rep)
    squeezed = req.replace(" ", "")
    assert "requests" not in _with(rep, requests=squeezed)
    other = req.replace(f" {rep.value('t3', 'carried_forward', 'total')} 件", " 99999 件")
    assert other != req
    assert _with(rep, requests=other)["requests"] == other          # not what the cells give: kept
    assert _with(rep, requests=f"前言。{req}")["requests"] == f"前言。{req}"   # only a whole paragraph


def test_footer_of_earlier_versions_and_check_panel_are_cut_from_the_end(pair):
    _, rep = pair
    footer = f"{LEGACY_FOOTER}\n机构标识：gen 报告年度：2023"
    got = _with(rep, other=f"本年度未收取信息处理费。\n{CHECK_PANEL_TITLE}\n错误 0 项，提示 1 项\n{footer}")
    assert got["other"] == "本年度未收取信息处理费。"
    # without the footer nothing is trailing matter: a paragraph "数据检查" is text
    assert _with(rep, other=f"甲。\n{CHECK_PANEL_TITLE}\n乙。")["other"] == f"甲。\n{CHECK_PANEL_TITLE}\n乙。"


@pytest.mark.parametrize("issuer", ["甲市人民政府", "甲 市 人民政府", "甲市人民政府办公室"])
def test_signature_and_a_drafts_check_panel_after_it_are_cut(pair, issuer):
    """The 落款 (issuing agency over a date line) closes the report; a draft's check panel follows it."""
    _, rep = pair
    rep.agency_name = "甲市人民政府"
    text = "本年度未收取信息处理费。"
    assert _with(rep, other=f"{text}\n{issuer}\n2025年1月15日")["other"] == text
    rep.narrative = {}
    assert _with(rep, other=f"{text}\n{issuer}\n2025 年 1 月 5 日\n{CHECK_PANEL_TITLE}\n错误 0 项")["other"] == text
    rep.narrative = {}
    assert _with(rep, other=f"{text}\n2025年1月15日")["other"] == text           # a date alone


def test_text_that_only_looks_like_a_signature_is_kept(pair):
    _, rep = pair
    rep.agency_name = "甲市人民政府"
    for text in ("会议于\n2025年1月15日\n召开。",                       # the date is not last
                 "本机关于下列日期完成整改：\n2025年1月15日\n另见附件。",
                 "全年共办理 3 件。"):
        rep.narrative = {}
        assert _with(rep, other=text)["other"] == text
    rep.narrative = {}
    # a sentence before the date is text, only the date line goes
    assert _with(rep, other="整改已于下列日期完成。\n2025年1月15日")["other"] == "整改已于下列日期完成。"


def test_blank_cells_generate_nothing_and_nothing_is_dropped(pair):
    _, rep = pair
    rep.cells = {}
    assert _with(rep, requests="说明。")["requests"] == "说明。"


def test_spaces_next_to_chinese_bound_to_the_next_character_text_unchanged():
    text = "2024 年，网址 http://x.cn/ 持续；a & b < c 与 <script> 和 {{ x }}"
    html = keep_cjk_spaces(escape(text))
    el = lxml.html.fragment_fromstring(f"<p>{html}</p>")
    assert el.text_content() == text
    spans = [s.text_content() for s in el.iter("span")]
    assert spans == [" 年", " h", " 持", " 与", " <", " 和", " {"]
    assert "a &amp; b" in html and not el.xpath(".//script")


def test_chart_text_a_pdf_gives_back_is_dropped(pair):
    """Chart labels are text in the PDF: its reader returns them as lines; they are not narrative."""
    from helpers.report import charts
    _, rep = pair
    outcomes = charts.texts(charts.outcomes_spec(rep))
    lines = [outcomes[0], f"{outcomes[1]} {outcomes[2]}", charts.trend_title(2021, 2023),
             f"2400 {charts.NEW_RECEIVED_SERIES}", "2021年 2022年 2023年"]
    got = _with(rep, appeals="本年度无行政复议纠错。\n" + "\n".join(lines))
    assert got["appeals"] == "本年度无行政复议纠错。"
    # a sentence that names a category is text
    sentence = f"{outcomes[1]} 12 件。"
    assert _with(rep, appeals=sentence)["appeals"] == sentence
