"""The stored reports as pandas DataFrames, for analysts (JupyterLab) and for the roll-up notebook.

    cells(db=None, *, agencies=None, years=None, parent=None)   one row per stored cell
    table(agency, year, table, db=None)                          one official table, labels as index/header
    indicators(db=None, *, agencies=None, years=None, parent=None, cells=None)
                                                                 one row per agency-year: the derived figures

`db` is a Store, a database URL, or None (as the command line: $XXGK_DB, else the project's store).
`parent=ID` selects that agency and everything below it (any depth).

Types: counts are nullable integers (`Int64`); a blank or 不适用 cell has `<NA>` and its `state` says
which. Amounts (fees, procurement; 万元 with up to four decimals) are `decimal.Decimal` objects in the
column `amount` (object dtype): exact, and `sum()` over them stays exact, which floats would not and
strings would need parsing for. Ratios in `indicators` are `Float64` with `<NA>` for a zero
denominator (a rate over nothing is not 0 %, nor infinity).

The indicators are the ones of `helpers.format.derived.INDICATORS`, evaluated on whole columns: the
same definitions the report's paragraphs evaluate on one Report; nothing here defines a figure.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cache

import pandas as pd

from .format import derived, schema
from .format.ids import check_agency_id, check_year

CELL_COLUMNS = ("agency", "name", "level", "parent_id", "year", "layout", "table", "row", "col", "label",
                "value", "amount", "state")
AGENCY_COLUMNS = ("agency", "name", "level", "parent_id")


def _store(db):
    from .store import Store
    return db if hasattr(db, "engine") else Store(db)


@cache
def _cell_labels() -> pd.DataFrame:
    """(layout, table, row, col) -> label, kind and position in the exchange order, every layout."""
    rows = []
    for lay in schema.LAYOUTS:
        tables = {t.id: t for t in schema.layout(lay).tables()}
        for i, (t, r, c) in enumerate(schema.cell_order(lay)):
            tb = tables[t]
            rows.append((lay, t, r, c, f"{tb.row_label(r)} · {tb.col_label(r, c)}",
                         schema.field_of(lay, t, r, c).kind, i))
    return pd.DataFrame(rows, columns=["layout", "table", "row", "col", "label", "kind", "order"])


def _selected(store, agencies, parent) -> set[str] | None:
    """Agency ids the selectors allow (None: all)."""
    wanted = None if agencies is None else {check_agency_id(a, "agencies") for a in
                                            ([agencies] if isinstance(agencies, str) else agencies)}
    if parent is not None:
        check_agency_id(parent, "parent")
        tree = store.tree()
        below = {parent, *tree.below(parent)}
        wanted = below if wanted is None else wanted & below
    return wanted


def _years(years) -> set[int] | None:
    if years is None:
        return None
    return {check_year(y, "years") for y in ([years] if isinstance(years, (int, str)) else years)}


def cells(db=None, *, agencies=None, years=None, parent=None) -> pd.DataFrame:
    """One row per stored cell of the current revision of each selected agency-year, in exchange
    order: agency, name, level, parent_id, year, layout, table, row, col, label, value (Int64),
    amount (Decimal), state (number / blank / na)."""
    store = _store(db)
    return _typed(_raw_cells(store, _selected(store, agencies, parent), _years(years))[1])


def _raw_cells(store, wanted: set[str] | None, years: set[int] | None, keys=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The selected agency-years (agency, name, level, parent_id, year, layout) and their stored rows
    (value as stored text) with those columns; only the cells `keys` ((table, row, col)) if given."""
    from sqlalchemy import select

    from .store.database import agencies_t, cells_t, driver_rows, reports_t

    cond = [reports_t.c.current == 1]
    if years is not None:
        cond.append(reports_t.c.year.in_(sorted(years)))
    if wanted is not None:
        cond.append(reports_t.c.agency_id.in_(sorted(wanted)))   # checked ids: safe in the SQL
    hq = (select(reports_t.c.id, reports_t.c.agency_id, agencies_t.c.name, agencies_t.c.level,
                 agencies_t.c.parent_id, reports_t.c.year, reports_t.c.layout)
          .select_from(reports_t.join(agencies_t, agencies_t.c.id == reports_t.c.agency_id)).where(*cond))
    cq = (select(cells_t.c.report_id, cells_t.c.tbl, cells_t.c.row_key, cells_t.c.col_key, cells_t.c.value,
                 cells_t.c.state)
          .select_from(cells_t.join(reports_t, reports_t.c.id == cells_t.c.report_id)).where(*cond))
    if keys is not None:   # a superset of `keys` the cells' primary key finds fast; the caller picks
        cq = cq.where(*(col.in_(sorted({k[i] for k in keys}))
                        for i, col in enumerate((cells_t.c.tbl, cells_t.c.row_key, cells_t.c.col_key))))
    with store.engine.connect() as conn:
        heads = pd.DataFrame(driver_rows(conn, hq),
                             columns=["report_id", "agency", "name", "level", "parent_id", "year", "layout"])
        body = pd.DataFrame.from_records(driver_rows(conn, cq),   # plain tuples, which pandas takes in C
                                         columns=["report_id", "table", "row", "col", "text", "state"])
    return heads.drop(columns="report_id"), heads.merge(body, on="report_id", how="inner", sort=False).drop(
        columns="report_id")


