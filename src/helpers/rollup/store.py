"""`xxgk rollup --store`: the aggregate written as the parent's report of the year.

A new revision (the old ones are kept), its source and the import log naming the units and their
data fingerprints ("rollup of N units: a=…, b=…"). Refused while a unit below has hard errors
(unless allow_errors) and when it would replace figures the parent stored itself (unless replace);
an earlier roll-up is replaced without asking, an identical one is left alone. The parent's
narrative of the current revision is carried over, so its annual report keeps its text.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..checks.findings import is_error
from ..errors import ExistingDataError, XxgkError
from ..store import ROLLUP_SOURCE
from . import aggregate as agg_mod
from . import status as st
from .context import subtree


class UnitErrors(XxgkError):
    """Units below the parent have hard errors: their sum would carry them."""


@dataclass
class Stored:
    parent: str
    year: int
    units: int
    revision: int | None        # None: an identical roll-up was already stored
    fingerprint: str


def store_rollup(store, parent: str, year: int, *, replace: bool = False, allow_errors: bool = False) -> Stored:
    tree = store.tree()
    if parent not in tree.by_id or not tree.units(parent):
        raise XxgkError(f"{parent} 没有下级单位，无法汇总 (no units below it)")
    reports = store.load_reports(subtree(tree, parent), years=[year, year - 1])
    agg = agg_mod.aggregate(parent, year, tree, reports)
    if not agg.units:
        raise XxgkError(f"{tree.by_id[parent].name}（{parent}）的下级单位都没有 {year} 年的数据，无法汇总 (no unit reported)")
    bad = st.blocking(st.statuses(parent, year, tree, reports, computed=agg.computed))
    if bad and not allow_errors:
        lines = "\n".join(f"  {u.name}（{u.agency}）：{u.errors} 个错误（"
                          + "、".join(sorted({f.rule for f in u.findings if is_error(f)})) + "）" for u in bad)
        raise UnitErrors(f"{len(bad)} 个下级单位的数据有错误，汇总数不写入数据库；请先改正，或加 --allow-errors "
                         f"(units have hard errors; --store refused)：\n{lines}")
    own = reports.get((parent, year))
    if own is not None and not own.source.startswith(ROLLUP_SOURCE) and not replace:
        raise ExistingDataError(
            f"{parent} {year} 年已有本机关自己填报的数据（来源：{own.source or '未知'}）；汇总数不会覆盖它，"
            f"要替换请加 --replace，旧版本会保留 (the parent's own figures exist; use --replace)")
    rep = agg.report
    rep.agency = parent
    rep.narrative = dict(own.narrative) if own is not None else {}
    if own is not None and own.source.startswith(ROLLUP_SOURCE) and own.fingerprint() == rep.fingerprint():
        return Stored(parent, year, len(agg.units), None, rep.fingerprint())
    saved = store.save_reports([rep], source=agg.source, sha256=agg.digest, replace=True)[0]
    return Stored(parent, year, len(agg.units), saved.revision, rep.fingerprint())
