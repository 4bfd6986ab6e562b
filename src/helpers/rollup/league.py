"""The units side by side: frames.indicators of the year, sortable in the page, with units far from
their peers marked.

Outlier measure (one sentence, shown under the table): a share is marked when its distance from the
units' median exceeds 3.5 times the median absolute deviation scaled to a standard deviation
(modified z-score, Iglewicz–Hoaglin), which a few extreme units cannot distort the way a mean and
standard deviation would. When more than half the units share one value (MAD = 0) the mean absolute
deviation stands in (× 1.2533, the same scale); with fewer than MIN_PEERS values nothing is marked.
"""
from __future__ import annotations

import pandas as pd

from .. import frames
from ..format import derived

THRESHOLD = 3.5
MIN_PEERS = 5
MAD_SCALE = 0.6745          # MAD of a normal distribution = 0.6745 σ
MEAN_AD_SCALE = 0.7979      # mean absolute deviation of a normal distribution = 0.7979 σ
COLUMNS = ("received", "processed", "substantive_rate", "denied_rate", "unable_rate", "review_total",
           "litigation_total", "review_correction_rate", "yoy")
# Shares compared among peers (counts depend on the size of a unit, shares less so).
COMPARED = tuple(k for k, ind in derived.INDICATORS.items() if ind.is_ratio)
EXPLANATION = (f"底色标出的比率与同级单位的中位数相差超过 {THRESHOLD} 个稳健标准差（用中位数绝对偏差 MAD 估计，"
               f"不受个别极端单位影响；单位少于 {MIN_PEERS} 家时不标）。")


def robust_z(values: pd.Series) -> pd.Series:
    """Modified z-scores of the non-missing values (Float64; <NA> where undefined)."""
    x = values.astype("Float64")
    present = x.dropna()
    out = pd.Series(pd.NA, index=x.index, dtype="Float64")
    if len(present) < MIN_PEERS:
        return out
    med = present.median()
    dev = (present - med).abs()
    mad = dev.median()
    if mad > 0:
        out.loc[present.index] = MAD_SCALE * (present - med) / mad
    else:
        mean_ad = dev.mean()
        if mean_ad > 0:
            out.loc[present.index] = MEAN_AD_SCALE * (present - med) / mean_ad
    return out


def outliers(table: pd.DataFrame) -> pd.DataFrame:
    """Boolean frame (same index) marking the compared shares that are far from their peers."""
    marks = pd.DataFrame(False, index=table.index, columns=list(COMPARED))
    for col in COMPARED:
        z = robust_z(table[col])
        marks[col] = (z.abs() > THRESHOLD).fillna(False).astype(bool)
    return marks


def league_table(indicators: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """One row per unit (in `units`' order; units without a report of the year are left out)."""
    table = indicators.set_index("agency").reindex([u for u in units if u in set(indicators["agency"])])
    return table[["name", *COLUMNS]].reset_index()


def headings() -> dict[str, str]:
    return frames.labels()
