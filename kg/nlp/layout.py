"""Page → articles: cut a newspaper page at its headlines.

A page is a run of blocks (non-empty lines). Each block is classified as a
headline, body paragraph, caption, byline, credit line, metadata line or continuation
marker; consecutive headlines open an article, datelines (本报讯) and continuation markers
open one too, captions stand alone. Bylines and photo credits are cut out of
the content (they are never entities) and kept on the article.

Each article gets a date and a publisher: its own (a metadata line 发布时间：… 来源：…, a
dateline's 3月30日, a medium named by its dateline: 新华社…电, 云霄新闻网讯), completed by the
page's (what the caller knows of the page: HTML metadata, a manifest, ``--date``; else the
page's own date line, 2025年3月30日 星期日) as :mod:`kg.dates` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kg import rules
from kg.dates import PartialDate, article_date, merge, parse_date
from kg.model import Article, Paragraph, SourceText
from kg.text import is_cjk

_TERMINAL_END = set("。！？!?；;…”’」』）)》：:")


@dataclass
class _Block:
    start: int
    end: int
    text: str
    kind: str = "body"  # headline | body | caption | byline | credit | marker | note | meta | pagedate
    md_level: int = 0
    pieces: list[tuple[int, int]] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    dateline: bool = False
    #: a metadata line's source (来源) and date, or the medium a dateline names
    source: str | None = None
    date: PartialDate | None = None


@dataclass(frozen=True)
class Page:
    """A page cut into articles, with what the page says about itself."""

    articles: tuple[Article, ...]
    year: int | None
    date: str | None = None  # the page's date (ISO, maybe partial), as the articles' dates used it


def _patterns() -> dict[str, re.Pattern[str]]:
    return rules.active().compiled(_build_patterns)


def _build_patterns(rs: rules.RuleSet) -> dict[str, re.Pattern[str]]:
    r = rs.layout
    titles = rules.alternation(r.reporter_titles)
    credits = rules.alternation(r.credit_labels)
    photo = rules.alternation(r.photo_credit)
    openers = rules.alternation(r.dateline_openers)
    notes = rules.alternation(r.note_labels)
    report = rules.alternation(r.report_verbs)
    name = r"[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}"
    names = rf"{name}(?:[、，, \u3000]+{name})*"
    # a photo credit names at most four people; unbounded, the pattern (searched, not
    # anchored at a start) backtracked exponentially over spaced characters (" 安" * 50)
    names4 = rf"{name}(?:[、，, \u3000]+{name}){{0,3}}"
    return {
        # a whole block that is only bylines: "本报记者 马蕾 通讯员 李玲"
        "byline_block": re.compile(rf"^□?\s*(?:(?:{titles})[ \u3000]*{names}[ \u3000]*)+$"),
        # a byline glued to the end of a body paragraph
        "byline_tail": re.compile(rf"[ \u3000]+((?:(?:{titles})[ \u3000]*{names}[ \u3000]*)+)$"),
        # (贺娟芳) / （周皓、郝续景） / (梁 浩) at the end of a paragraph
        "paren_tail": re.compile(rf"[（(]({names})[）)]$"),
        "paren_block": re.compile(rf"^[（(]({names})[）)]$"),
        # photo credit at the end of a caption: "郭苑甫 摄", "本报记者 张国平 摄"
        "photo_tail": re.compile(rf"[ \u3000]*((?:(?:{titles})[ \u3000]*)?{names4})[ \u3000]+(?:{photo})$"),
        "credit_line": re.compile(rf"^(?:(?:{credits})[：:][^：:]{{0,30}}?\s*)+$"),
        "credit_label": re.compile(rf"(?:^|\s)(?:{credits})[：:]"),
        "marker": re.compile(r.continuation),
        "dateline": re.compile(rf"^(?:{openers})"),
        "wire": re.compile(r.wire_dateline),
        "media_dateline": re.compile(r.media_dateline),
        # dateline byline right after the opener: "本报讯(记者 孙 雄)", "本报讯 记者梁家秀报道:"
        "dateline_byline": re.compile(
            rf"^(?:{openers})[ \u3000]*(?:[（(]((?:(?:{titles})[ \u3000]*{names}[ \u3000]*)+)[）)]"
            rf"|((?:{titles})[ \u3000]*{name})(?:{report})[：:,，]?)?"
        ),
        "note": re.compile(rf"^(?:{notes})[：:]?$"),
        "heading_md": re.compile(r"(#{1,6})\s+"),
        "date": re.compile(r.date_pattern),
        "full_date": re.compile(r.full_date_pattern),
        **_meta_patterns(rs),
    }


def _meta_patterns(rs: rules.RuleSet) -> dict[str, re.Pattern[str]]:
    """Metadata lines (发布时间：… 来源：… 作者：…) and a source in brackets (（来源：新华社）)."""
    meta = rs.meta
    sources, dates = meta.source_labels, meta.date_labels
    alt = rules.alternation([*sources, *dates, *meta.other_labels, *rs.layout.credit_labels])
    src = rules.alternation(sources)
    media = rules.alternation(meta.medium_suffixes)
    seps = re.escape(meta.field_separators)
    return {
        # a field label at the start of the line or after a separator
        "meta_label": re.compile(rf"(?:^|(?<=[\s{seps}]))({alt})[ \u3000]*[：:][ \u3000]*"),
        "meta_source_label": re.compile(rf"^(?:{src})$"),
        "meta_date_label": re.compile(rf"^(?:{rules.alternation(dates)})$"),
        # a date and time, nothing else: 2025-08-22 10:30:00, 2025年8月22日, 2025/8/22
        "meta_date_value": re.compile(meta.date_value_pattern),
        # （来源：新华社）
        "paren_source": re.compile(
            rf"^[（(][ \u3000]*(?:{src})[ \u3000]*[：:][ \u3000]*([^（）()]{{1,40}}?)[ \u3000]*[）)]$"
        ),
        "medium": re.compile(rf"^([\u4e00-\u9fff]{{2,14}}?)(?:{media})"),
    }


#: A metadata line is short, and so is each of its values: a paragraph of prose that opens
#: with 时间： is not one.
_META_MAX_CHARS = 160
_META_MAX_VALUE = 40


def _meta_fields(text: str, pats: dict[str, re.Pattern[str]]) -> list[tuple[str, str]] | None:
    """The ``(label, value)`` fields of a metadata line, or None when the block is not one
    (it must open with a label, and hold only labelled fields, no sentence)."""
    if len(text) > _META_MAX_CHARS or "。" in text:
        return None
    found = list(pats["meta_label"].finditer(text))
    if not found or found[0].start() != 0:
        return None
    fields = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        value = text[m.end() : end].strip(" \u3000" + rules.active().meta.field_separators)
        if len(value) > _META_MAX_VALUE or "，" in value or "," in value:
            return None  # prose: 时间：3月30日上午，地点：…
        if pats["meta_date_label"].match(m.group(1)) and not pats["meta_date_value"].match(value):
            return None
        fields.append((m.group(1), value))
    return fields


def _raw_blocks(text: str) -> list[_Block]:
    pats = _patterns()
    blocks: list[_Block] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        line_start, line_end = pos, nl
        pos = nl + 1
        # strip whitespace and the box "□" some papers put before bylines
        while line_start < line_end and text[line_start] in " \t\u3000\r\ufeff":
            line_start += 1
        while line_end > line_start and text[line_end - 1] in " \t\u3000\r":
            line_end -= 1
        if line_start >= line_end:
            continue
        level = 0
        m = pats["heading_md"].match(text, line_start, line_end)
        if m:
            level = len(m.group(1))
            line_start = m.end()
        if line_start >= line_end:
            continue
        b = _Block(line_start, line_end, text[line_start:line_end], md_level=level)
        b.pieces = [(line_start, line_end)]
        blocks.append(b)
    return blocks


def _ends_open(text: str) -> bool:
    """A paragraph that stops mid-sentence (no terminal punctuation)."""
    return bool(text) and text[-1] not in _TERMINAL_END


def _classify(b: _Block, pats: dict[str, re.Pattern[str]], max_headline: int) -> None:
    t = b.text
    if b.md_level:
        b.kind = "headline"
        return
    if pats["marker"].match(t):
        b.kind = "marker"
        return
    if pats["byline_block"].match(t):
        b.kind = "byline"
        b.bylines.append(t)
        return
    m = pats["paren_block"].match(t)
    if m:
        b.kind = "byline"
        b.bylines.append(m.group(1))
        return
    if _is_page_date(t, pats):
        b.kind = "pagedate"  # the page's own date line: the page's, not an article's headline
        b.date = parse_date(pats["full_date"].search(t).group(0))  # type: ignore[union-attr]
        return
    fields = _meta_fields(t, pats)
    m = pats["paren_source"].match(t)
    if m:
        fields = [(rules.active().meta.source_labels[0], m.group(1))]
    if fields is not None:
        for label, value in fields:
            if pats["meta_source_label"].match(label) and value and b.source is None:
                b.source = _publisher_name(value)
            elif pats["meta_date_label"].match(label) and b.date is None:
                b.date = parse_date(value)
        if b.source or b.date:
            b.kind = "meta"
            return
    if pats["credit_label"].match(t) and pats["credit_line"].match(t) and "。" not in t:
        b.kind = "credit"
        return
    if pats["note"].match(t):
        b.kind = "note"
        return
    # (the credit word must end the block: test that before the costly search)
    m = pats["photo_tail"].search(t) if t.rstrip(" \u3000").endswith(_photo_words()) else None
    if m and len(t) > 12:
        b.kind = "caption"
        b.bylines.append(m.group(1))
        _keep(b, 0, m.start())
        return
    if (
        len(t) <= max_headline
        and not any(c in t for c in "。！？!?；;")
        and not pats["dateline"].match(t)
        and not t.endswith(("，", ","))
        and not (_ends_open(t) and ("，" in t or "," in t))
    ):
        b.kind = "headline"
        return
    b.kind = "body"


def _photo_words() -> tuple[str, ...]:
    return rules.active().compiled(_build_photo_words)


def _build_photo_words(rs: rules.RuleSet) -> tuple[str, ...]:
    return rules.longest_first(rs.layout.photo_credit)


def _slice_pieces(pieces: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """The source spans of characters ``[lo, hi)`` of the text the pieces spell."""
    out: list[tuple[int, int]] = []
    pos = 0
    for s, e in pieces:
        n = e - s
        a, b = max(lo, pos), min(hi, pos + n)
        if a < b:
            out.append((s + a - pos, s + b - pos))
        pos += n
    return out


def _keep(b: _Block, lo: int, hi: int) -> None:
    """Keep only characters ``[lo, hi)`` of the block, trimming spaces at both ends."""
    while lo < hi and b.text[lo] in " \u3000":
        lo += 1
    while hi > lo and b.text[hi - 1] in " \u3000":
        hi -= 1
    b.pieces = _slice_pieces(b.pieces, lo, hi)
    b.text = b.text[lo:hi]
    if b.pieces:
        b.start, b.end = b.pieces[0][0], b.pieces[-1][1]


def _strip_bylines(b: _Block, pats: dict[str, re.Pattern[str]]) -> None:
    """Cut bylines out of a body paragraph (front dateline bylines, end bylines)."""
    b.dateline = _opens(b, pats)
    m = pats["dateline_byline"].match(b.text)
    if m and m.end() > 0:
        if m.group(1) or m.group(2):
            b.bylines.append(m.group(1) or m.group(2))
        # the opener (本报讯) and its byline are not content
        _keep(b, m.end(), len(b.text))
    else:
        m = pats["media_dateline"].match(b.text)
        if m is not None:
            if m.group(1):
                b.bylines.append(m.group(1))
            medium = pats["medium"].match(b.text[: m.end()])
            if medium:  # 云霄新闻网讯 names its medium; 霍山讯 names a place
                end = medium.end()
                b.source = b.text[: end - 1]
            _keep(b, m.end(), len(b.text))  # 四川在线泸州消息（李家权）: the source, not content
        else:
            m = pats["wire"].match(b.text)
            if m is not None and m.groups() and m.group(1):
                b.source = m.group(1)  # 新华社北京3月5日电
    for key in ("byline_tail", "paren_tail"):
        m = pats[key].search(b.text)
        if m and m.start() > 0:
            b.bylines.append(m.group(1))
            _keep(b, 0, m.start())


def _merge(a: _Block, b: _Block) -> _Block:
    a.pieces.extend(b.pieces)
    a.text += b.text
    a.end = b.end
    a.bylines.extend(b.bylines)
    return a


def _name_like(t: str) -> bool:
    """A bare 2–3 character name (a columnist's byline under a headline)."""
    bare = t.replace(" ", "").replace("\u3000", "")
    return 2 <= len(bare) <= 3 and all(is_cjk(c) for c in bare)


def split_page(source: SourceText, is_heading_term: Callable[[str], bool] | None = None) -> Page:
    """Cut a page into articles.

    ``is_heading_term`` tells whether a short block is a known name (a place or a
    vocabulary term) rather than a person's byline.
    """
    pats = _patterns()
    conf = rules.active().layout
    max_headline = conf.headline_max_chars
    min_cont = conf.continuation_min_chars
    text = source.text
    blocks = _raw_blocks(text)
    for b in blocks:
        _classify(b, pats, max_headline)

    for b in blocks:
        if b.kind == "body":
            _strip_bylines(b, pats)
            if not b.text:
                b.kind = "byline"

    # join paragraphs the page broke across columns
    joined: list[_Block] = []
    for b in blocks:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.kind == "body"
            and (len(prev.text) >= min_cont or "，" in prev.text or "," in prev.text)
            and _ends_open(prev.text)
            and b.kind in ("body", "headline")
            and not b.md_level
            and not pats["dateline"].match(b.text)
            and not (b.kind == "headline" and _starts_like_heading(b.text))
        ):
            _merge(prev, b)
            prev.kind = "body"
            continue
        joined.append(b)

    # a bare name right after a headline and before a body is the author's byline
    for i, b in enumerate(joined):
        if (
            b.kind == "headline"
            and _name_like(b.text)
            and 0 < i < len(joined) - 1
            and joined[i - 1].kind == "headline"
            and joined[i + 1].kind == "body"
            and not (is_heading_term and is_heading_term(b.text.replace(" ", "")))
        ):
            b.kind = "byline"
            b.bylines.append(b.text)

    page_date = merge(parse_date(source.date), _page_date(joined, pats))
    articles = _group(source, joined, pats, page_date)
    year = page_date.year if page_date is not None else None
    return Page(articles=tuple(articles), year=year, date=page_date.iso() if page_date else None)


