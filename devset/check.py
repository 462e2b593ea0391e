#!/usr/bin/env python3
"""Validate a gold JSONL file against its pages and GUIDELINES.md.

Usage: python3 check.py [gold.jsonl] [page_dir]
Checks, per line:
  - required keys; file exists; home is a Place entity of the line
  - entity types are known; names non-empty; no duplicate (type, name);
    no name or alias claimed by two entities of the same type; aliases non-empty
  - every relation: predicate known; s and o are canonical entity names of the line;
    subject/object types valid for the predicate; evidence non-empty and a verbatim
    substring of the page; no duplicate (s, p, o); partnersWith listed once per pair;
    no self-relations
  - warnings: entities that appear in no relation, Places (other than provinces)
    without a locatedIn.
Exit code 1 if any error.
"""
import json, os, sys
from collections import Counter

TYPES = {"Place", "Organization", "Industry", "Venue", "Hazard", "Campaign",
         "Mechanism", "Measure", "Document", "Person"}
PRED = {
    "locatedIn":    ({"Place", "Organization"}, {"Place"}),
    "implements":   ({"Place", "Organization"}, {"Campaign"}),
    "adopts":       ({"Place", "Organization"}, {"Mechanism"}),
    "targets":      ({"Place", "Organization", "Campaign"}, {"Industry", "Venue", "Hazard"}),
    "takesMeasure": ({"Place", "Organization"}, {"Measure"}),
    "issues":       ({"Organization"}, {"Document"}),
    "organizes":    ({"Organization"}, {"Campaign"}),
    "partnersWith": ({"Organization"}, {"Organization"}),
    "holdsPost":    ({"Person"}, {"Organization"}),
}

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    gold = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "gold.jsonl")
    pages = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(gold))
    errors, warnings = [], []
    tot_e, tot_r = Counter(), Counter()
    seen_files = set()
    with open(gold, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    for ln, line in enumerate(lines, 1):
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {ln}: bad JSON: {e}")
            continue
        where = f"line {ln}"
        for k in ("file", "home", "entities", "relations"):
            if k not in d:
                errors.append(f"{where}: missing key {k!r}")
        if any(k not in d for k in ("file", "entities", "relations")):
            continue
        fn = d["file"]
        where = f"line {ln} ({fn})"
        if fn in seen_files:
            errors.append(f"{where}: file listed twice")
        seen_files.add(fn)
        path = os.path.join(pages, fn)
        if not os.path.exists(path):
            errors.append(f"{where}: page not found at {path}")
            text = None
        else:
            text = open(path, encoding="utf-8").read()
        ents = {}
        names_by_type = {}
        for e in d["entities"]:
            t, n = e.get("type"), e.get("name")
            if t not in TYPES:
                errors.append(f"{where}: unknown entity type {t!r} for {n!r}")
            if not n or not n.strip() or n != n.strip():
                errors.append(f"{where}: empty or padded entity name {n!r}")
                continue
            if (t, n) in ents:
                errors.append(f"{where}: duplicate entity ({t}, {n})")
            ents[(t, n)] = e
            tot_e[t] += 1
            als = e.get("aliases", [])
            if not isinstance(als, list):
                errors.append(f"{where}: aliases of {n!r} not a list")
                als = []
            for a in als:
                if not a or not a.strip():
                    errors.append(f"{where}: empty alias on {n!r}")
                if a == n:
                    errors.append(f"{where}: alias equals name on {n!r}")
            for label in [n] + als:
                owner = names_by_type.setdefault(t, {}).get(label)
                if owner is not None and owner != n:
                    errors.append(f"{where}: {t} label {label!r} claimed by both {owner!r} and {n!r}")
                names_by_type[t][label] = n
        name_types = {}
        for (t, n) in ents:
            name_types.setdefault(n, set()).add(t)
        if "home" in d and "Place" not in name_types.get(d["home"], set()):
            errors.append(f"{where}: home {d['home']!r} is not a Place entity of the line")
        seen_rel, pairs = set(), set()
        used = set()
        located = set()
        for r in d["relations"]:
            s, p, o, ev = r.get("s"), r.get("p"), r.get("o"), r.get("evidence")
            tag = f"{where}: [{s} {p} {o}]"
            if p not in PRED:
                errors.append(f"{tag}: unknown predicate")
                continue
            st, ot = name_types.get(s), name_types.get(o)
            if not st:
                errors.append(f"{tag}: subject is not an entity name of this line")
            if not ot:
                errors.append(f"{tag}: object is not an entity name of this line")
            if st and ot:
                dom, rng = PRED[p]
                if not (st & dom):
                    errors.append(f"{tag}: subject type {sorted(st)} not in domain {sorted(dom)}")
                if not (ot & rng):
                    errors.append(f"{tag}: object type {sorted(ot)} not in range {sorted(rng)}")
            if s == o:
                errors.append(f"{tag}: self relation")
            if not ev or not ev.strip():
                errors.append(f"{tag}: empty evidence")
            elif text is not None and ev not in text:
                errors.append(f"{tag}: evidence not in page: {ev!r}")
            if (s, p, o) in seen_rel:
                errors.append(f"{tag}: duplicate relation")
            seen_rel.add((s, p, o))
            if p == "partnersWith":
                key = frozenset((s, o))
                if key in pairs:
                    errors.append(f"{tag}: partnersWith pair listed twice")
                pairs.add(key)
            if p == "locatedIn":
                located.add(s)
            used.add(s); used.add(o)
            tot_r[p] += 1
        for (t, n) in ents:
            if n not in used:
                warnings.append(f"{where}: entity ({t}, {n}) is in no relation")
            if t == "Place" and n not in located and not n.endswith(("省", "自治区")):
                warnings.append(f"{where}: Place {n!r} has no locatedIn")
        print(f"{fn}: {len(d['entities'])} entities, {len(d['relations'])} relations")
    print(f"\ntotal: {sum(tot_e.values())} entities, {sum(tot_r.values())} relations in {len(lines)} lines")
    print("entities by type: " + ", ".join(f"{k} {v}" for k, v in sorted(tot_e.items())))
    print("relations by predicate: " + ", ".join(f"{k} {v}" for k, v in sorted(tot_r.items())))
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"\n{len(errors)} errors, {len(warnings)} warnings")
    sys.exit(1 if errors else 0)

if __name__ == "__main__":
    main()
