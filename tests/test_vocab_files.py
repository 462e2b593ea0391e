"""Checks of the SKOS vocabularies in ontology/vocab/*.ttl.

The vocabularies are the single source for the lexicon matcher, jieba's user dictionary and
the RDF graph, so they are checked here as data: they parse, every concept is well formed,
labels are unique within a scheme, the guideline terms are present with their exact canonical
names, and every kg:matchPattern compiles and behaves on a table of examples.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "ontology" / "vocab"
# the team's shared guidelines sit next to the repo on a developer machine; the drift
# check below is skipped where they are not
GUIDELINES = ROOT / "gold" / "GUIDELINES.md"  # the copy bundled in the repo

KG = Namespace("https://w3id.org/safety-kg/ontology#")
KGV = "https://w3id.org/safety-kg/vocab/"

#: entity type of the guidelines -> scheme (file stem)
SCHEMES = {"Industry": "industry", "Venue": "venue", "Hazard": "hazard", "Measure": "measure"}
LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, KG.contextLabel)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# --------------------------------------------------------------------------------------------
# The spec: the vocabularies of GUIDELINES.md ("canonical name: aliases"), copied verbatim.
# --------------------------------------------------------------------------------------------
GUIDELINE_VOCAB: dict[str, dict[str, tuple[str, ...]]] = {
    "Industry": {
        "煤矿": ("煤矿行业", "煤业"),
        "非煤矿山": (),
        "矿山": (),
        "尾矿库": (),
        "危险化学品": ("危化品", "危化", "危化工"),
        "城镇燃气": ("燃气",),
        "建筑施工": ("在建工程", "项目施工", "施工"),
        "工贸": ("工贸行业", "工贸企业"),
        "钢铁": (),
        "铝加工": ("深井铸造",),
        "金属冶炼": (),
        "粉尘涉爆": (),
        "有限空间作业": ("有限空间",),
        "动火作业": (),
        "交通运输": ("货运运输",),
        "道路交通": (),
        "烟花爆竹": (),
        "电力": (),
        "铁路": (),
        "消防": ("消防安全",),
        "森林草原防火": ("森林防火", "护林防火", "林草防火"),
        "防汛": ("防汛备汛", "防洪排涝"),
        "文物保护": (),
        # "Vocabulary terms outside the lists that clearly belong to a type"
        "精细化工": (),
    },
    "Venue": {
        "高层建筑": (),
        "老旧小区": (),
        "住宅小区": (),
        "人员密集场所": (),
        "九小场所": (),
        "养老机构": ("养老院",),
        "学校": ("校园",),
        "医院": (),
        "商超": (),
        "加油站": (),
        "沿街商铺": (),
        "经营性住房": (),
        "林区": (),
        "河道": (),
        "水库堤防": ("水库",),
        "低洼地带": ("低洼地", "低洼路段"),
        "地质灾害隐患点": ("地质灾害点",),
        "铁路沿线": (),
        "田间地头": (),
        "企业": (),
        "社区": (),
        "山洪沟道": (),
        "涵洞桥梁": (),
    },
    "Hazard": {
        "火灾": (),
        "森林火灾": ("森林草原火灾",),
        "电气火灾": (),
        "洪涝": (),
        "山洪": (),
        "城市内涝": (),
        "强降雨": ("暴雨",),
        "地质灾害": (),
        "地震": (),
        "爆炸": (),
        "泄漏": (),
        "道路交通事故": ("交通事故",),
        "生产安全事故": (),
        "溺水": (),
    },
    "Measure": {
        "隐患排查整治": ("隐患排查", "排查整治"),
        "宣传教育": ("安全宣传", "警示教育"),
        "教育培训": ("培训",),
        "应急演练": ("演练",),
        "监测预警": (),
        "执法检查": ("联合执法", "监督检查"),
        "巡查巡护": ("巡查", "巡护"),
        "值班值守": (),
        "应急物资储备": ("物资储备",),
        "应急预案": ("修订预案",),
        "应急救援队伍建设": ("救援队伍",),
        "专家指导服务": ("专家帮扶",),
        "智能化建设": ("科技赋能", "智能监测"),
        "视频监控": (),
        "责任落实": ("压实责任",),
    },
}

#: "Conventions settled on real county-level articles" of the guidelines: terms the real
#: articles settled (canonical name: aliases). Their canonical names are fixed like the lists'.
CONVENTION_VOCAB: dict[str, dict[str, tuple[str, ...]]] = {
    "Industry": {"电动自行车": ("电动车", "电瓶车")},
    "Venue": {"自建房": (), "餐饮场所": ("餐饮企业", "餐饮商户")},
    "Hazard": {"台风": (), "大风": ()},
}

#: The measure categories listed in the guidelines must stay top concepts.
GUIDELINE_MEASURES = tuple(GUIDELINE_VOCAB["Measure"])

#: Conventions of the guidelines: surface form -> (type, canonical name).
GUIDELINE_CONVENTIONS = {
    "开展隐患排查": ("Measure", "隐患排查整治"),
    "加密巡查": ("Measure", "巡查巡护"),
    "24小时备勤": ("Measure", "值班值守"),
    "热成像摄像头": ("Measure", "视频监控"),
    "视频探头": ("Measure", "视频监控"),
}

#: Strings that are ambiguous in running text and must be context labels (possibly also the
#: prefLabel) of the named concept.
MUST_BE_CONTEXTUAL = {
    "Industry": {
        "施工": "建筑施工",
        "燃气": "城镇燃气",
        "电力": "电力",
        "铁路": "铁路",
        "消防": "消防",
        "煤业": "煤矿",
    },
    "Venue": {"企业": "企业", "社区": "社区", "学校": "学校", "医院": "医院"},
    "Hazard": {"火情": "火灾"},
    "Measure": {
        "培训": "教育培训",
        "演练": "应急演练",
        "宣传": "宣传教育",
        "巡查": "巡查巡护",
        "检查": "执法检查",
        "预警": "监测预警",
    },
}

#: Label strings allowed on concepts of two different schemes (should stay empty).
ALLOWED_CROSS_SCHEME: set[str] = set()

MIN_CONCEPTS = {"industry": 40, "venue": 45, "hazard": 35, "measure": len(GUIDELINE_MEASURES)}
MIN_MEASURE_TRIGGERS = 150
MAX_PATTERNS_PER_CONCEPT = 4

#: kg:matchPattern behaviour: (scheme, canonical name, text, should some pattern match?)
PATTERN_CASES = [
    ("measure", "隐患排查整治", "动态消除重大事故隐患", True),
    ("measure", "隐患排查整治", "查大问题、除大隐患、防大事故", True),
    ("measure", "隐患排查整治", "同步排查周边管网隐患", True),
    ("measure", "隐患排查整治", "对发现的隐患立即整改到位", True),
    ("measure", "隐患排查整治", "建立问题隐患台账", True),
    ("measure", "隐患排查整治", "除了火灾隐患", False),
    ("measure", "隐患排查整治", "排除万难，勇往直前", False),
    ("measure", "宣传教育", "向孩子们讲解防溺水等知识", True),
    ("measure", "宣传教育", "普及消防安全常识", True),
    ("measure", "宣传教育", "发放宣传资料3000余份", True),
    ("measure", "宣传教育", "普及金融知识", False),
    ("measure", "宣传教育", "按时发放工资", False),
    ("measure", "教育培训", "开展有限空间作业安全培训", True),
    ("measure", "教育培训", "组织企业负责人参加应急管理培训", True),
    ("measure", "教育培训", "开展创业技能培训", False),
    ("measure", "教育培训", "组织开展家政服务培训", False),
    ("measure", "应急演练", "举行一次地震应急演练", True),
    ("measure", "应急演练", "开展各类应急逃生演练330余次", True),
    ("measure", "应急演练", "演练结束后进行点评", False),
    ("measure", "监测预警", "市气象局发布暴雨黄色预警信号", True),
    ("measure", "监测预警", "安装一台地震预警终端", True),
    ("measure", "监测预警", "新闻发布会在市政府召开", False),
    ("measure", "执法检查", "严厉打击非法违法行为", True),
    ("measure", "执法检查", "重拳整治违法违规行为", True),
    ("measure", "执法检查", "依法查处违规用火行为", True),
    ("measure", "执法检查", "整治村容村貌", False),
    ("measure", "巡查巡护", "加密林区巡查、严控野外火源", True),
    ("measure", "巡查巡护", "常态化开展日常巡查", True),
    ("measure", "巡查巡护", "程国国也一直在坚守巡查", True),
    ("measure", "巡查巡护", "省委巡查组反馈意见", False),
    ("measure", "应急物资储备", "足额储备物资", True),
    ("measure", "应急物资储备", "常年配备有沙袋、铁锹、雨衣、雨鞋等防汛物资", True),
    ("measure", "应急物资储备", "前置抢险物资", True),
    ("measure", "应急物资储备", "购买生活物资", False),
    ("measure", "应急救援队伍建设", "建强专业队伍", True),
    ("measure", "应急救援队伍建设", "组建200余支村级群防群治应急小队", True),
    ("measure", "应急救援队伍建设", "成立森林扑火队", True),
    ("measure", "应急救援队伍建设", "建立工作专班", False),
    ("measure", "应急救援队伍建设", "组建专家团队", False),
    ("measure", "专家指导服务", "聘请专家开展隐患排查", True),
    ("measure", "专家指导服务", "邀请省级专家进行现场指导", True),
    ("measure", "专家指导服务", "邀请专家作专题报告", False),
    ("measure", "智能化建设", "小常煤业依托智能化中控平台", True),
    ("measure", "智能化建设", "加快信息化平台建设", True),
    ("measure", "智能化建设", "享受智能化生活", False),
    ("measure", "责任落实", "压实防火责任", True),
    ("measure", "责任落实", "全链条压实监管责任", True),
    ("measure", "责任落实", "压实安全生产责任链条", True),
    ("measure", "责任落实", "推动责任到岗、到人、到环节", True),
    ("measure", "责任落实", "逐级签订安全生产责任书", True),
    ("measure", "责任落实", "落实企业安全生产主体责任", True),
    ("measure", "责任落实", "落实“时时放心不下”的责任感", False),
    ("measure", "责任落实", "责任重大，使命光荣", False),
    ("measure", "责任落实", "扛牢全面从严治党主体责任", False),
    ("measure", "责任落实", "压实党风廉政建设责任", False),
    ("measure", "责任落实", "压紧压实党政领导责任", True),
    ("measure", "充电设施建设", "新建电动自行车集中充电桩1800个", True),
    ("measure", "充电设施建设", "小区充电桩使用率不高", False),
    ("hazard", "生产安全事故", "防范遏制重大及以上事故", True),
    ("hazard", "生产安全事故", "坚决遏制重特大事故", True),
    ("hazard", "生产安全事故", "动态清零重大事故隐患", False),
    ("hazard", "生产安全事故", "排查事故多发路段", False),
]


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------
@cache
def graph(stem: str) -> Graph:
    g = Graph()
    g.parse(VOCAB / f"{stem}.ttl", format="turtle")
    return g


def scheme_iri(stem: str) -> URIRef:
    return URIRef(KGV + stem)


def concepts(stem: str) -> list[URIRef]:
    return sorted(graph(stem).subjects(RDF.type, SKOS.Concept))


def zh(g: Graph, c: URIRef, prop: URIRef) -> list[str]:
    return [str(o) for o in g.objects(c, prop) if isinstance(o, Literal) and o.language == "zh"]


@cache
def pref_index(stem: str) -> dict[str, URIRef]:
    g = graph(stem)
    out: dict[str, URIRef] = {}
    for c in concepts(stem):
        for p in zh(g, c, SKOS.prefLabel):
            out[p] = c
    return out


@cache
def label_index(stem: str) -> dict[str, set[URIRef]]:
    """Every zh label string (any label property) -> the concepts carrying it."""
    g = graph(stem)
    out: dict[str, set[URIRef]] = defaultdict(set)
    for c in concepts(stem):
        for prop in LABEL_PROPS:
            for s in zh(g, c, prop):
                out[s].add(c)
    return out


def labels_of(stem: str, c: URIRef) -> set[str]:
    g = graph(stem)
    return {s for prop in LABEL_PROPS for s in zh(g, c, prop)}


def broader_closure(stem: str, c: URIRef) -> set[URIRef]:
    g = graph(stem)
    seen: set[URIRef] = set()
    todo = [c]
    while todo:
        x = todo.pop()
        for b in g.objects(x, SKOS.broader):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


STEMS = list(SCHEMES.values())


# --------------------------------------------------------------------------------------------
# Files and schemes
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", [*STEMS, "_terms"])
def test_file_parses(stem):
    assert len(graph(stem)) > 0


def test_terms_declares_annotation_properties():
    g = graph("_terms")
    for prop in (KG.contextLabel, KG.matchPattern):
        assert (prop, RDF.type, OWL.AnnotationProperty) in g, prop
        assert list(g.objects(prop, RDFS.label)), prop
        assert list(g.objects(prop, RDFS.comment)), prop
    assert (KG.contextLabel, RDFS.subPropertyOf, SKOS.hiddenLabel) in g


@pytest.mark.parametrize("stem", STEMS)
def test_scheme_header(stem):
    g = graph(stem)
    s = scheme_iri(stem)
    assert (s, RDF.type, SKOS.ConceptScheme) in g
    langs = {o.language for o in g.objects(s, SKOS.prefLabel)}
    assert {"zh", "en"} <= langs
    assert list(g.objects(s, DCTERMS.description))
    assert list(g.objects(s, SKOS.hasTopConcept))
    # one scheme per file
    assert set(g.subjects(RDF.type, SKOS.ConceptScheme)) == {s}


@pytest.mark.parametrize("stem", STEMS)
def test_concepts_well_formed(stem):
    g = graph(stem)
    s = scheme_iri(stem)
    cs = concepts(stem)
    assert cs
    errors = []
    for c in cs:
        iri = str(c)
        if not iri.startswith(f"{s}/") or not SLUG.match(iri[len(s) + 1 :]):
            errors.append(f"bad IRI {iri}")
        if (c, SKOS.inScheme, s) not in g:
            errors.append(f"{iri} not inScheme {s}")
        pz = zh(g, c, SKOS.prefLabel)
        pe = [o for o in g.objects(c, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "en"]
        if len(pz) != 1 or len(pe) != 1:
            errors.append(f"{iri}: prefLabel zh={pz} en={pe}")
        others = [o for o in g.objects(c, SKOS.prefLabel) if o.language not in ("zh", "en")]
        if others:
            errors.append(f"{iri}: prefLabel without zh/en tag {others}")
        for prop in (SKOS.altLabel, SKOS.hiddenLabel, KG.contextLabel):
            for o in g.objects(c, prop):
                if not isinstance(o, Literal) or o.language != "zh":
                    errors.append(f"{iri}: {prop} {o!r} is not a @zh literal")
        for prop in LABEL_PROPS:
            for lab in zh(g, c, prop):
                if not lab or lab != lab.strip() or re.search(r"\s", lab):
                    errors.append(f"{iri}: label {lab!r} empty or has whitespace")
        defs = [o for o in g.objects(c, SKOS.definition) if o.language == "en"]
        if len(defs) != 1:
            errors.append(f"{iri}: expected one skos:definition@en, got {len(defs)}")
        for b in g.objects(c, SKOS.broader):
            if (b, RDF.type, SKOS.Concept) not in g or (b, SKOS.inScheme, s) not in g:
                errors.append(f"{iri}: broader {b} is not a concept of {s}")
        if list(g.objects(c, SKOS.narrower)):
            errors.append(f"{iri}: write skos:broader only, not skos:narrower")
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("stem", STEMS)
def test_every_concept_names_its_source(stem):
    """Each concept carries a skos:note@zh naming the law, standard or plan it comes from."""
    g = graph(stem)
    bad = []
    for c in concepts(stem):
        notes = [o for o in g.objects(c, SKOS.note) if isinstance(o, Literal)]
        if not notes or any(o.language != "zh" or not str(o).startswith("来源：") for o in notes):
            bad.append(str(c))
    assert not bad, bad


#: GB/T 4754-2017 codes of some industries (concept -> notations), checked against the standard
GBT4754 = {
    "煤矿": {"06"},
    "非煤矿山": {"08", "09", "10"},
    "烟花爆竹": {"2672"},
    "民用爆炸物品": {"2671"},
    "建筑施工": {"E"},
    "城镇燃气": {"45"},
    "铁路": {"53"},
    "造纸": {"222"},
}


@pytest.mark.parametrize("stem", STEMS)
def test_notations_are_gbt4754_codes(stem):
    """Notations are typed kg:GBT4754 and look like a section letter or a 2-4 digit code."""
    g = graph(stem)
    for c in concepts(stem):
        for o in g.objects(c, SKOS.notation):
            assert stem == "industry", f"{c}: only industries map to GB/T 4754"
            assert isinstance(o, Literal) and o.datatype == KG.GBT4754, (c, o)
            assert re.fullmatch(r"[A-T]|[0-9]{2,4}", str(o)), (c, o)


@pytest.mark.parametrize(("name", "codes"), sorted(GBT4754.items()))
def test_industry_codes(name, codes):
    g = graph("industry")
    assert {str(o) for o in g.objects(pref_index("industry")[name], SKOS.notation)} == codes


def test_notations_and_notes_are_published():
    """The compiled vocabulary and the RDF vocabulary graph carry notations and notes."""
    from kg.export.rdf.quads import Lit, vocab_quads, zh
    from kg.nlp import vocab

    voc = vocab.load()
    coal = voc.by_name[("Industry", "煤矿")]
    assert coal.notations == (("06", str(KG.GBT4754)),)
    assert coal.notes and coal.notes[0].startswith("来源：")
    quads = vocab_quads(voc)
    got = {(q[1], q[2]) for q in quads if q[0] == coal.iri}
    assert (str(SKOS.notation), Lit("06", None, str(KG.GBT4754))) in got
    assert (str(SKOS.note), zh(coal.notes[0])) in got


@pytest.mark.parametrize("stem", STEMS)
def test_top_concepts_consistent(stem):
    g = graph(stem)
    s = scheme_iri(stem)
    has_top = set(g.objects(s, SKOS.hasTopConcept))
    for c in concepts(stem):
        is_top = not list(g.objects(c, SKOS.broader))
        assert ((c, SKOS.topConceptOf, s) in g) == is_top, c
        assert (c in has_top) == is_top, c
    assert has_top <= set(concepts(stem))


@pytest.mark.parametrize("stem", STEMS)
def test_broader_has_no_cycles(stem):
    for c in concepts(stem):
        assert c not in broader_closure(stem, c), f"cycle through {c}"


@pytest.mark.parametrize("stem", STEMS)
def test_minimum_size(stem):
    assert len(concepts(stem)) >= MIN_CONCEPTS[stem]


def test_measure_trigger_count():
    g = graph("measure")
    n = sum(len(labels_of("measure", c)) - 1 for c in concepts("measure"))  # minus the prefLabel
    n += len(list(g.objects(None, KG.matchPattern)))
    assert n >= MIN_MEASURE_TRIGGERS, n


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", STEMS)
def test_no_label_on_two_concepts(stem):
    shared = {lab: sorted(map(str, cs)) for lab, cs in label_index(stem).items() if len(cs) > 1}
    assert not shared, shared


@pytest.mark.parametrize("stem", STEMS)
def test_no_label_repeated_within_a_concept(stem):
    """A string appears once per concept, except prefLabel + contextLabel (ambiguous canonical)."""
    g = graph(stem)
    errors = []
    for c in concepts(stem):
        seen: dict[str, list[str]] = defaultdict(list)
        for prop in LABEL_PROPS:
            for lab in zh(g, c, prop):
                seen[lab].append(prop.n3(g.namespace_manager))
        for lab, props in seen.items():
            if len(props) > 1 and sorted(props) != ["kg:contextLabel", "skos:prefLabel"]:
                errors.append(f"{c}: {lab} on {props}")
    assert not errors, "\n".join(errors)


def test_no_label_shared_across_schemes():
    where: dict[str, set[str]] = defaultdict(set)
    for stem in STEMS:
        for lab in label_index(stem):
            where[lab].add(stem)
    shared = {lab for lab, stems in where.items() if len(stems) > 1}
    assert shared == ALLOWED_CROSS_SCHEME, {lab: sorted(where[lab]) for lab in shared}


@pytest.mark.parametrize(
    ("typ", "canonical"), [(t, n) for t, vocab in GUIDELINE_VOCAB.items() for n in vocab]
)
def test_guideline_terms_present(typ, canonical):
    stem = SCHEMES[typ]
    prefs = pref_index(stem)
    assert canonical in prefs, f"{canonical} is not a prefLabel@zh in {stem}.ttl"
    c = prefs[canonical]
    labels = labels_of(stem, c)
    missing = [a for a in GUIDELINE_VOCAB[typ][canonical] if a not in labels]
    assert not missing, f"{canonical}: aliases {missing} not labels of {c}"


@pytest.mark.parametrize(
    ("typ", "canonical"), [(t, n) for t, vocab in CONVENTION_VOCAB.items() for n in vocab]
)
def test_convention_terms_present_and_named_canonically(typ, canonical):
    """The terms the conventions settle are concepts with those labels, and their canonical
    names are fixed (kg/rules/guideline_terms.toml), not taken from the text's form."""
    import tomllib

    stem = SCHEMES[typ]
    c = pref_index(stem).get(canonical)
    assert c is not None, f"{canonical} is not a prefLabel@zh in {stem}.ttl"
    missing = [a for a in CONVENTION_VOCAB[typ][canonical] if a not in labels_of(stem, c)]
    assert not missing, f"{canonical}: aliases {missing} not labels of {c}"
    fixed = tomllib.loads((ROOT / "kg" / "rules" / "guideline_terms.toml").read_text(encoding="utf-8"))
    assert canonical in fixed[typ]


