"""resolve.html: from an IRI of the dataset (a SPARQL result) to its place in the views.

``resolve.html#<IRI>`` (or the IRI pasted into its box) opens what the IRI names: an evidence
span ``kgi:evidence/<page>/<start>-<end>`` opens its article's page at the span, highlighted;
a mention ``kgi:mention/…`` likewise; an article ``kgi:article/<page>%23<n>`` its page; an
entity (``kgi:place/…``, a vocabulary concept ``haz:…``) its focused view. IRIs may be full,
compacted with the predeclared prefixes (as ``kg query`` prints them), percent-encoded or not.
Everything offline.

The page stays small whatever the corpus (100,000 entities and more): the table from IRI to
page is split into shards ``resolve/<hex>.js`` by the CRC-32 of a key (an entity's decoded
IRI; for evidence, mentions and articles their page's name), and assets/resolve.js loads the
one shard an IRI needs with a script element (``fetch`` of a local file is blocked on
file://). The number of shards grows with the corpus (:func:`shard_digits`), so a shard holds
about ``SHARD_KEYS`` keys at most.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from kg.export.views import page
from kg.export.views.data import ViewIndex
from kg.export.views.escape import json_for_script
from kg.namespace import PREFIXES

#: the prefixes an IRI from a result may be compacted with
_PREFIXES = ("kgi", "kgv", "ind", "ven", "haz", "mea")

#: The folder of the shards (resolve/<hex>.js) and the most keys a shard should hold.
DATA_DIR = "resolve"
SHARD_KEYS = 1000


def shard_digits(keys: int) -> int:
    """Hex digits of a shard's name: 16**digits shards of at most ``SHARD_KEYS`` keys on
    average (0: one shard, ``resolve/0.js``)."""
    digits = 0
    while keys > SHARD_KEYS * 16**digits:
        digits += 1
    return digits


def shard_of(key: str, digits: int) -> str:
    """The shard of a key: its CRC-32 (of the UTF-8 bytes) modulo 16**digits, in hex
    (assets/resolve.js computes the same)."""
    return format(zlib.crc32(key.encode("utf-8")) % 16**digits, f"0{max(1, digits)}x")


def shard_path(name: str) -> str:
    """A shard's file, relative to resolve.html: ``resolve/3f.js``."""
    return f"{DATA_DIR}/{name}.js"


def resolve_tables(ix: ViewIndex) -> tuple[dict[str, list[list[Any]]], dict[str, str]]:
    """Each page's articles (start, end, page href, index, the spans of its paragraphs: a
    caption's article lies inside another's range) and each entity's IRI (decoded) with its
    view."""
    from kg.export.rdf.iri import entity_iri

    pages: dict[str, list[list[Any]]] = {}
    for aid, rel in ix.article_pages.items():
        a = ix.corpus.articles[aid]
        paras = [[s, e] for s, e in ix.corpus.paragraph_spans(aid)] or [[a.start, a.end]]
        pages.setdefault(a.source, []).append([a.start, a.end, rel, a.index, paras])
    for rows in pages.values():
        rows.sort()
    entities = {unquote(entity_iri(e)): ix.pages[e.id] for e in ix.entities}
    return dict(sorted(pages.items())), entities


def resolve_data(ix: ViewIndex) -> dict[str, Any]:
    """What resolve.js needs in the page: prefixes, the base of minted IRIs and where the
    shards are (how many hex digits name one)."""
    return {
        "prefixes": {p: PREFIXES[p] for p in _PREFIXES},
        "base": PREFIXES["kgi"],
        "src": DATA_DIR + "/",
        "digits": shard_digits(len(ix.article_pages) + len(ix.entities)),
    }


def resolve_data_files(ix: ViewIndex) -> Iterator[tuple[str, str]]:
    """Every shard as (relative path, text), in name order. A shard is a script that hands
    ``[name, {page: articles}, {IRI: view}]`` to assets/resolve.js, as JSON with ``<``, ``>``,
    ``&``, U+2028/9 escaped (:func:`json_for_script`): text from articles is data, never code.
    Every shard is written, empty or not, so a missing file means a missing folder."""
    pages, entities = resolve_tables(ix)
    digits = shard_digits(len(ix.article_pages) + len(ix.entities))
    shards: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
        format(i, f"0{max(1, digits)}x"): ({}, {}) for i in range(16**digits)
    }
    for source, rows in pages.items():
        shards[shard_of(source, digits)][0][source] = rows
    for iri, href in entities.items():
        shards[shard_of(iri, digits)][1][iri] = href
    for name, (p, e) in shards.items():
        payload = json_for_script([name, p, e])
        head = "/* safety-kg: IRIs of the dataset and their place in the views (assets/resolve.js) */"
        yield shard_path(name), f"{head}\nkgResolve.put({payload});\n"


def render_resolve(ix: ViewIndex) -> str:
    """resolve.html."""
    body = (
        '<main class="resolve">\n<h1>Open an IRI 打开 IRI</h1>\n'
        '<p class="note">Paste an IRI from a query result (<code>kg query</code>, <code>kg serve</code>, a '
        "notebook): an evidence span opens its article at the sentence, an entity its view. "
        "粘贴查询结果中的 IRI：证据打开原文并高亮该句，实体打开其专页。</p>\n"
        '<form id="resolve-form" autocomplete="off"><input type="text" id="iri" size="80" '
        'placeholder="kgi:evidence/004_62080bcc380399cf.txt/1882-1898" aria-label="IRI"> '
        '<button type="submit">Open 打开</button></form>\n'
        '<p id="resolve-msg" class="msg" role="status"></p>\n</main>'
    )
    return page.render(
        "Open an IRI 打开 IRI",
        body,
        root="",
        scripts=("assets/resolve.js",),
        data=resolve_data(ix),
        page_class="resolve-page",
    )
