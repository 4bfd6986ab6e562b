"""Narrative rules: figures in the text against the tables, section 五, years. The positive cases
are the real published texts of data/samples; the negative ones change one figure or year."""
from __future__ import annotations

import copy
import random
import re
import shutil
import subprocess

import pytest

from helpers.checks import run_checks
from helpers.checks.narrative_numbers import read_statements
from helpers.checks.text import normalize
from helpers.config import samples_dir
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.importers import exchange_csv
from helpers.synth.series import consistent_series

SAMPLES = samples_dir()


def sample(name: str, text: str | None = None, **narrative) -> Report:
    (rep,) = exchange_csv.read(SAMPLES / f"{name}.expected.csv")
    rep.narrative = {"overview": text, "problems": "一是……；二是……。"} if text is not None else {}
    rep.narrative.update(narrative)
    return rep


def raw_text(name: str) -> str:
    """The published text as it is (whole document, tables included: they must not trip the rules)."""
    path = next(SAMPLES.glob(f"{name}.*[!v]"))   # not the .csv
    if path.suffix == ".pdf":
        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext (poppler-utils) not installed")
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.suffix == ".html":
        from bs4 import BeautifulSoup
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").get_text("\n")
    return path.read_text(encoding="utf-8")


def narrative_findings(rep, previous=None):
    return [f for f in run_checks(rep, previous) if f.rule in ("narrative_numbers", "section5_empty", "year_mismatch")]


@pytest.mark.parametrize("name", ["huaian-2024", "qianjindao-2023", "shuyang-2025", "shuyang-fgj-2023"])
def test_real_texts_agree_with_their_tables(name):
    assert narrative_findings(sample(name, raw_text(name))) == []


def test_figures_read_from_real_texts():
    got = [(s.stated, s.metrics[0].key) for s in read_statements(raw_text("huaian-2024"))]
    assert got == [(3119, "new_received"), (3050, "processed_total"), (34, "carried_over"),
                   (103, "carried_forward"), (351, "t4:review:total"), (72, "t4:review:upheld"),
                   (64, "t4:review:corrected"), (178, "t4:review:other"), (37, "t4:review:pending"),
                   (46, "t4:suit_direct+suit_after_review:total"), (25, "t4:suit_direct+suit_after_review:upheld"),
                   (5, "t4:suit_direct+suit_after_review:corrected"), (9, "t4:suit_direct+suit_after_review:other"),
                   (7, "t4:suit_direct+suit_after_review:pending")]
    # shuyang writes 受理 for new + carried over (713 + 36 = 749): either reading passes
    got = [(s.stated, [m.key for m in s.metrics]) for s in read_statements(raw_text("shuyang-2025"))]
    assert got == [(749, ["new_received", "accepted"]), (718, ["processed_total"]), (31, ["carried_forward"])]


@pytest.mark.parametrize("old,new,cell,expected", [
    ("答复 3050 件", "答复 3005 件", ("t3", "processed_total", "total"), 3050),
    ("受理政府信息公开申请 3119 件", "受理政府信息公开申请 3191 件", ("t3", "new_received", "total"), 3119),
    ("上年度结转申请 34 件", "上年度结转申请 43 件", ("t3", "carried_over", "total"), 34),
    ("103 件顺延", "130 件顺延", ("t3", "carried_forward", "total"), 103),
    ("行政复议 351件", "行政复议 315件", ("t4", "review", "total"), 351),
    ("其他结果 178 件", "其他结果 187 件", ("t4", "review", "other"), 178),
    ("行政诉讼 46 件", "行政诉讼 26 件", ("t4", None, "total"), 46),
    ("尚未审结 7 件", "尚未审结 6 件", ("t4", None, "pending"), 7),
])
def test_changed_figure_in_real_text_is_reported(old, new, cell, expected):
    text = raw_text("huaian-2024")
    flat = normalize(text)      # as the rule reads it: PDF line breaks inside paragraphs removed
    assert old in flat, old
    rep = sample("huaian-2024", flat.replace(old, new, 1))
    (f,) = narrative_findings(rep)
    assert (f.rule, f.severity, (f.table, f.row, f.col), f.expected) == ("narrative_numbers", "warning", cell, expected)
    assert f.actual == int(re.search(r"\d+", new).group()) and f.actual != expected
    assert f.message.startswith("正文“") and "与表格不符" in f.message


