"""Section texts: store + analyst files, headings, placeholders, publish errors, escaping, preamble."""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from lxml import html as lhtml

from helpers.config import samples_dir
from helpers.errors import InputError, InvalidAgencyId, XxgkError
from helpers.format import schema
from helpers.format.model import Report
from helpers.format.schema import Agency
from helpers.report import narrative as ns
from helpers.report import preamble
from helpers.report.mode import Mode

SEED = samples_dir() / "qianjindao-2023.txt"
SEED_AGENCY = Agency("qianjindao", "包头市昆都仑区前进道街道办事处", address="昆区乌兰道与白云路交叉口西南120米",
                     postcode="014010", telephone="0472-2621651")
HOSTILE = '<script>alert("x")</script> {{ 7*7 }} {% if 1 %}x{% endif %} & <b>'


def seed_sections() -> dict[str, str]:
    """The seed report's texts by section, split at its official headings (as the store holds them)."""
    out, key = {}, schema.PREAMBLE
    for line in SEED.read_text(encoding="utf-8").splitlines():
        sec = next((s for s in schema.SECTIONS if line.strip() == s.heading), None)
        if sec:
            key = sec.key
            continue
        if key not in ("proactive", "requests", "appeals"):   # those hold the tables
            out[key] = (out.get(key, "") + "\n" + line).strip("\n")
    return out


@pytest.fixture
def report() -> Report:
    rep = Report.zeros("qianjindao", 2023)
    rep.narrative = seed_sections()
    return rep


def write(params: Path, agency: str, year: int, text: str) -> Path:
    path = ns.narrative_path(agency, year, params)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_store_only(report, tmp_path):
    got = ns.narrative_for(report, tmp_path)
    assert list(got) == [k for k in schema.NARRATIVE_KEYS if k in report.narrative]
    assert got["problems"].startswith("(一)存在的问题。")   # the seed's half-width brackets, kept as written
    assert ns.missing_sections(got, Mode.PUBLISH) == []


def test_file_overrides_store_per_section(report, tmp_path):
    write(tmp_path, "qianjindao", 2023,
          "新的引言。\n\n"
          "# 五、政府信息公开工作存在的主要问题及改进情况\n（一）存在的问题。新写的问题。\n\n"
          "# 六、其他需要报告的事项\n\n# 总体情况\n")
    got = ns.narrative_for(report, tmp_path)
    assert got["preamble"] == "新的引言。"
    assert got["problems"] == "（一）存在的问题。新写的问题。"
    assert got["other"] == report.narrative["other"]          # empty in the file: store kept
    assert got["overview"] == report.narrative["overview"]


def test_headings_numbers_aliases_and_preamble_heading(tmp_path):
    rep = Report.zeros("demo", 2024)
    write(tmp_path, "demo", 2024,
          "<!-- 注释不进入报告\n多行 -->\n# 前言\n引言文字\n#  一 、 总体情况\n总体\n## （一）主动公开情况\n主动\n"
          "# 因政府信息公开工作被申请行政复议、提起行政诉讼情况\n复议说明\n# 其他需要报告的事项 #\n其他\n")
    got = ns.narrative_for(rep, tmp_path)
    assert got == {"preamble": "引言文字", "overview": "总体\n## （一）主动公开情况\n主动",
                   "appeals": "复议说明", "other": "其他"}
    assert ns.missing_sections(got, Mode.DRAFT) == ["problems"]


@pytest.mark.parametrize("text, line, words", [
    ("# 一、总体情况\n文字\n# 五、存在的问题\n", 3, "不认识的标题"),
    ("# 三、总体情况\n", 1, "序号应为 一"),
    ("# 一、总体情况\na\n\n# 总体情况\nb\n", 4, "出现两次"),
    ("引言\n# 引言\n再写\n", 2, "出现两次"),
])
def test_bad_headings_name_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, "demo", 2024, text)
    with pytest.raises(InputError) as exc:
        ns.narrative_for(Report.zeros("demo", 2024), tmp_path)
    assert exc.value.file == str(path) and exc.value.line == line and words in str(exc.value)


