"""SPARQL over a built dataset: named queries, the check of what a query may reach, the
engines, result formats, the embedded store, the read-only endpoint and pushing to others."""
