"""Table 三 (收到和处理政府信息公开申请情况): 25 rows (23 with a single-row （六）) × 7 columns.

Rows are matched by label; a group label （三）（四）（五）（六） read on the way tells rows "1." "2."
apart when the wording differs. Rows come in the order of the format: a row with values but no
label (a label broken onto other lines by a PDF) takes the label of the text lines just above it,
else the next row in order. Columns come from the header positions in exact grids (HTML, DOCX,
ruled PDF), otherwise from the order of the values (自然人 … 其他, 总计); a table whose rows all
lack the 总计 value has that column blank.
"""
from __future__ import annotations

from functools import cache

from ..errors import InputError
from ..format import schema
from . import cells as cellmod
from . import labels
from .grid import Paragraph
from .placement import T3, Placer, wrong_count
from .rows import Row, by_position, column_centres, fit

OTHER19 = schema.T3_OTHER_ROW_2019


@cache
def _group_cores() -> frozenset[str]:
    return frozenset(labels.core(g) for g in labels.t3_group_labels())


def _is_group_piece(text: str) -> bool:
    """A fragment of a group label such as 三、本年度办理结果 printed one line at a time."""
    c = labels.core(text, keep_enumerator=True)
    return bool(c) and any(c in labels.core(g, keep_enumerator=True) for g in labels.t3_group_labels())


def version_of(cores: list[str]) -> str | None:
    """The version of table 三 its row labels prove, whatever became of its values: "2021" where
    （六）'s itemised rows show (their words 逾期, 收费通知, 缴纳费用 are in no other label), "2019"
    (the single row) where （六）其他处理 is followed by （七）总计 after （五）'s last row and none of those
    words is anywhere; None where the labels do not reach that far (cut short, or lost): then table
    二 or the year decides (published.build). `cores`: label cores with their enumerators, in order."""
    joined = "".join(cores)
    if any(w in joined for w in ("逾期", "收费通知", "缴纳费用")):
        return "2021"
    names = labels.t3_row_labels()
    five = joined.find(labels.core(names["rejected_confirm"])[:6])     # 要求行政机关(确认…), however split
    six = joined.find(labels.core(names[OTHER19]), five + 1)
    if -1 < five < six < joined.rfind(labels.core(names["processed_total"], keep_enumerator=True)):
        return "2019"
    return None


@cache
def _order(version: str) -> tuple[str, ...]:
    return tuple(r.key for r in schema.table(T3, version).rows)


@cache
def _column_cores() -> frozenset[str]:
    return frozenset(labels.core(c.label) for c in schema.T3_COLUMNS)


def match_label(text: str, group: str) -> str | None:
    """The row key a label text names; `group` is the core of the current group label, if any.
    "总计" and "其他" without their enumerator are the column headers, not （七）总计 or 3.其他."""
    if labels.core(text) in _column_cores() and not schema.enumerator(text):
        return None
    key = labels.best_match(text, labels.t3_row_labels(), prefix=False)
    if key is not None:
        return key
    # group and row label in one cell: "（三）不予公开 1.属于国家秘密", "三、本年度办理结果（一）予以公开"
    for g in labels.t3_group_labels():
        rest = labels.after_prefix(text, g)
        if rest and rest.strip():
            key = match_label(rest, labels.core(g) if g != labels.t3_group_labels()[0] else group)
            if key is not None:
                return key
    # a line of a group cell printed beside a row label (pdftotext joins text on one baseline):
    # "（四） 1.本机关不掌握相关政府信息", "无法提 2.没有现成信息需要另行制作", "三、本 （一）予以公开"
    head, *rest = text.split(None, 1)
    if rest and _is_group_piece(head) and schema.enumerator(rest[0]):
        return match_label(rest[0], group)
    key = labels.best_match(text, labels.t3_row_labels())
    if key is not None:
        return key
    # wording differs: the enumerator inside the current group （三）…（六）
    num = schema.enumerator(text)
    if num.isdigit() and group:
        members = [r.key for r in schema.table(T3, "2021").rows if r.groups and labels.core(r.groups[-1]) == group]
        if 1 <= int(num) <= len(members):
            return members[int(num) - 1]
    return None


def start(placer: Placer) -> int | None:
    """The item index of the row 一、本年新收…; two of them mean two reports in one file."""
    target = {"new_received": labels.t3_row_labels()["new_received"]}
    starts = [i for i, it in enumerate(placer.items)
              if isinstance(it, Row) and (it.has_numbers or (it.exact and it.values))
              and labels.best_match(" ".join(it.label_cells[-1:]), target)]
    if len(starts) > 1:
        raise InputError(f"文件中有两份{schema.table_name(T3)}（{schema.strip_enumerator(target['new_received'])}出现两次）："
                         "一个文件只能有一份报告 (two reports in one file)", file=placer.path, table=schema.table_name(T3))
    return starts[0] if starts else None


