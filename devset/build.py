#!/usr/bin/env python3
"""Compile the hand-written annotation files ann/*.ann into gold.jsonl.

Format of an .ann file (one page per file):
  FILE <name>.txt
  HOME <home city>
  E <Type> <canonical name> [| alias1 ; alias2 ...]
  R <subject> <predicate> <object> | <evidence substring>
Lines starting with # and blank lines are ignored.
"""
import glob, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))

def parse(path):
    d = {"file": None, "home": None, "entities": [], "relations": []}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        tag, _, rest = line.partition(" ")
        if tag == "FILE":
            d["file"] = rest.strip()
        elif tag == "HOME":
            d["home"] = rest.strip()
        elif tag == "E":
            head, _, al = rest.partition("|")
            typ, _, name = head.strip().partition(" ")
            aliases = [a.strip() for a in al.split(";") if a.strip()]
            d["entities"].append({"type": typ, "name": name.strip(), "aliases": aliases})
        elif tag == "R":
            head, sep, ev = rest.partition("|")
            if not sep:
                sys.exit(f"{path}:{n}: relation without evidence")
            parts = head.split()
            if len(parts) != 3:
                sys.exit(f"{path}:{n}: relation head must be 's p o': {head!r}")
            s, p, o = parts
            d["relations"].append({"s": s, "p": p, "o": o, "evidence": ev.strip()})
        else:
            sys.exit(f"{path}:{n}: unknown tag {tag!r}")
    return d

def main():
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "ann", "*.ann"))):
        out.append(parse(path))
    with open(os.path.join(HERE, "gold.jsonl"), "w", encoding="utf-8") as f:
        for d in out:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} lines to gold.jsonl")

if __name__ == "__main__":
    main()
