"""The tree of agencies (`parent_id`): units below an agency, and the declarations that cannot form one.

    AgencyTree(agencies).units(id)        direct units, in natural order (street-9 before street-10)
    AgencyTree(agencies).below(id)        every agency below (any depth), depth first, in that order
    check_tree(declared, known=())        refuse cycles and unknown parents, naming the ids
    refuse_cycles(parents)                refuse cycles (the store, whenever a parent is set)
"""
from __future__ import annotations

from ..errors import InputError
from ..format.ids import natural_key


class AgencyTree:
    def __init__(self, agencies):
        self.by_id = {a.id: a for a in agencies}
        self.children: dict[str | None, list[str]] = {}
        for a in sorted(self.by_id.values(), key=lambda a: natural_key(a.id)):
            parent = a.parent_id if a.parent_id in self.by_id else None
            self.children.setdefault(parent, []).append(a.id)

    def units(self, parent: str | None) -> list[str]:
        """Direct units of `parent`; with None the agencies at the top (no parent in the tree)."""
        return list(self.children.get(parent, []))

    def below(self, parent: str | None) -> list[str]:
        """Every agency below `parent` (any depth), depth first; None: every agency."""
        out, todo, seen = [], list(reversed(self.units(parent))), {parent}
        while todo:
            cur = todo.pop()
            if cur in seen:        # a cycle in data written before the checks existed
                continue
            seen.add(cur)
            out.append(cur)
            todo.extend(reversed(self.units(cur)))
        return out

    def with_units(self) -> list[str]:
        """Agencies that have at least one unit."""
        return sorted(p for p in self.children if p is not None)

    def depth(self, agency: str) -> int:
        d, cur, seen = 0, self.by_id[agency].parent_id, {agency}
        while cur in self.by_id and cur not in seen:
            seen.add(cur)
            d += 1
            cur = self.by_id[cur].parent_id
        return d


def find_cycles(parents: dict[str, str | None]) -> list[list[str]]:
    """Each cycle of the parent relation once, as the ids along it (starting from the smallest)."""
    cycles, done = [], set()
    for start in sorted(parents):
        path, cur = [], start
        while cur is not None and cur in parents and cur not in done and cur not in path:
            path.append(cur)
            cur = parents[cur]
        if cur in path:
            cycle = path[path.index(cur):]
            i = cycle.index(min(cycle))
            cycles.append(cycle[i:] + cycle[:i])
        done.update(path)
    return cycles


def check_tree(declared, known=(), where: str = "") -> None:
    """Refuse declarations whose parents are unknown (neither declared nor already stored) or that
    form a cycle; duplicate ids are refused where they are read (declarations.load_agencies)."""
    parents = {a.id: a.parent_id for a in known}
    parents.update({a.id: a.parent_id for a in declared})
    unknown = sorted({f"{a.id} → {a.parent_id}" for a in declared if a.parent_id and a.parent_id not in parents})
    if unknown:
        raise InputError(f"上级机构不存在 (unknown parent)：{'；'.join(unknown)}", file=where)
    refuse_cycles(parents, where)


def refuse_cycles(parents: dict[str, str | None], where: str = "") -> None:
    """InputError naming each cycle of the parent relation (check --rollup would compare a unit
    with itself, a roll-up would never end), and the file the parents were read from, if any."""
    cycles = find_cycles(parents)
    if cycles:
        text = "；".join(" → ".join(c + [c[0]]) for c in cycles)
        raise InputError(f"机构的上级关系成环（含以自己为上级），未作任何改动：{text}"
                         f" (parent_id forms a cycle; nothing was changed)", file=where)
