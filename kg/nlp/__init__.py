"""Shared language resources and page structure: what every extractor reads.

``layout`` cuts a page into articles, ``segment`` turns them into a Doc (paragraphs,
sentences, tokens, offsets), ``gazetteer`` and ``vocab`` are the divisions and the SKOS
vocabularies, and ``resources`` builds them once with the lexicon automaton and the tokenizer.
"""
