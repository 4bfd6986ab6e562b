"""A clearly labelled synthetic set of agencies and reports (`xxgk synth`, the demo, benchmarks).

N agencies: the first is a district government (示例市示例区人民政府), the others its street offices
(示例市示例区第3街道办事处), so that sweeps by --parent can be tried. Ids are `<prefix>-0001` … Every
name and narrative begins with 示例 so nobody takes them for real reports. The numbers come from
helpers.synth.series (every hard rule holds; 上年结转 = last year's 结转下年度), seeded per agency so a
set is the same for the same seed, whatever N.
"""
from __future__ import annotations

import random

from ..format.ids import check_agency_id
from ..store import Agency

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