def _starts_like_heading(t: str) -> bool:
    return t.startswith(("——", "—", "#"))


def _is_page_date(t: str, pats: dict[str, re.Pattern[str]]) -> bool:
    """A page's date line: a short block with a full date and a weekday (2025年3月30日 星期日), or
    little else (第3版 2025年3月30日)."""
    if len(t) > 30 or any(c in t for c in "。，,；;"):
        return False
    return pats["full_date"].search(t) is not None and (
        any(w in t for w in rules.active().layout.weekday_words) or len(t) <= 16
    )


def _page_date(blocks: list[_Block], pats: dict[str, re.Pattern[str]]) -> PartialDate | None:
    """The page's own date line (2025年3月30日 星期日), when the page prints one."""
    return next((b.date for b in blocks if b.kind == "pagedate" and b.date is not None), None)


def _publisher_name(value: str) -> str | None:
    """A 来源 value as a publisher's name: the first of several (来源：县应急管理局 作者：…)
    without brackets and trailing punctuation."""
    name = value.strip(" \u3000:：,，;；。").split()[0] if value.strip() else ""
    name = _rx_tail_paren.sub("", name).strip('《》【】[]“”"')  # 县城管局(李文凤): the body, not its writer
    return name or None


_rx_tail_paren = re.compile(r"[（(][^（）()]*[）)]$")


