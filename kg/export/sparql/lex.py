"""SPARQL text as tokens, and our IRIs as a Chinese reader writes them.

:func:`lex` cuts query text into tokens (strings, IRIs, prefixed names, variables, words,
punctuation) without parsing it, on any text (it never fails). The engines (rdflib's parser,
then Oxigraph) still parse and judge every query; this lexer exists only for what they cannot
tell:

- ``kgi:place/长子县`` (how tables print our IRIs) is not one term to them: ``/`` is a path
  operator, and even ``kgi:place\\/长子县`` or ``<…/place/长子县>`` is another IRI than the stored,
  percent-encoded one. :func:`normalise` rewrites such names before any engine sees the text.
- A bare word in Chinese (a forgotten quote) is read as the start of a prefixed name, as
  SPARQL allows: Oxigraph reports what it expected after the word (``":"``, ``GROUP_CONCAT``)
  and rdflib ``Expected SelectQuery`` at the query's start; neither names the word.
  :func:`bare_word` does.
- ``SELECT *``: both engines give the variables in their own order (Oxigraph sorted, rdflib a
  set's), and their parse trees keep no text order. :func:`in_text_order` gives the query's.
- Undeclared prefixes: rdflib names the prefix; :func:`undeclared_prefix_message` adds where.

Our IRIs hold percent-encoded names (``kgi:place/%E9%95%BF%E5%AD%90%E5%8E%BF``). Tables show
them decoded (:func:`compact`: ``kgi:place/长子县``) and queries may write them so:
:func:`normalise` turns a name of the instance namespaces (``kgi:``, ``kgg:``) written with
``/`` and Chinese characters, and a ``<…>`` IRI of them with raw characters, into the stored
IRI, so what a table prints pastes back into a query and matches. ASCII characters that were
percent-encoded (``%23`` for ``#``, ``%2F`` for a ``/`` inside a name, ``%20``) stay encoded in
the display, so the display reads back unambiguously.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from kg.namespace import KGG, KGI, PREFIXES

#: namespaces whose local names are ``type/percent-encoded name``: ``/`` is part of the name
INSTANCE_NAMESPACES = (str(KGI), str(KGG))


@dataclass(frozen=True, slots=True)
class Token:
    """A token of SPARQL text: ``kind`` and ``text[start:end]``."""

    kind: str  # comment string iri pname var word number langtag punct
    start: int
    end: int
    value: str

    @property
    def upper(self) -> str:
        return self.value.upper()


# SPARQL's PN_LOCAL_ESC: a backslash before one of these stands for the character
_LOCAL_ESCAPES = set("_~.-!$&'()*+,;=/?#@%")
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_PREFIX = re.compile(r"(?:[A-Za-z][\w.-]*)?:")
_VAR = re.compile(r"[?$][\w\u00b7]+")
_NUMBER = re.compile(r"\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def _name_char(c: str) -> bool:
    """A character that may stand in a name: ASCII letters, digits, ``_`` and ``-``, and any
    non-ASCII character but spaces and controls (CJK, ``·``, ``《》``, fullwidth brackets)."""
    if c.isascii():
        return c.isalnum() or c in "_-"
    return unicodedata.category(c)[0] not in "ZC"


def _local_end(text: str, i: int, slash: bool) -> int:
    """End of the local part of a prefixed name that starts at ``i`` (after the colon)."""
    n = len(text)
    j = i
    while j < n:
        c = text[j]
        if _name_char(c) or c in ".:%" or (slash and c == "/"):
            j += 1
        elif c == "\\" and j + 1 < n and text[j + 1] in _LOCAL_ESCAPES:
            j += 2
        else:
            break
    while j > i and text[j - 1] == "." and not (j - 2 >= i and text[j - 2] == "\\"):
        j -= 1  # a name does not end with a dot: that dot ends the triple
    return j


def _string_end(text: str, i: int) -> int:
    q3 = text[i : i + 3]
    if q3 in ('"""', "'''"):
        j = text.find(q3, i + 3)
        while j > 0 and _escaped(text, j):
            j = text.find(q3, j + 1)
        return len(text) if j < 0 else j + 3
    c = text[i]
    j = i + 1
    n = len(text)
    while j < n and text[j] != c and text[j] != "\n":
        j += 2 if text[j] == "\\" else 1
    return min(n, j + 1)


