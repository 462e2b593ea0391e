"""kg.export.sparql.lex: tokens of any text, our IRIs as tables show them and as queries write them."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.export.rdf.iri import article_iri, evidence_iri, minted_iri, page_graph
from kg.export.sparql.lex import (
    bare_word,
    bare_word_message,
    compact,
    decode_local,
    encode_local,
    half_width,
    in_text_order,
    lex,
    normalise,
    readable_parser_error,
    star_projection,
)
from kg.namespace import KGI, PREFIXES

CHANGZI = "https://w3id.org/safety-kg/id/place/%E9%95%BF%E5%AD%90%E5%8E%BF"


def expand(term: str) -> str:
    """The IRI a SPARQL parser (rdflib's) reads from ``term`` after :func:`normalise`."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    q = translateQuery(
        parseQuery(normalise(f"SELECT ?x WHERE {{ VALUES ?x {{ {term} }} }}")), initNs=PREFIXES
    )
    values = [node for node in _walk(q.algebra) if getattr(node, "name", None) == "values"]
    (row,) = values[0]["res"]
    return str(next(iter(row.values())))


def _walk(node: object) -> list[object]:
    out = [node]
    if isinstance(node, dict):
        for v in node.values():
            out += _walk(v)
    elif isinstance(node, list):
        for v in node:
            out += _walk(v)
    return out


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("SELECT ?p WHERE { ?p rdfs:label 长子县 }", "word var word punct var pname word punct"),
        ('ASK { ?x rdfs:label "长子县"@zh }', "word punct var pname string langtag punct"),
        ("ASK { kgi:place\\/长子县 ?p ?o . }", "word punct pname var var punct punct"),
        ("# 注释 {\nASK {}", "comment word punct punct"),
        ("SELECT * { ?s ?p 1.5e3 }", "word punct punct var var number punct"),
        ("\\ \x00 ¿", "punct punct word"),
        ("PREFIX 前缀: <urn:x> ASK { ?s 前缀:长 ?o }", "word pname iri word punct var pname var punct"),
    ],
)  # fmt: skip
def test_lex_kinds(text: str, kinds: str) -> None:
    assert [t.kind for t in lex(text)] == kinds.split()


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_lex_never_fails_and_covers_the_text_in_order(text: str) -> None:
    toks = list(lex(text, frozenset({"kgi"})))
    assert all(a.end <= b.start for a, b in itertools.pairwise(toks))
    assert all(t.start < t.end and text[t.start : t.end] == t.value for t in toks)
    assert "".join(text[a.end : b.start] for a, b in itertools.pairwise(toks)).strip() == ""


@pytest.mark.parametrize(
    ("term", "iri"),
    [
        ("kgi:place/长子县", CHANGZI),
        ("<https://w3id.org/safety-kg/id/place/长子县>", CHANGZI),
        (f"<{CHANGZI}>", CHANGZI),
        (f"<{CHANGZI.lower().replace('https://w3id.org/safety-kg/id/', str(KGI))}>", CHANGZI),
        ("kgi:place\\/%E9%95%BF%E5%AD%90%E5%8E%BF", CHANGZI),  # standard SPARQL, already stored form
        ("kgi:place\\/长子县", CHANGZI),
        ("kgi:campaign/春夏九防·敲门行动", minted_iri("Campaign", "春夏九防·敲门行动")),
        ("kgi:document/关于做好安全生产工作的通知", minted_iri("Document", "关于做好安全生产工作的通知")),
        ("kgi:article/004_62080bcc380399cf.txt%233", article_iri("004_62080bcc380399cf.txt#3")),
        ("kgi:evidence/004_62080bcc380399cf.txt/120-135", evidence_iri("004_62080bcc380399cf.txt", 120, 135)),
        ("kgg:page/004_62080bcc380399cf.txt", page_graph("004_62080bcc380399cf.txt")),
        ("kgg:vocab", "https://w3id.org/safety-kg/graph/vocab"),
        ("kg:Place", PREFIXES["kg"] + "Place"),
        ("ind:coal-mining", PREFIXES["ind"] + "coal-mining"),
    ],
)  # fmt: skip
def test_names_are_read_as_the_stored_iri(term: str, iri: str) -> None:
    assert expand(term) == iri


def test_normalise_leaves_strings_comments_and_other_prefixes_alone() -> None:
    text = (
        'SELECT ?x WHERE { # kgi:place/长子县\n ?x rdfs:label "kgi:place/长子县" ; '
        "kg:locatedIn/kg:locatedIn ?y . ?x kg:targets ?t }"
    )
    assert normalise(text) == text


def test_normalise_follows_the_query_prefixes() -> None:
    text = "PREFIX p: <https://w3id.org/safety-kg/id/> PREFIX kgi: <urn:x:> ASK { p:place/长子县 ?a kgi:长 }"
    assert (
        normalise(text)
        == f"PREFIX p: <https://w3id.org/safety-kg/id/> PREFIX kgi: <urn:x:> ASK {{ <{CHANGZI}> ?a kgi:长 }}"
    )


