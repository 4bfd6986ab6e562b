"""Matching label texts of published reports against the labels of `helpers.format.schema`.

Reports break labels over lines, put spaces inside them ("(三) 不予 公开", "商业 企业"), mix half-
and full-width brackets, write "1、" for "1." and "第二十条 第（一）项". Labels are compared by their
*core*: NFKC, no whitespace, no punctuation or brackets, no leading enumerator ("一、", "（二）", "1.";
the forms are `schema.ENUMERATOR`).
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from ..format import schema

_NOISE = re.compile(r"[\W_]+", re.UNICODE)
_MD = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|>\s*)")


def flat(text: str | None) -> str:
    """NFKC without any whitespace (keeps punctuation)."""
    if not text:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text.replace("\xa0", " ")))


@lru_cache(maxsize=8192)
def core(text: str | None, *, keep_enumerator: bool = False) -> str:
    """Comparable form of a label: no spaces, punctuation, brackets or (by default) enumerator."""
    t = unicodedata.normalize("NFKC", (text or "").replace("\xa0", " "))
    t = _MD.sub("", t)
    if not keep_enumerator:
        t = schema.strip_enumerator(t)
    return _NOISE.sub("", t)


def same(text: str | None, label: str) -> bool:
    """Whether `text` is `label` written another way (same core, not empty): the exact match of best_match."""
    return core(text) == core(label) != ""


def best_match(text: str | None, labels: dict[str, str], *, min_prefix: int = 4,
               prefix: bool = True) -> str | None:
    """The key in `labels` (key -> label) whose label `text` is: exact core match first, then a
    unique prefix either way (labels cut short or run on), of at least `min_prefix` characters."""
    c = core(text)
    if not c:
        return None
    exact = [k for k, lab in labels.items() if same(text, lab)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    if not prefix or len(c) < min_prefix:
        return None
    pref = [k for k, lab in labels.items()
            if (cl := core(lab)) and len(cl) >= min_prefix and (cl.startswith(c) or c.startswith(cl))]
    return pref[0] if len(pref) == 1 else None


def after_prefix(text: str, label: str) -> str | None:
    """The rest of `text` after a leading `label` written any way ("（三）不予 公开1.属于…"), else None."""
    want = core(label, keep_enumerator=True)
    t = unicodedata.normalize("NFKC", text or "")
    got = ""
    for i, ch in enumerate(t):
        if _NOISE.fullmatch(ch) or ch.isspace():
            continue
        got += ch
        if not want.startswith(got):
            return None
        if got == want:
            return t[i + 1:]
    return None


# --- the label maps of the tables, shared by the table readers ---------------------------------
@cache
def t2_row_labels() -> dict[str, str]:
    """'key#n' -> label over both versions (规范性文件 / 行政规范性文件 both name normative_docs)."""
    alias: dict[str, list[str]] = {}
    for v in ("2021", "2019"):
        for r in schema.table("t2", v).rows:
            alias.setdefault(r.key, [])
            if r.label not in alias[r.key]:
                alias[r.key].append(r.label)
    return {f"{k}#{i}": lab for k, labs in alias.items() for i, lab in enumerate(labs)}


@cache
def t3_row_labels() -> dict[str, str]:
    """row key -> label, 2021 rows and the 2019 single （六）其他处理."""
    out = {r.key: r.label for r in schema.table("t3", "2021").rows}
    out[schema.T3_OTHER_ROW_2019] = schema.table("t3", "2019").row(schema.T3_OTHER_ROW_2019).label
    return out


@cache
def t3_group_labels() -> tuple[str, ...]:
    """三、本年度办理结果 first, then （三）…（六）."""
    out: list[str] = []
    for r in schema.table("t3", "2021").rows:
        for g in r.groups:
            if g not in out:
                out.append(g)
    return tuple(out)
