"""The report format as data (documented in docs/format.md, whose tables format.docs writes from
here): the one place where keys, labels, layout and rules live.

Everything else (importers, checks, HTML tables, the spreadsheet template, exports, tests) derives
from the objects defined here. Nothing else spells an official label.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from functools import cache

# --- value kinds -------------------------------------------------------------------------------
COUNT = "count"    # integer >= 0
AMOUNT = "amount"  # decimal >= 0 (fees in 万元, procurement amount)
DELTA = "delta"    # integer, may be negative (2019 format 本年增/减)


@dataclass(frozen=True)
class Kind:
    """What a value of a field may be."""
    noun: str          # how messages name such a value
    integer: bool
    negative: bool     # may be below 0


KINDS = {COUNT: Kind("件数", integer=True, negative=False), AMOUNT: Kind("金额", integer=False, negative=False),
         DELTA: Kind("增减数", integer=True, negative=True)}


# The largest count or amount (万元) a cell may hold, either sign. The largest real figures (a
# province's 行政许可 decisions, a city's procurement in 万元) are in the millions; beyond a billion
# is a typo or a hostile file, which would otherwise break the charts' floating-point arithmetic
# (a 20-digit count) or Python's int/str conversion (thousands of digits).
MAX_VALUE = 10 ** 9
MAX_DECIMALS = 6          # of an amount in 万元: 0.000001 万元 is 0.01 元


def value_problem(kind: str, value) -> str | None:
    """Why `value` cannot be the value of a field of `kind` (KINDS), or None if it can. `value` is
    the number as read: an int or a finite Decimal, where a Decimal with decimals ("2.0") is not an
    integer; anything else is not a number; nothing beyond MAX_VALUE or with more than
    MAX_DECIMALS decimals. The one rule behind the exchange CSV and the spreadsheet
    (model.parse_value), the published reports (importers.cells, after normalising their text)
    and the check `domain`; the spreadsheet's own validation is built from KINDS too."""
    k = KINDS[kind]
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) \
            or (isinstance(value, Decimal) and not value.is_finite()):
        return "不是数字"
    if abs(value) > MAX_VALUE:
        return f"{k.noun}超过上限 {MAX_VALUE:,}，疑似录入错误"
    if k.integer and not (isinstance(value, int) or value.as_tuple().exponent >= 0):
        return f"{k.noun}应为整数"
    if isinstance(value, Decimal) and value.as_tuple().exponent < -MAX_DECIMALS:
        return f"{k.noun}最多 {MAX_DECIMALS} 位小数"
    if not k.negative and value < 0:
        return f"{k.noun}不能为负数"
    return None


# Cell states kept apart in the data (rule `blank`): a blank cell is not a zero.
NUMBER, BLANK, NA = "number", "blank", "na"
NA_TEXT = "不适用"

ERROR, WARNING = "error", "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "提示"}   # as users read them (check panel, xxgk check)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    name: str           # the rule's short Chinese name, as users read it
    title: str          # what the rule says (an identity, or the condition)
    advice: str = ""    # what to do about a finding, where one sentence says it
    found: str = ""     # what a finding is, where the title is a condition that holds ("blank")

    @property
    def broken(self) -> str:
        """What one finding is, as a count names it: 'N 处不满足“<title>”' or the rule's own words."""
        return self.found or f"不满足“{self.title}”"

    @property
    def label(self) -> str:
        """How messages name the rule: the Chinese name with the id in brackets, '收结平衡 [balance]'."""
        return f"{self.name} [{self.id}]"


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("balance", ERROR, "收结平衡", "本年新收 + 上年结转 = 办理结果总计 + 结转下年度"),
    Rule("outcome_total", ERROR, "办理结果合计", "（七）总计 = 各项办理结果之和"),
    Rule("applicant_total", ERROR, "申请人合计", "总计 = 各类申请人之和"),
    Rule("review_total", ERROR, "复议诉讼合计", "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),
    Rule("domain", ERROR, "数值范围", "件数为非负整数，金额为非负数"),
    # The one statement of what a blank cell means: the template, `xxgk template --help`, import
    # and check all say it in these words.
    Rule("blank", WARNING, "空白单元格", "应填数字的单元格为空",
         "空白不等于 0：没有的填 0，不适用的填“不适用”", found="应填数字的单元格为空"),
    Rule("carry_over", ERROR, "上下年结转", "上年结转 = 上一年度结转下年度"),
    Rule("stock_continuity", WARNING, "存量接续", "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止"),
    Rule("narrative_numbers", WARNING, "正文数字", "正文数字与表格一致"),
    Rule("rollup", WARNING, "下级汇总", "汇总数 = 下级单位之和"),
    Rule("section5_empty", WARNING, "第五部分为空", "第五部分不得为空"),
    Rule("year_mismatch", WARNING, "正文年份", "正文年份与报告年度一致"),
)}