class _Rows:
    """Which item holds which row, filled in reading order."""

    def __init__(self):
        self.placed: dict[str, Row] = {}
        self.last_pos = -1
        self.by_order: set[str] = set()     # rows placed by their position, without a label
        self.label_above: set[str] = set()  # values alone on their line, labelled by lines above
        self.one_per_line: set[str] = set()  # values printed one per line (a converter's order)
        self.last_by_order = self.last_above = False

    def order(self, key: str | None = None) -> tuple[str, ...]:
        return _order("2019" if key == OTHER19 or OTHER19 in self.placed else "2021")

    def add(self, key: str, row: Row) -> bool:
        order = self.order(key)
        if key not in order or (key == OTHER19 and set(self.placed) & set(schema.T3_OTHER_ROWS_2021)):
            return False
        self.placed[key] = row
        self.last_pos = order.index(key)
        return True

    def add_blank(self, row: Row, group: str) -> None:
        """A labelled row of an exact grid whose value cells are all empty: a row left blank."""
        key = match_label(row.label_cells[-1], group) if row.exact else None
        if key and key not in self.placed:
            self.add(key, row)

    def match(self, own: str, before: list[str], group: str) -> str | None:
        """The key for a values row labelled `own` with label lines `before` just above it."""
        cands = [own] if own else []
        for text in reversed(before):          # nearest line first: "2、申请人逾期未按" + "求缴纳费用…"
            cands += [text + own, text] if own else [text]
        if len(before) > 1:
            cands.append("".join(before) + own)
        # pieces of a label printed vertically in the next column ("果 （二）部分公开…") come first
        cands += [" ".join(c.split()[k:]) for c in list(cands) for k in range(1, len(c.split()))]
        self.last_by_order = False
        for text in cands:
            key = match_label(text, group)
            if key and key not in self.placed:
                # the row's own text is no piece of the label found above it (values alone, or
                # under a header word): labelled by nearness only
                mine, theirs = labels.core(own), labels.core(labels.t3_row_labels()[key])
                self.last_above = not mine or (mine not in theirs and theirs not in mine)
                return key
        self.last_by_order = True
        if not own or _is_group_piece(own):
            # values with no label of their own (at most a piece of a group label printed down
            # the first column): the next row in the order of the format
            order = self.order()
            nxt = self.last_pos + 1
            if nxt < len(order) and order[nxt] not in self.placed:
                return order[nxt]
        return None


def place(placer: Placer, first: int) -> int:
    """Place table 三 from the row of 本年新收 (item `first`); return the item index of its last row."""
    placer.out.found.add(T3)
    items = placer.items
    colmap = _columns(items, first)
    rows = _Rows()
    group = ""
    before: list[str] = []         # label texts on lines of their own since the last values row
    blank: Row | None = None       # a labelled exact row whose values are all empty
    end = first
    i = first
    ncols = len(schema.T3_COLUMNS)
    chunked: set[int] = set()      # rows cut from one run of values: placed by position
    while i < len(items) and "carried_forward" not in rows.placed:
        it = items[i]
        if isinstance(it, Row) and not it.exact and len(it.values) > ncols and len(it.values) % ncols == 0:
            # text extracted cell by cell: the values of several rows in one run, the labels of the
            # later ones elsewhere; the rows follow each other in the order of the format
            vals = it.values
            chunks = [Row(it.label_cells + vals[:ncols], False, it.grid, it.index, it.where, run=it.run)]
            chunks += [Row(vals[k:k + ncols], False, it.grid, it.index, it.where, run=it.run)
                       for k in range(ncols, len(vals), ncols)]
            items[i:i + 1] = chunks
            chunked.update(id(c) for c in chunks)
            it = items[i]
        i += 1
        if isinstance(it, Paragraph):
            g = labels.core(it.text)
            if g in _group_cores():        # a caption such as "### （三）不予公开"
                group = g
            elif len(g) > 40:              # narrative: the table has ended
                break
            elif g:                        # a label broken onto a line of its own
                before.append(it.text)
            continue
        lab = it.label_cells
        for c in lab[:-1]:
            g = labels.core(c)
            for gc in _group_cores():
                if g and (g == gc or (len(g) >= 2 and gc.startswith(g))):
                    group = gc
        own = lab[-1] if lab else ""
        if len(lab) > 1 and labels.core(own) in _column_cores() and not schema.enumerator(own):
            own = lab[-2] + own            # "(七)" and "总计" split into two cells
        # a blank row is a row of its own, unless the very next row holds its values without a
        # label (a row cut in two by a page break)
        if blank is not None and not (it.has_numbers and not own):
            rows.add_blank(blank, group)
            blank = None
            if "carried_forward" in rows.placed:
                break
        if not it.has_numbers:
            if own and labels.core(own) in _group_cores() and not it.values:
                group = labels.core(own)
            if own:
                if it.exact and it.values and all(v == "" for v in it.values):
                    blank, end = it, i - 1
                before.append(own)
            continue
        blank = None
        key = rows.match(own, before, group)
        before = []
        if key is None:
            placer.problem(f"无法确定这一行属于{schema.table_name(T3)}哪一行：{' '.join(lab) or '（无行名）'} {' | '.join(it.values)}"
                           " (row not recognised)", T3, own or f"第 {it.index + 1} 行")
            continue
        if key == "new_received" and "new_received" in rows.placed:
            raise InputError(f"文件中有两份{schema.table_name(T3)}：一个文件只能有一份报告 (two reports in one file)",
                             file=placer.path, table=schema.table_name(T3))
        if rows.last_by_order:
            rows.by_order.add(key)
        elif (rows.last_above or id(it) in chunked) and not it.exact:
            # the first row of a run cut into rows is labelled by the line above the whole run
            rows.label_above.add(key)
        if it.run:
            rows.one_per_line.add(key)
        if not rows.add(key, it):
            placer.problem(f"{labels.t3_row_labels()[OTHER19]}既有单行又有分项，无法判断格式"
                           " (single-row and itemised （六） mixed)",
                           T3, labels.t3_row_labels()[key])
            continue
        end = i - 1
    if blank is not None:
        rows.add_blank(blank, group)
    placer.out.by_order |= {(T3, k) for k in rows.by_order}
    placer.out.label_above |= {(T3, k) for k in rows.label_above}
    placer.out.one_per_line |= {(T3, k) for k in rows.one_per_line}
    _put_rows(placer, rows.placed, colmap, rows.by_order)
    return end


