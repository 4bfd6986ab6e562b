"""A clearly labelled synthetic set of agencies and reports (`xxgk synth`, the demo, benchmarks).

N agencies: the first is a district government (示例市示例区人民政府), the others its street offices
(示例市示例区第3街道办事处), so that sweeps by --parent can be tried. Ids are `<prefix>-0001` … Every
name and narrative begins with 示例 so nobody takes them for real reports. The numbers come from
helpers.synth.series (every hard rule holds; 上年结转 = last year's 结转下年度), seeded per agency so a
set is the same for the same seed, whatever N.

    agencies(n, prefix) -> [Agency]; reports(agencies, years, seed) -> [Report]
    synthesize(store, n=, years=, seed=, prefix=, replace=) stores the set (`xxgk synth`, `xxgk demo`)
"""
from __future__ import annotations

import random

from ..errors import XxgkError
from ..format.ids import check_agency_id
from ..format.schema import Agency

MARK = "【示例数据，非真实报告 (synthetic demo data)】"


def agency_id(prefix: str, i: int) -> str:
    return check_agency_id(f"{prefix}-{i:04d}", "--prefix")


def agencies(n: int, prefix: str = "demo") -> list[Agency]:
    out = []
    parent = agency_id(prefix, 1)
    for i in range(1, n + 1):
        if i == 1:
            out.append(Agency(parent, "示例市示例区人民政府", "区", None, "示例省示例市示例区",
                              "示例市示例区示例大道1号", "000000", "0000-00000001"))
        else:
            out.append(Agency(agency_id(prefix, i), f"示例市示例区第{i}街道办事处", "街道", parent,
                              "示例省示例市示例区", f"示例市示例区示例路{i}号", "000000", f"0000-{i:08d}"))
    return out


def labelled_narrative(narrative: dict[str, str]) -> dict[str, str]:
    """Mark every section as synthetic text (the mark has no digits: narrative checks stay clean)."""
    return {k: f"{MARK}{v}" for k, v in narrative.items()}


def reports(agency_list: list[Agency], years: range | list[int], seed: int = 0) -> list:
    from .series import consistent_series

    out = []
    for a in agency_list:
        rng = random.Random(f"xxgk-synth:{seed}:{a.id}")
        # District governments get more requests than street offices.
        scale = rng.randint(2, 3) if a.level == "区" else rng.randint(0, 2)
        for rep in consistent_series(rng, a.id, list(years), scale=scale):
            rep.narrative = labelled_narrative(rep.narrative)
            rep.source = f"synthetic seed={seed}"
            out.append(rep)
    return out


def synthesize(store, *, n: int, years, seed: int = 0, prefix: str = "demo", replace: bool = False) -> dict:
    """Store the set in one transaction; reports already stored with the same data are left alone."""
    if n < 1:
        raise XxgkError("--agencies 应至少为 1 (need at least one agency)")
    agency_list = agencies(n, prefix)
    reps = reports(agency_list, sorted(years), seed)
    stored = store.fingerprints()
    new = [r for r in reps if stored.get((r.agency, r.year)) != r.fingerprint()]
    clash = [r for r in new if (r.agency, r.year) in stored]
    if clash and not replace:
        first = clash[0]
        raise XxgkError(f"{first.agency} {first.year} 年已有不同的数据（共 {len(clash)} 份）；要替换请加 --replace"
                        f" (different data exists; use --replace)")
    store.save_reports(new, source=f"xxgk synth seed={seed}", replace=replace, agencies=agency_list)
    return {"agencies": len(agency_list), "reports": len(reps), "stored": len(new), "unchanged": len(reps) - len(new)}
