"""Derived views of the corpus: JSONL, networkx, RDF, SPARQL, HTML, and the build folder."""
