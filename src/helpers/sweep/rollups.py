"""The roll-ups of a sweep: every agency with units below it whose subtree the sweep covers, for
each year swept, rendered after the reports (render_rollup) and only when its input key (every
unit's data, records and narrative files, the roll-up notebook's static fingerprint, the mode)
changed or its files are missing. Outcomes are kept in the manifest's `rollups` section.

They run one after the other in the sweep's own process, which has the rendering code preloaded;
a failing roll-up is recorded and the sweep goes on.
"""
from __future__ import annotations

import sys
import time

from ..errors import XxgkError
from ..render import pipeline
from .manifest import FAILED, RENDERED, SKIPPED, now


def planned(tree, pairs, opts=None) -> list[tuple[str, int]]:
    """(parent, year) of the roll-ups a sweep over `pairs` covers: parents within the sweep's
    selection (--parent and below, --agencies, else all) with a unit below that has a report of
    the year among `pairs`."""
    by_year: dict[int, set[str]] = {}
    for a, y in pairs:
        by_year.setdefault(y, set()).add(a)
    parents = tree.with_units()
    if opts is not None and opts.parent:
        scope = {opts.parent, *tree.below(opts.parent)}
        parents = [p for p in parents if p in scope]
    elif opts is not None and opts.agencies:
        parents = [p for p in parents if p in set(opts.agencies)]
    out = []
    for parent in parents:
        below = set(tree.below(parent))
        for year in sorted(by_year):
            if below & by_year[year]:
                out.append((parent, year))
    return out


def entry_id(parent: str, year: int) -> str:
    return f"{int(year)}/{parent}"


def render_rollups(sweep, store, pairs) -> None:
    from ..rollup.context import input_key

    from ..render.folder import ROLLUP_FILES, rollup_path

    opts, manifest = sweep.opts, sweep.manifest
    render = opts.render
    tree = store.tree()
    files = [ROLLUP_FILES[k] for k in ("ipynb", "html", "rollup")] + ([ROLLUP_FILES["pdf"]] if render.pdf else [])
    for parent, year in planned(tree, pairs, opts):
        key = input_key(store, parent, year, render.mode.value, tree)
        prev = manifest.rollups.get(entry_id(parent, year))
        folder = rollup_path(sweep.out, parent, year)
        if (not opts.force and prev and prev.get("result") == RENDERED and prev.get("input_key") == key
                and prev.get("pdf") == render.pdf and all((folder / f).is_file() for f in files)):
            prev["status"] = SKIPPED
            sweep.result.rollups_skipped += 1
            continue
        t0 = time.perf_counter()
        entry = {"parent": parent, "year": year, "input_key": key, "mode": render.mode.value, "pdf": render.pdf,
                 "finished_at": None}
        try:
            summary = pipeline.render_rollup(parent, year, out_dir=sweep.out, db=sweep.db_url, options=render)
            entry.update(status=RENDERED, result=RENDERED, counts=summary["counts"])
            sweep.result.rollups_rendered += 1
        except XxgkError as exc:
            entry.update(status=FAILED, result=FAILED, error=str(exc))
            sweep.result.rollups_failed += 1
            print(f"汇总失败 (roll-up failed) {year} {parent}: {exc}", file=sys.stderr)
        entry.update(duration=round(time.perf_counter() - t0, 3), finished_at=now())
        manifest.rollups[entry_id(parent, year)] = entry
        manifest.save()