def _counts(df: pd.DataFrame, counts: pd.Series) -> pd.Series:
    """Stored integers as text -> Int64 exactly (numpy_nullable parses them as integers, not via float)."""
    return pd.to_numeric(df["text"].where(counts), dtype_backend="numpy_nullable").astype("Int64")


def _typed(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw rows (value as stored text) -> the cells frame: labels, order, typed values."""
    df = raw.merge(_cell_labels(), on=["layout", "table", "row", "col"], how="left", sort=False)
    df = df.sort_values(["agency", "year", "order"], kind="stable").reset_index(drop=True)
    number = df["state"] == schema.NUMBER
    is_amount = df["kind"] == schema.AMOUNT
    df["value"] = _counts(df, number & ~is_amount)
    amounts = pd.Series(None, index=df.index, dtype=object)
    picked = number & is_amount
    amounts[picked] = [Decimal(t) for t in df.loc[picked, "text"]]
    df["amount"] = amounts
    df["year"] = df["year"].astype("int64")
    return df[list(CELL_COLUMNS)]


def cells_of_reports(reports, agencies=()) -> pd.DataFrame:
    """The cells frame of Report objects in memory (e.g. a roll-up not stored); `agencies` (store
    Agency records) fill in name, level and parent."""
    by_id = {a.id: a for a in agencies}
    rows = []
    for rep in reports:
        a = by_id.get(rep.agency)
        head = (rep.agency, a.name if a else "", a.level if a else "", a.parent_id if a else None, rep.year,
                rep.layout)
        for (t, r, c), cell in rep.cells.items():
            rows.append(head + (t, r, c, None if cell.state != schema.NUMBER else cell.text(), cell.state))
    raw = pd.DataFrame.from_records(rows, columns=["agency", "name", "level", "parent_id", "year", "layout",
                                                   "table", "row", "col", "text", "state"])
    return _typed(raw)


def table(agency: str, year: int, table_id: str, db=None) -> pd.DataFrame:
    """One official table of one report, indexed and headed by the official labels. Values as the
    report prints them: numbers (Int64 where a column holds only counts), 不适用, and <NA> for a
    blank cell. Table 二 is indexed by (block, row) and its columns are the blocks' headers."""
    store = _store(db)
    rep = store.load_report(check_agency_id(agency, "agency"), check_year(year, "year"))
    if rep is None:
        from .errors import XxgkError
        raise XxgkError(f"数据库中没有 {agency} {year} 年的报告 (no stored report)")
    if table_id not in schema.TABLE_IDS:
        raise KeyError(f"unknown table {table_id!r}; known: {', '.join(schema.TABLE_IDS)}")
    tb = rep.table(table_id)

    def shown(r, c):
        cell = rep.get(table_id, r, c)
        return schema.NA_TEXT if cell.state == schema.NA else (None if cell.state == schema.BLANK else cell.value)

    if tb.blocks:
        columns = list(dict.fromkeys(f.label for r in tb.rows for f in r.fields))
        index, data = [], []
        for block in tb.blocks:
            for r in block.rows:
                index.append((block.caption, r.label))
                values = {f.label: shown(r.key, f.key) for f in r.fields}
                data.append([values.get(c, "") for c in columns])
        frame = pd.DataFrame(data, index=pd.MultiIndex.from_tuples(index, names=["", schema.T2_ROW_LABEL_HEADER]),
                             columns=columns)
    else:
        frame = pd.DataFrame([[shown(r.key, c.key) for c in tb.columns] for r in tb.rows],
                             index=pd.Index([r.label for r in tb.rows]), columns=[c.label for c in tb.columns])
    frame.columns.name = f"表{schema.TABLE_NUMBERS[table_id]} {tb.title}"
    return frame.convert_dtypes() if not tb.blocks else frame


# --- indicators ----------------------------------------------------------------------------------
def _key(t: str, r: str, c: str) -> str:
    return f"{t}|{r}|{c}"


def _needed_keys() -> set[tuple[str, str, str]]:
    """The cells the indicators add up."""
    out = set()
    for ind in derived.INDICATORS.values():
        for part in (ind.numerator, ind.denominator):
            if part is not None:
                out.update(part.keys())
    return out


def _evaluate(wide: pd.DataFrame, part: derived.CellSum) -> pd.Series:
    total = pd.Series(0, index=wide.index, dtype="Int64")
    for sign, key in part.terms:
        col = _key(*key)
        if col in wide:
            total = total + sign * wide[col]
    return total


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as Float64; <NA> where the denominator is 0 (never inf)."""
    num, den = numerator.astype("Float64"), denominator.astype("Float64")
    return (num / den.mask(den == 0)).astype("Float64")


def indicators(db=None, *, agencies=None, years=None, parent=None, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per agency-year with the figures of `derived.INDICATORS` (counts Int64, ratios
    Float64) and `yoy`, the 同比 of `derived.YOY_OF` against the agency's year before (<NA> without
    it or when it was 0). Pass `cells` (a cells frame) to skip reading the store; else only the
    cells the indicators add up are read."""
    wanted_years = _years(years)
    needed = _needed_keys()
    if cells is None:   # the years before the selected ones too: 同比 needs them
        store = _store(db)
        read = None if wanted_years is None else wanted_years | {y - 1 for y in wanted_years}
        heads, df = _raw_cells(store, _selected(store, agencies, parent), read, keys=needed)
        df["value"] = _counts(df, df["state"] == schema.NUMBER)
    else:
        heads, df = cells[list(AGENCY_COLUMNS) + ["year", "layout"]].drop_duplicates(["agency", "year"]), cells
    heads = heads.astype({"year": "int64"}).set_index(["agency", "year"])
    keys = df["table"] + "|" + df["row"] + "|" + df["col"]
    picked = keys.isin({_key(*k) for k in needed})
    part = df.loc[picked, ["agency", "year"]].astype({"year": "int64"}).assign(
        key=keys[picked], v=df["value"].fillna(0))     # blank and 不适用 count as 0
    wide = (part.pivot_table(index=["agency", "year"], columns="key", values="v", aggfunc="sum", observed=True)
            .reindex(heads.index).fillna(0).astype("Int64"))
    out = heads.copy()
    for key, ind in derived.INDICATORS.items():
        n = _evaluate(wide, ind.numerator)
        out[key] = n if ind.denominator is None else _ratio(n, _evaluate(wide, ind.denominator))
    base = out[derived.YOY_OF]
    before = pd.Series(base.to_numpy(), index=pd.MultiIndex.from_arrays(
        [out.index.get_level_values(0), out.index.get_level_values(1) + 1]), dtype="Int64")
    prev = before.reindex(out.index)
    out["yoy"] = _ratio(base - prev, prev)
    out = out.reset_index()
    if wanted_years is not None:
        out = out[out["year"].isin(wanted_years)]
    return out.sort_values(["agency", "year"], kind="stable").reset_index(drop=True)


def labels() -> dict[str, str]:
    """Column -> Chinese heading for the indicator columns (as the roll-up's league table shows them)."""
    out = {"agency": schema.AGENCY_FIELD_LABELS["id"], "name": schema.AGENCY_FIELD_LABELS["name"],
           "year": schema.YEAR_LABEL}
    out.update({k: ind.label for k, ind in derived.INDICATORS.items()})
    out["yoy"] = f"{derived.INDICATORS[derived.YOY_OF].label}{derived.YOY_LABEL}"
    return out