def test_message_names_the_cell_and_both_readings():
    rep = sample("shuyang-2025", raw_text("shuyang-2025").replace("申请 749 件", "申请 750 件"))
    (f,) = narrative_findings(rep)
    assert f.message == ("正文“受理政府信息公开申请 750 件”与表格不符：表三 一、本年新收政府信息公开申请数量 · 总计 为 713"
                         "（表三 一、本年新收政府信息公开申请数量 · 总计 + 二、上年结转政府信息公开申请数量 为 749）")


@pytest.mark.parametrize("sentence,rows", [
    ("本年度予以公开 {granted} 件，不予公开 {denied} 件。", None),
    ("其中部分公开 {partial} 件，无法提供 {unable} 件，不予处理 {rejected} 件，其他处理 {other} 件。", None),
])
def test_category_subtotals(sentence, rows):
    rep = sample("huaian-2024")
    t3 = rep.table("t3")
    tot = lambda prefix: sum(rep.value("t3", r.key, "total") for r in t3.rows if r.key.startswith(prefix))  # noqa
    vals = dict(granted=tot("granted"), denied=tot("denied_"), partial=tot("partial"), unable=tot("unable_"),
                rejected=tot("rejected_"), other=tot("other_"))
    assert vals["denied"] == 2 + 31 + 5 + 6 + 8 + 12 + 9 + 105
    rep.narrative = {"overview": sentence.format(**vals), "problems": "有。"}
    assert narrative_findings(rep) == []
    wrong = {k: v + 1 for k, v in vals.items()}
    rep.narrative["overview"] = sentence.format(**wrong)
    findings = narrative_findings(rep)
    assert len(findings) == len(re.findall(r"\{", sentence))
    assert all(f.actual == f.expected + 1 for f in findings)
    if "不予公开" in sentence:
        assert "表三 （三）不予公开 各项 · 总计之和 为 178" in findings[1].message


@pytest.mark.parametrize("text", [
    "全年收到政府信息公开申请约 3000 件。",            # approximate
    "全年受理政府信息公开申请 3000 余件。",
    "全年受理网络问政 182 件，办理人大建议 30 件。",     # not requests
    "共办理相关行政复议、行政诉讼案件 74 件。",          # joint figure
    "发生行政复议和行政诉讼 74 件。",
    "行政诉讼、行政复议 74 件。",
    "主动公开政府信息 5500 条，公开规章 1 件。",
    "正在办理 3 件，已办结申请。",
    "对 12 件申请不予处理的原因进行了复盘。",
    "（二）依申请公开情况 2024年共收到申请。",          # no figure
])
def test_ambiguous_or_unrelated_wording_is_not_read(text):
    rep = sample("huaian-2024", text)
    assert narrative_findings(rep) == [], text


def test_growth_rates_against_previous_year():
    prev, cur = consistent_series(random.Random(11), "town", [2022, 2023], scale=3)
    before, now = prev.value("t3", "new_received", "total"), cur.value("t3", "new_received", "total")
    assert before and now != before
    rate = (now - before) / before * 100
    word = "增长" if rate > 0 else "下降"
    base = f"本年新收政府信息公开申请 {now} 件，同比{word} {{}}%。"
    for shown in (f"{abs(rate):.1f}", f"{abs(rate):.2f}", f"{int(abs(rate))}"):
        cur.narrative["overview"] = base.format(shown)
        assert narrative_findings(cur, prev) == [], shown
    cur.narrative["overview"] = base.format(f"{abs(rate) + 3:.1f}")
    (f,) = narrative_findings(cur, prev)
    assert (f.rule, f.table, f.row, f.col) == ("narrative_numbers", "t3", "new_received", "total")
    assert f.expected == pytest.approx(round(rate, 2)) and abs(f.actual) == pytest.approx(abs(rate) + 3, abs=0.06)
    assert "同比应为" in f.message and "2022 年为" in f.message
    # wrong direction
    cur.narrative["overview"] = f"本年新收政府信息公开申请 {now} 件，同比{'下降' if rate > 0 else '增长'} {abs(rate):.2f}%。"
    assert len(narrative_findings(cur, prev)) == 1
    # absolute change in 件
    cur.narrative["overview"] = f"本年新收政府信息公开申请 {now} 件，同比{'增加' if rate > 0 else '减少'} {abs(now - before)} 件。"
    assert narrative_findings(cur, prev) == []
    # without the previous report a rate cannot be checked
    cur.narrative["overview"] = base.format("99.9")
    assert narrative_findings(cur) == []


