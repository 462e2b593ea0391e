"""Article pages: one per article, its text with every mention and evidence span marked.

``article/<hash>.html`` shows the article as the extractor read it (its paragraphs, with the
page layout's column breaks joined), under its headline, date, publisher and page file. Every
mention links to its entity's focused view; every evidence span is highlighted, anchored
``#ev-<start>-<end>`` (the offsets of the RDF's ``kgi:evidence/<page>/<start>-<end>``) and
footnoted with the relations it states, listed below with links to both ends' views. A link
to ``…#ev-<start>-<end>`` opens the page with that span highlighted (assets/article.js).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kg.export.views import page
from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE, ViewIndex, span_anchor, type_rank
from kg.export.views.escape import display_text, h
from kg.model import Article, Evidence, FileResult, Relation

if TYPE_CHECKING:
    from kg.corpus import Corpus

#: How each kind of paragraph is set.
_PARAGRAPH_TAG = {
    "headline": ("p", "hl"),
    "heading": ("h3", "sub"),
    "caption": ("p", "caption"),
    "body": ("p", ""),
}


def _ids(pairs: Sequence[tuple[Evidence, list[Relation]]]) -> dict[tuple[int, int], list[int]]:
    """Evidence span → the numbers (1-based) of the relations it states, in list order."""
    out: dict[tuple[int, int], list[int]] = {}
    n = 0
    for ev, rels in pairs:
        out[(ev.start, ev.end)] = list(range(n + 1, n + len(rels) + 1))
        n += len(rels)
    return out


def _paragraphs(a: Article, text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """The article's paragraphs as (kind, source pieces); the slice split at blank lines when the
    article has no paragraph structure."""
    if a.paragraphs:
        return [(p.kind, list(p.pieces)) for p in a.paragraphs]
    out: list[tuple[str, list[tuple[int, int]]]] = []
    pos = a.start
    for line in text[a.start : a.end].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append(("body", [(s, e)]))
    return out


def article_text_html(ix: ViewIndex, aid: str, root: str) -> str:
    """The article's text as HTML: paragraphs, mentions as links to their entities' views,
    evidence spans highlighted (``mark.ev``, anchored at their start) and footnoted.

    One sweep over the text: it is cut at every span's ends, so each segment lies wholly
    inside or outside each span, and the spans open at a segment are kept in a running list
    (linear in the article, however many spans it holds)."""
    a = ix.corpus.articles[aid]
    text = ix.corpus.texts[a.source]
    evidence = ix.evidence_in.get(aid, [])
    footnotes = _ids(evidence)
    ev_spans = sorted(footnotes)
    mentions = ix.mentions_in.get(aid, [])  # sorted by start
    m_starts = [m[0] for m in mentions]
    cuts = sorted({x for s, e in ev_spans for x in (s, e)} | {x for s, e, _ in mentions for x in (s, e)})
    starting: dict[int, list[str]] = {}  # position → anchors of the spans that start there
    for s_, e_ in ev_spans:
        starting.setdefault(s_, []).append(span_anchor(s_, e_))
    for s_, e_ in sorted({(m[0], m[1]) for m in mentions}):
        starting.setdefault(s_, []).append(span_anchor(s_, e_, "m"))
    ending: dict[int, list[int]] = {}  # position → footnotes of the evidence spans that end there
    for s_, e_ in ev_spans:
        ending.setdefault(e_, []).extend(footnotes[(s_, e_)])
    active_ev: list[tuple[int, int]] = []
    active_m: list[tuple[int, int, str]] = []
    next_ev = next_m = 0
    paragraphs = _paragraphs(a, text)
    out: list[str] = [""] * len(paragraphs)
    # swept in the file's order (a headline printed after its body comes first on the page)
    for i in sorted(range(len(paragraphs)), key=lambda k: paragraphs[k][1][0] if paragraphs[k][1] else 0):
        kind, pieces = paragraphs[i]
        tag, cls = _PARAGRAPH_TAG.get(kind, ("p", ""))
        parts: list[str] = []
        open_link: tuple[int, int, str] | None = None  # the mention whose <a> is open
        for ps, pe in pieces:
            k = bisect_left(cuts, ps + 1)
            bounds = [ps]
            while k < len(cuts) and cuts[k] < pe:
                bounds.append(cuts[k])
                k += 1
            bounds.append(pe)
            for x, y in itertools.pairwise(bounds):
                if x >= y:
                    continue
                while next_ev < len(ev_spans) and ev_spans[next_ev][0] <= x:
                    active_ev.append(ev_spans[next_ev])
                    next_ev += 1
                while next_m < len(mentions) and mentions[next_m][0] <= x:
                    active_m.append(mentions[next_m])
                    next_m += 1
                active_ev = [sp for sp in active_ev if sp[1] > x]
                active_m = [m for m in active_m if m[1] > x]
                parts += [f'<span class="anchor" id="{anchor}"></span>' for anchor in starting.pop(x, ())]
                # the longest mention is the link; every entity named there is in its title
                link = max(
                    active_m, key=lambda m: (m[1] - m[0], -type_rank(m[2].partition(":")[0])), default=None
                )
                if open_link is not None and link != open_link:
                    parts.append("</a>")
                    open_link = None
                if link is not None and open_link is None:
                    # every entity named within the link (长子县应急管理局: the body and the county)
                    inside = mentions[bisect_left(m_starts, link[0]) : bisect_left(m_starts, link[1])]
                    named = dict.fromkeys(m[2] for m in [link, *inside] if m[1] <= link[1])
                    title = " · ".join(f"{ix.entity(e).name} ({e.partition(':')[0]})" for e in named)
                    t = type_rank(link[2].partition(":")[0])
                    parts.append(
                        f'<a class="m t{t}" href="{h(root + ix.pages[link[2]])}" title="{h(title)}" '
                        f'data-entity="{h(ix.entity(link[2]).name)}">'
                    )
                    open_link = link
                seg = h(text[x:y])
                if active_ev:
                    spans = " ".join(f"{s_}-{e_}" for s_, e_ in active_ev)
                    parts.append(f'<mark class="ev" data-ev="{spans}">{seg}</mark>')
                else:
                    parts.append(seg)
                notes = ending.pop(y, None) if any(e_ == y for _s, e_ in active_ev) else None
                if notes:
                    if open_link is not None:
                        parts.append("</a>")
                        open_link = None
                    refs = ",".join(f'<a href="#rel-{n}">{n}</a>' for n in notes)
                    parts.append(f'<sup class="fn">{refs}</sup>')
        if open_link is not None:
            parts.append("</a>")
        attr = f' class="{cls}"' if cls else ""
        out[i] = f"<{tag}{attr}>{''.join(parts)}</{tag}>"
    return "\n".join(out)


def _relations_html(ix: ViewIndex, aid: str, root: str) -> str:
    evidence = ix.evidence_in.get(aid, [])
    if not evidence:
        return ""
    items = []
    n = 0
    for ev, rels in evidence:
        for r in rels:
            n += 1
            s, o = ix.entity(r.s), ix.entity(r.o)
            zh = PREDICATE_STYLE.get(r.p, (r.p, ""))[0]
            items.append(
                f'<li id="rel-{n}" data-ev="{ev.start}-{ev.end}">'
                f'<a class="ent" href="{h(root + ix.pages[r.s])}">{h(s.name)}</a> '
                f'<span class="pred">{h(r.p)} {h(zh)}</span> '
                f'<a class="ent" href="{h(root + ix.pages[r.o])}">{h(o.name)}</a> '
                f'<a class="back" href="#{span_anchor(ev.start, ev.end)}" title="the sentence 原句">↑ '
                f"<q>{h(display_text(ev.text))}</q></a></li>"
            )
    return (
        f'<section class="stated"><h2>Relations stated here 本文所述关系 <small>{n}</small></h2>'
        f'<ol class="stated">{"".join(items)}</ol></section>'
    )


def _facts(ix: ViewIndex, a: Article) -> str:
    rows = [
        ("Date 日期", a.date or "unknown 未知"),
        ("Publisher 来源", a.publisher or "unknown 未知"),
        ("Page file 版面文件", a.source),
        ("Article 文章", f"{a.id} ({a.kind})"),
    ]
    if a.bylines:
        rows.append(("Bylines 署名", "、".join(a.bylines)))
    others = [x for x in a.headlines if x and x != a.headline]
    if others:
        rows.append(("Headlines 标题", " / ".join(display_text(x) for x in others)))
    return '<dl class="facts">' + "".join(f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in rows) + "</dl>"


def render_article(ix: ViewIndex, aid: str, target: str | None = None) -> str:
    """article/<hash>.html for one article; ``target`` (``ev-<start>-<end>``) is the span to show
    when the page is opened without a fragment (the notebook's inline form)."""
    root = "../"
    a = ix.corpus.articles[aid]
    headline = display_text(a.headline) if a.headline else a.id
    mentions = ix.mentions_in.get(aid, [])
    legend = "".join(
        f'<span class="chip"><span class="glyph t{type_rank(t)}">{h(TYPE_STYLE[t][3])}</span>{h(t)} '
        f"{h(TYPE_STYLE[t][0])}</span>"
        for t in TYPE_STYLE
        if any(m[2].partition(":")[0] == t for m in mentions)
    )
    n_ev = len(ix.evidence_in.get(aid, []))
    at = f' data-target="{h(target)}"' if target else ""
    body = (
        f'<main class="article" data-article="{h(aid)}"{at}>\n'
        f"<h1>{h(headline)}</h1>\n{_facts(ix, a)}\n"
        f'<p class="legend">Names link to their views 名称链接到专页: {legend} · '
        f'<mark class="ev">highlighted</mark> {n_ev} evidence sentence{"s" if n_ev != 1 else ""} 证据句'
        f"（上标：所述关系）</p>\n"
        f'<article class="text" lang="zh-CN">\n{article_text_html(ix, aid, root)}\n</article>\n'
        f"{_relations_html(ix, aid, root)}\n</main>"
    )
    return page.render(
        h(headline),
        body,
        root=root,
        scripts=("assets/article.js",),
        page_class="article-page",
    )


def page_articles(r: FileResult, corpus: Corpus | None = None) -> dict[str, bytes]:
    """The article pages of one page, from its result alone (``article/<hash>.html`` → bytes):
    what :func:`kg.export.views.write_views` writes for its articles from the whole corpus
    (see :meth:`ViewIndex.of_page`). ``kg build`` renders them where the page is extracted
    and writes them as the page comes back, so the corpus it merges holds no page text.
    ``corpus``: the page's result merged alone (``Corpus.from_results([r])``), when the
    caller has it already."""
    from kg.corpus import Corpus

    ix = ViewIndex.of_page(corpus if corpus is not None else Corpus.from_results([r]))
    return {rel: render_article(ix, aid).encode("utf-8") for aid, rel in ix.article_pages.items()}


def article_page_html(ix: ViewIndex, aid: str, target: str | None = None) -> str | None:
    """An article's page: rendered from the corpus's page text, or read from the build folder
    the index was given (a graph opened with kg.load holds no page texts); None without either."""
    a = ix.corpus.articles.get(aid)
    if a is None or aid not in ix.article_pages:
        return None
    if a.source in ix.corpus.texts:
        return render_article(ix, aid, target)
    if ix.folder is None:
        return None
    try:
        html = (ix.folder / ix.article_pages[aid]).read_text(encoding="utf-8")
    except OSError:
        return None
    if target:  # the page as written, told which span to show (the anchor is ASCII: ev-1-2)
        html = html.replace('<main class="article" ', f'<main data-target="{h(target)}" class="article" ', 1)
    return html


def locate(corpus: Corpus, ref: str | Evidence) -> tuple[str, str | None]:
    """The article and span (``ev-<start>-<end>``, or None for a whole article) that ``ref``
    names: an :class:`Evidence`, an evidence IRI (``kgi:evidence/<page>/<start>-<end>``, as
    SPARQL results print it, compacted or not), an article id (``<page>#<n>``), an article IRI,
    or a link into a build folder (``article/<hash>.html#ev-…``). KeyError when it names none."""
    from urllib.parse import unquote

    from kg.export.views.data import article_filename

    if isinstance(ref, Evidence):
        return ref.article, span_anchor(ref.start, ref.end)
    text = ref.strip().strip("<>")
    m = _EVIDENCE_IRI.search(text)
    if m:
        page, start, end = unquote(m.group(1)), int(m.group(2)), int(m.group(3))
        # the article whose paragraphs hold the span (a caption lies inside another's range:
        # without paragraphs, as read back from RDF, the narrowest article holding it)
        held = [
            a
            for a in corpus.articles.values()
            if a.source == page
            and any(
                s <= start < e for s, e in ([(x.start, x.end) for x in a.paragraphs] or [(a.start, a.end)])
            )
        ]
        if held:
            return min(held, key=lambda a: (a.end - a.start, a.index)).id, span_anchor(start, end)
        raise KeyError(f"no article of page {page!r} holds the span {start}-{end}")
    m = _ARTICLE_IRI.search(text)
    if m:
        text = unquote(m.group(1))
    if text in corpus.articles:
        return text, None
    m = _ARTICLE_HREF.search(text)
    if m:
        pages = {article_filename(aid): aid for aid in corpus.articles}
        aid = pages.get(m.group(1))
        if aid is not None:
            return aid, m.group(2)
    raise KeyError(f"{ref!r} names no article or evidence span of this graph")


_EVIDENCE_IRI = re.compile(r"evidence/([^/\s]+)/(\d+)-(\d+)$")
_ARTICLE_IRI = re.compile(r"(?:^|/)article/([^/\s]+%23\d+)$")
_ARTICLE_HREF = re.compile(r"(article/[0-9a-f]{16}\.html)(?:#(ev-\d+-\d+))?$")
