"""Rule files are validated at load: a broken key is a DataError naming the file and the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

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
