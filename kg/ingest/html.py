"""HTML → article text: boilerplate (scripts, menus, breadcrumbs, sidebars, footers…) is
dropped and each block (heading, paragraph, list item, caption, table cell) becomes a
paragraph, paragraphs separated by a blank line. The page's ``<meta>`` give its date and
publisher (:func:`read_html`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.text import rx as _rx

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode


#: Elements dropped with everything in them.
_DROP_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "nav", "aside", "iframe", "frame",
        "frameset", "svg", "math", "object", "embed", "canvas", "video", "audio", "map",
        "select", "button", "input", "textarea", "dialog", "title", "link", "meta",
    }
)  # fmt: skip
#: Elements dropped unless they hold the article (a page-wide ``<form>`` is common).
_SOFT_DROP_TAGS = frozenset({"header", "footer", "form"})
#: Lists, tables and containers dropped when (nearly) all their text is links.
_LINK_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "table", "td", "div", "section"})
#: class/id words that clearly mark boilerplate: navigation, menus, breadcrumbs, ads,
#: comments, share bars, copyright, sidebars, footers (some in pinyin: daohang 导航,
#: weizhi 当前位置, banquan 版权). Whole words of the attribute (split on - _ space and
#: camelCase), or anywhere for the long unambiguous ones.
_BOILERPLATE_WORD = (
    r"(?i)(?:^|[\s_-])(?:nav|navi|menu|menus|submenu|crumb|crumbs|ad|ads|adv|advert|comment|"
    r"comments|share|sharing|social|foot|footer|copyright|banquan|daohang|weizhi|sidebar|"
    r"topbar|toolbar|pagination|related)(?=$|[\s_\d-])"
    r"|breadcrumb|copyright|navbar|navigation|sidebar|advertis|adsbygoogle|sharebar|share-bar"
    r"|bdshare"
)
_CAMEL = r"(?<=[a-z])(?=[A-Z])"
_BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_INDENT = r"[ \t\n]*[\u3000\xa0]{2}"
_SENTENCE_PUNCT = r"[，。；！？、,.;!?]"
_BR = "\x00"  # stands for <br> inside a block (HTML parsing never yields a NUL)
_HTML_SPACE = r"[ \t\n\r\f\xa0]+"
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018\u2019\u201c\u201d\u2026"
_CJK_LINE_BREAK = rf"(?<=[{_CJK}])[ \t\f\xa0]*\n[ \t\n\f\xa0]*(?=[{_CJK}])"


#: Deepest element nesting kept. Real pages nest a few dozen deep; the HTML tree builder
#: looks down the stack of open elements at each block start tag (is a <p> open?), so
#: 200,000 nested <div> cost minutes. Elements past this depth are dropped (their text
#: stays, in the element above them).
_MAX_DEPTH = 512
_TAG = r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^>]*)?>|<!--.*?-->"
#: Elements that hold no others, or that the parser closes by itself when the next one
#: opens (a run of <p> or <li> without end tags is flat, not deep).
_FLAT_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt",
        "rp", "rtc", "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body",
    }
)  # fmt: skip
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"})


def _flatten_deep(html: str, limit: int = _MAX_DEPTH) -> str:
    """*html* with the start and end tags of elements nested deeper than *limit* removed.

    One pass over the tags with a stack of open elements (an end tag closes up to its
    element, as the parser would), so the cost is linear. A page no deeper than *limit*
    comes back unchanged."""
    if html.count("<") <= limit:
        return html
    tag_rx = _rx(_TAG)
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    open_count: dict[str, int] = {}
    kept_depth = 0
    cuts: list[tuple[int, int]] = []
    lower: str | None = None
    pos = 0
    while True:
        m = tag_rx.search(html, pos)
        if m is None:
            break
        pos = m.end()
        name = (m.group(2) or "").lower()
        if not name or name in _FLAT_TAGS or m.group(0).endswith("/>"):
            continue
        if not m.group(1):  # a start tag
            if name in _RAW_TEXT_TAGS:  # its content is text, not tags
                lower = lower if lower is not None else html.lower()
                end = lower.find(f"</{name}", pos)
                pos = len(html) if end < 0 else end
                continue
            keep = kept_depth < limit
            if keep:
                kept_depth += 1
            else:
                cuts.append(m.span())
            stack.append((name, keep))
            open_count[name] = open_count.get(name, 0) + 1
            continue
        if not open_count.get(name):
            continue  # a stray end tag: left to the parser
        while stack:
            top, keep = stack.pop()
            open_count[top] -= 1
            if keep:
                kept_depth -= 1
            if top == name:
                if not keep:
                    cuts.append(m.span())
                break
    if not cuts:
        return html
    cuts.sort()
    out: list[str] = []
    last = 0
    for a, b in cuts:
        out.append(html[last:a])
        last = b
    out.append(html[last:])
    return "".join(out)


@dataclass(frozen=True)
class HtmlPage:
    """What an HTML page holds: its article text, and the date and publisher its metadata name."""

    text: str
    date: str | None = None  # as the page writes it (kg.dates.parse_date reads it)
    publisher: str | None = None


def html_to_text(html: str) -> str:
    """Article text of an HTML page: one paragraph per block, separated by blank lines."""
    return read_html(html).text


def read_html(html: str) -> HtmlPage:
    """An HTML page's article text, date and publisher.

    Linear work: tags nested deeper than any real page are dropped first (the parser is
    quadratic in the depth), CSS queries (in C) flag hidden and boilerplate-named elements, one
    pass measures text and link text per element and finds the article (the element
    holding the most text), a second pass walks the tree, skips boilerplate and cuts
    the text into blocks. The date is the first ``<meta>`` of ``kg/rules/meta.toml``'s
    ``html_date`` that reads as a date (article:published_time, PubDate …), the publisher its
    source (ContentSource) or else its site (og:site_name, SiteName).
    """
    from selectolax.lexbor import LexborHTMLParser  # compiled, but only HTML needs it

    tree = LexborHTMLParser(_flatten_deep(html))
    date, publisher = _meta(tree)
    root = tree.body or tree.root
    if root is None:
        return HtmlPage("", date, publisher)
    hidden = {n.mem_id for n in root.css("[hidden], [aria-hidden=true i]")}
    named = {n.mem_id for n in root.css("[class], [id], [role]") if _named_boilerplate(n)}
    stats, keep = _measure(root, hidden)
    return HtmlPage("\n\n".join(_blocks(root, hidden, named, stats, keep)), date, publisher)


def _meta(tree: LexborHTMLParser) -> tuple[str | None, str | None]:
    """The page's date and publisher from its ``<meta>`` elements (names in lower case)."""
    from kg import rules
    from kg.dates import parse_date

    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        value = _rx(_HTML_SPACE).sub(" ", attrs.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    meta = rules.active().meta
    date = next((found[k] for k in meta.html_date if k in found and parse_date(found[k])), None)
    publisher = None
    for k in (*meta.html_source, *meta.html_site):
        v = found.get(k)
        if v and "://" not in v and not v.startswith("www.") and len(v) <= 60:
            publisher = v
            break
    return date, publisher


def _named_boilerplate(node: LexborNode) -> bool:
    """Whether an element's role, class or id marks it as boilerplate."""
    attrs = node.attributes
    if (attrs.get("role") or "").lower() in _BOILERPLATE_ROLES:
        return True
    words = _rx(_CAMEL).sub(" ", f"{attrs.get('class') or ''} {attrs.get('id') or ''}")
    return _rx(_BOILERPLATE_WORD).search(words) is not None


def _children(node: LexborNode) -> Iterator[LexborNode]:
    """Children of *node*, last first (for a stack-based, document-order walk)."""
    child = node.last_child
    while child is not None:
        yield child
        child = child.prev


_Stats = dict[int, tuple[int, int, int]]


def _measure(root: LexborNode, hidden: set[int]) -> tuple[_Stats, set[int]]:
    """Per element ``(text chars, linked chars, links)``, and the ids of the article path.

    The article is the element to which the most text is credited, text being credited
    to the grandparent of each text node (the container of the paragraphs), with a bonus
    per comma or full stop (prose has them, menus do not); the path is it and its
    ancestors. A boilerplate-looking element on it (a ``<form>`` wrapping an
    ASP.NET page, ``<div class="main with-sidebar">``) holds the article and stays.
    """
    punct = _rx(_SENTENCE_PUNCT)
    stats: _Stats = {}
    credit: dict[int, int] = {}
    credited: dict[int, LexborNode] = {}
    open_nodes: list[LexborNode] = []
    open_acc: list[list[int]] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_nodes.pop()
            chars, linked, links = open_acc.pop()
            if node.tag == "a":
                linked, links = chars, links + 1
            stats[node.mem_id] = (chars, linked, links)
            if open_acc:
                parent = open_acc[-1]
                parent[0] += chars
                parent[1] += linked
                parent[2] += links
            continue
        if node.is_text_node:
            text = (node.text_content or "").strip()
            if text and open_nodes:
                open_acc[-1][0] += len(text)
                target = open_nodes[-2] if len(open_nodes) > 1 else open_nodes[-1]
                key = target.mem_id
                score = len(text) + 10 * len(punct.findall(text))
                credit[key] = credit.get(key, 0) + score
                credited[key] = target
            continue
        tag = node.tag
        if tag is None or tag[0] == "-" or tag in _DROP_TAGS or node.mem_id in hidden:
            continue
        open_nodes.append(node)
        open_acc.append([0, 0, 0])
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    keep: set[int] = set()
    if credit:
        best: LexborNode | None = credited[max(credit, key=credit.__getitem__)]
        while best is not None:
            keep.add(best.mem_id)
            best = best.parent
    return stats, keep


def _blocks(root: LexborNode, hidden: set[int], named: set[int], stats: _Stats, keep: set[int]) -> list[str]:
    """Walk the tree (iteratively, skipping boilerplate) and cut its text into blocks at
    block-element edges."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.extend(_paragraphs("".join(buf)))
            buf.clear()

    # (node, inside <article>/<main>); None marks the end of a block element
    stack: list[tuple[LexborNode, bool] | None] = [(root, False)]
    while stack:
        item = stack.pop()
        if item is None:
            flush()
            continue
        node, in_article = item
        if node.is_text_node:
            buf.append((node.text_content or "").replace(_BR, ""))
            continue
        tag = node.tag
        if tag == "br":
            buf.append(_BR)
            continue
        if tag is None or tag[0] == "-" or tag in _DROP_TAGS:
            continue
        key = node.mem_id
        if key in hidden:
            continue
        if key not in keep and _boilerplate(tag, key, named, stats, in_article):
            continue
        if tag in _BLOCK_TAGS:
            flush()
            stack.append(None)
        inside = in_article or tag in ("article", "main")
        stack.extend((child, inside) for child in _children(node))
    flush()
    return blocks


def _boilerplate(tag: str, key: int, named: set[int], stats: _Stats, in_article: bool) -> bool:
    """Whether an element off the article path is boilerplate: a page header, footer or
    form, an element named so (class, id, role), or a block of links (a menu, a
    related-news list, a page index)."""
    if tag in _SOFT_DROP_TAGS:
        return not (tag == "header" and in_article)
    if tag in ("main", "article"):
        return False
    if key in named:
        return True
    if tag in _LINK_BLOCK_TAGS:
        chars, linked, links = stats.get(key, (0, 0, 0))
        return links >= 3 and linked >= 0.8 * chars
    return False


def _paragraphs(raw: str) -> list[str]:
    """Collapse HTML white space in a block and split it at ``<br>``: one starts a line,
    two start a paragraph, and so does one before an indented line (``　　`` or
    ``&nbsp;&nbsp;``, the way many Chinese CMS pages mark paragraphs)."""
    indent = _rx(_INDENT)
    out: list[str] = []
    lines: list[str] = []
    for piece in raw.split(_BR):
        line = _collapse(piece).strip()
        if lines and (not line or indent.match(piece)):
            out.append("\n".join(lines))
            lines = []
        if line:
            lines.append(line)
    if lines:
        out.append("\n".join(lines))
    return out


def _collapse(text: str) -> str:
    """HTML white space: a line break between two CJK characters vanishes (as in CSS
    text rules), any other run of white space becomes one space."""
    if "\n" in text:
        text = _rx(_CJK_LINE_BREAK).sub("", text)
    return _rx(_HTML_SPACE).sub(" ", text)
