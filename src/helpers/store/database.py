"""The embedded data store: agencies, report cells, narrative sections, import log.

SQLite by default, through SQLAlchemy Core so that a PostgreSQL URL works unchanged. A report is
stored per agency-year as a numbered revision; replacing it adds a revision and keeps the old one.
Several processes may write at once (analysts importing together, `xxgk import` on all cores):
imports of the same agency take turns inside the database (save_reports), and the database keeps
at most one current revision per agency-year.
"""
from __future__ import annotations

import datetime as _dt
import difflib
from contextlib import contextmanager
from dataclasses import MISSING, Field, dataclass, fields
from dataclasses import replace as replace_fields
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Iterable

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    inspect,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.schema import CreateColumn
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .. import dburl
from ..config import busy_timeout, resolve_db
from ..errors import ExistingDataError, XxgkError
from ..format import schema
from ..format.ids import check_agency_id
from ..format.model import Cell, Report
from ..format.schema import Agency
from .tree import refuse_cycles

metadata = MetaData()


def _agency_column(f: Field) -> Column:
    """The column of a field of schema.Agency: identifiers String(64) (no parent: NULL), the rest Text."""
    if f.name == "id":
        return Column(f.name, String(64), primary_key=True)
    if f.name == "parent_id":
        return Column(f.name, String(64), nullable=True)
    if isinstance(f.default, bool):     # a flag (rollup); the server default fills older stores' rows
        return Column(f.name, Boolean, nullable=False, default=f.default, server_default=true() if f.default else false())
    return Column(f.name, Text, nullable=False, **({} if f.default is MISSING else {"default": f.default}))


