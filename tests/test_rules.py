"""Rule files are validated at load: a broken key is a DataError naming the file and the key.
An analyst's rules folder is layered over the bundled rules (lists extend, scalars replace)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import rules
from kg.errors import DataError
from kg.rules.schema import SCHEMAS

RULES = Path(rules.__file__).parent


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_bundled_rule_file_matches_its_schema(name):
    assert rules.load(name)  # raises DataError otherwise


def test_every_rule_file_has_a_schema():
    assert {p.stem for p in RULES.glob("*.toml")} == set(SCHEMAS)


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (RULES / f"{name}.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        # a misspelt key: named, with the spelling it should have
        (
            "relations",
            "\nhome_subjects =",
            "\nhome_subject =",
            "unknown key `home_subject`; did you mean `home_subjects`?",
        ),
        ("persons", "\nposts =", "\npost_list =", "unknown key `post_list`"),
        # a missing key (commented out)
        ("places", "\ntown_suffixes =", "\n# town_suffixes =", "missing key"),
        # a key of a nested table
        ("orgs", "\ncounty = ", "\ncountry = ", "unknown key `country` in `$.fire_service`"),
        # a wrong type
        ("documents", "max_title_chars = 80", 'max_title_chars = "80"', "Expected `int`, got `str`"),
    ],
)
def test_a_broken_rule_file_is_a_data_error_naming_file_and_key(tmp_path, name, old, new, message):
    path = _broken(tmp_path, name, old, new)
    with pytest.raises(DataError) as err:
        rules.load_file(path, name)
    text = str(err.value)
    assert text.startswith(str(path) + ": ")
    assert message in text
    assert "\n" not in text  # one line


def test_missing_key_names_the_key(tmp_path):
    path = _broken(tmp_path, "places", "\ntown_suffixes =", "\n# town_suffixes =")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "town_suffixes" not in data
    with pytest.raises(DataError, match="missing key `town_suffixes`"):
        rules.load_file(path, "places")


# -- typed rules, the alternation helper -------------------------------------------------------


def test_each_rule_file_is_a_typed_struct_read_by_attribute():
    rs = rules.RuleSet()
    for name, struct in SCHEMAS.items():
        assert isinstance(getattr(rs, name), struct)
    assert "有限公司" in rs.orgs.strong_heads
    assert (
        rs.documents.max_title_chars
        == tomllib.loads((RULES / "documents.toml").read_text("utf-8"))["max_title_chars"]
    )


@pytest.mark.parametrize(
    ("words", "text", "want"),
    [
        (["安全", "安全生产", "a.b"], "安全生产a.b axb", ["安全生产", "a.b"]),  # longest first, escaped
        (["局", "应急管理局", "局"], "市应急管理局", ["应急管理局"]),
        ([], "任何文字", []),  # no words: never matches
    ],
)
def test_alternation_is_escaped_and_prefers_long_forms(words, text, want):
    assert re.findall(rules.alternation(words), text) == want


def test_alternation_does_not_depend_on_the_order_given():
    assert rules.alternation(["ab", "cd", "a"]) == rules.alternation(["a", "cd", "ab"]) == "ab|cd|a"


# -- layering a user rules folder ---------------------------------------------------------------

_USER_TTL = """
@prefix kgv: <https://w3id.org/safety-kg/vocab/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix haz: <https://w3id.org/safety-kg/vocab/hazard/> .

haz:glow-dust a skos:Concept ;
    skos:inScheme kgv:hazard ;
    skos:prefLabel "荧晶粉尘爆燃"@zh, "Glow dust deflagration"@en ;
    skos:broader haz:accident-disaster ;
    skos:note "分析员补充的术语"@zh .
