"""One view as a single self-contained page, for notebooks (``KnowledgeGraph.view``).

Notebook front ends render pyvis's output blank when its scripts come from a CDN or a
file next to the notebook, or when their own sanitizer strips scripts. So the page is
made whole: vis-network, our script and styles are inlined, the Content-Security-Policy
keeps forbidding every network request and admits exactly these inline scripts by their
SHA-256 hashes, and the caller isolates it in an ``<iframe srcdoc sandbox>``. Links to
other pages of a build folder cannot resolve inside ``srcdoc``, so they are switched off
(entities stay searchable and clickable in the network and its panel); links to articles (every
quoted sentence) open the article over the view instead, from ``<template>`` elements the page
carries (assets/inline.js), up to :data:`ARTICLES_INLINED` characters of them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import TYPE_CHECKING

from kg.export.views.escape import json_script

if TYPE_CHECKING:
    from pathlib import Path

    from kg.corpus import Corpus
    from kg.export.views.data import ViewIndex

#: Anchors that leave the page would open a dead "about:srcdoc" URL: cancel them.
_NO_NAVIGATION = (
    'document.addEventListener("click",function(e){var a=e.target.closest&&e.target.closest("a[href]");'
    'if(a&&a.getAttribute("href").charAt(0)!=="#"){e.preventDefault();}},true);'
)

_DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
_SCRIPT_RE = re.compile(r'<script src="(?:\.\./)?assets/([\w.-]+)"></script>')
_STYLE_RE = re.compile(r'<link rel="stylesheet" href="(?:\.\./)?assets/([\w.-]+)">')
_CSP_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_HEADER_RE = re.compile(r'<header class="top">.*?</header>\n?', re.S)
_ARTICLE_LINK_RE = re.compile(r"article/[0-9a-f]{16}\.html")
_MAIN_RE = re.compile(r'<main class="article".*?</main>|<main data-target=.*?</main>', re.S)

#: The article pages an inline view carries at most (characters of HTML): a focused view cites
#: a few articles; the overview of a large corpus would otherwise carry the corpus.
ARTICLES_INLINED = 3_000_000


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _script_safe(code: str) -> str:
    """JavaScript source that cannot end or comment out its ``<script>`` element.

    Line ends are normalised as the HTML parser would (CR is a line terminator in
    JavaScript too), so the CSP hash matches what the browser sees.
    """
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def inline(page: str) -> str:
    """A page written by :mod:`kg.export.views` with its assets inlined and outward links disabled."""
    from kg.export.views.assets import asset_files

    assets = {name: blob.decode("utf-8") for name, blob in asset_files().items()}
    scripts: list[str] = []
    styles: list[str] = []

    def script(m: re.Match[str]) -> str:
        code = _script_safe(assets[m.group(1)])
        scripts.append(code)
        return f"<script>{code}</script>"

    def style(m: re.Match[str]) -> str:
        css = assets[m.group(1)].replace("</style", "<\\/style")
        styles.append(css)
        return f"<style>{css}</style>"

    def data(m: re.Match[str]) -> str:
        d = json.loads(m.group(1))
        for ent in d.get("entities", []):
            ent[2] = None  # no page to open: the entity's own view is another notebook call
        if d.get("search"):
            for entry in d["search"]:
                entry[2] = None
        return json_script("kg-data", d)

    page = _DATA_RE.sub(data, page, count=1)
    page = _SCRIPT_RE.sub(script, page)
    page = _STYLE_RE.sub(style, page)
    page = _HEADER_RE.sub("", page, count=1)
    guard = f"<script>{_NO_NAVIGATION}</script>"
    scripts.append(_NO_NAVIGATION)
    page = page.replace("</body>", guard + "\n</body>", 1)
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(_hash(s) for s in scripts)}; "
        f"style-src {' '.join(_hash(s) for s in styles)}; "
        "img-src data:; connect-src 'none'; font-src 'none'; object-src 'none'; media-src 'none'; "
        "frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _CSP_RE.sub(
        lambda _m: f'<meta http-equiv="Content-Security-Policy" content="{csp}">', page, count=1
    )


def article_templates(ix: ViewIndex, page: str, limit: int = ARTICLES_INLINED) -> str:
    """``<template>`` elements holding the article pages that ``page`` links to (their ``<main>``),
    in the order first linked, up to ``limit`` characters."""
    from kg.export.views.article import article_page_html

    by_page = {rel: aid for aid, rel in ix.article_pages.items()}
    out: list[str] = []
    size = 0
    for rel in dict.fromkeys(_ARTICLE_LINK_RE.findall(page)):
        aid = by_page.get(rel)
        html = article_page_html(ix, aid) if aid is not None else None
        m = _MAIN_RE.search(html) if html else None
        if m is None:
            continue
        size += len(m.group(0))
        if size > limit:
            break
        out.append(f'<template class="kg-article" data-page="{rel}">{m.group(0)}</template>\n')
    return "".join(out)


def inline_page(
    corpus: Corpus, entity_id: str | None = None, *, max_nodes: int = 1500, folder: Path | None = None
) -> str:
    """The overview (``entity_id`` None) or one entity's focused view, as one page, with the
    articles it quotes (rendered from the corpus's texts, or read from ``folder``'s pages)."""
    from kg.export.views.data import ViewIndex
    from kg.export.views.focus import render_focus
    from kg.export.views.overview import render_overview

    ix = ViewIndex.build(corpus, folder=folder)
    if entity_id:
        page = render_focus(ix, entity_id)
    else:  # no data files beside a notebook's page: it carries every name for its search
        page = render_overview(ix, max_nodes=max_nodes, embed_search=True)
    templates = article_templates(ix, page)
    if templates:
        page = page.replace("</body>", templates + '<script src="assets/inline.js"></script>\n</body>', 1)
    return inline(page)


def inline_article(ix: ViewIndex, article_id: str, target: str | None = None) -> str | None:
    """One article's page as one page (``target``: the span to show), or None without its text."""
    from kg.export.views.article import article_page_html

    html = article_page_html(ix, article_id, target)
    return inline(html) if html is not None else None


__all__ = ["article_templates", "inline", "inline_article", "inline_page"]