def test_trailing_dot_ends_the_triple_not_the_name() -> None:
    assert normalise("ASK { ?x ?p kgi:place/长子县. }") == f"ASK {{ ?x ?p <{CHANGZI}>. }}"


@pytest.mark.parametrize(
    ("iri", "shown"),
    [
        (CHANGZI, "kgi:place/长子县"),
        (minted_iri("Campaign", "春夏九防·敲门行动"), "kgi:campaign/春夏九防·敲门行动"),
        (article_iri("004_x.txt#3"), "kgi:article/004_x.txt%233"),
        (minted_iri("Organization", "a/b c"), "kgi:organization/a%2Fb%20c"),
        (minted_iri("Place", "全角　空格"), "kgi:place/全角%E3%80%80空格"),
        (PREFIXES["kg"] + "Place", "kg:Place"),
        ("https://example.org/x", "<https://example.org/x>"),
        (PREFIXES["kg"] + "a(b)", f"<{PREFIXES['kg']}a(b)>"),
        (PREFIXES["kg"] + "x.", f"<{PREFIXES['kg']}x.>"),
    ],
)
def test_compact(iri: str, shown: str) -> None:
    assert compact(iri) == shown
    assert expand(shown) == iri  # and it pastes back


NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)


@given(st.sampled_from(["Place", "Campaign", "Organization"]), NAMES)
@settings(max_examples=300, deadline=None)
def test_every_printed_entity_iri_pastes_back(type_: str, name: str) -> None:
    iri = minted_iri(type_, name)
    assert expand(compact(iri)) == iri


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_decode_then_encode_is_the_identity_on_stored_names(name: str) -> None:
    from urllib.parse import quote

    stored = quote(name.encode("utf-8", "surrogatepass"), safe="")
    assert encode_local(decode_local(stored)) == stored


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("SELECT ?p WHERE { ?p rdfs:label 长子县 }", "长子县"),
        ("SELECT ?p WHERE { ?p rdfs:label ?l FILTER (?l = 春夏九防·敲门行动) }", "春夏九防·敲门行动"),
        ('SELECT ?p WHERE { ?p rdfs:label "长子县"@zh }', None),
        ("SELECT ?p WHERE { ?p kg:locatedIn kgi:place/长治市 }", None),
        ("SELECT ?p WHERE { ?p kg:locatedIn kgi:长治市 }", None),
        ("PREFIX 前缀: <urn:x> ASK { ?s 前缀:长 ?o }", None),
    ],
)
def test_bare_word(text: str, word: str | None) -> None:
    t = bare_word(text)
    assert (t.value if t else None) == word


def test_readable_parser_error_has_no_unicode_ranges() -> None:
    import pyoxigraph as ox

    with pytest.raises(SyntaxError) as exc:
        ox.Store().query("SELECT * WHERE { ?x foo:bar ?y }")
    assert "\\u{" in str(exc.value)  # Oxigraph's own message lists them
    msg = readable_parser_error(str(exc.value))
    assert "\\u{" not in msg and "\n" not in msg and len(msg) < 200 and msg.startswith("error at 1:")


@pytest.mark.parametrize(
    ("text", "star"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 7),
        ("PREFIX a: <urn:a> SELECT DISTINCT * { ?s ?p ?o }", 34),
        ("SELECT ?s WHERE { { SELECT * { ?s ?p ?o } } }", None),
        ("# SELECT *\nSELECT ?s { ?s ?p ?o }", None),
        ("ASK { ?s ?p ?o }", None),
    ],
)
def test_star_projection(text: str, star: int | None) -> None:
    got = star_projection(text)
    assert (got[0] if got else None) == star


def test_in_text_order() -> None:
    text = "SELECT * WHERE { ?s a ?t . OPTIONAL { ?s $label ?l } ?s ?p ?o }"
    assert in_text_order(text, ["l", "label", "o", "p", "s", "t", "zz"], after=8) == [
        "s", "t", "label", "l", "p", "o", "zz"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ？p WHERE { ?p ?q ?o }", "column 8: ？ is full-width punctuation; SPARQL takes the ASCII ?"),
        ("ASK ｛ ?p ?q ?o }", "at line 1, column 5: ｛ is full-width punctuation; SPARQL takes the ASCII {"),
        ("ASK { ?p ?q “长子县”@zh }", "column 13: “ is full-width punctuation; SPARQL takes the ASCII \""),
        ("ASK { ?p ?q ?o 。}", "column 16: 。 is full-width punctuation; SPARQL takes the ASCII ."),
        ("ASK { ?p ?q 《安全生产法》 }", "column 13: 《安全生产法》 is a bare word; write a name in quotes"),
        ("ASK { ?p ?q ·x }", "column 13: ·x is a bare word"),
    ],
)  # fmt: skip
def test_bare_word_message(text: str, message: str) -> None:
    t = bare_word(text)
    assert t is not None and message in bare_word_message(text, t)


@pytest.mark.parametrize(
    ("c", "ascii_"),
    [("？", "?"), ("（", "("), ("：", ":"), ("，", ","), ("长", None), ("《", None), ("·", None)],
)
def test_half_width(c: str, ascii_: str | None) -> None:
    assert half_width(c) == ascii_