def test_convention_table_matches_guidelines_file():
    """Drift check: the conventions table above is what gold/GUIDELINES.md settles."""
    text = GUIDELINES.read_text(encoding="utf-8").replace("\n", " ")
    text = re.sub(r"\s+", " ", text)
    assert "台风 and 大风 are Hazards; 自建房 and 餐饮场所 (餐饮企业, 餐饮商户) are Venues" in text
    assert "电动自行车 (电动车, 电瓶车) is an Industry" in text


def test_guideline_measures_are_top_concepts():
    g = graph("measure")
    s = scheme_iri("measure")
    for name in GUIDELINE_MEASURES:
        assert (pref_index("measure")[name], SKOS.topConceptOf, s) in g, name


@pytest.mark.parametrize(("surface", "target"), sorted(GUIDELINE_CONVENTIONS.items()))
def test_guideline_conventions(surface, target):
    """The worked examples of the guidelines are reached by a label or a pattern."""
    typ, name = target
    stem = SCHEMES[typ]
    c = pref_index(stem)[name]
    g = graph(stem)
    by_label = any(lab in surface for lab in labels_of(stem, c))
    by_pattern = any(re.search(str(p), surface) for p in g.objects(c, KG.matchPattern))
    assert by_label or by_pattern


@pytest.mark.parametrize(
    ("typ", "surface", "name"),
    [(t, s, n) for t, table in MUST_BE_CONTEXTUAL.items() for s, n in table.items()],
)
def test_ambiguous_forms_are_contextual(typ, surface, name):
    stem = SCHEMES[typ]
    c = pref_index(stem)[name]
    assert surface in zh(graph(stem), c, KG.contextLabel)
    # and not also listed as an everywhere-matched alias
    g = graph(stem)
    assert surface not in zh(g, c, SKOS.altLabel) + zh(g, c, SKOS.hiddenLabel)