def test_not_utf8(tmp_path):
    path = ns.narrative_path("demo", 2024, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes("# 一、总体情况\n总体".encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        ns.narrative_for(Report.zeros("demo", 2024), tmp_path)


def test_agency_id_validated(tmp_path):
    with pytest.raises(InvalidAgencyId):
        ns.narrative_path("../etc", 2024, tmp_path)


def test_missing_sections_modes():
    full = {"overview": "a", "problems": "b", "other": "c"}
    assert ns.missing_sections(full, Mode.PUBLISH) == []
    assert ns.missing_sections({**full, "problems": "无。"}, Mode.DRAFT) == []
    assert ns.missing_sections({**full, "problems": "无。"}, Mode.PUBLISH) == ["problems"]
    assert ns.missing_sections({"preamble": "x", "problems": "  "}, Mode.DRAFT) == ["overview", "problems", "other"]


@pytest.mark.parametrize("text", ["无。", "不存在。", "暂无；", "无，", "本年度未发现明显问题。"])
def test_publish_gate_and_rule_section5_empty_agree(text):
    """Publishing is refused for exactly the section 五 texts the rule section5_empty warns about."""
    from helpers.checks import run_checks
    full = {"preamble": "x", "overview": "x", "problems": text, "other": "x"}
    rep = Report("a", 2023, narrative=full)
    warned = any(f.rule == "section5_empty" for f in run_checks(rep))
    assert ("problems" in ns.missing_sections(full, Mode.PUBLISH)) == warned
    assert warned == (text != "本年度未发现明显问题。")


def test_placeholder_in_draft_error_in_publish(tmp_path):
    rep = Report.zeros("demo", 2024)
    narrative = {"overview": "总体"}
    html = ns.section_html(rep, narrative, "problems", Mode.DRAFT, tmp_path)
    assert html == '<p class="placeholder">【待补充：五、存在的主要问题及改进情况】</p>'
    assert ns.section_html(rep, narrative, "proactive", Mode.DRAFT, tmp_path) == ""   # optional section
    with pytest.raises(XxgkError) as exc:
        ns.section_html(rep, narrative, "problems", Mode.PUBLISH, tmp_path)
    msg = str(exc.value)
    assert "五、存在的主要问题及改进情况" in msg and "六、其他需要报告的事项" in msg
    assert str(ns.narrative_path("demo", 2024, tmp_path)) in msg
    ns.require_complete(rep, narrative, Mode.DRAFT, tmp_path)   # draft never raises


def test_narrative_html_escapes_everything():
    frag = ns.narrative_html(f"（一）存在的问题。{HOSTILE}\n\n{HOSTILE}\n## {HOSTILE}")
    el = lhtml.fragment_fromstring(f"<div>{frag}</div>")
    assert not el.xpath(".//script")
    paragraphs = [p.text_content() for p in el.iter("p")]
    assert paragraphs == [f"（一）存在的问题。{HOSTILE}", HOSTILE, HOSTILE]
    assert "{{" not in frag and "{%" not in frag and "<script" not in frag
    # even used as template source, nothing is evaluated
    assert "49" not in jinja2.Template(str(frag)).render()


def test_narrative_html_paragraphs_and_subheadings(report):
    el = lhtml.fragment_fromstring(f"<div>{ns.narrative_html(report.narrative['overview'])}</div>")
    subheadings = [p.text_content() for p in el.iter("p") if p.get("class") == "subheading"]
    assert subheadings == [p.replace("（", "(").replace("）", ")") for p in schema.OVERVIEW_PARTS]  # as written
    assert len(list(el.iter("p"))) == len(report.narrative["overview"].splitlines())
    lead = lhtml.fragment_fromstring(f"<div>{ns.narrative_html(report.narrative['problems'])}</div>")
    assert [s.text_content() for s in lead.iter("strong")] == ["(一)存在的问题。", "(二)改进情况。"]


def test_section_html_wraps_text(report, tmp_path):
    html = ns.section_html(report, ns.narrative_for(report, tmp_path), "problems", Mode.PUBLISH, tmp_path)
    el = lhtml.fragment_fromstring(html)
    assert el.get("class") == "narrative" and el.get("data-section") == "problems"


def test_template_round_trip(report, tmp_path):
    text = ns.narrative_template(SEED_AGENCY, 2024)
    headings = [l for l in text.splitlines() if l.startswith("# ")]
    assert headings == [f"# {schema.narrative_heading(k)}" for k in schema.NARRATIVE_KEYS]
    assert all(f"## {p}" in text for p in schema.OVERVIEW_PARTS)
    assert preamble.title_text(SEED_AGENCY, 2024) in text
    path = write(tmp_path, "qianjindao", 2023, text)
    assert ns.parse_narrative_file(path) == {}                 # the blank template overrides nothing
    assert ns.narrative_for(report, tmp_path) == ns.narrative_for(report, tmp_path / "none")
    filled = text.replace("# 五、存在的主要问题及改进情况\n", "# 五、存在的主要问题及改进情况\n问题与改进。\n")
    write(tmp_path, "qianjindao", 2023, filled)
    assert ns.parse_narrative_file(path) == {"problems": "问题与改进。"}


def test_write_template_prefilled_and_not_overwritten(report, tmp_path):
    path = ns.write_narrative_template(report, SEED_AGENCY, tmp_path)
    assert ns.parse_narrative_file(path) == {k: v for k, v in report.narrative.items()}
    with pytest.raises(XxgkError):
        ns.write_narrative_template(report, SEED_AGENCY, tmp_path)
    assert not list(path.parent.glob(".*.tmp"))


def test_generated_preamble(report, tmp_path):
    bare = Report.zeros("qianjindao", 2023)
    got = ns.narrative_for(bare, tmp_path, agency=SEED_AGENCY)
    text = got["preamble"]
    assert text == preamble.preamble_text(bare, SEED_AGENCY)
    for part in ("《中华人民共和国政府信息公开条例》", "由包头市昆都仑区前进道街道办事处编制", "2023年1月1日", "2023年12月31日",
                 "地址：昆区乌兰道与白云路交叉口西南120米", "邮编：014010", "电话：0472-2621651"):
        assert part in text
    assert all(s.heading in text for s in schema.SECTIONS)
    # a stored preamble is kept
    assert ns.narrative_for(report, tmp_path, agency=SEED_AGENCY)["preamble"] == report.narrative["preamble"]


def test_preamble_omits_empty_contact_parts():
    rep = Report.zeros("shuyang", 2025)
    none = preamble.preamble_text(rep, Agency("shuyang", "沭阳县人民政府"))
    assert "联系" not in none and "地址" not in none and "（）" not in none
    phone_only = preamble.preamble_text(rep, {"name": "沭阳县人民政府", "telephone": "0527-1"})
    assert phone_only.endswith("请与沭阳县人民政府联系（电话：0527-1）。") and "邮编" not in phone_only


def test_title():
    assert preamble.title_text(SEED_AGENCY, 2023) == "包头市昆都仑区前进道街道办事处2023年政府信息公开工作年度报告"
    assert preamble.title_text("沭阳县人民政府", 2025) == "沭阳县人民政府2025年政府信息公开工作年度报告"
