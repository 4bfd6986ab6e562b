"""`xxgk agencies`: list the agencies in the store (and sync params/agencies.yaml into it)."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("agencies", help="列出机构 (list agencies)",
                       description="列出数据库中的机构及其年度；--sync 先载入 params/agencies.yaml")
    p.add_argument("--sync", action="store_true", help="载入 params/agencies.yaml (load declared agencies)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..store import Store
    from ..store.declarations import load_agencies

    store = Store(args.db)
    if args.sync:
        n = store.upsert_agencies(load_agencies())
        print(f"已载入 {n} 个机构 (synced {n} agencies)")
    years: dict[str, list[int]] = {}
    for a, y in store.report_keys():
        years.setdefault(a, []).append(y)
    for a in store.agencies():
        ys = ",".join(map(str, years.get(a.id, []))) or "-"
        print(f"{a.id}\t{a.name}\t{a.level or '-'}\t{a.parent_id or '-'}\t{ys}")
    return 0