@dataclass
class _Open:
    headlines: list[_Block] = field(default_factory=list)
    body: list[_Block] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    kind: str = "article"
    meta: list[_Block] = field(default_factory=list)  # metadata lines: source and date


def _group(
    source: SourceText, blocks: list[_Block], pats: dict[str, re.Pattern[str]], page_date: PartialDate | None
) -> list[Article]:
    groups: list[_Open] = []
    cur = _Open()

    def close() -> None:
        nonlocal cur
        if cur.headlines or cur.body:
            groups.append(cur)
        cur = _Open()

    for b in blocks:
        k = b.kind
        if k in ("credit", "pagedate"):
            continue
        if k == "meta":
            cur.meta.append(b)  # under a headline: its article's; after a body: that article's
            continue
        if k == "marker":
            close()
            cur.kind = "continuation"
            continue
        if k in ("headline", "note"):
            if cur.body and _is_section_heading(b, cur):
                cur.body.append(b)  # a sub-heading (### under ##): a section of the same article
                continue
            if cur.body:
                close()
            cur.headlines.append(b)
            continue
        if k == "byline":
            cur.bylines.extend(b.bylines)
            continue
        if k == "caption":
            if cur.body or not cur.headlines:
                # a caption stands alone; the article around it stays open
                groups.append(_Open(kind="caption", body=[b], bylines=list(b.bylines)))
            else:
                cur.body.append(b)
                cur.bylines.extend(b.bylines)
                cur.kind = "caption"
            continue
        # body
        if cur.body and b.dateline:
            close()
        cur.body.append(b)
        cur.bylines.extend(b.bylines)
    close()
    # a headline printed after its body (layout order broken) belongs to that body
    if (
        len(groups) >= 2
        and not groups[-1].body
        and groups[-1].kind == "article"
        and not groups[-2].headlines
        and groups[-2].kind in ("article", "continuation")
    ):
        last = groups.pop()
        groups[-1].headlines.extend(last.headlines)
        groups[-1].bylines.extend(last.bylines)
        groups[-1].meta.extend(last.meta)
    # articles are numbered in page order (a caption closes before the article around it)
    groups.sort(key=lambda g: min(b.start for b in g.headlines + g.body))
    return [_finish(source, g, i, pats, page_date) for i, g in enumerate(groups)]