def _escaped(text: str, j: int) -> bool:
    k = j
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (j - k) % 2 == 1


def lex(text: str, slash_prefixes: frozenset[str] = frozenset()) -> Iterator[Token]:
    """The tokens of ``text`` (comments included). Names with a prefix of ``slash_prefixes``
    may hold ``/`` (our instance names, ``kgi:place/长子县``). Never fails: a character that
    starts nothing is a one-character ``punct``."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            yield Token("comment", i, j, text[i:j])
        elif c in "\"'":
            j = _string_end(text, i)
            yield Token("string", i, j, text[i:j])
        elif c == "<" and (m := _IRI.match(text, i)):
            j = m.end()
            yield Token("iri", i, j, text[i:j])
        elif c in "?$" and (m := _VAR.match(text, i)):
            j = m.end()
            yield Token("var", i, j, text[i:j])
        elif c == "@" and (m := _LANGTAG.match(text, i)):
            j = m.end()
            yield Token("langtag", i, j, text[i:j])
        elif ((c.isascii() and c.isalpha()) or c == ":") and (m := _PREFIX.match(text, i)):
            prefix = m.group(0)[:-1]
            j = _local_end(text, m.end(), prefix in slash_prefixes)
            yield Token("pname", i, j, text[i:j])
        elif c == "_" and text.startswith("_:", i):
            j = _local_end(text, i + 2, False)
            yield Token("pname", i, j, text[i:j])
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            m = _NUMBER.match(text, i)
            j = m.end() if m else i + 1
            yield Token("number", i, j, text[i:j])
        elif _name_char(c):
            j = i + 1
            while j < n and _name_char(text[j]):
                j += 1
            if j < n and text[j] == ":" and not c.isdigit() and c != "_":  # 前缀:x (PN_PREFIX)
                j = _local_end(text, j + 1, text[i:j] in slash_prefixes)
                yield Token("pname", i, j, text[i:j])
            else:
                yield Token("word", i, j, text[i:j])
        else:
            j = i + 1
            yield Token("punct", i, j, c)
        i = j


def code(text: str, slash_prefixes: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of ``text`` without comments."""
    return [t for t in lex(text, slash_prefixes) if t.kind != "comment"]


def line_col(text: str, offset: int) -> str:
    """``line L, column C`` of an offset (1-based, as the parsers count)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {col}"


# -- prefixes and names ------------------------------------------------------------------------------


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a query may use: the predeclared ones, overridden by its PREFIX lines."""
    out = dict(PREFIXES)
    toks = code(text)
    for a, b, c in zip(toks, toks[1:], toks[2:], strict=False):
        if a.kind == "word" and a.upper == "PREFIX" and b.kind == "pname" and c.kind == "iri":
            out[b.value.split(":", 1)[0]] = c.value[1:-1]
    return out


def _instance_prefixes(prefixes: Mapping[str, str]) -> frozenset[str]:
    return frozenset(p for p, ns in prefixes.items() if ns in INSTANCE_NAMESPACES)


def _unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


def encode_local(local: str) -> str:
    """A local name as stored: every character but unreserved ASCII, ``/`` and ``%XX``
    percent-encoded as UTF-8 (the escapes already there are kept, their hex in upper case)."""
    out = []
    for part in re.split(r"(%[0-9A-Fa-f]{2})", local):
        if len(part) == 3 and part.startswith("%"):
            out.append(part.upper())
        elif part:
            out.append(quote(part, safe="/"))
    return "".join(out)


def _stored(namespace: str, local: str) -> str:
    return "<" + namespace + encode_local(local) + ">"


