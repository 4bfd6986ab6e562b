"""Where the section texts of a report come from, and how they become HTML.

Sources, per section (keys `schema.NARRATIVE_KEYS`):
1. the store (`Report.narrative`, filled by the importers);
2. the analyst's file `params/narratives/<agency>/<year>.md`, which overrides the store section by
   section. Format (see params/narratives/README.md): one `# 一、总体情况` heading per section
   (official headings or their known variants, number optional); `# 引言`/`# 前言`, or text before
   the first heading, is the preamble; each line is a paragraph; `## …` lines are sub-headings;
   `<!-- … -->` comments are ignored. A section left empty in the file does not override the store.

    narrative_for(report, params_dir=None, agency=None) -> {key: text}
    missing_sections(narrative, mode) -> [key, …]        required sections without text
    require_complete(report, narrative, mode, params_dir=None)   raises in publish mode
    section_html(report, narrative, key, mode, params_dir=None) -> HtmlFragment
    narrative_html(text) -> HtmlFragment                 all text escaped
    narrative_template(agency, year, narrative=None) -> str
"""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape

from ..atomic import write_text
from ..config import narratives_dir
from ..errors import InputError, XxgkError
from ..format import schema
from ..format.ids import check_agency_id
from .html_fragment import HtmlFragment, escape_text, text_paragraphs
from .mode import Mode
from .preamble import agency_name, preamble_text, title_text

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^#(?!#)\s*(.*?)\s*#*\s*$")
_SUBHEADING = re.compile(r"^#{2,}\s*(.*?)\s*#*\s*$")
_NUMBER = re.compile(rf"^{schema.ENUM_NUMERAL}\s*")
_PART = re.compile(rf"^{schema.ENUM_BRACKETED}")
# "（一）存在的问题。一是……": the lead phrase is set in bold
_LEAD = re.compile(rf"^(?P<lead>{schema.ENUM_BRACKETED}[^。；;：:]{{1,30}}?[。：:])(?P<rest>.+)$")


def narrative_path(agency: str, year: int, params_dir: Path | None = None) -> Path:
    check_agency_id(agency)
    base = Path(params_dir) / "narratives" if params_dir else narratives_dir()
    return base / agency / f"{int(year)}.md"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").replace(",", "，")


def _heading_key(text: str) -> tuple[str | None, str | None]:
    """(section key, number written) of a level-1 heading, key None if unknown."""
    text = _norm(text)
    m = _NUMBER.match(text)
    number = m.group(1) if m else None
    title = text[m.end():] if m else text
    if number is None and title in (schema.PREAMBLE_TITLE,) + schema.PREAMBLE_ALIASES:
        return schema.PREAMBLE, None
    for s in schema.SECTIONS:
        if title in (_norm(t) for t in (s.title,) + s.aliases):
            return s.key, number
    return None, number


def _is_placeholder_only(lines: list[str]) -> bool:
    """True when a section holds nothing but sub-headings of the template (（一）主动公开情况 …)."""
    parts = {_norm(p) for p in schema.OVERVIEW_PARTS}
    for line in lines:
        m = _SUBHEADING.match(line)
        text = _norm(m.group(1) if m else line)
        if text and text not in parts:
            return False
    return True


def _not_utf8(data: bytes, exc: UnicodeDecodeError, path: Path) -> str:
    """Why a narrative file cannot be read and how to convert it. Not read as GBK behind the
    analyst's back: what a published report says must not depend on a guess at the encoding."""
    line = data[:exc.start].count(b"\n") + 1
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return f"文件不是 UTF-8 编码（第 {line} 行）；请另存为 UTF-8 (not UTF-8)"
    return (f"文件是 GBK（GB18030）编码，正文文件须为 UTF-8（第 {line} 行起读不出）。请转换后再用："
            f"在记事本或 WPS 中“另存为”，编码选 UTF-8；或运行 iconv -f GB18030 -t UTF-8 '{path}' -o '{path}.utf8'"
            f" && mv '{path}.utf8' '{path}' (GBK file: save it as UTF-8)")


def parse_narrative_file(path: Path) -> dict[str, str]:
    """Sections of a narrative file; sections left empty are omitted. Errors name file and line."""
    data = path.read_bytes()
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(_not_utf8(data, exc, path), file=str(path)) from None
    # comments -> as many newlines, so line numbers in messages stay right
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), raw.replace("\r\n", "\n"))
    sections: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    key = schema.PREAMBLE
    sections[key] = []
    for no, line in enumerate(text.split("\n"), start=1):
        m = _HEADING.match(line)
        if not m:
            sections[key].append(line.rstrip())
            continue
        found, number = _heading_key(m.group(1))
        if found is None:
            known = "、".join(schema.narrative_heading(k) for k in schema.NARRATIVE_KEYS)
            raise InputError(f"不认识的标题 “{m.group(1)}”。一级标题（# 开头）只能是：{known}；小标题请用 ## 开头 "
                             f"(unknown section heading)", file=str(path), line=no)
        if number and found != schema.PREAMBLE and number != schema.SECTION_BY_KEY[found].number:
            raise InputError(f"标题 “{m.group(1)}” 的序号应为 {schema.SECTION_BY_KEY[found].number} "
                             f"(section number does not match its title)", file=str(path), line=no)
        if found in first_line or (found == schema.PREAMBLE and any(l.strip() for l in sections[found])):
            raise InputError(f"“{schema.narrative_heading(found)}” 出现两次（第一次在第 {first_line.get(found, 1)} 行）"
                             f"(section given twice)", file=str(path), line=no)
        first_line[found] = no
        key = found
        sections.setdefault(key, [])
    out = {}
    for key, lines in sections.items():
        body = "\n".join(lines).strip("\n")
        if body.strip() and not _is_placeholder_only(lines):
            out[key] = body
    return out