@pytest.mark.parametrize("state,shown", [(schema.BLANK, "空白"), (schema.NA, "不适用")])
def test_a_figure_whose_cell_holds_no_number_is_not_called_wrong(state, shown):
    """A blank (or 不适用) is not 0: "行政复议 351件" beside an empty 总计 (a partial import left it
    unread) can't be checked, and the finding says so instead of "与表格不符：… 为 0"."""
    rep = sample("huaian-2024", normalize(raw_text("huaian-2024")))
    rep.set("t4", "review", "total", Cell(state, None))
    (f,) = narrative_findings(rep)
    assert (f.table, f.row, f.col, f.actual, f.expected) == ("t4", "review", "total", 351, None)
    assert f.message == f"正文“行政复议 351件”无法与表格核对：表四 行政复议 · 总计 为{shown}", f.message
    # a sum with a blank part: 行政诉讼 46 件 = 未经复议直接起诉 + 复议后起诉
    rep = sample("huaian-2024", normalize(raw_text("huaian-2024")))
    rep.set("t4", "suit_direct", "total", Cell(schema.BLANK, None))
    (f,) = narrative_findings(rep)
    assert f.actual == 46 and "无法与表格核对" in f.message and f.message.endswith("为空白"), f.message
    # a figure that agrees with the numbers there is (blanks read as 0) is not reported
    rep = sample("huaian-2024", "行政复议 0 件。")
    for field in ("upheld", "corrected", "other", "pending", "total"):
        rep.set("t4", "review", field, Cell(schema.BLANK, None))
    assert narrative_findings(rep) == []


def test_a_growth_rate_against_a_blank_last_year_is_not_checked():
    prev, cur = consistent_series(random.Random(11), "town", [2022, 2023], scale=3)
    now, before = cur.value("t3", "new_received", "total"), prev.value("t3", "new_received", "total")
    word = "增加" if now > before else "减少"
    cur.narrative["overview"] = f"本年新收政府信息公开申请 {now} 件，同比{word} {abs(now - before) + 1} 件。"
    assert len(narrative_findings(cur, prev)) == 1      # (a blank read as 0 gave 同比应为 {now})
    prev.set("t3", "new_received", "total", Cell(schema.BLANK, None))
    assert narrative_findings(cur, prev) == []


def test_many_findings_of_a_rule_are_counted_in_words_that_say_what_is_wrong():
    """Grouped lines name what each finding is: '4 处不满足“正文数字与表格一致”', never
    '4 处正文数字与表格一致' (which reads as four figures that agree)."""
    from helpers.checks.listing import finding_lines
    text = "行政复议 350件，结果维持 71 件，结果纠正 63 件，其他结果 177 件，尚未审结 36 件。"
    (line,) = finding_lines(narrative_findings(sample("huaian-2024", text)))
    assert "表四 5 处不满足“正文数字与表格一致”，如 正文“行政复议 350件”与表格不符" in line, line
    rep = sample("huaian-2024")
    for field in ("upheld", "corrected", "other", "pending", "total"):
        rep.set("t4", "review", field, Cell(schema.BLANK, None))
    (line,) = [x for x in finding_lines(run_checks(rep)) if "blank" in x]
    assert "表四 5 处应填数字的单元格为空" in line, line


def test_synthetic_narrative_agrees_and_catches_a_wrong_table():
    prev, cur = consistent_series(random.Random(5), "town", [2022, 2023], scale=2)
    assert run_checks(cur, prev) == []
    broken = copy.deepcopy(cur)
    broken.narrative["overview"] = broken.narrative["overview"].replace(
        f"提起行政诉讼 {cur.value('t4', 'suit_direct', 'total') + cur.value('t4', 'suit_after_review', 'total')} 件",
        "提起行政诉讼 999 件")
    assert [f.rule for f in run_checks(broken, prev)] == ["narrative_numbers"]


# --- section 五 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,fires", [("", True), ("无", True), ("无。", True), (" 暂无 ", True),
                                        ("一是政策解读不够。二是……", False)])
def test_section5_empty(text, fires):
    rep = sample("qianjindao-2023", "2023年，本街道……", problems=text)
    findings = [f for f in run_checks(rep) if f.rule == "section5_empty"]
    assert bool(findings) == fires
    if fires:
        f = findings[0]
        assert (f.severity, f.table, f.row, f.col) == ("warning", None, None, None)
        assert f.message.startswith(schema.SECTION_BY_KEY["problems"].heading + "：")


