"""HTML views of a corpus that an analyst opens in a browser, offline.

``write_views(corpus, out_dir)`` writes, all derived from the one Corpus:

- ``index.html``: counts, tables of the main types, places × campaigns and places ×
  industries heat maps, a search over names and aliases;
- ``overview.html``: the whole graph (or its most connected part above
  ``max_overview_nodes``, with a notice) with legend, filters, search and a side panel;
- ``entity/<type>-<hash>.html``: a focused view per entity;
- ``assets/``: vis-network (from pyvis), scripts, styles, licences.

No page requests anything outside its folder. Output is deterministic (the same
corpus gives byte-identical files) and every file is written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from kg.corpus import Corpus

#: Above this many entities the overview draws only the most connected ones.
DEFAULT_MAX_OVERVIEW_NODES = 1500

_PAGE_NAME = re.compile(r"^[a-z]+-[0-9a-f]{16}\.html$")


def write_views(
    corpus: Corpus,
    out_dir: str | Path,
    *,
    max_overview_nodes: int = DEFAULT_MAX_OVERVIEW_NODES,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write index, overview, focused views and assets into ``out_dir``; return the paths written.

    Focused views of entities no longer in the corpus (left by an earlier run) are
    removed, so every page in ``entity/`` belongs to this corpus.
    """
    from kg.output import atomic_writer
    from kg.views.assets import asset_files
    from kg.views.data import ViewIndex
    from kg.views.focus import render_focus
    from kg.views.index import render_index
    from kg.views.overview import render_overview

    if max_overview_nodes < 1:
        raise ValueError("max_overview_nodes must be at least 1")
    out = Path(out_dir)
    written: list[Path] = []

    def put(rel: str, content: str | bytes) -> None:
        path = out / rel
        data = content.encode("utf-8") if isinstance(content, str) else content
        with atomic_writer(path, "wb") as fh:  # files get the umask's mode, like open()
            fh.write(data)
        written.append(path)

    ix = ViewIndex.build(corpus)
    for name, blob in asset_files().items():
        put(f"assets/{name}", blob)
    if progress:
        progress("index.html")
    put("index.html", render_index(ix))
    if progress:
        progress("overview.html")
    put("overview.html", render_overview(ix, max_nodes=max_overview_nodes))
    if progress:
        progress(f"{len(ix.entities)} focused views")
    pages = set()
    for e in ix.entities:
        rel = ix.pages[e.id]
        pages.add(Path(rel).name)
        put(rel, render_focus(ix, e.id))
    entity_dir = out / "entity"
    if entity_dir.is_dir():
        for old in sorted(entity_dir.iterdir()):
            if _PAGE_NAME.match(old.name) and old.name not in pages:
                old.unlink()
    return written


__all__ = ["DEFAULT_MAX_OVERVIEW_NODES", "write_views"]