def _put_rows(placer: Placer, placed: dict[str, Row], colmap: dict[int, int] | None,
              by_order: set[str]) -> None:
    # the version shows in the labels of （六）其他处理: one row (2019) or three (2021); a table
    # read without them (cut short, or its rows placed by position only) leaves it to table 二 or
    # the year (published.build)
    version = "2019" if OTHER19 in placed else "2021"
    # "3.其他" alone is no evidence: its words are those of the column 其他
    if {OTHER19, *schema.T3_OTHER_ROWS_2021[:-1]} & (set(placed) - by_order):
        placer.out.versions[T3] = version
    table = schema.table(T3, version)
    ncols = len(table.columns)
    counts = [len(fit(r.values, ncols, r.exact)) for r in placed.values() if colmap is None or not r.exact]
    no_total = bool(counts) and all(n == ncols - 1 for n in counts)   # 总计 column left out entirely
    centres = column_centres(list(placed.values()), ncols)             # PDF: where each column is
    for r in table.rows:
        row = placed.get(r.key)
        if row is None and T3 not in placer.out.versions and r.key in schema.T3_OTHER_ROWS_2021:
            if r.key == schema.T3_OTHER_ROWS_2021[0]:
                placer.problem("找不到这一行 (row not found)", T3, r.groups[-1])
            continue
        if row is None:
            placer.problem("找不到这一行 (row not found)", T3, r.label)
            continue
        vals = _values(row, colmap, ncols, no_total, centres)
        if vals is None:
            placer.problem(wrong_count(ncols, row.values, exact=row.exact), T3, r.label)
            continue
        for c, v in zip(table.columns, vals):
            placer.put(T3, version, r.key, c.key, v)


def _columns(items: list, first: int) -> dict[int, int] | None:
    """Column index -> grid position, from the header rows above 本年新收 in the same exact grid."""
    row0 = items[first]
    if not isinstance(row0, Row) or not row0.exact:
        return None
    cols = {str(k): col.label for k, col in enumerate(schema.table(T3, "2021").columns)}
    found: dict[int, int] = {}
    j = first - 1
    while j >= 0 and isinstance(items[j], Row) and items[j].grid == row0.grid:
        for ci, c in enumerate(items[j].cells):
            key = labels.best_match(c, cols) if c else None
            if key is not None and int(key) not in found:
                found[int(key)] = ci
        j -= 1
    if len(found) == len(cols) and len(set(found.values())) == len(cols):
        return found
    return None


def _values(row: Row, colmap: dict[int, int] | None, ncols: int, no_total: bool,
            centres: list[float] | None = None) -> list[str] | None:
    if colmap is not None and row.exact:
        idx = [colmap[k] for k in range(ncols)]
        if max(idx) < len(row.cells) and row.split < min(idx):
            vals = [row.cells[ix] for ix in idx]
            if all(v is not None and cellmod.is_value(v) for v in vals):
                return vals
    vals = fit(row.values, ncols, row.exact)
    if len(vals) == ncols:
        return vals
    placed = by_position(row, centres)
    if placed is not None:
        return placed
    if no_total and len(vals) == ncols - 1:
        return vals + [""]
    return None
