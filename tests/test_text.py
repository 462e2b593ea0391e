"""kg.text (normalised text mapped back to the source) and kg.paths (where data lives)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import paths
from kg.text import NormText, is_cjk, rx


def test_norm_text_maps_every_position_back_to_the_source() -> None:
    source = "建筑施\n\n工紧盯\n\n煤矿行业"
    # a paragraph broken across columns is glued; the next one is joined by "\n"
    nt = NormText(source, [(0, 3, False), (5, 8, True), (10, 14, False)])
    assert nt.text == "建筑施工紧盯\n煤矿行业"
    for i, ch in enumerate(nt.text):
        if ch != "\n":
            assert source[nt.src(i)] == ch
    s = nt.text.index("施工")
    a, b = nt.src_span(s, s + 2)
    assert source[a:b] == "施\n\n工"  # the span covers the removed break
    assert nt.src_span(4, 4) == (nt.src(4), nt.src(4))


@pytest.mark.parametrize(
    ("ch", "want"), [("县", True), ("㐀", True), ("a", False), ("，", False), ("ー", False)]
)
def test_is_cjk(ch: str, want: bool) -> None:
    assert is_cjk(ch) is want


def test_rx_compiles_once() -> None:
    assert rx("[\u4e00-\u9fff]+") is rx("[\u4e00-\u9fff]+")
    assert rx("[\u4e00-\u9fff]+").fullmatch("应急管理")


def test_paths_follow_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (paths.package_dir() / "rules").is_dir()
    assert (paths.ontology_dir() / "kg.ttl").is_file()
    monkeypatch.setenv("SAFETY_KG_ONTOLOGY", str(tmp_path))
    assert paths.ontology_dir() == tmp_path
    monkeypatch.delenv("SAFETY_KG_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert paths.cache_dir() == tmp_path / "safety-kg"
    monkeypatch.setenv("SAFETY_KG_CACHE", str(tmp_path / "c"))
    assert paths.cache_dir() == tmp_path / "c"
