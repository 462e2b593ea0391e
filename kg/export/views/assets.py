"""Files under OUT/assets/: vis-network (copied from the installed pyvis), our script and styles.

Nothing is fetched: vis-network 9.1.2 ships inside the pyvis package
(``pyvis/lib/vis-9.1.2``); it is copied next to the pages once and shared by all
of them (inlining 470 KB into every focused view would multiply the output).
Our own stylesheet and scripts live in ``kg/export/views/assets/``; ``theme.css`` is
generated from the type and predicate colours so that the legend, the tables and
the network use one palette.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from kg.errors import DataError
from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE
from kg.model import ENTITY_TYPES, PREDICATES

#: Our own files, copied verbatim from the folder kg/export/views/assets/ (a data folder next to
#: this module, read through importlib.resources; it is not a Python package).
OWN_ASSETS = ("views.css", "views.js", "index.js", "tables.js", "article.js", "inline.js", "resolve.js")

LICENSES = """Third-party files in this folder

vis-network.min.js, vis-network.min.css
  vis-network 9.1.2, https://github.com/visjs/vis-network
  (c) 2011-2017 Almende B.V.; (c) 2017-2019 visjs contributors
  Dual licensed under the Apache License 2.0 and the MIT License (either may be chosen).
  Copied unchanged from the pyvis package (pyvis/lib/vis-9.1.2; pyvis is BSD-3-Clause).

views.js, index.js, tables.js, article.js, inline.js, resolve.js, views.css, theme.css
  Written for safety-kg (MIT).
"""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path.name))


def vis_network_dir() -> Path:
    """The newest vis-network copy inside the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib"
    candidates = sorted(
        (
            d
            for d in lib.glob("vis-*")
            if (d / "vis-network.min.js").is_file() and (d / "vis-network.css").is_file()
        ),
        key=_version_key,
    )
    if not candidates:
        raise DataError(
            f"pyvis at {lib.parent} has no bundled vis-network (lib/vis-*/vis-network.min.js); "
            "reinstall pyvis>=0.3.2"
        )
    return candidates[-1]


def theme_css() -> str:
    """Colours of types and predicates as CSS classes (t0…, p0…), in model order."""
    lines = ["/* generated from kg.views.data: type and predicate colours */"]
    for i, t in enumerate(ENTITY_TYPES):
        lines.append(f".t{i}{{color:{TYPE_STYLE[t][1]}}}")
    for i, p in enumerate(PREDICATES):
        lines.append(f".line.p{i}{{background:{PREDICATE_STYLE[p][1]}}}")
    return "\n".join(lines) + "\n"


def asset_files() -> dict[str, bytes]:
    """Every file of OUT/assets/ by name, in a fixed order."""
    vis = vis_network_dir()
    files: dict[str, bytes] = {
        "vis-network.min.js": (vis / "vis-network.min.js").read_bytes(),
        "vis-network.min.css": (vis / "vis-network.css").read_bytes(),
    }
    pkg = resources.files("kg.export.views") / "assets"
    for name in OWN_ASSETS:
        files[name] = (pkg / name).read_bytes()
    files["theme.css"] = theme_css().encode("utf-8")
    files["LICENSES.txt"] = LICENSES.encode("utf-8")
    return files
