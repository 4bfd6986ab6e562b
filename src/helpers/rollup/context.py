"""Everything one roll-up notebook reads, gathered once: parameters, the units and their status,
the aggregate, the league table, the totals over the years, the input key and provenance.

The notebook calls `validate` (what papermill passed) and `load`; the command and the sweep use
`input_key` to tell whether a roll-up must be rendered again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from .. import frames
from ..config import resolve_db
from ..errors import XxgkError
from ..format import derived
from ..format.ids import check_agency_id, check_year
from ..render import provenance
from ..render.folder import ROLLUP_ALL
from ..report.context import ModeView
from ..report.mode import Mode
from . import aggregate as agg_mod
from . import league
from . import status as st

MODES = tuple(m.value for m in Mode)


@dataclass(frozen=True)
class Parameters:
    parent: str | None
    year: int
    db: str
    mode: str



def check_parameters(parent, year, db=None, mode=Mode.PUBLISH) -> Parameters:
    if parent in (None, ""):
        parent = None
    elif isinstance(parent, bool) or not isinstance(parent, (str, int)):
        raise XxgkError(f"参数 parent 应为机构标识（文本）或 None，读到的是 {parent!r} (parent must be a string)")
    else:
        parent = check_agency_id(str(parent).strip(), "参数 parent")
    year = check_year(year, "参数 year")
    if mode not in MODES:
        raise XxgkError(f"参数 mode 只能是 {' 或 '.join(MODES)}，读到的是 {mode!r} (mode must be publish or draft)")
    return Parameters(parent, year, resolve_db(db), Mode(mode).value)


def _store(params, store=None):
    from ..store import Store
    return store or Store(params.db)


def validate(parent, year, db=None, mode=Mode.PUBLISH, store=None) -> Parameters:
    """The parameters are well-formed and the parent is known and has units."""
    params = check_parameters(parent, year, db, mode)
    tree = _store(params, store).tree()
    if params.parent is not None:
        if params.parent not in tree.by_id:
            raise XxgkError(f"未知机构 {params.parent!r}：数据库中没有这个机构 (unknown agency)")
        if not tree.units(params.parent):
            raise XxgkError(f"{tree.by_id[params.parent].name}（{params.parent}）没有下级单位 (no units below it)；"
                            f"用 xxgk agencies --sync 载入机构的上级关系 (parent_id)")
    elif not tree.by_id:
        raise XxgkError("数据库中没有机构 (no agencies stored)")
    return params


@dataclass
class RollupContext(ModeView):
    params: Parameters
    parent: object | None                     # store.Agency
    title: str
    units: list[str]                          # direct units (added up, compared)
    statuses: list[st.UnitStatus]             # every unit below (any depth)
    aggregate: agg_mod.Aggregate
    own: object | None                        # the parent's own stored report of the year
    differences: list = field(default_factory=list)
    league: pd.DataFrame | None = None
    outliers: pd.DataFrame | None = None
    totals: pd.DataFrame | None = None        # year -> the units' summed counts
    layouts: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    @property
    def is_rollup_parent(self) -> bool:
        return bool(self.parent is not None and self.parent.rollup)

    def summary(self) -> dict:
        """rollup.json without its file list: each unit's status and finding counts."""
        return {"parent": self.params.parent, "year": self.year, "mode": self.mode,
                "counts": st.counts(self.statuses), "units_added": [u.agency for u in self.aggregate.units],
                "missing": self.aggregate.missing, "computed": self.aggregate.computed,
                "differences": len(self.differences),
                "units": [u.as_dict() for u in self.statuses]}


def subtree(tree, parent: str | None) -> list[str]:
    return ([parent] if parent else []) + tree.below(parent)


def input_key(store, parent: str | None, year: int, mode: str, tree=None, fingerprints=None) -> str:
    """Hash of everything a roll-up reads: every agency below the parent (records, data of the
    year and the years before, narrative files of the year), the parent's own, the notebook's
    static fingerprint and the mode. Equal keys mean the same outputs."""
    tree = tree or store.tree()
    ids = subtree(tree, parent)
    wanted = set(ids)
    fingerprints = store.fingerprints() if fingerprints is None else fingerprints
    fps = {f"{a}/{y}": fp for (a, y), fp in fingerprints.items() if a in wanted and y <= year}
    record = {
        "parent": parent, "year": int(year), "mode": mode,
        "agencies": {a: tree.by_id[a].as_dict() for a in ids},
        "data": dict(sorted(fps.items())),
        "narrative_files": {a: provenance.narrative_file_hash(a, year) for a in ids},
        "static": provenance.static_fingerprint(provenance.ROLLUP_NOTEBOOK),
    }
    return provenance.sha256_bytes(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode())


def _totals(indicators: pd.DataFrame, units: list[str], year: int) -> pd.DataFrame:
    """The units' counts summed per stored year up to `year` (units that reported that year)."""
    counts = [k for k, ind in derived.INDICATORS.items() if not ind.is_ratio]
    rows = indicators[indicators["agency"].isin(units) & (indicators["year"] <= year)]
    return rows.groupby("year")[counts].sum().sort_index()


def load(params: Parameters, store=None) -> RollupContext:
    from .page import title_text

    store = _store(params, store)
    tree = store.tree()
    fingerprints = store.fingerprints()
    parent = tree.by_id.get(params.parent) if params.parent else None
    below = tree.below(params.parent)
    reports = store.load_reports(subtree(tree, params.parent), years=[params.year, params.year - 1])
    agg = agg_mod.aggregate(params.parent, params.year, tree, reports)
    statuses = st.statuses(params.parent, params.year, tree, reports, computed=agg.computed,
                           fingerprints=fingerprints)
    own = reports.get((params.parent, params.year)) if params.parent else None
    units = tree.units(params.parent)
    ind = frames.indicators(store, agencies=units) if units else None
    ctx = RollupContext(params, parent, title_text(parent, params.year), units, statuses, agg, own,
                        differences=agg_mod.differences(own, agg) if agg.units else [],
                        layouts={a: r.layout for (a, y), r in reports.items() if y == params.year},
                        names={a: tree.by_id[a].name for a in below})
    if ind is not None and len(ind):
        this_year = ind[ind["year"] == params.year]
        ctx.league = league.league_table(this_year, units)
        ctx.outliers = league.outliers(ctx.league)
        ctx.totals = _totals(ind, units, params.year)
    key = input_key(store, params.parent, params.year, params.mode, tree, fingerprints)
    ctx.provenance = provenance.provenance_record(
        agency=params.parent or ROLLUP_ALL, year=params.year, mode=params.mode, allow_errors=True,
        data_fingerprint=agg.report.fingerprint() if agg.report is not None else "", key=key,
        layout=agg.report.layout if agg.report is not None else "", title=ctx.title,
        notebook=provenance.ROLLUP_NOTEBOOK, kind="rollup")
    return ctx
