"""resolve.html: from an IRI of the dataset (a SPARQL result) to its place in the views.

``resolve.html#<IRI>`` (or the IRI pasted into its box) opens what the IRI names: an evidence
span ``kgi:evidence/<page>/<start>-<end>`` opens its article's page at the span, highlighted;
a mention ``kgi:mention/…`` likewise; an article ``kgi:article/<page>%23<n>`` its page; an
entity (``kgi:place/…``, a vocabulary concept ``haz:…``) its focused view. IRIs may be full,
compacted with the predeclared prefixes (as ``kg query`` prints them), percent-encoded or not.
Everything offline: the page carries the table it needs (assets/resolve.js).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from kg.export.views import page
from kg.export.views.data import ViewIndex
from kg.namespace import PREFIXES

#: the prefixes an IRI from a result may be compacted with
_PREFIXES = ("kgi", "kgv", "ind", "ven", "haz", "mea")


def resolve_data(ix: ViewIndex) -> dict[str, Any]:
    """What resolve.js needs: prefixes, each page's articles (start, end, page href, index, the
    spans of its paragraphs: a caption's article lies inside another's range) and each entity's
    IRI (decoded) with its view."""
    from kg.export.rdf.iri import entity_iri

    pages: dict[str, list[list[Any]]] = {}
    for aid, rel in ix.article_pages.items():
        a = ix.corpus.articles[aid]
        paras = [[s, e] for s, e in ix.corpus.paragraph_spans(aid)] or [[a.start, a.end]]
        pages.setdefault(a.source, []).append([a.start, a.end, rel, a.index, paras])
    for rows in pages.values():
        rows.sort()
    return {
        "prefixes": {p: PREFIXES[p] for p in _PREFIXES},
        "base": PREFIXES["kgi"],
        "pages": dict(sorted(pages.items())),
        "entities": {unquote(entity_iri(e)): ix.pages[e.id] for e in ix.entities},
    }


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