def rule_label(rule_id: str) -> str:
    """'收结平衡 [balance]' for a rule id; an unknown id as it is."""
    rule = RULES.get(rule_id)
    return rule.label if rule else rule_id


# --- enumerators: how headings and labels are numbered (一、 （二） 1. 1、) ------------------------
NUMERALS = "一二三四五六七八九十"
# One pattern per form, each capturing the number; separators in either width, as reports write them.
ENUM_NUMERAL = rf"([{NUMERALS}]+)\s*[、.．,，]"            # 一、 (sections; table 三's 一、 … 四、)
ENUM_BRACKETED = rf"[(（]\s*([{NUMERALS}]+)\s*[)）]"       # （二）
ENUM_DIGIT = r"(\d{1,2})\s*[、.．,，)）](?!\d)"             # 1.  1、  1)  — but not 2.5
ENUMERATOR = re.compile(rf"^\s*(?:{ENUM_NUMERAL}|{ENUM_BRACKETED}|{ENUM_DIGIT})\s*")


def enumerator(text: str | None) -> str:
    """The number of a leading enumerator ('三', '二', '1'), '' if none; read in NFKC (㈠ is (一))."""
    m = ENUMERATOR.match(unicodedata.normalize("NFKC", text or ""))
    return next((g for g in m.groups() if g), "") if m else ""


def strip_enumerator(text: str | None) -> str:
    """`text` without its leading enumerator: '（三）不予公开' -> '不予公开', '1.属于国家秘密' -> '属于国家秘密'."""
    text = text or ""
    m = ENUMERATOR.match(text)
    return text[m.end():] if m else text


# --- sections ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    key: str
    number: str       # 一 … 六
    title: str        # official heading without the number
    table: str | None = None
    aliases: tuple[str, ...] = ()   # heading variants seen in published reports
    # words a heading variant must contain when it matches neither title nor alias (importers)
    keywords: tuple[str, ...] = ()
    # a published report must have text here (一, 五, 六); 二–四 have their tables, the preamble is
    # generated when absent
    required: bool = False

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