def narrative_for(report, params_dir: Path | None = None, agency=None) -> dict[str, str]:
    """Section texts of `report`: the store's, overridden per section by the analyst's file.
    With `agency` (schema.Agency or dict), a missing preamble is generated from the agency record."""
    out = {k: v for k, v in (report.narrative or {}).items() if k in schema.NARRATIVE_KEYS and v and v.strip()}
    path = narrative_path(report.agency, report.year, params_dir)
    if path.is_file():
        out.update(parse_narrative_file(path))
    if agency is not None and not out.get(schema.PREAMBLE, "").strip():
        out[schema.PREAMBLE] = preamble_text(report, agency)
    return {k: out[k] for k in schema.NARRATIVE_KEYS if k in out}


def missing_sections(narrative: dict[str, str], mode: str = Mode.DRAFT) -> list[str]:
    """Required sections (schema.REQUIRED_SECTIONS: 一, 五, 六) without text. In publish mode a
    section 五 that only says "无" counts as missing too: FORMAT.md says it must not be empty."""
    mode = Mode(mode)   # ValueError for anything but draft/publish
    from ..checks.narrative_rules import (
        says_nothing,  # the rule section5_empty decides what "无" is
    )

    missing = []
    for key in schema.REQUIRED_SECTIONS:
        text = (narrative.get(key) or "").strip()
        if not text or (mode == Mode.PUBLISH and key == "problems" and says_nothing(text)):
            missing.append(key)
    return missing


def require_complete(report, narrative: dict[str, str], mode: str, params_dir: Path | None = None) -> None:
    """In publish mode, raise naming every missing section and the file to write it in."""
    missing = missing_sections(narrative, mode)
    if mode == Mode.PUBLISH and missing:
        path = narrative_path(report.agency, report.year, params_dir)
        names = "、".join(schema.narrative_heading(k) for k in missing)
        raise XxgkError(f"{report.agency} {report.year} 年报告缺少正文：{names}。发布稿不能缺少这些部分。"
                        f"请写入 {path}（每部分以 “# {schema.narrative_heading(missing[0])}” 这样的标题开头，格式见 "
                        f"{path.parent.parent / 'README.md'}）(missing narrative sections)")


def placeholder_text(key: str) -> str:
    """What a draft shows for a missing section (importers know it by this)."""
    return f"【待补充：{schema.narrative_heading(key)}】"


def placeholder_html(key: str) -> HtmlFragment:
    return HtmlFragment(f'<p class="placeholder">{escape(placeholder_text(key))}</p>')


def section_html(report, narrative: dict[str, str], key: str, mode: str = Mode.DRAFT,
                 params_dir: Path | None = None) -> HtmlFragment:
    """The text of one section as HTML; a missing required section is a placeholder in draft mode
    and an error in publish mode; a missing optional section is empty."""
    text = narrative.get(key) or ""
    if key in missing_sections(narrative, mode):
        if mode == Mode.PUBLISH:
            require_complete(report, narrative, mode, params_dir)
        return placeholder_html(key)
    if not text.strip():
        return HtmlFragment("")
    return HtmlFragment(f'<div class="narrative" data-section="{escape(key)}">{narrative_html(text)}</div>')


def narrative_html(text: str) -> HtmlFragment:
    """Narrative text as paragraphs: one per line; `## …` lines and short （一）… lines as bold
    sub-headings; a leading "（一）存在的问题。" in bold. Everything is escaped."""
    out = []
    for line in (text or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        m = _SUBHEADING.match(line) or _HEADING.match(line)
        if m or (_PART.match(line) and len(line) <= 40 and "。" not in line.rstrip("。")):
            heading = m.group(1) if m else line
            out.append(f'<p class="subheading"><strong>{escape_text(heading)}</strong></p>')
            continue
        lead = _LEAD.match(line)
        if lead:
            out.append(f"<p><strong>{escape_text(lead.group('lead'))}</strong>{escape_text(lead.group('rest'))}</p>")
        else:
            out.append(text_paragraphs(line))
    return HtmlFragment("\n".join(out))


def narrative_template(agency, year: int, narrative: dict[str, str] | None = None) -> str:
    """A narrative file to fill in: the headings of the preamble and the six sections, the five parts
    of section 一; with `narrative` (e.g. the store's), its texts are filled in."""
    narrative = narrative or {}
    name = agency_name(agency)   # a str is taken as the name; None gives a title without one
    lines = [
        f"<!-- {title_text(name, year)}：正文。",
        "     每部分以一个 “# ” 开头的标题开始（标题如下，勿改）；每行是一段；“## ” 开头的行是小标题。",
        "     留空的部分沿用数据库中的正文（导入的报告）；二、三、四部分的表格由数据生成，那里只写表格外的说明（可不写）。",
        "     引言不写时按机构信息自动生成；一、五、六部分发布时必须有内容。格式说明见 params/narratives/README.md -->",
        "",
    ]
    for key in schema.NARRATIVE_KEYS:
        lines.append(f"# {schema.narrative_heading(key)}")
        lines.append("")
        text = (narrative.get(key) or "").strip()
        if text:
            lines += [text, ""]
        elif key == "overview":
            for part in schema.OVERVIEW_PARTS:
                lines += [f"## {part}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_narrative_template(report, agency=None, params_dir: Path | None = None,
                             overwrite: bool = False) -> Path:
    """Write the template (prefilled with the report's stored texts) to the report's narrative file,
    atomically; an existing file is kept unless `overwrite`."""
    path = narrative_path(report.agency, report.year, params_dir)
    if path.exists() and not overwrite:
        raise XxgkError(f"{path} 已存在，未覆盖 (file exists)")
    write_text(path, narrative_template(agency, report.year, report.narrative))
    return path