"""

# made-up words: neither the bundled rules nor the vocabularies know them
_SENTENCE = "区应急管理局近日组织开展荧晶粉尘爆燃隐患排查，长治市星河联勤坊负责人参加。"


def _user_dir(tmp_path: Path, orgs: str = 'strong_heads = ["联勤坊"]\n') -> Path:
    d = tmp_path / "myrules"
    d.mkdir()
    (d / "orgs.toml").write_text(orgs, encoding="utf-8")
    (d / "hazard_local.ttl").write_text(_USER_TTL, encoding="utf-8")
    return d


def _entities(rules_dir: Path | None) -> set[tuple[str, str]]:
    from kg.pipeline import extract_text

    r = extract_text(_SENTENCE, home="长治市", rules_dir=str(rules_dir) if rules_dir else None)
    return {(e.type, e.name) for e in r.entities}


def test_a_made_up_term_and_head_in_a_user_rules_dir_are_extracted(tmp_path):
    bundled = _entities(None)
    layered = _entities(_user_dir(tmp_path))
    new = {("Hazard", "荧晶粉尘爆燃"), ("Organization", "长治市星河联勤坊")}
    assert not new & bundled
    # the bundled rules still apply; the user's longer term wins over 爆燃 (爆炸) inside it
    assert layered == (bundled - {("Hazard", "爆炸")}) | new
    assert ("Hazard", "爆炸") in bundled
    # the bundled rules alone again afterwards: nothing leaks between rule sets
    assert _entities(None) == bundled


def test_lists_extend_tables_merge_and_scalars_replace(tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    (d / "orgs.toml").write_text(
        'strong_heads = ["联勤坊", "有限公司"]\n[fire_service]\ncounty = "消防中队"\n', encoding="utf-8"
    )
    (d / "documents.toml").write_text("max_title_chars = 12\n", encoding="utf-8")
    base, user = rules.RuleSet(), rules.RuleSet(d)
    assert user.orgs.strong_heads == [*base.orgs.strong_heads, "联勤坊"]  # appended once
    assert user.orgs.fire_service.county == "消防中队"
    assert user.orgs.fire_service.prefecture == base.orgs.fire_service.prefecture  # merged
    assert user.documents.max_title_chars == 12
    assert user.documents.doc_types == base.documents.doc_types
    assert user.persons == base.persons  # no user file: the bundled one


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("orgs", 'strong_head = ["联勤坊"]\n', "unknown key `strong_head`; did you mean `strong_heads`?"),
        ("orgs", '[fire_service]\ncountry = "中队"\n', "unknown key `country` in `$.fire_service`"),
        ("documents", 'max_title_chars = "80"\n', "Expected `int`, got `str`"),
        ("org", 'strong_heads = ["联勤坊"]\n', "not a rule file; did you mean orgs.toml?"),
        ("persons", "posts = [\n", "not valid TOML"),
    ],
)
def test_a_bad_user_rule_file_is_a_one_line_data_error_naming_it(tmp_path, name, text, message):
    d = tmp_path / "r"
    d.mkdir()
    path = d / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        rules.RuleSet(d)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_the_cli_reports_a_misspelt_user_key_in_one_line_before_extracting(tmp_path, monkeypatch):
    from kg.cli import main

    d = _user_dir(tmp_path, orgs='strong_head = ["联勤坊"]\n')
    page = tmp_path / "p.txt"
    page.write_text(_SENTENCE + "\n", encoding="utf-8")
    for args, env in (([str(page), "--rules", str(d)], {}), ([str(page)], {"KG_RULES": str(d)})):
        r = CliRunner().invoke(main, ["extract", *args], env=env)
        assert r.exit_code != 0
        assert r.stdout == ""  # nothing extracted with half the rules
        lines = r.stderr.strip().splitlines()
        assert lines == [
            f"kg: error: {d / 'orgs.toml'}: unknown key `strong_head`; did you mean `strong_heads`?"
        ]


def test_the_cli_layers_rules_from_the_option_and_the_environment(tmp_path):
    from kg.cli import main

    d = _user_dir(tmp_path)
    page = tmp_path / "p.txt"
    page.write_text(_SENTENCE + "\n", encoding="utf-8")
    for args, env in (([], {}), (["--rules", str(d)], {}), ([], {"KG_RULES": str(d)})):
        r = CliRunner().invoke(main, ["extract", str(page), "--home", "长治市", *args], env=env)
        assert r.exit_code == 0, r.output
        names = {e["name"] for e in json.loads(r.stdout)["entities"]}
        assert ("荧晶粉尘爆燃" in names) == bool(args or env)


def test_the_user_rules_reach_the_worker_processes(tmp_path):
    """With --jobs 2 each page is extracted in a forked worker: with the user's rules too."""
    from kg.pipeline import extract_paths

    d = _user_dir(tmp_path)
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(_SENTENCE + "\n", encoding="utf-8")
    pages = [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")]
    for rules_dir, expected in ((str(d), True), (None, False)):
        ext = extract_paths(pages, home="长治市", jobs=2, rules_dir=rules_dir)
        assert [("荧晶粉尘爆燃" in {e.name for e in r.entities}) for r in ext.files] == [expected] * 3


def test_the_cache_key_includes_the_user_rules(tmp_path):
    from kg.pipeline import extract_paths
    from kg.pipeline.cache import ResultCache

    d = _user_dir(tmp_path, orgs="strong_heads = []\n")
    page = tmp_path / "p.txt"
    page.write_text(_SENTENCE + "\n", encoding="utf-8")
    cache = ResultCache(tmp_path / "cache")

    def run() -> tuple[list[str], set[str]]:
        ext = extract_paths([str(page)], home="长治市", cache=cache, rules_dir=str(d))
        return ext.extracted, {e.name for e in ext.files[0].entities}

    first = run()
    assert first[0] == ["p.txt"] and "长治市星河联勤坊" not in first[1]
    assert run()[0] == []  # unchanged: served from the cache
    (d / "orgs.toml").write_text('strong_heads = ["联勤坊"]\n', encoding="utf-8")
    extracted, names = run()
    assert extracted == ["p.txt"]  # an edited user rule re-extracts (no stale result)
    assert "长治市星河联勤坊" in names


def test_a_bad_user_vocabulary_is_a_one_line_data_error_naming_it(tmp_path):
    from kg.nlp.resources import Resources

    d = tmp_path / "r"
    d.mkdir()
    (d / "local.ttl").write_text("haz:x a skos:Concept", encoding="utf-8")  # undeclared prefixes
    with pytest.raises(DataError) as err:
        Resources(rules_dir=d, vocab_dir=d)
    assert str(err.value).startswith(f"{d / 'local.ttl'}: not valid Turtle")
    assert "\n" not in str(err.value)