def test_guideline_table_matches_guidelines_file():
    """Drift check: the table above equals the lists in gold/GUIDELINES.md."""
    text = GUIDELINES.read_text(encoding="utf-8")
    for typ in SCHEMES:
        m = re.search(rf"^{typ}: (.*?)(?:\n\n|\Z)", text, re.S | re.M)
        assert m, typ
        body = m.group(1).replace("\n", " ").rstrip(".").strip()
        for item in body.split(";"):
            item = item.strip()
            if not item:
                continue
            im = re.fullmatch(r"(\S+?)\s*(?:\((.*)\))?", item)
            assert im, item
            name, aliases = im.group(1), im.group(2)
            want = tuple(a.strip() for a in aliases.split(",")) if aliases else ()
            assert GUIDELINE_VOCAB[typ].get(name) == want, (typ, name, want)


# --------------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", STEMS)
def test_patterns_compile_and_are_plain(stem):
    g = graph(stem)
    for c in concepts(stem):
        pats = list(g.objects(c, KG.matchPattern))
        assert len(pats) <= MAX_PATTERNS_PER_CONCEPT, c
        for p in pats:
            assert isinstance(p, Literal) and p.language is None, (c, p)
            assert p.datatype in (None, URIRef("http://www.w3.org/2001/XMLSchema#string")), (c, p)
            rx = re.compile(str(p))
            assert not rx.search(""), f"{c}: pattern {p} matches the empty string"
            assert not rx.search("。；！？"), f"{c}: pattern {p} matches punctuation only"


@pytest.mark.parametrize(("stem", "name", "text", "expected"), PATTERN_CASES)
def test_pattern_cases(stem, name, text, expected):
    g = graph(stem)
    c = pref_index(stem)[name]
    pats = [re.compile(str(p)) for p in g.objects(c, KG.matchPattern)]
    assert pats, f"{name} has no kg:matchPattern"
    hit = [p.pattern for p in pats if p.search(text)]
    assert bool(hit) == expected, (text, hit)


def test_patterns_stay_within_a_clause():
    """No pattern match spans a sentence or clause break."""
    text = "要压实。各方责任；储备，物资；组建！救援队"
    for stem in STEMS:
        g = graph(stem)
        for p in g.objects(None, KG.matchPattern):
            for m in re.finditer(str(p), text):
                assert not re.search(r"[，,。；;！!？?]", m.group(0)), (p, m.group(0))
