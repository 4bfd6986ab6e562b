"""`xxgk agencies`: list the agencies in the store; `--sync [FILE]` loads declarations first."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("agencies", help="列出机构 (list agencies)",
                       description="列出数据库中的机构及其年度；--sync 先载入机构声明文件（默认 params/agencies.yaml）。"
                                   "上级不存在、上级关系成环、标识重复时整个文件被拒绝，并列出相关机构。"
                                   "(list agencies; --sync [FILE] loads declarations, refusing unknown parents, "
                                   "cycles and duplicate ids)")
    p.add_argument("--sync", nargs="?", const="", default=None, metavar="FILE",
                   help="载入机构声明 (load declared agencies; default params/agencies.yaml)")
    p.set_defaults(func=run)


def sync(store, path=None) -> int:
    """Load the declarations of `path` into the store in one transaction; returns how many."""
    from ..store.declarations import load_checked

    declared = load_checked(path, known=store.agencies())
    return store.upsert_agencies(declared)


def run(args) -> int:
    from pathlib import Path

    from ..store import Store

    store = Store(args.db)
    if args.sync is not None:
        n = sync(store, Path(args.sync) if args.sync else None)
        print(f"已载入 {n} 个机构 (synced {n} agencies)")
    years: dict[str, list[int]] = {}
    for a, y in store.report_keys():
        years.setdefault(a, []).append(y)
    for a in store.agencies():
        ys = ",".join(map(str, years.get(a.id, []))) or "-"
        kind = "\t汇总 (rollup)" if a.rollup else ""
        print(f"{a.id}\t{a.name}\t{a.level or '-'}\t{a.parent_id or '-'}\t{ys}{kind}")
    return 0
