"""The RDF view of a corpus: quads under the safety-kg ontology, with provenance.

Layout of the dataset (named graphs are disjoint, so a store's union default graph holds
every triple exactly once, and a page's part can be replaced without touching the rest; the one
exception is the derived ``kg:targetsWithMeasure`` link, written by each page that states it):

``kgg:vocab``
    The SKOS concept schemes (Industry, Venue, Hazard, Measure) as published: concepts,
    labels, ``skos:broader`` and the inverse ``skos:narrower``.
``kgg:entities``
    Every entity: ``rdf:type`` (a class named as the gold type), ``rdfs:label@zh`` (the
    canonical name), ``skos:altLabel@zh`` (aliases), attributes (``kg:adcode``…). Term
    entities (Industry, Venue, Hazard, Measure) *are* the vocabulary's concepts.
``kgg:relations``
    Every relation as a plain triple (``kgi:place/… kg:implements kgi:campaign/…``) and as a
    reified ``rdf:Statement`` with the same subject, predicate and object.
``kgg:page/<file>`` (one per input page)
    The page, its articles (DCTERMS), the mention spans, the evidence spans (``kg:Evidence``,
    ``prov:wasQuotedFrom`` an article) and the provenance links ``statement
    prov:wasDerivedFrom evidence``. Also a link derived from them at build time, not
    extracted: ``actor kg:targetsWithMeasure target`` when one evidence span of the page states
    both that the actor targets the target and that it takes a measure; and ``article
    kg:mentionsType class`` for each entity type the article mentions.

IRIs are a pure function of the data: ``kgi:<type>/<percent-encoded canonical name>`` for
entities (the SKOS concept IRI for vocabulary terms), ``kgi:page/<file>``,
``kgi:article/<file>%23<index>``, ``kgi:evidence/<file>/<start>-<end>``,
``kgi:statement/<hash of subject, predicate, object>``. Nothing is a blank node, so every
serialization is stable.

:mod:`~kg.export.rdf.iri` names things, :mod:`~kg.export.rdf.quads` turns a corpus into quads
(plain tuples: IRIs are ``str``, literals ``Lit``, so building them needs no RDF library),
:mod:`~kg.export.rdf.serialize` writes them (N-Quads, Turtle, TriG, JSON-LD) or converts them
(rdflib, Oxigraph), and :mod:`~kg.export.rdf.read` rebuilds a corpus from RDF.
"""