agencies_t = Table("agencies", metadata, *(_agency_column(f) for f in fields(Agency)))
reports_t = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("current", Integer, nullable=False),
    Column("layout", String(32), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("fingerprint", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("agency_id", "year", "revision"),
)
cells_t = Table(
    "cells", metadata,
    Column("report_id", Integer, ForeignKey("reports.id"), primary_key=True),
    Column("tbl", String(4), primary_key=True),
    Column("row_key", String(64), primary_key=True),
    Column("col_key", String(64), primary_key=True),
    Column("state", String(8), nullable=False),
    Column("value", Text, nullable=True),
)
narratives_t = Table(
    "narratives", metadata,
    Column("report_id", Integer, ForeignKey("reports.id"), primary_key=True),
    Column("section", String(32), primary_key=True),
    Column("text", Text, nullable=False),
)
import_log_t = Table(
    "import_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("agency_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("cells", Integer, nullable=False),
    Column("sections", Integer, nullable=False),
)


ROLLUP_SOURCE = "rollup of"   # how a stored roll-up's source begins (xxgk rollup --store)


@dataclass
class SaveResult:
    agency: str
    year: int
    revision: int
    cells: int
    sections: int
    created_agency: bool
    replaced: bool
    kept_sections: int = 0            # narrative sections kept from the replaced revision
    report: Report | None = None      # the report as stored (with the kept narrative)


# What a command that finds nothing at all says: how data gets into the store.
EMPTY_STORE = ("数据库中还没有数据：先导入（xxgk import 文件或文件夹），或载入 params/agencies.yaml 中的机构"
               "（xxgk agencies --sync）(the store is empty: import data or run xxgk agencies --sync first)")
SUGGESTIONS = 5


def unknown_agency(agency_id: str, agencies: list[Agency], where: str = "") -> str:
    """The message for an agency id the store does not have: the closest stored ids (a typo, a
    prefix), not the whole list; how to fill an empty store."""
    prefix = f"{where}: " if where else ""
    if not agencies:
        return f"{prefix}未知机构 {agency_id}。{EMPTY_STORE}"
    names = {a.id: a.name for a in agencies}
    close = [i for i in names if agency_id in i or i in agency_id]     # a prefix, a part
    close += [i for i in difflib.get_close_matches(agency_id, list(names), n=SUGGESTIONS, cutoff=0.6)
              if i not in close]                                            # a typo
    hint = ("是不是：" + "、".join(f"{i}（{names[i]}）" for i in close[:SUGGESTIONS]) + "？") if close else ""
    return (f"{prefix}未知机构 {agency_id}：数据库中没有这个机构 (unknown agency)。{hint}"
            f"全部机构见 xxgk agencies")


# At most one current revision per agency-year, kept by the database itself (two imports racing
# cannot both make theirs current); also the index the bulk reads of current reports use.
Index("reports_current", reports_t.c.agency_id, reports_t.c.year, unique=True,
      sqlite_where=reports_t.c.current == 1, postgresql_where=reports_t.c.current == 1)

WRITE = {"xxgk_write": True}    # execution option of the connections that write
RETRIES = 5                     # a transaction PostgreSQL aborted as a deadlock is run again
CHUNK = 500                     # ids per IN (...) list
SCHEMA_LOCK = 0x7878676B        # PostgreSQL advisory lock held while the schema is created ("xxgk")


@cache
def _engine(url: str) -> Engine:
    """The engine of a public URL (no password; dburl adds the remembered one for the driver)."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(dburl.connectable(url), future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # foreign keys are off by default in SQLite
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
            cur.close()
            # We say when a transaction begins (below), not the driver, which begins only at the
            # first write and so lets two importers read the same last revision.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):
            # A writer takes SQLite's write lock at BEGIN (waiting up to busy_timeout for another
            # writer): what it reads is then what it writes on. Readers begin a plain snapshot.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("xxgk_write") else "BEGIN")
    _create_schema(engine)
    return engine


def _create_schema(engine: Engine) -> None:
    """Tables, indexes and columns, made by one process at a time: several importers starting on a
    new store would otherwise create the same table twice (an error on both databases)."""
    have = inspect(engine)
    if all(have.has_table(t) for t in metadata.tables) and not _missing_columns(have) and \
            {i.name for i in reports_t.indexes} <= {i["name"] for i in have.get_indexes(reports_t.name)}:
        return
    with engine.execution_options(**WRITE).begin() as conn:   # SQLite: BEGIN IMMEDIATE
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(conn)
        for index in reports_t.indexes:   # stores made before the index existed get it too
            index.create(conn, checkfirst=True)
        for col in _missing_columns(inspect(conn)):
            conn.execute(text(f"ALTER TABLE agencies ADD COLUMN {CreateColumn(col).compile(dialect=conn.dialect)}"))


def _missing_columns(have) -> list[Column]:
    """Stores made before an agency field existed get its column, with its default (agencies.rollup)."""
    names = {c["name"] for c in have.get_columns("agencies")} if have.has_table("agencies") else set()
    return [c for c in agencies_t.columns if c.name not in names]


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _is_deadlock(exc: OperationalError) -> bool:
    # PostgreSQL aborts one of two transactions that wait for each other (40P01) or cannot be
    # serialised (40001); running it again is the documented remedy.
    return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001")


def _insert_ignoring_existing(conn, table: Table, rows: list[dict]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING; returns how many rows were new."""
    if not rows:
        return 0
    dialect = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    return conn.execute(dialect(table).on_conflict_do_nothing(), rows).rowcount


def _bulk_insert(conn, table: Table, rows: list[dict]) -> None:
    """Many rows at once: COPY on PostgreSQL (several times faster than INSERT for the two
    million cells of 10 000 reports), the driver's executemany on SQLite (SQLAlchemy's own
    parameter handling costs as much as the inserts)."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                             [tuple(row[n] for n in names) for row in rows])
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    with conn.connection.driver_connection.cursor() as cur:
        with cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@lru_cache(maxsize=1 << 16)
def _cell_from_row(state: str, value: str | None, kind: str) -> Cell:
    """The Cell of a stored row. Cells are immutable, so equal rows share one (most are 0 or blank):
    hundreds of reports load without building 200 000 objects."""
    if state != schema.NUMBER:
        return Cell(state)
    return Cell(schema.NUMBER, Decimal(value) if kind == schema.AMOUNT else int(value))


def driver_rows(conn, query) -> list[tuple]:
    """The rows of a SELECT through the database driver's own cursor: plain tuples. SQLAlchemy's Row
    objects cost several times more for the hundreds of thousands of cells of a roll-up. Only for
    queries whose parameters are numbers or checked ids (they are rendered into the SQL)."""
    sql = str(query.compile(conn.engine, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


@cache
def _kind(layout: str, table: str, row: str, col: str) -> str:
    return schema.field_of(layout, table, row, col).kind


class Store:
    def __init__(self, url: str | None = None):
        self.url = resolve_db(url)
        self.engine = _engine(self.url)
        self.writer = self.engine.execution_options(**WRITE)

    # -- agencies --------------------------------------------------------------------------------
    def agencies(self) -> list[Agency]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(agencies_t).order_by(agencies_t.c.id)).mappings().all()
        return [Agency(**dict(r)) for r in rows]

    def tree(self):
        from .tree import AgencyTree
        return AgencyTree(self.agencies())

    def agency(self, agency_id: str) -> Agency | None:
        check_agency_id(agency_id)
        with self.engine.connect() as conn:
            row = conn.execute(select(agencies_t).where(agencies_t.c.id == agency_id)).mappings().first()
        return Agency(**dict(row)) if row else None

    def require_agency(self, agency_id: str, where: str = "") -> Agency:
        """The stored agency, or an XxgkError suggesting the closest ids (unknown_agency)."""
        agency = self.agency(check_agency_id(agency_id, where))
        if agency is None:
            raise XxgkError(unknown_agency(agency_id, self.agencies(), where))
        return agency

    def upsert_agencies(self, agencies: Iterable[Agency], conn=None) -> int:
        """Insert or update agency records (from params/agencies.yaml or the template's sheet).
        Only new or changed records are written: on PostgreSQL an update locks the row, and every
        import passes all declared agencies. Refused, changing nothing, if the parents would then
        form a cycle (a unit its own parent, or A above B above A): every way a parent is set goes
        through here."""
        if conn is None:
            with self._write() as c:
                return self.upsert_agencies(agencies, c)
        wanted = {a.id: a.as_dict() for a in agencies}
        stored = {}
        for ids in _chunks(sorted(wanted)):
            rows = conn.execute(select(agencies_t).where(agencies_t.c.id.in_(ids))).mappings().all()
            stored.update((r["id"], dict(r)) for r in rows)
        new = [wanted[i] for i in sorted(wanted) if i not in stored]
        changed = sorted(i for i in wanted if i in stored and stored[i] != wanted[i])
        _insert_ignoring_existing(conn, agencies_t, new)
        for i in changed:
            conn.execute(update(agencies_t).where(agencies_t.c.id == i).values(**wanted[i]))
        if new or changed:
            refuse_cycles(dict(conn.execute(select(agencies_t.c.id, agencies_t.c.parent_id)).all()))
        return len(wanted)

    @contextmanager
    def _write(self):
        """A write transaction. On PostgreSQL one that was aborted as a deadlock is the caller's
        to rerun (see save_reports); on SQLite BEGIN IMMEDIATE serialises writers."""
        with self.writer.begin() as conn:
            yield conn

    # -- reports ---------------------------------------------------------------------------------
    def save_reports(self, reports: list[Report], *, source: str = "", sha256: str = "",
                     replace: bool = False, agencies: Iterable[Agency] = ()) -> list[SaveResult]:
        """Store reports in one transaction: on any error nothing changes. Replacing a stored report
        with one whose file carries no (or not all) narrative (`Report.narrative_complete` False)
        keeps the stored text of the sections it leaves out.

        Concurrent imports: the agencies of the reports are locked (SELECT ... FOR UPDATE on
        PostgreSQL, the write lock on SQLite) before their revisions are read, so two imports of
        the same agency-year run one after the other: the second sees the first's revision and
        adds the next one (with replace) or is refused. Locks are taken in id order; a deadlock
        PostgreSQL breaks anyway (agency records updated in another order) reruns the transaction.
        Bulk: a few statements for any number of reports (cells by COPY on PostgreSQL)."""
        reports = list(reports)
        agencies = list(agencies)
        seen = set()
        for rep in reports:
            check_agency_id(rep.agency, source)
            if (rep.agency, rep.year) in seen:
                raise XxgkError(f"{source}: 文件中 {rep.agency} {rep.year} 年的数据出现两次 (two reports for the same agency-year)")
            seen.add((rep.agency, rep.year))
        for attempt in range(RETRIES):
            try:
                with self._write() as conn:
                    return self._save(conn, reports, agencies, source, sha256, replace)
            except OperationalError as exc:
                if not _is_deadlock(exc) or attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _save(self, conn, reports: list[Report], agencies: list[Agency], source: str, sha256: str,
              replace: bool) -> list[SaveResult]:
        self.upsert_agencies(agencies, conn)
        ids = sorted({rep.agency for rep in reports})
        known = set()
        for chunk in _chunks(ids):
            known.update(conn.execute(select(agencies_t.c.id).where(agencies_t.c.id.in_(chunk))).scalars())
        # An agency the file names but nobody declared gets a minimal record (unless another
        # import has just made one).
        created = {i for i in ids if i not in known
                   and _insert_ignoring_existing(conn, agencies_t, [Agency(i, i).as_dict()])}
        revisions: dict[tuple[str, int], tuple[int, int | None, int | None]] = {}
        for chunk in _chunks(ids):
            # The lock that makes concurrent imports of one agency take turns (no-op on SQLite,
            # whose whole database is locked for writing by now).
            conn.execute(select(agencies_t.c.id).where(agencies_t.c.id.in_(chunk))
                         .order_by(agencies_t.c.id).with_for_update()).all()
            rows = conn.execute(select(reports_t.c.agency_id, reports_t.c.year, reports_t.c.id,
                                       reports_t.c.revision, reports_t.c.current)
                                .where(reports_t.c.agency_id.in_(chunk)))
            for agency, year, rid, revision, current in rows:
                last, cur_id, cur_rev = revisions.get((agency, year), (0, None, None))
                if current:
                    cur_id, cur_rev = rid, revision
                revisions[(agency, year)] = (max(last, revision), cur_id, cur_rev)
        before = [revisions.get((rep.agency, rep.year), (0, None, None)) for rep in reports]
        for rep, (_, cur_id, cur_rev) in zip(reports, before):
            if cur_id is not None and not replace:
                raise ExistingDataError(
                    f"{source + ': ' if source else ''}{rep.agency} {rep.year} 年已有数据（第 {cur_rev} 版）。"
                    f"要替换请加 --replace，旧版本会保留 (data exists; use --replace, the old revision is kept)")
        for chunk in _chunks([cur_id for _, cur_id, _ in before if cur_id is not None]):
            conn.execute(update(reports_t).where(reports_t.c.id.in_(chunk)).values(current=0))
        # A file without (all of) the narrative keeps the replaced revision's text of what it leaves out.
        old_text: dict[int, dict[str, str]] = {}
        for chunk in _chunks([cur_id for rep, (_, cur_id, _) in zip(reports, before)
                              if cur_id is not None and not rep.narrative_complete]):
            for rid, section, body in conn.execute(select(narratives_t.c.report_id, narratives_t.c.section,
                                                          narratives_t.c.text).where(narratives_t.c.report_id.in_(chunk))):
                old_text.setdefault(rid, {})[section] = body
        kept = [{k: v for k, v in old_text.get(cur_id, {}).items() if not (rep.narrative.get(k) or "").strip()}
                for rep, (_, cur_id, _) in zip(reports, before)]
        reports = [replace_fields(rep, narrative={**{k: v for k, v in rep.narrative.items() if v is not None}, **keep})
                   for rep, keep in zip(reports, kept)]
        now = _now()
        heads = [dict(agency_id=rep.agency, year=rep.year, revision=last + 1, current=1, layout=rep.layout,
                      source=source, fingerprint=rep.fingerprint(), created_at=now)
                 for rep, (last, _, _) in zip(reports, before)]
        report_ids = [row[0] for row in conn.execute(
            reports_t.insert().returning(reports_t.c.id, sort_by_parameter_order=True), heads)] if heads else []
        cell_rows, nar_rows, log_rows, results = [], [], [], []
        for rep, head, rid, (_, cur_id, _), keep in zip(reports, heads, report_ids, before, kept):
            cells = [dict(report_id=rid, tbl=t, row_key=r, col_key=c, state=cell.state,
                          value=cell.text() if cell.state == schema.NUMBER else None)
                     for (t, r, c), cell in rep.cells.items()]
            nars = [dict(report_id=rid, section=k, text=v) for k, v in rep.narrative.items() if v is not None]
            cell_rows += cells
            nar_rows += nars
            log_rows.append(dict(source=source, sha256=sha256, imported_at=now, agency_id=rep.agency,
                                 year=rep.year, revision=head["revision"], cells=len(cells), sections=len(nars)))
            results.append(SaveResult(rep.agency, rep.year, head["revision"], len(cells), len(nars),
                                      rep.agency in created, cur_id is not None, len(keep), rep))
        _bulk_insert(conn, cells_t, cell_rows)
        _bulk_insert(conn, narratives_t, nar_rows)
        if log_rows:
            conn.execute(import_log_t.insert(), log_rows)
        return results

    def load_report(self, agency: str, year: int, revision: int | None = None) -> Report | None:
        """The current revision (or a given one) of an agency-year, or None."""
        check_agency_id(agency)
        cond = [reports_t.c.agency_id == agency, reports_t.c.year == int(year)]
        cond.append(reports_t.c.revision == revision if revision else reports_t.c.current == 1)
        with self.engine.connect() as conn:
            head = conn.execute(select(reports_t).where(*cond)).mappings().first()
            if not head:
                return None
            cells = conn.execute(select(cells_t).where(cells_t.c.report_id == head["id"])).mappings().all()
            nars = conn.execute(select(narratives_t).where(narratives_t.c.report_id == head["id"])).mappings().all()
        rep = Report(agency, int(year), head["layout"], source=head["source"])
        for c in cells:
            kind = _kind(rep.layout, c["tbl"], c["row_key"], c["col_key"])
            rep.cells[(c["tbl"], c["row_key"], c["col_key"])] = _cell_from_row(c["state"], c["value"], kind)
        rep.narrative = {n["section"]: n["text"] for n in nars}
        return rep

    def load_reports(self, agencies: Iterable[str] | None = None,
                     years: Iterable[int] | None = None) -> dict[tuple[str, int], Report]:
        """The current reports of many agency-years in a few queries (roll-ups read hundreds):
        {(agency, year): Report}, optionally only these agencies / years."""
        cond = [reports_t.c.current == 1]
        wanted = None if agencies is None else {check_agency_id(a) for a in agencies}
        if years is not None:
            cond.append(reports_t.c.year.in_(sorted({int(y) for y in years})))
        head_q = select(reports_t.c.id, reports_t.c.agency_id, reports_t.c.year, reports_t.c.layout,
                        reports_t.c.source).where(*cond)
        with self.engine.connect() as conn:
            by_id = {rid: Report(a, int(y), layout, source=source)
                     for rid, a, y, layout, source in conn.execute(head_q) if wanted is None or a in wanted}
            ids = sorted(by_id)
            for i in range(0, len(ids), 500):   # bounded IN lists (SQLite's variable limit)
                chunk = ids[i:i + 500]
                q = select(cells_t.c.report_id, cells_t.c.tbl, cells_t.c.row_key, cells_t.c.col_key,
                           cells_t.c.state, cells_t.c.value).where(cells_t.c.report_id.in_(chunk))
                for rid, t, r, c, state, value in driver_rows(conn, q):
                    rep = by_id[rid]
                    rep.cells[(t, r, c)] = _cell_from_row(state, value, _kind(rep.layout, t, r, c))
                q = select(narratives_t.c.report_id, narratives_t.c.section, narratives_t.c.text).where(
                    narratives_t.c.report_id.in_(chunk))
                for rid, section, body in conn.execute(q):
                    by_id[rid].narrative[section] = body
        return {(r.agency, r.year): r for r in by_id.values()}

    def report_keys(self, agency: str | None = None, year: int | None = None) -> list[tuple[str, int]]:
        """(agency, year) of every current report, sorted, optionally filtered."""
        q = select(reports_t.c.agency_id, reports_t.c.year).where(reports_t.c.current == 1)
        if agency:
            q = q.where(reports_t.c.agency_id == check_agency_id(agency))
        if year:
            q = q.where(reports_t.c.year == int(year))
        with self.engine.connect() as conn:
            return [(a, y) for a, y in conn.execute(q.order_by(reports_t.c.agency_id, reports_t.c.year))]

    def years(self, agency: str) -> list[int]:
        return [y for _, y in self.report_keys(agency)]

    def fingerprints(self) -> dict[tuple[str, int], str]:
        """Fingerprint of every current report, in one query (for incremental sweeps)."""
        q = select(reports_t.c.agency_id, reports_t.c.year, reports_t.c.fingerprint).where(reports_t.c.current == 1)
        with self.engine.connect() as conn:
            return {(a, y): f for a, y, f in conn.execute(q)}

    def changed_on(self, agency: str | None = None, year: int | None = None) -> dict[tuple[str, int], _dt.date]:
        """The day each current report's data last changed: when the revision was stored that
        began the final run of revisions with the current fingerprint (importing the same data
        again changes nothing). In one query; optionally for one agency and year."""
        q = select(reports_t.c.agency_id, reports_t.c.year, reports_t.c.fingerprint, reports_t.c.created_at)
        if agency:
            q = q.where(reports_t.c.agency_id == check_agency_id(agency))
        if year:
            q = q.where(reports_t.c.year == int(year))
        out: dict[tuple[str, int], tuple[str, str]] = {}   # (agency, year) -> (fingerprint, since)
        with self.engine.connect() as conn:
            for a, y, fp, created in conn.execute(q.order_by(reports_t.c.agency_id, reports_t.c.year,
                                                               reports_t.c.revision)):
                prev = out.get((a, y))
                out[(a, y)] = (fp, prev[1] if prev and prev[0] == fp else created)
        return {k: _dt.date.fromisoformat(since[:10]) for k, (_, since) in out.items()}

    def revisions(self, agency: str, year: int) -> list[dict]:
        """Every stored revision of an agency-year, oldest first (revision, current, source,
        created_at, fingerprint): what `xxgk import --replace` kept. Part of the store's reading side
        for users working in Python (load an older one with load_report(..., revision=n)); no
        command prints it."""
        q = (select(reports_t.c.revision, reports_t.c.current, reports_t.c.source, reports_t.c.created_at,
                    reports_t.c.fingerprint)
             .where(reports_t.c.agency_id == check_agency_id(agency), reports_t.c.year == int(year))
             .order_by(reports_t.c.revision))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def import_log(self) -> list[dict]:
        """Every save in order (source file, its sha256, when, agency, year, revision, numbers of
        cells and sections): the audit trail of imports, for users working in Python; no command
        prints it."""
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(import_log_t).order_by(import_log_t.c.id)).mappings()]