def _is_section_heading(b: _Block, cur: _Open) -> bool:
    """A markdown heading deeper than every heading that opened the article."""
    levels = [h.md_level for h in cur.headlines if h.md_level]
    return bool(b.md_level and levels and b.md_level > max(levels))


def _opens(b: _Block, pats: dict[str, re.Pattern[str]]) -> bool:
    """A body block that starts a new article by itself (a dateline)."""
    return bool(pats["dateline"].match(b.text) or pats["wire"].match(b.text))


def _finish(
    source: SourceText,
    cur: _Open,
    index: int,
    pats: dict[str, re.Pattern[str]],
    page_date: PartialDate | None,
) -> Article:
    paragraphs = [Paragraph(tuple(b.pieces), "headline") for b in cur.headlines if b.kind == "headline"]
    paragraphs += [
        Paragraph(
            tuple(b.pieces),
            "caption" if b.kind == "caption" else "heading" if b.kind in ("headline", "note") else "body",
        )
        for b in cur.body
    ]
    paragraphs = [p for p in paragraphs if p.pieces and p.pieces[0][0] < p.pieces[-1][1]]
    heads = [b.text for b in cur.headlines if b.kind == "headline"]
    headline = _main_headline(cur.headlines)
    # its own date: a metadata line's, else the dateline's (a date early in the first paragraph)
    own = next((b.date for b in cur.meta if b.date is not None and b.date.precision >= 3), None)
    for b in cur.body[:1]:
        m = pats["date"].search(b.text[:40]) if own is None else None
        if m:
            own = parse_date(m.group(0))
    date = article_date(own, page_date)
    publisher = next((b.source for b in cur.meta if b.source), None)
    publisher = publisher or next((b.source for b in cur.body[:1] if b.source), None) or source.publisher
    starts = [p.start for p in paragraphs] or [cur.headlines[0].start if cur.headlines else 0]
    ends = [p.end for p in paragraphs] or [starts[0]]
    kind = cur.kind
    if kind == "article" and not cur.body:
        kind = "fragment"
    return Article(
        id=f"{source.name}#{index}",
        source=source.name,
        index=index,
        headline=headline,
        start=min(starts),
        end=max(ends),
        paragraphs=tuple(paragraphs),
        headlines=tuple(heads),
        date=date,
        kind=kind,
        bylines=tuple(dict.fromkeys(x.strip() for x in cur.bylines if x.strip())),
        publisher=publisher,
    )


def _main_headline(heads: list[_Block]) -> str:
    hs = [b for b in heads if b.kind == "headline"]
    if not hs:
        return ""
    md = [b for b in hs if b.md_level]
    if md:
        return min(md, key=lambda b: b.md_level).text
    for b in hs:
        if len(b.text) >= 6 and not b.text.startswith("—"):
            return b.text
    return hs[0].text