def normalise(text: str) -> str:
    """The query with our instance IRIs written as stored (see the module's docstring).

    ``kgi:place/长子县`` and ``<https://w3id.org/safety-kg/id/place/长子县>`` become
    ``<https://w3id.org/safety-kg/id/place/%E9%95%BF%E5%AD%90%E5%8E%BF>``; other text is
    left as it is (strings, comments, other prefixes, names already in stored form).
    """
    prefixes = declared_prefixes(text)
    slash = _instance_prefixes(prefixes)
    if not slash:
        return text
    out: list[str] = []
    last = 0
    toks = list(lex(text, slash))
    for k, t in enumerate(toks):
        new = None
        if t.kind == "pname":
            prefix, _, local = t.value.partition(":")
            declaring = k > 0 and toks[k - 1].kind == "word" and toks[k - 1].upper == "PREFIX"
            if prefix in slash and local and not declaring:
                raw = _unescape_local(local)
                if raw != local or "/" in raw or not raw.isascii() or encode_local(raw) != raw:
                    new = _stored(prefixes[prefix], raw)
        elif t.kind == "iri":
            iri = t.value[1:-1]
            for ns in INSTANCE_NAMESPACES:
                if iri.startswith(ns) and encode_local(iri[len(ns) :]) != iri[len(ns) :]:
                    new = _stored(ns, iri[len(ns) :])
                    break
        if new is not None:
            out.append(text[last : t.start])
            out.append(new)
            last = t.end
    out.append(text[last:])
    return "".join(out)


def _shown(ch: str) -> bool:
    """A percent-encoded character shown decoded: non-ASCII, not a space or control."""
    return not ch.isascii() and unicodedata.category(ch)[0] not in "ZC"


_PCT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def decode_local(local: str) -> str:
    """A stored local name for reading: percent-encoded non-ASCII characters decoded, ASCII
    escapes (``%23``, ``%2F``, ``%20``) kept, so :func:`encode_local` gives it back."""

    def dec(m: re.Match[str]) -> str:
        raw = bytes.fromhex(m.group(0).replace("%", ""))
        out, i = [], 0
        while i < len(raw):
            for size in (1, 2, 3, 4):
                try:
                    ch = raw[i : i + size].decode("utf-8")
                except UnicodeDecodeError:
                    continue
                out.append(ch if _shown(ch) else "".join(f"%{b:02X}" for b in raw[i : i + size]))
                i += size
                break
            else:
                out.append(f"%{raw[i]:02X}")
                i += 1
        return "".join(out)

    return _PCT_RUN.sub(dec, local)


_PLAIN_LOCAL = re.compile(r"[\w\-.:%]*")


def compact(iri: str) -> str:
    """An IRI as tables show it, in a form that pastes back into a query and matches:
    a prefixed name where one fits (instance names decoded: ``kgi:place/长子县``), else ``<iri>``."""
    best = ""
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = p
    if best:
        ns = PREFIXES[best]
        local = iri[len(ns) :]
        if ns in INSTANCE_NAMESPACES:
            shown = decode_local(local)
            if encode_local(shown) == local and _local_end(shown, 0, True) == len(shown):
                return f"{best}:{shown}"
        elif (
            _PLAIN_LOCAL.fullmatch(local)
            and not local.endswith(".")
            and not local.startswith((".", "-"))
            and _local_end(local, 0, False) == len(local)
        ):
            return f"{best}:{local}"
    return f"<{iri}>"


# -- what the parsers say in words a user can act on ----------------------------------------------------


def bare_word(text: str) -> Token | None:
    """The first word of ``text`` that is neither a keyword nor a name nor a value: a word in
    Chinese (or any non-ASCII script), which SPARQL reads only inside quotes or after a prefix."""
    for t in code(text, _instance_prefixes(declared_prefixes(text))):
        if t.kind == "word" and not t.value[0].isascii():
            return t
    return None


