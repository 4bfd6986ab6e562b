"""`xxgk synth --agencies N --years A-B`: store a labelled synthetic set (for demos and tests)."""
from __future__ import annotations

HELP = """生成示例数据：N 个示例机构（名称以“示例”开头，标识如 demo-0003），第一个为区政府，其余为其下属街道；
各年度数据内部一致，并逐年结转（上年结转 = 上一年度结转下年度）；正文标明为示例。同一 seed 结果相同。
已有且相同的数据跳过；不同时需 --replace。所有数据在一个事务中写入。
(store N synthetic agencies with consistent, carried-over reports; deterministic for a seed)"""


def register(sub) -> None:
    p = sub.add_parser("synth", help="生成示例数据 (synthetic demo data)", description=HELP)
    p.add_argument("--agencies", type=int, required=True, metavar="N", help="机构数 (number of agencies)")
    p.add_argument("--years", required=True, metavar="A-B", help="年度范围，如 2021-2024 (years)")
    p.add_argument("--seed", type=int, default=0, help="随机种子 (seed; default 0)")
    p.add_argument("--prefix", default="demo", metavar="ID", help="机构标识前缀 (id prefix; default demo)")
    p.add_argument("--replace", action="store_true", help="替换不同的已有数据 (replace differing existing data)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import XxgkError
    from ..store import Store
    from ..sweep.plan import parse_years
    from ..synth.dataset import synthesize

    years = parse_years(args.years)
    if not years:
        raise XxgkError("--years 不能为空 (no years)")
    res = synthesize(Store(args.db), n=args.agencies, years=years, seed=args.seed, prefix=args.prefix,
                     replace=args.replace)
    print(f"示例机构 {res['agencies']} 个，报告 {res['reports']} 份：新写入 {res['stored']} 份，"
          f"未变 {res['unchanged']} 份 (synthetic agencies, reports stored, unchanged)")
    return 0
