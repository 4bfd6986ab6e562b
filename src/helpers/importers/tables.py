"""Placing the cells of a published report's tables 二, 三 and 四 into (table, row, col).

Input is the document as blocks (see grid.py). Cells are placed by label and position:
  * a table row is split into its label cells and the value cells after the last label;
  * the row label is matched against the labels of `helpers.schema` (labels.best_match), a group
    label （三）（四）（五）（六） read on the way tells rows "1." "2." apart when the wording differs;
  * table 三 columns come from the header row positions when the grid is exact (HTML, DOCX, ruled
    PDF), otherwise from the order of the values (自然人 … 其他, 总计);
  * rows come in the order of the format: a row with values but no label (a label broken onto
    other lines by a PDF) takes the label of the text line just before it, else the next row in order;
  * table 四 is the 15 values after the first mention of 行政复议 following table 三, in the order
    行政复议 · 未经复议直接起诉 · 复议后起诉 (or by group label where rows carry one).
Nothing is guessed beyond that: a row that cannot be placed is reported (InputError, or
`unread` with partial=True).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .. import schema
from ..errors import InputError
from ..model import Cell
from . import cells as cellmod
from . import labels
from .grid import Block, Grid, Paragraph

T2, T3, T4 = "t2", "t3", "t4"
# labels are Chinese; a cell without any Chinese character in the value area is a (bad) value
_CJK = re.compile(r"[\u3400-\u9fff]")
TNAME = {t: f"表{n}" for t, n in schema.TABLE_NUMBERS.items()}


@dataclass
class Row:
    """One table row as read: its label cells and the value cells after them."""
    cells: list[str | None]
    exact: bool
    grid: int             # index of the grid in the document
    index: int            # row index in the grid
    where: str = ""

    @property
    def split(self) -> int:
        """Index of the last label cell (-1 if none)."""
        last = -1
        for i, c in enumerate(self.cells):
            if c is not None and _CJK.search(c) and not cellmod.is_value(c):
                last = i
        return last

    @property
    def label_cells(self) -> list[str]:
        return [c for c in self.cells[: self.split + 1] if c is not None and c.strip()]

    @property
    def values(self) -> list[str]:
        return [c for c in self.cells[self.split + 1:] if c is not None]

    @property
    def has_numbers(self) -> bool:
        return any(not cellmod.is_empty(v) for v in self.values)


@dataclass
class Placement:
    cells: dict[tuple[str, str, str], Cell] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)      # t2/t3 -> "2021"/"2019"
    found: set[str] = field(default_factory=set)                # tables seen at all
    unread: list[str] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def _items(blocks: list[Block]) -> list[Row | Paragraph]:
    out: list[Row | Paragraph] = []
    for gi, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            out.append(b)
        elif isinstance(b, Grid):
            for ri, cells in enumerate(b.rows):
                out.append(Row(list(cells), b.exact, gi, ri, b.where))
    return out


def _flat(item: Row | Paragraph) -> str:
    if isinstance(item, Paragraph):
        return labels.flat(item.text)
    return labels.flat("".join(c for c in item.cells if c))


# --- label sets from the schema ---------------------------------------------------------------------
@cache
def _t2_rows() -> dict[str, str]:
    """row key -> label over both versions (规范性文件 / 行政规范性文件 both name normative_docs)."""
    out: dict[str, str] = {}
    alias: dict[str, list[str]] = {}
    for v in ("2021", "2019"):
        for r in schema.table(T2, v).rows:
            alias.setdefault(r.key, [])
            if r.label not in alias[r.key]:
                alias[r.key].append(r.label)
    for k, labs in alias.items():
        for i, lab in enumerate(labs):
            out[f"{k}#{i}"] = lab
    return out


@cache
def _t2_version_evidence() -> tuple[set[str], set[str]]:
    """Header/row label cores found only in one version of table 二."""
    def cores(v):
        t = schema.table(T2, v)
        s = {labels.core(h) for b in t.blocks for h in b.header}
        s |= {labels.core(r.label) for r in t.rows}
        s |= {labels.core(b.caption) for b in t.blocks}
        return s
    c21, c19 = cores("2021"), cores("2019")
    return c21 - c19, c19 - c21


@cache
def _t3_labels() -> tuple[list[schema.Row], dict[str, str], dict[str, str]]:
    rows21 = list(schema.table(T3, "2021").rows)
    other19 = schema.table(T3, "2019").row(schema.T3_OTHER_ROW_2019)
    rowlabels = {r.key: r.label for r in rows21}
    rowlabels[other19.key] = other19.label
    groups = {}
    for r in rows21:
        for g in r.groups:
            groups[labels.core(g)] = g
    return rows21 + [other19], rowlabels, groups


@cache
def _t3_group_labels() -> tuple[str, ...]:
    """三、本年度办理结果 first, then （三）…（六） (with and without enumerator)."""
    out: list[str] = []
    for r in schema.table(T3, "2021").rows:
        for g in r.groups:
            if g not in out:
                out.append(g)
    return tuple(out)


@cache
def _t3_order(version: str) -> list[str]:
    return [r.key for r in schema.table(T3, version).rows]


# --- the placement -----------------------------------------------------------------------------------
class _Placer:
    def __init__(self, blocks: list[Block], path: str):
        self.items = _items(blocks)
        self.path = path
        self.out = Placement()

    def problem(self, msg: str, table: str = "", row: str = "", col: str = "") -> None:
        self.out.problems.append(InputError(msg, file=self.path, table=TNAME.get(table, table), row=row, col=col))
        self.out.unread.append(" · ".join(p for p in (TNAME.get(table, table), row, col) if p) + f"：{msg}")

    def put(self, table: str, version: str, row: str, col: str, text: str | None) -> None:
        f = schema.table(table, version).field(row, col)
        t = schema.table(table, version)
        try:
            cell = cellmod.parse(text, f.kind)
        except cellmod.CellError as exc:
            self.problem(str(exc), table, t.row_label(row), t.col_label(row, col))
            return
        key = (table, row, col)
        if key in self.out.cells:
            self.problem("单元格重复出现（文件中可能有两份报告）(cell read twice)", table, t.row_label(row),
                         t.col_label(row, col))
            return
        self.out.cells[key] = cell

    # -- table 三 first: it anchors the others ----------------------------------------------------
    def run(self) -> Placement:
        rows_t3, rowlabels, _ = _t3_labels()
        starts = [i for i, it in enumerate(self.items)
                  if isinstance(it, Row) and (it.has_numbers or (it.exact and it.values))
                  and labels.best_match(" ".join(it.label_cells[-1:]), {"new_received": rowlabels["new_received"]})]
        if len(starts) > 1:
            raise InputError("文件中有两份表三（本年新收政府信息公开申请数量出现两次）：一个文件只能有一份报告"
                             " (two reports in one file)", file=self.path, table=TNAME[T3])
        t3_start = starts[0] if starts else None
        t3_end = self.table3(t3_start) if t3_start is not None else None
        t2_end = self.table2(0, t3_start if t3_start is not None else len(self.items))
        self.table4(max(t3_end if t3_end is not None else -1, t2_end) + 1)
        return self.out

    # -- table 二 --------------------------------------------------------------------------------------
    def table2(self, lo: int, hi: int) -> int:
        """Place table 二 from the items lo:hi; return the item index of its last row (-1 if none)."""
        rowlabels = _t2_rows()
        only21, only19 = _t2_version_evidence()
        seen: dict[str, Row] = {}
        last = -1
        ev21 = ev19 = 0
        # the table starts at its first caption (第二十条第（一）项); tables in section 一 stay out
        captions = {labels.core(b.caption) for v in ("2021", "2019") for b in schema.table(T2, v).blocks}
        for i in range(lo, hi):
            if any(c in captions for c in _cores(self.items[i])):
                lo = i
                break
        region = self.items[lo:hi]
        for it in region:
            for c in _cores(it):
                ev21 += any(c == e or (len(e) >= 4 and e in c) for e in only21)
                ev19 += any(c == e or (len(e) >= 4 and e in c) for e in only19)
            if not isinstance(it, Row) or not it.label_cells:
                continue
            hit = labels.best_match(it.label_cells[-1], rowlabels)
            if hit is None:
                continue
            key = hit.split("#")[0]
            if key in seen:
                self.problem("这一行出现两次 (row read twice)", T2, it.label_cells[-1])
                continue
            seen[key] = it
            last = lo + region.index(it)
        if not seen:
            return -1
        self.out.found.add(T2)
        if ev19 > ev21 or {"other_services", "procurement"} & set(seen):
            version = "2019"
        elif ev21:
            version = "2021"
        else:  # no header words at all: the number of values of 行政许可 tells (1 in 2021, 3 in 2019)
            lic = seen.get("licensing")
            version = "2019" if lic is not None and len(_fit(lic.values, 3)) == 3 else "2021"
        self.out.versions[T2] = version
        table = schema.table(T2, version)
        for r in table.rows:
            row = seen.get(r.key)
            if row is None:
                self.problem("找不到这一行 (row not found)", T2, r.label)
                continue
            vals = _fit(row.values, len(r.fields))
            if len(vals) != len(r.fields):
                self.problem(f"应有 {len(r.fields)} 个数值，读到 {len(row.values)} 个：{' | '.join(row.values)}",
                             T2, r.label)
                continue
            for f, v in zip(r.fields, vals):
                self.put(T2, version, r.key, f.key, v)
        return last

    # -- table 三 --------------------------------------------------------------------------------------
    def table3(self, start: int) -> int:
        """Place table 三 from the row of 本年新收; return the item index of its last row."""
        self.out.found.add(T3)
        _, rowlabels, groups = _t3_labels()
        order21, order19 = _t3_order("2021"), _t3_order("2019")
        colmap = self._t3_columns(start)
        placed: dict[str, Row] = {}
        last_pos = -1
        group = ""
        before: list[str] = []         # label texts on lines of their own since the last values row
        blank: Row | None = None       # a labelled row of an exact grid whose values are all empty
        end = start
        i = start
        while i < len(self.items):
            if "carried_forward" in placed:          # the last row of the table (also when blank)
                break
            it = self.items[i]
            if isinstance(it, Paragraph):
                g = labels.core(it.text)
                if g in groups:                 # a caption such as "### （三）不予公开"
                    group = g
                elif len(g) > 40:               # narrative: the table has ended
                    break
                elif g:                         # a label broken onto a line of its own
                    before.append(it.text)
                i += 1
                continue
            lab_cells = it.label_cells
            for c in lab_cells[:-1]:
                g = labels.core(c)
                for gc in groups:
                    if g and (g == gc or (len(g) >= 2 and gc.startswith(g) and len(lab_cells) > 1)):
                        group = gc
            own = lab_cells[-1] if lab_cells else ""
            # a labelled row left blank is a row of its own, unless the very next row holds its
            # values without a label (a row cut in two by a page break)
            if blank is not None and not (it.has_numbers and not own):
                last_pos = self._t3_try_blank_row(blank, rowlabels, group, last_pos, placed)
                blank = None
                if "carried_forward" in placed:
                    break
            if not it.has_numbers:
                if own and labels.core(own) in groups and not it.values:
                    group = labels.core(own)
                if own:
                    if it.exact and it.values and all(v == "" for v in it.values):
                        blank = it
                        end = i
                    before.append(own)
                i += 1
                continue
            blank = None
            key = self._t3_match(own, before, rowlabels, group, last_pos, placed)
            before = []
            if key is None:
                self.problem(f"无法确定这一行属于表三哪一行：{' '.join(lab_cells) or '（无行名）'} "
                             f"{' | '.join(it.values)}", T3, own or f"第 {it.index + 1} 行")
                i += 1
                continue
            if key == "new_received" and "new_received" in placed:
                raise InputError("文件中有两份表三：一个文件只能有一份报告 (two reports in one file)",
                                 file=self.path, table=TNAME[T3])
            order = order19 if key == schema.T3_OTHER_ROW_2019 or schema.T3_OTHER_ROW_2019 in placed else order21
            if key not in order or (order is order19 and set(placed) & set(schema.T3_OTHER_ROWS_2021)):
                self.problem("（六）其他处理既有单行又有分项，无法判断格式 (single-row and itemised （六） mixed)",
                             T3, rowlabels[key])
                i += 1
                continue
            placed[key] = it
            last_pos = order.index(key)
            end = i
            i += 1
            if key == "carried_forward":
                break
        if blank is not None:
            self._t3_try_blank_row(blank, rowlabels, group, last_pos, placed)
        version = "2019" if schema.T3_OTHER_ROW_2019 in placed else "2021"
        self.out.versions[T3] = version
        table = schema.table(T3, version)
        ncols = len(table.columns)
        counts = [len(_fit(r.values, ncols)) for r in placed.values() if colmap is None or r.exact is False]
        no_total = bool(counts) and all(n == ncols - 1 for n in counts)   # 总计 column left out entirely
        for r in table.rows:
            row = placed.get(r.key)
            if row is None:
                self.problem("找不到这一行 (row not found)", T3, r.label)
                continue
            vals = self._t3_values(row, colmap, ncols, no_total)
            if vals is None:
                self.problem(f"应有 {ncols} 个数值，读到 {len(row.values)} 个：{' | '.join(row.values)}", T3, r.label)
                continue
            for c, v in zip(table.columns, vals):
                self.put(T3, version, r.key, c.key, v)
        return end

    def _t3_try_blank_row(self, row: Row, rowlabels, group, last_pos, placed) -> int:
        """A labelled row whose value cells are all empty (exact grids): a row left blank."""
        if not row.exact:
            return last_pos
        key = _match_t3_label(row.label_cells[-1], rowlabels, group)
        if key and key not in placed:
            placed[key] = row
            order = _t3_order("2019" if key == schema.T3_OTHER_ROW_2019 else "2021")
            return order.index(key) if key in order else last_pos
        return last_pos

    def _t3_match(self, own: str, before: list[str], rowlabels, group, last_pos, placed) -> str | None:
        """The row key for a values row with label `own` and label lines `before` just above it."""
        cands = [own] if own else []
        for text in reversed(before):          # nearest line first: "2、申请人逾期未按" + "求缴纳费用…"
            cands += [text + own, text] if own else [text]
        if len(before) > 1:
            cands.append("".join(before) + own)
        for text in cands:
            key = _match_t3_label(text, rowlabels, group)
            if key and key not in placed:
                return key
        if not own:
            # values with no label at all: the next row in the order of the format
            order = _t3_order("2019" if schema.T3_OTHER_ROW_2019 in placed else "2021")
            nxt = last_pos + 1
            if nxt < len(order) and order[nxt] not in placed:
                return order[nxt]
        return None

    def _t3_columns(self, start: int) -> dict[int, int] | None:
        """Column positions from the header rows above 本年新收 in the same exact grid."""
        first = self.items[start]
        if not isinstance(first, Row) or not first.exact:
            return None
        cols = list(schema.table(T3, "2021").columns)
        found: dict[int, int] = {}
        j = start - 1
        while j >= 0 and isinstance(self.items[j], Row) and self.items[j].grid == first.grid:
            for ci, c in enumerate(self.items[j].cells):
                if not c:
                    continue
                key = labels.best_match(c, {str(k): col.label for k, col in enumerate(cols)}, min_prefix=4)
                if key is not None and int(key) not in found:
                    found[int(key)] = ci
            j -= 1
        if len(found) == len(cols) and len(set(found.values())) == len(cols):
            return {k: found[k] for k in range(len(cols))}
        return None

    def _t3_values(self, row: Row, colmap, ncols: int, no_total: bool) -> list[str] | None:
        if colmap is not None and row.exact:
            width = len(row.cells)
            idx = [colmap[k] for k in range(ncols)]
            if max(idx) < width and row.split < min(idx):
                vals = [row.cells[ix] for ix in idx]
                if all(v is not None and cellmod.is_value(v) for v in vals):
                    return vals
        vals = _fit(row.values, ncols)
        if len(vals) == ncols:
            return vals
        if no_total and len(vals) == ncols - 1:
            return vals + [""]
        return None

    # -- table 四 --------------------------------------------------------------------------------------
    def table4(self, lo: int) -> None:
        start = None
        for i in range(lo, len(self.items)):
            if "行政复议" in _flat(self.items[i]):
                start = i
                break
        if start is None:
            return
        table = schema.table(T4)
        groups = {k: lab for k, lab in schema.T4_GROUPS}
        nf = len(table.columns)
        values: list[str] = []
        by_group: dict[str, list[str]] = {}
        for it in self.items[start:]:
            if len(values) >= nf * len(groups):
                break
            if isinstance(it, Paragraph):
                if len(labels.core(it.text)) > 40 and values:
                    break
                continue
            if not it.has_numbers and not (it.exact and len(it.values) in (nf, nf * len(groups))):
                continue
            own = it.label_cells[-1] if it.label_cells else ""
            if own and (labels.best_match(own, _t2_rows()) or _match_t3_label(own, _t3_labels()[1], "")):
                continue                      # a row of table 二 or 三, not table 四
            g = labels.best_match(own, groups, min_prefix=4) if own else None
            vals = it.values
            if g is not None and len(_fit(vals, nf)) == nf:
                by_group[g] = _fit(vals, nf)
                continue
            values += [v for v in vals]
        if not values and not by_group:
            return
        self.out.found.add(T4)
        seq = iter(_fit(values, nf * (len(groups) - len(by_group))))
        flat_vals = list(seq)
        if len(flat_vals) != nf * (len(groups) - len(by_group)):
            self.problem(f"应有 {nf * len(groups)} 个数值，读到 {len(values) + nf * len(by_group)} 个："
                         f"{' | '.join(values)}", T4, "")
            return
        pos = 0
        for gkey, _ in schema.T4_GROUPS:
            if gkey in by_group:
                vals = by_group[gkey]
            else:
                vals, pos = flat_vals[pos:pos + nf], pos + nf
            for f, v in zip(table.columns, vals):
                self.put(T4, "2021", gkey, f.key, v)


def _cores(item: Row | Paragraph) -> list[str]:
    """Label cores of a row, or of a short paragraph (a caption); long paragraphs are prose."""
    if isinstance(item, Row):
        return [labels.core(c) for c in item.label_cells]
    c = labels.core(item.text)
    return [c] if len(c) <= 40 else []


def _match_t3_label(text: str, rowlabels: dict[str, str], group: str) -> str | None:
    key = labels.best_match(text, rowlabels, prefix=False)
    if key is not None:
        return key
    # group and row label in one cell: "（三）不予公开 1.属于国家秘密", "三、本年度办理结果（一）予以公开"
    for g in _t3_group_labels():
        rest = labels.after_prefix(text, g)
        if rest and rest.strip():
            return _match_t3_label(rest, rowlabels, labels.core(g) if g != _t3_group_labels()[0] else group)
    key = labels.best_match(text, rowlabels)
    if key is not None:
        return key
    # wording differs: the enumerator inside the current group （三）…（六）
    num = labels.enumerator(text)
    if num.isdigit() and group:
        members = [r.key for r in schema.table(T3, "2021").rows if r.groups and labels.core(r.groups[-1]) == group]
        n = int(num)
        if 1 <= n <= len(members):
            return members[n - 1]
    return None


def _fit(values: list[str], n: int) -> list[str]:
    """Drop empty padding cells (trailing first, then leading) that text tables add around values."""
    vals = list(values)
    while len(vals) > n and vals and cellmod.is_empty(vals[-1]):
        vals.pop()
    while len(vals) > n and vals and cellmod.is_empty(vals[0]):
        vals.pop(0)
    return vals


def place(blocks: list[Block], path: str = "") -> Placement:
    """Read tables 二, 三, 四 from a document."""
    return _Placer(blocks, path).run()