def test_section5_missing_counts_as_empty_but_numbers_only_reports_are_not_judged():
    rep = sample("qianjindao-2023", "2023年，本街道……")
    del rep.narrative["problems"]
    assert [f.rule for f in run_checks(rep)] == ["section5_empty"]
    assert run_checks(sample("qianjindao-2023")) == []      # no narrative at all


# --- year_mismatch -------------------------------------------------------------------------------
@pytest.mark.parametrize("key,text,year", [
    ("overview", "2022年，我办坚持以习近平新时代中国特色社会主义思想为指导。", 2022),
    ("overview", "（一）主动公开情况。2021 年，我局全年公开信息 30 条。", 2021),
    ("overview", "前言。\n2022年度，街道办事处……", 2022),
    ("preamble", "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。", 2022),
    ("preamble", "本年度报告中所列数据统计期限为 2023 年 1 月 1 日至 2022 年 12 月 31 日。", 2022),
    ("preamble", "现将本街道2022年度政府信息公开工作年度报告向社会公布。", 2022),
])
def test_year_mismatch_fires(key, text, year):
    rep = sample("qianjindao-2023", "本年度工作……", **{key: text})
    findings = [f for f in run_checks(rep) if f.rule == "year_mismatch"]
    assert [(f.expected, f.actual, f.table) for f in findings] == [(2023, year, None)]
    assert f"写的是 {year} 年，本报告为 2023 年度" in findings[0].message


@pytest.mark.parametrize("key,text", [
    ("overview", "依法公开《前进街道2022年度政府信息公开工作年度报告》等信息。"),
    ("overview", "全年收到申请 5 件，较2022年有所增加。"),
    ("overview", "按时发布2022年度政府信息公开工作年度报告。"),
    ("overview", "自2019年起，我局建立了公开审查制度。"),
    ("problems", "2024年，我局将继续加强政策解读。"),
    ("preamble", "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"),
    ("preamble", "依据《中华人民共和国政府信息公开条例》（国办公开办函〔2021〕30号）编制本报告。"),
    ("preamble", "根据《2022年政府信息公开工作年度报告格式》要求编制。"),
    ("preamble", "按照2021年政府信息公开工作年度报告格式编制。"),
    ("overview", "2023年12月，我局开展了自查。"),
])
def test_year_mismatch_silent_on_legitimate_mentions(key, text):
    rep = sample("qianjindao-2023", "本年度工作……", **{key: text})
    assert [f for f in run_checks(rep) if f.rule == "year_mismatch"] == []


def test_real_text_of_another_year_is_caught():
    rep = sample("shuyang-2025", raw_text("shuyang-2025"))
    rep.year = 2026      # the same text filed as next year's report (copied text)
    rep.narrative["overview"] = rep.narrative["overview"]
    years = [f.actual for f in run_checks(rep) if f.rule == "year_mismatch"]
    assert years and set(years) == {2025}


def test_single_outcome_rows_named_by_their_label():
    text = "其中属于国家秘密 2 件，本机关不掌握相关政府信息 769 件，重复申请 25 件，其他 110 件。"
    assert narrative_findings(sample("huaian-2024", text)) == []
    (f,) = narrative_findings(sample("huaian-2024", text.replace("769", "796")))
    assert (f.table, f.row, f.col, f.expected, f.actual) == ("t3", "unable_not_held", "total", 769, 796)
    assert f.message == "正文“本机关不掌握相关政府信息 796 件”与表格不符：表三 1.本机关不掌握相关政府信息 · 总计 为 769"


@pytest.mark.parametrize("name", ["huaian-2024.pdf", "qianjindao-2023.txt", "shuyang-2025.md", "shuyang-fgj-2023.html"])
def test_published_reports_read_by_the_importers_pass_the_narrative_rules(name):
    """End to end with the real importers: narrative split into sections, every rule run."""
    from helpers import importers
    (rep,) = importers.read(SAMPLES / name)
    assert rep.narrative.get("overview") and rep.narrative.get("problems")
    assert narrative_findings(rep) == []
    assert {f.rule for f in run_checks(rep)} <= {"blank"}     # shuyang-fgj: blank cells meant as 0