SECTIONS: tuple[Section, ...] = (
    Section("overview", "一", "总体情况", keywords=("总体",), required=True),
    Section("proactive", "二", "主动公开政府信息情况", "t2", keywords=("主动公开",)),
    Section("requests", "三", "收到和处理政府信息公开申请情况", "t3", keywords=("申请",)),
    Section("appeals", "四", "政府信息公开行政复议、行政诉讼情况", "t4",
            aliases=("因政府信息公开工作被申请行政复议、提起行政诉讼情况",), keywords=("复议", "诉讼")),
    Section("problems", "五", "存在的主要问题及改进情况",
            aliases=("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及整改措施",
                     "存在的主要问题及整改情况"), keywords=("问题",), required=True),
    Section("other", "六", "其他需要报告的事项", keywords=("其他",), required=True),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
REQUIRED_SECTIONS = tuple(s.key for s in SECTIONS if s.required)
PREAMBLE = "preamble"      # narrative key of the text before section 一
NARRATIVE_KEYS = (PREAMBLE,) + tuple(s.key for s in SECTIONS)
# Section 一 usually has five parts (FORMAT.md); used by drafts and the narrative file template.
OVERVIEW_PARTS = ("（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理情况",
                  "（四）政府信息公开平台建设情况", "（五）监督保障情况")
REPORT_TITLE = "政府信息公开工作年度报告"
PREAMBLE_TITLE = "引言"    # how the spreadsheet template and messages name the preamble (no official heading)
PREAMBLE_ALIASES = ("前言",)  # other headings analysts give the preamble in narrative files


def narrative_heading(key: str) -> str:
    """How a part of the narrative is named in files and messages: '五、存在的主要问题及改进情况', '引言'."""
    return PREAMBLE_TITLE if key == PREAMBLE else SECTION_BY_KEY[key].heading


YEAR_LABEL = "年度"
# The years a report may be for: from the 条例's first year in force to a bound that catches typos.
FIRST_YEAR, LAST_YEAR = 2008, 2100


# --- the agency record -------------------------------------------------------------------------
def _labelled(label: str, *, on_sheet: bool = True, **kw):
    """A field of the agency record with the label users see (template's agency sheet, messages);
    `on_sheet`: whether units state it on the template's agency sheet."""
    return field(metadata={"label": label, "on_sheet": on_sheet}, **kw)


@dataclass
class Agency:
    """One agency as the store, params/agencies.yaml and the spreadsheet's agency sheet hold it.
    The store's table, the YAML keys and the sheet's rows all derive from these fields."""
    id: str = _labelled("机构标识")
    name: str = _labelled("机构名称")
    level: str = _labelled("机构层级", default="")
    parent_id: str | None = _labelled("上级机构标识", default=None)
    region: str = _labelled("所在地区", default="")
    address: str = _labelled("通讯地址", default="")
    postcode: str = _labelled("邮政编码", default="")
    telephone: str = _labelled("联系电话", default="")
    # A 全区/全市汇总: its statistics are the sum of its units' (xxgk rollup --store). The office
    # declares it (params/agencies.yaml); units do not state it on their sheet.
    rollup: bool = _labelled("汇总单位（数据为下级单位之和）", on_sheet=False, default=False)

    def __post_init__(self):
        self.rollup = bool(self.rollup)
        from .ids import check_agency_id   # ids reads the schema (years): imported when used
        check_agency_id(self.id)
        if self.parent_id:
            check_agency_id(self.parent_id, f"机构 {self.id} 的上级")

    def as_dict(self) -> dict:
        return asdict(self)


AGENCY_FIELDS = tuple(f.name for f in fields(Agency))
AGENCY_FIELD_LABELS = {f.name: f.metadata["label"] for f in fields(Agency)}
AGENCY_SHEET_FIELDS = tuple(f.name for f in fields(Agency) if f.metadata["on_sheet"])


# --- tables ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = COUNT
    stock: bool = False   # table 二: a stock that continues from the year before (rule stock_continuity)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    groups: tuple[str, ...] = ()   # enclosing group labels, outermost first (table 三)
    fields: tuple[Field, ...] = ()  # table 二: the row's own value fields


@dataclass(frozen=True)
class Block:
    """A table 二 block: caption row, header row, data rows."""
    caption: str
    header: tuple[str, ...]          # header labels of the value columns
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class HeaderCell:
    label: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Table:
    id: str                          # t2 / t3 / t4
    version: str                     # "2021" / "2019"
    section: str                     # section key
    rows: tuple[Row, ...]
    columns: tuple[Field, ...]       # t3/t4: the value columns; t2: empty (fields are per row)
    header: tuple[tuple[HeaderCell, ...], ...] = ()
    blocks: tuple[Block, ...] = ()   # table 二 only
    label_columns: int = 0           # t3: 3 label columns; t4: none
    note: str = ""                   # the 勾稽关系 note of table 三
    width: int = 0                   # number of grid columns (labels + values)

    @property
    def title(self) -> str:
        return SECTION_BY_KEY[self.section].title

    def cells(self) -> list[tuple[str, str, Field]]:
        """Every (row key, column key, field) of the table, in the order of the exchange CSV."""
        if self.blocks:
            return [(r.key, f.key, f) for r in self.rows for f in r.fields]
        return [(r.key, c.key, c) for r in self.rows for c in self.columns]

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def field(self, row: str, col: str) -> Field:
        for r, c, f in self.cells():
            if r == row and c == col:
                return f
        raise KeyError((row, col))

    def row_label(self, key: str) -> str:
        return self.row(key).label

    def col_label(self, row: str, col: str) -> str:
        return self.field(row, col).label


# Table 二, 2021 ---------------------------------------------------------------------------------
_ISSUED = (Field("issued", "本年制发件数"), Field("repealed", "本年废止件数"),
           Field("in_force", "现行有效件数", stock=True))
_DECISIONS = (Field("decisions", "本年处理决定数量"),)
_FEE = (Field("amount", "本年收费金额（单位：万元）", AMOUNT),)
_T2_2021_BLOCKS = (
    Block("第二十条第（一）项", tuple(f.label for f in _ISSUED),
          (Row("regulations", "规章", fields=_ISSUED), Row("normative_docs", "行政规范性文件", fields=_ISSUED))),
    Block("第二十条第（五）项", ("本年处理决定数量",), (Row("licensing", "行政许可", fields=_DECISIONS),)),
    Block("第二十条第（六）项", ("本年处理决定数量",),
          (Row("penalty", "行政处罚", fields=_DECISIONS), Row("coercion", "行政强制", fields=_DECISIONS))),
    Block("第二十条第（八）项", (_FEE[0].label,), (Row("fees", "行政事业性收费", fields=_FEE),)),
)

# Table 二, 2019 ---------------------------------------------------------------------------------
_MADE = (Field("new_made", "本年新制作数量"), Field("new_published", "本年新公开数量"),
         Field("total_published", "对外公开总数量"))
_FEE19 = (Field("prev_items", "上一年项目数量", stock=True), Field("change", "本年增/减", DELTA))
_ITEMS = _FEE19 + (Field("decisions", "处理决定数量"),)
_PROC = (Field("items", "采购项目数量"), Field("amount", "采购总金额", AMOUNT))
_T2_2019_BLOCKS = (
    Block("第二十条第（一）项", tuple(f.label for f in _MADE),
          (Row("regulations", "规章", fields=_MADE), Row("normative_docs", "规范性文件", fields=_MADE))),
    Block("第二十条第（五）项", tuple(f.label for f in _ITEMS),
          (Row("licensing", "行政许可", fields=_ITEMS), Row("other_services", "其他对外管理服务事项", fields=_ITEMS))),
    Block("第二十条第（六）项", tuple(f.label for f in _ITEMS),
          (Row("penalty", "行政处罚", fields=_ITEMS), Row("coercion", "行政强制", fields=_ITEMS))),
    Block("第二十条第（八）项", tuple(f.label for f in _FEE19), (Row("fees", "行政事业性收费", fields=_FEE19),)),
    Block("第二十条第（九）项", tuple(f.label for f in _PROC), (Row("procurement", "政府集中采购", fields=_PROC),)),
)
T2_ROW_LABEL_HEADER = "信息内容"


def rows_with(table: Table, field_key: str) -> tuple[str, ...]:
    """Keys of the table 二 rows that have the field `field_key` (e.g. decisions), in table order."""
    return tuple(r.key for r in table.rows if any(f.key == field_key for f in r.fields))


def stock_rows(table: Table) -> tuple[str, ...]:
    """Keys of the table 二 rows holding a stock (rule stock_continuity): 规章 and 行政规范性文件 in
    2021 (现行有效件数), the rows with 上一年项目数量 in 2019."""
    return tuple(r.key for r in table.rows if any(f.stock for f in r.fields))


def _t2(version: str, blocks: tuple[Block, ...]) -> Table:
    return Table("t2", version, "proactive", tuple(r for b in blocks for r in b.rows), (), blocks=blocks,
                 width=1 + max(len(b.header) for b in blocks))


# Table 三 ---------------------------------------------------------------------------------------
T3_NATURAL_PERSON = Field("natural_person", "自然人")
_T3_LEGAL_PERSONS = (Field("commercial", "商业企业"), Field("research", "科研机构"), Field("social_org", "社会公益组织"),
                     Field("legal_service", "法律服务机构"), Field("other_org", "其他"))
_T3_TOTAL = Field("total", "总计")
T3_COLUMNS = (T3_NATURAL_PERSON,) + _T3_LEGAL_PERSONS + (_T3_TOTAL,)
T3_APPLICANT_COLUMNS = tuple(c.key for c in (T3_NATURAL_PERSON,) + _T3_LEGAL_PERSONS)
T3_LEGAL_PERSON_COLUMNS = tuple(c.key for c in _T3_LEGAL_PERSONS)
T3_APPLICANTS_HEADER = "申请人情况"        # over the applicant columns
T3_LEGAL_PERSON_HEADER = "法人或其他组织"  # over the columns after 自然人 (no column of its own)
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_RESULTS = "三、本年度办理结果"
_DENIED, _UNABLE, _REJECTED, _OTHER = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
_T3_HEAD = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开", (_RESULTS,)),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (_RESULTS,)),
) + tuple(Row(k, l, (_RESULTS, _DENIED)) for k, l in (
    ("denied_state_secret", "1.属于国家秘密"),
    ("denied_law_forbidden", "2.其他法律行政法规禁止公开"),
    ("denied_three_safety", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"),
    ("denied_process_info", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "7.属于行政执法案卷"),
    ("denied_admin_query", "8.属于行政查询事项"),
)) + tuple(Row(k, l, (_RESULTS, _UNABLE)) for k, l in (
    ("unable_not_held", "1.本机关不掌握相关政府信息"),
    ("unable_need_creation", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"),
)) + tuple(Row(k, l, (_RESULTS, _REJECTED)) for k, l in (
    ("rejected_complaint", "1.信访举报投诉类申请"),
    ("rejected_repeat", "2.重复申请"),
    ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_massive", "4.无正当理由大量反复申请"),
    ("rejected_confirm", "5.要求行政机关确认或重新出具已获取信息"),
))
_T3_OTHER_2021 = tuple(Row(k, l, (_RESULTS, _OTHER)) for k, l in (
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他"),
))
_T3_OTHER_2019 = (Row("other_processing", _OTHER, (_RESULTS,)),)
_T3_TAIL = (
    Row("processed_total", "（七）总计", (_RESULTS,)),
    Row("carried_forward", "四、结转下年度继续办理"),
)
T3_HEADER = (
    (HeaderCell(T3_NOTE, rowspan=3, colspan=3), HeaderCell(T3_APPLICANTS_HEADER, colspan=len(T3_COLUMNS))),
    (HeaderCell(T3_NATURAL_PERSON.label, rowspan=2),
     HeaderCell(T3_LEGAL_PERSON_HEADER, colspan=len(_T3_LEGAL_PERSONS)), HeaderCell(_T3_TOTAL.label, rowspan=2)),
    tuple(HeaderCell(c.label) for c in _T3_LEGAL_PERSONS),
)
# Rows whose sum is (七)总计 (rule outcome_total), per version; the group rows of the 2021 （六）.
T3_OTHER_ROWS_2021 = tuple(r.key for r in _T3_OTHER_2021)
T3_OTHER_ROW_2019 = "other_processing"


def _t3(version: str) -> Table:
    rows = _T3_HEAD + (_T3_OTHER_2021 if version == "2021" else _T3_OTHER_2019) + _T3_TAIL
    return Table("t3", version, "requests", rows, T3_COLUMNS, header=T3_HEADER, label_columns=3,
                 note=T3_NOTE, width=3 + len(T3_COLUMNS))


def outcome_rows(table: Table) -> tuple[str, ...]:
    """Rows that add up to （七）总计 (rule outcome_total)."""
    keys = [r.key for r in table.rows]
    return tuple(keys[keys.index("granted"):keys.index("processed_total")])


# Table 四 ---------------------------------------------------------------------------------------
T4_FIELDS = (Field("upheld", "结果维持"), Field("corrected", "结果纠正"), Field("other", "其他结果"),
             Field("pending", "尚未审结"), Field("total", "总计"))
T4_GROUPS = (("review", "行政复议"), ("suit_direct", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"))
T4_REVIEW = "review"                                    # the group of 行政复议
T4_SUIT_GROUPS = ("suit_direct", "suit_after_review")   # the groups under 行政诉讼
T4_SUIT = "行政诉讼"
_T4_LABEL = dict(T4_GROUPS)
T4_HEADER = (
    (HeaderCell(_T4_LABEL[T4_REVIEW], colspan=len(T4_FIELDS)), HeaderCell(T4_SUIT, colspan=len(T4_FIELDS) * 2)),
    tuple(HeaderCell(f.label, rowspan=2) for f in T4_FIELDS)
    + tuple(HeaderCell(_T4_LABEL[g], colspan=len(T4_FIELDS)) for g in T4_SUIT_GROUPS),
    tuple(HeaderCell(f.label) for f in T4_FIELDS) * 2,
)


def _t4(version: str) -> Table:
    # Table 四 has one data row; in the data its "rows" are the three groups, its columns the fields.
    rows = tuple(Row(k, l) for k, l in T4_GROUPS)
    return Table("t4", version, "appeals", rows, T4_FIELDS, header=T4_HEADER, width=15)


# --- layouts: which version of each table a report uses -----------------------------------------
@dataclass(frozen=True)
class Layout:
    id: str
    t2: str
    t3: str
    description: str

    def tables(self) -> tuple[Table, ...]:
        return (table("t2", self.t2), table("t3", self.t3), table("t4", "2021"))


LAYOUTS: dict[str, Layout] = {l.id: l for l in (
    Layout("2021", "2021", "2021", "2021 年格式（国办公开办函〔2021〕30号）"),
    Layout("2019", "2019", "2019", "2019 年格式（国办公开办函〔2019〕60号）"),
    Layout("2021-single-other", "2021", "2019", "2021 年格式，表三（六）其他处理为单行"),
)}
DEFAULT_LAYOUT = "2021"


@cache
def table(table_id: str, version: str = "2021") -> Table:
    """The definition of one table in one format version (table 四 is the same in both)."""
    if table_id == "t2":
        return _t2(version, _T2_2021_BLOCKS if version == "2021" else _T2_2019_BLOCKS)
    if table_id == "t3":
        return _t3(version)
    if table_id == "t4":
        return _t4("2021")
    raise KeyError(table_id)


TABLE_IDS = ("t2", "t3", "t4")
TABLE_NUMBERS = {"t2": "二", "t3": "三", "t4": "四"}


# The exchange CSV (FORMAT.md "Exchange format"): one row per cell, these columns.
EXCHANGE_HEADER = ("agency", "year", "table", "row", "col", "value")


def table_name(table_id: str) -> str:
    """How messages, sheets and findings name a table: 't3' -> '表三' (an unknown id as it is: '表t9')."""
    return f"表{TABLE_NUMBERS.get(table_id, table_id)}"


def layout(layout_id: str) -> Layout:
    try:
        return LAYOUTS[layout_id]
    except KeyError:
        raise KeyError(f"unknown layout {layout_id!r}; known: {', '.join(LAYOUTS)}") from None


def default_layout_for_year(year: int) -> str:
    return "2019" if year < 2021 else "2021"


def layout_for_keys(keys: set[tuple[str, str, str]]) -> str | None:
    """The layout whose cell keys contain all of `keys`, preferring exact matches; None if none fits."""
    best = None
    for lay in LAYOUTS.values():
        own = cell_keys(lay.id)
        if keys <= own:
            if keys == own:
                return lay.id
            best = best or lay.id
    return best


@cache
def cell_keys(layout_id: str) -> frozenset[tuple[str, str, str]]:
    return frozenset(cell_order(layout_id))


@cache
def cell_order(layout_id: str) -> tuple[tuple[str, str, str], ...]:
    """All (table, row, col) keys of a layout in exchange-CSV order."""
    return tuple((t.id, r, c) for t in layout(layout_id).tables() for r, c, _ in t.cells())


@cache
def field_of(layout_id: str, table_id: str, row: str, col: str) -> Field:
    t = {tb.id: tb for tb in layout(layout_id).tables()}[table_id]
    return t.field(row, col)


def cell_label(layout_id: str, table_id: str, row: str, col: str) -> str:
    """`表三 （七）总计 · 自然人` — how messages name a cell."""
    t = {tb.id: tb for tb in layout(layout_id).tables()}[table_id]
    return f"{table_name(table_id)} {t.row_label(row)} · {t.col_label(row, col)}"


# --- the hard identities as data ---------------------------------------------------------------
CellKey = tuple[str, str, str]      # (table, row, col)


@dataclass(frozen=True)
class Identity:
    """One equation of a hard rule: the cells of `left` add up to the cells of `right`."""
    rule: str
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return self.left + self.right


@cache
def identities(table_id: str, version: str = "2021") -> tuple[Identity, ...]:
    """The equations of rules balance, outcome_total and applicant_total (table 三) and review_total
    (table 四) for one table in one version; table 二 has none."""
    t = table(table_id, version)
    out: list[Identity] = []
    if table_id == "t3":
        for c in T3_COLUMNS:
            cell = lambda r: ("t3", r, c.key)  # noqa: E731
            out.append(Identity("balance", (cell("new_received"), cell("carried_over")),
                                (cell("processed_total"), cell("carried_forward"))))
            out.append(Identity("outcome_total", tuple(cell(r) for r in outcome_rows(t)), (cell("processed_total"),)))
        for r in t.rows:
            out.append(Identity("applicant_total", tuple(("t3", r.key, c) for c in T3_APPLICANT_COLUMNS),
                                (("t3", r.key, "total"),)))
    elif table_id == "t4":
        parts = tuple(f.key for f in T4_FIELDS if f.key != "total")
        for g, _ in T4_GROUPS:
            out.append(Identity("review_total", tuple(("t4", g, f) for f in parts), (("t4", g, "total"),)))
    return tuple(out)