#: punctuation an input method writes full-width, as SPARQL writes it
_HALF_WIDTH = {"。": ".", "，": ",", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'"}


def half_width(c: str) -> str | None:
    """The ASCII punctuation a full-width character stands for (``？`` → ``?``), else None."""
    if unicodedata.category(c)[0] not in "PS":
        return None
    ascii_ = _HALF_WIDTH.get(c) or unicodedata.normalize("NFKC", c)
    return ascii_ if len(ascii_) == 1 and ascii_.isascii() else None


def bare_word_message(text: str, t: Token) -> str:
    """One line for a bare word: where it is and the two ways to write it (or, for full-width
    punctuation such as ``？x`` or ``｛``, the ASCII character SPARQL takes)."""
    w = t.value
    ascii_ = half_width(w[0])
    if ascii_ is not None:
        return (
            f"SPARQL syntax error at {line_col(text, t.start)}: {w[0]} is full-width punctuation; "
            f"SPARQL takes the ASCII {ascii_} (switch the input method to half-width)"
        )
    return (
        f"SPARQL syntax error at {line_col(text, t.start)}: {w} is a bare word; write a name in "
        f'quotes ("{w}"@zh, as rdfs:label holds it) or an entity IRI with its prefix and type '
        f"(kgi:<type>/{w}, as in kgi:place/长子县)"
    )


def undeclared_prefix_message(text: str, prefix: str) -> str:
    """One line for a prefix the query uses but does not declare."""
    where = ""
    for t in code(text):
        if t.kind == "pname" and t.value.split(":", 1)[0] == prefix:
            where = f" at {line_col(text, t.start)}"
            break
    known = ", ".join(f"{p}:" for p in PREFIXES)
    return (
        f"SPARQL syntax error{where}: the prefix {prefix}: is not declared; declare it "
        f"(PREFIX {prefix}: <…>) or use a predeclared one ({known})"
    )


_CHAR_CLASS = re.compile(r"\[[^\[\]]*\]")
_EXPECTED = re.compile(r"expected one of (.*)$", re.S)


def readable_parser_error(msg: str) -> str:
    """Oxigraph's parser message on one line: its lists of Unicode ranges (``['\\u{00C0}'..=…]``)
    become ``a name character``, and a long list of what was expected is cut."""
    text = " ".join(msg.split())

    def cls(m: re.Match[str]) -> str:
        return "a name character" if "\\u{" in m.group(0) or ".." in m.group(0) else m.group(0)

    text = _CHAR_CLASS.sub(cls, text)
    m = _EXPECTED.search(text)
    if m:
        items = list(dict.fromkeys(x.strip() for x in m.group(1).split(",") if x.strip()))
        shown = ", ".join(items[:8]) + (", …" if len(items) > 8 else "")
        text = text[: m.start(1)] + shown
    return text


# -- the projection of SELECT * -------------------------------------------------------------------


def star_projection(text: str) -> tuple[int, int] | None:
    """The span of the ``*`` of a top-level ``SELECT *`` (None for other queries)."""
    toks = code(text, _instance_prefixes(declared_prefixes(text)))
    depth = 0
    for k, t in enumerate(toks):
        if t.value == "{":
            depth += 1
        elif t.value == "}":
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.upper == "SELECT":
            rest = toks[k + 1 : k + 3]
            if rest and rest[0].kind == "word" and rest[0].upper in ("DISTINCT", "REDUCED"):
                rest = rest[1:]
            if rest and rest[0].kind == "punct" and rest[0].value == "*":
                return rest[0].start, rest[0].end
            return None
    return None


def in_text_order(text: str, names: list[str], after: int = 0) -> list[str]:
    """``names`` (variables) in the order they first appear in ``text`` after ``after``;
    names that do not appear keep their order, at the end."""
    first: dict[str, int] = {}
    for t in code(text):
        if t.kind == "var" and t.start >= after:
            first.setdefault(t.value[1:], t.start)
    return sorted(names, key=lambda v: (first.get(v, len(text)), names.index(v)))
