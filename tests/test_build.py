"""``kg build``: outputs, byte-identical re-runs, the extraction cache, the store, atomic writes."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.corpus import Corpus
from kg.errors import KgError
from kg.export.build import OUTPUT_FILES, build
from kg.export.rdf import serialize
from kg.export.rdf.iri import page_graph
from kg.export.rdf.quads import corpus_quads
from kg.export.rdf.stream import DEFAULT_FORMATS, FORMAT_FILES
from kg.model import FileResult
from kg.pipeline import cache as kg_cache
from kg.pipeline.cache import ResultCache

from ._killbuild import HOOK, KillRig, snapshot
from ._util import missing_service
from .conftest import ROOT, SEED_DIR

KG_CLI = [sys.executable, "-m", "kg"]


def run_kg(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KG_CLI, *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env or dict(os.environ),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The seeds built twice by two separate processes (the second without the cache)."""
    base = tmp_path_factory.mktemp("build")
    first = run_kg(
        "build",
        str(SEED_DIR),
        "-o",
        str(base / "out1"),
        "--cache-dir",
        str(base / "cache"),
        "--formats",
        "all",
    )
    assert first.returncode == 0, first.stderr
    second = run_kg("build", str(SEED_DIR), "-o", str(base / "out2"), "--no-cache", "-q", "--formats", "all")
    assert second.returncode == 0, second.stderr
    return base / "out1", base / "out2", first


def test_build_writes_every_output(built) -> None:  # type: ignore[no-untyped-def]
    out, _out2, proc = built
    views = {"index.html", "overview.html", "resolve.html", "assets", "entity", "article", "index", "resolve"}
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, *views])
    summary_entities = json.loads((out / "summary.json").read_text(encoding="utf-8"))["entities"]
    assert len(list((out / "entity").glob("*.html"))) == sum(summary_entities.values())
    n_articles = json.loads((out / "summary.json").read_text(encoding="utf-8"))["articles"]
    assert len(list((out / "article").glob("*.html"))) == n_articles  # a page per article
    assert "pages 5" in proc.stderr and "relations" in proc.stderr  # the summary
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in summary["pages"]] == sorted(p.name for p in SEED_DIR.glob("*.txt"))
    assert summary["triples"] == sum(summary["graphs"].values())
    assert sum(1 for line in (out / "graph.nq").open(encoding="utf-8") if line.strip()) == summary["triples"]


def test_build_views_are_the_views_of_the_whole_corpus(  # type: ignore[no-untyped-def]
    built, seed_corpus: Corpus, tmp_path: Path
) -> None:
    """kg build writes each page's article pages as the page comes back and merges a corpus
    without page texts, paragraphs or repeated mentions: its views are still byte for byte
    those write_views writes from the whole corpus."""
    from kg.export.views import write_views

    out, _out2, _proc = built
    write_views(seed_corpus, tmp_path / "views")

    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*.html")
            if p.is_file() and not p.name.startswith(".")
        }

    mine, theirs = files(out), files(tmp_path / "views")
    assert sorted(mine) == sorted(theirs)
    assert sum(1 for rel in mine if rel.startswith("article/")) > 10
    assert [rel for rel in sorted(mine) if mine[rel] != theirs[rel]] == []


@pytest.mark.parametrize("name", OUTPUT_FILES)
def test_outputs_are_byte_identical_across_processes(built, name: str) -> None:  # type: ignore[no-untyped-def]
    out1, out2, _proc = built
    assert (out1 / name).read_bytes() == (out2 / name).read_bytes()


def test_serializations_hold_the_same_dataset(built) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    out, _out2, _proc = built
    n = json.loads((out / "summary.json").read_text(encoding="utf-8"))["triples"]

    def quads(name: str, fmt: ox.RdfFormat) -> set[ox.Quad]:
        return set(ox.parse(path=str(out / name), format=fmt))

    nq = quads("graph.nq", ox.RdfFormat.N_QUADS)
    assert len(nq) == n
    assert quads("graph.trig", ox.RdfFormat.TRIG) == nq
    assert quads("graph.jsonld", ox.RdfFormat.JSON_LD) == nq
    triples = {q.triple for q in nq}
    assert {q.triple for q in quads("graph.ttl", ox.RdfFormat.TURTLE)} == triples
    # and rdflib reads the Turtle as the same graph
    ttl = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    from_nq = rdflib.Graph()
    for t in triples:
        from_nq.add(tuple(rdflib.util.from_n3(str(x)) for x in (t.subject, t.predicate, t.object)))
    assert isomorphic(ttl, from_nq)
    ctx = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))["@context"]
    assert ctx["kg"] == "https://w3id.org/safety-kg/ontology#"


def test_graphml_is_the_networkx_view(built) -> None:  # type: ignore[no-untyped-def]
    import networkx as nx

    out, _out2, _proc = built
    g = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert g.number_of_nodes() == sum(summary["entities"].values())
    assert g.number_of_edges() == sum(summary["relations"].values())
    node = g.nodes["Place:长子县"]
    assert node["label"] == "长子县" and node["type"] == "Place" and node["adcode"] == "140428"
    edges = [d for _s, o, d in g.out_edges("Place:长子县", data=True) if o == "Campaign:春夏九防·敲门行动"]
    assert edges and "春夏九防·敲门行动" in edges[0]["evidence"]


def test_bar_query_on_the_built_seeds(built) -> None:  # type: ignore[no-untyped-def]
    out, _out2, _proc = built
    q = (
        "SELECT ?n WHERE { ?p a kg:Place ; rdfs:label ?n ; kg:implements ?c . "
        '?c rdfs:label "春夏九防·敲门行动"@zh }'
    )
    proc = run_kg("query", str(out), q, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.split()[1:]) == {"长子县", "屯留区", "壶关县"}


def test_unreadable_input_is_reported_and_the_rest_built(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(next(SEED_DIR.glob("004*.txt")), pages)
    (pages / "broken.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    proc = run_kg("build", str(pages), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c"), "-q")
    assert proc.returncode == 1
    assert "broken.txt" in proc.stderr and "Traceback" not in proc.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in summary["pages"]] == [next(SEED_DIR.glob("004*.txt")).name]


def test_build_needs_an_output(tmp_path: Path) -> None:
    proc = run_kg("build", str(SEED_DIR))
    assert proc.returncode == 2 and "-o OUT/" in proc.stderr


# -- the cache --------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_cache_round_trips_a_file_result(seed_results: list[FileResult], prefix: str) -> None:
    r = next(x for x in seed_results if x.source.name.startswith(prefix))
    data = json.loads(json.dumps(kg_cache.dump(r), ensure_ascii=False))
    assert kg_cache.load(data, r.source) == r


def test_cache_key_covers_text_name_and_options(seed_results: list[FileResult]) -> None:
    src = seed_results[0].source
    k = kg_cache.key(src, None)
    assert k == kg_cache.key(replace(src, path="elsewhere/" + src.name), None)  # moving a file is free
    assert k != kg_cache.key(replace(src, text=src.text + "。"), None)
    assert k != kg_cache.key(replace(src, name="other.txt"), None)
    assert k != kg_cache.key(src, "长治市")


def test_broken_cache_entry_is_ignored(tmp_path: Path, seed_results: list[FileResult]) -> None:
    c = ResultCache(tmp_path)
    r = seed_results[0]
    k = kg_cache.key(r.source, None)
    c.put(k, r)
    assert c.get(k, r.source) == r
    path = next(tmp_path.rglob(f"{k}.json"))
    path.write_text("{not json", encoding="utf-8")
    assert c.get(k, r.source) is None


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for p in sorted(SEED_DIR.glob("*.txt"))[3:]:
        shutil.copy(p, folder)
    return folder


def test_rebuild_reuses_the_cache_and_reextracts_only_a_changed_page(tmp_path: Path, pages: Path) -> None:
    work = tmp_path / "pages"
    shutil.copytree(pages, work)
    cache = ResultCache(tmp_path / "cache")
    store = tmp_path / "store"
    first = build([str(work)], out=tmp_path / "out", store=store, cache=cache)
    assert first.cached == [] and len(first.extracted) == 2
    assert gc.get_freeze_count() == 0  # the corpus, frozen while it was built, is given back
    assert first.store and first.store["added"] == first.store["graphs"]

    again = build([str(work)], out=tmp_path / "out", store=store, cache=cache)
    assert again.extracted == [] and sorted(again.cached) == sorted(first.extracted)
    assert again.store and again.store["changed"] == 0 and again.store["unchanged"] == again.store["graphs"]

    changed = sorted(work.glob("*.txt"))[0]
    text = changed.read_text(encoding="utf-8")
    cut = text.index("。") + 1
    changed.write_text(text[cut:], encoding="utf-8")  # the first sentence is gone
    third = build([str(work)], out=tmp_path / "out", store=store, cache=cache)
    assert third.extracted == [changed.name]
    other = sorted(work.glob("*.txt"))[1].name
    assert third.cached == [other]
    s = third.store
    assert s is not None and s["changed"] >= 1 and s["added"] == 0 and s["removed"] == 0
    # the other page's graph is untouched: every graph but the changed page's, the entity
    # and the relation graphs is unchanged
    assert s["unchanged"] >= s["graphs"] - 3

    import pyoxigraph as ox

    from kg.export.sparql.store import open_store

    st = open_store(store)
    nq = sum(1 for line in (tmp_path / "out" / "graph.nq").open(encoding="utf-8") if line.strip())
    assert len(st) == nq
    g = ox.NamedNode(page_graph(changed.name))
    assert len(list(st.quads_for_pattern(None, None, None, g))) > 0
    del st

    changed.unlink()  # the page leaves the corpus: its graph leaves the store
    fourth = build([str(work)], store=store, cache=cache)
    assert fourth.store and fourth.store["removed"] == 1
    st = open_store(store)
    assert not list(st.quads_for_pattern(None, None, None, g))


@pytest.mark.parametrize("block", [20_000, 10**9])
def test_the_store_is_bulk_loaded_in_blocks_that_hold_the_same_quads(
    tmp_path: Path, pages: Path, block: int
) -> None:
    """Cut into blocks (within a graph, across graphs, all in one), the bulk loader's store
    holds exactly the N-Quads file's quads."""
    import pyoxigraph as ox

    from kg.export.bulkstore import bulk_load_blocks

    nq = tmp_path / "graph.nq"
    build([str(pages)], out=tmp_path / "o", cache=None, views=False)
    shutil.copy(tmp_path / "o" / "graph.nq", nq)
    want = set(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    st = ox.Store(str(tmp_path / "db"))
    bulk_load_blocks(st, nq, block, threads=3)
    assert set(st) == want and len(want) > 1000


def test_a_bulk_load_block_smaller_than_a_line_waits_for_the_line_end(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from kg.export.bulkstore import bulk_load_blocks

    lines = [f'<urn:s{i}> <urn:p> "{"长" * (i % 7)}{i}" <urn:g{i // 5}> .' for i in range(40)]
    nq = tmp_path / "x.nq"
    nq.write_text("\n".join(lines), encoding="utf-8")  # no line end after the last line
    st = ox.Store(str(tmp_path / "db"))
    bulk_load_blocks(st, nq, 7)
    assert set(st) == set(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)) and len(st) == 40


def test_a_bad_block_stops_the_bulk_load_with_its_error(tmp_path: Path) -> None:
    from kg.export.bulkstore import bulk_load_blocks

    lines = [f"<urn:s{i}> <urn:p> <urn:o{i}> <urn:g> ." for i in range(200)]
    lines[150] = "<urn:s> <urn:p> <urn:o"  # cut short
    nq = tmp_path / "x.nq"
    nq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import pyoxigraph as ox

    with pytest.raises(SyntaxError):
        bulk_load_blocks(ox.Store(str(tmp_path / "db")), nq, 300, threads=3)


def test_a_failed_build_leaves_the_old_outputs(
    tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    cache = ResultCache(tmp_path / "cache")
    build([str(pages)], out=out, cache=cache)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def boom(g: object, quads: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(serialize, "jsonld_graph", boom)
    extra = tmp_path / "more"
    shutil.copytree(pages, extra)
    shutil.copy(sorted(SEED_DIR.glob("*.txt"))[0], extra)
    with pytest.raises(RuntimeError):
        build([str(extra)], out=out, cache=cache, formats="all")
    assert gc.get_freeze_count() == 0
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # no temp files, nothing new


def test_build_into_a_folder_that_is_not_a_store_is_refused(tmp_path: Path, pages: Path) -> None:
    from kg.errors import UsageError

    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="not a safety-kg store"):
        build([str(pages)], store=tmp_path, cache=ResultCache(tmp_path / "c"))


def test_summary_counts_are_the_corpus_counts(seed_results: list[FileResult]) -> None:
    from kg.export.build import summarize

    corpus = Corpus.from_results(seed_results)
    summary = summarize(corpus, corpus_quads(corpus))
    counts = corpus.counts()
    assert {k: v for k, v in summary["entities"].items() if v} == counts["entities"]
    assert {k: v for k, v in summary["relations"].items() if v} == counts["relations"]


# -- kill -9 and failures while writing: OUT (and the store) wholly old or wholly new ----------


@pytest.fixture(scope="module")
def kill_rig(tmp_path_factory: pytest.TempPathFactory) -> KillRig:
    rig = KillRig(tmp_path_factory.mktemp("kill"))
    rig.setup()
    return rig


def test_kill_at_any_write_step_leaves_out_and_store_old_or_new(kill_rig: KillRig) -> None:
    """SIGKILL at evenly spread file-system steps of a build (the first and last included)."""
    fractions = [0.0, *(i / 12 for i in range(1, 12)), 1.0]
    seen = set()
    killed = 0
    for f in fractions:
        (out, store), was_killed, step = kill_rig.kill_at_step(f)
        assert out in ("A", "B"), f"killed at step {step} ({f:.0%}): OUT {out}"
        assert store in ("A", "B"), f"killed at step {step} ({f:.0%}): store {store}"
        killed += was_killed
        seen.add(out)
    # the last step may not come (the store's files vary a little between generations)
    assert killed >= len(fractions) - 1
    assert seen == {"A", "B"}  # the sweep saw OUT both before and after the swap
    kill_rig.complete(kill_rig.other())  # the next build cleans what the killed ones left
    assert kill_rig.debris() == []


def test_kill_at_random_moments_leaves_out_and_store_old_or_new(kill_rig: KillRig) -> None:
    """SIGKILL from outside after random delays over a build's duration (the 50-run bar:
    scripts/kill_builds.py)."""
    import random

    seconds = kill_rig.time_build()
    rng = random.Random(12)
    for _ in range(12):
        delay = rng.uniform(0.0, seconds * 1.1)
        (out, store), _killed = kill_rig.kill_after(delay)
        assert out in ("A", "B"), f"killed after {delay:.2f} s of {seconds:.2f}: OUT {out}"
        assert store in ("A", "B"), f"killed after {delay:.2f} s of {seconds:.2f}: store {store}"
    kill_rig.complete(kill_rig.other())
    assert kill_rig.debris() == []


def test_a_killed_cache_write_leaves_no_temp_file(tmp_path: Path) -> None:
    """A build killed as it renames a cache entry into place leaves a temp file; the next
    build removes it."""
    page = sorted(SEED_DIR.glob("*.txt"))[0]
    cache = tmp_path / "cache"
    args = [page, "-o", tmp_path / "out", "--cache-dir", cache, "-q"]
    env = {**os.environ, "KG_KILL_AT_STEP": "0", "KG_KILL_AT_PATH": str(cache / "")}
    killed = subprocess.run([sys.executable, "-c", HOOK, "build", *map(str, args)], cwd=ROOT, env=env)
    assert killed.returncode == -9
    assert [p.name for p in cache.rglob("*") if p.is_file()]  # the half-written entry
    proc = run_kg("build", *map(str, args))
    assert proc.returncode == 0, proc.stderr
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix == ".tmp"]
    entries = [p for p in files if "builds" not in p.relative_to(cache).parts]  # the build's record
    assert len(entries) == 1 and entries[0].suffix == ".json" and not entries[0].name.startswith(".")


def test_a_failure_while_writing_views_leaves_every_output_old(
    tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The views are part of the build: a view that cannot be written (an immutable entity/,
    a full disk) must not leave graph.nq, summary.json or index.html already replaced."""
    from kg.export.views import focus

    out = tmp_path / "out"
    cache = ResultCache(tmp_path / "cache")
    build([str(pages)], out=out, cache=cache)
    before = snapshot(out)
    real = focus.render_focus
    calls = 0

    def fails_later(*args: object) -> str:
        nonlocal calls
        calls += 1
        if calls > 5:
            raise PermissionError(1, "Operation not permitted", str(out / "entity" / "x.html"))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(focus, "render_focus", fails_later)
    extra = tmp_path / "more"
    shutil.copytree(pages, extra)
    shutil.copy(sorted(SEED_DIR.glob("*.txt"))[0], extra)
    with pytest.raises((PermissionError, KgError)):  # a one-line KgError now
        build([str(extra)], out=out, cache=cache)
    assert calls > 5
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "more", "out"]  # no debris


def _in_own_mount_namespace(script: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """Run ``script`` (sh) as root of a new user and mount namespace, where it may mount a tmpfs
    or remount a folder read-only without touching the machine's mounts."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode != 0:
        missing_service("unshare -rm (user and mount namespaces) is not available")
    return subprocess.run(
        ["unshare", "-rm", "sh", "-eu", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _one_line_error(stderr: str, folder: Path) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("kg: error: ") and str(folder) in lines[0], stderr
    assert "internal error" not in stderr and ".tmp" not in stderr and "Traceback" not in stderr


def test_a_read_only_output_folder_is_a_one_line_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    (ro / "old").mkdir(parents=True)
    page = sorted(SEED_DIR.glob("*.txt"))[0]
    kg = f"{sys.executable} -m kg"
    cache = tmp_path / "cache"
    proc = _in_own_mount_namespace(
        f"{kg} build {page} -o {ro}/old -q --cache-dir {cache}\n"
        f"mount --bind {ro} {ro} && mount -o remount,bind,ro {ro}\n"
        f"set +e\n"
        f"{kg} build {page} -o {ro}/new -q --cache-dir {cache}; echo new=$? >&2\n"
        # the same build again has nothing to write (kg.export.uptodate); another format has
        f"{kg} build {page} -o {ro}/old -q --cache-dir {cache} || echo unchanged-failed >&2\n"
        f"{kg} build {page} -o {ro}/old -q --cache-dir {cache} --formats nq,ttl; echo old=$? >&2\n"
        f"{kg} views {ro}/views {page}; echo views=$? >&2\n"
        f"{kg} extract {page} -o {ro}/x.jsonl; echo extract=$? >&2\n"
    )
    assert proc.returncode == 0, proc.stderr
    runs = proc.stderr.split("\n")
    chunks: dict[str, str] = {}
    acc: list[str] = []
    for line in runs:
        if "=" in line and line.split("=")[0] in ("new", "old", "views", "extract"):
            name, code = line.split("=")
            chunks[name] = "\n".join(acc)
            assert code == "73", (name, chunks[name])
            acc = []
        else:
            acc.append(line)
    assert set(chunks) == {"new", "old", "views", "extract"}, proc.stderr
    assert "unchanged-failed" not in proc.stderr
    _one_line_error(chunks["new"], ro / "new")
    _one_line_error(chunks["old"], ro / "old")
    _one_line_error(chunks["views"], ro / "views")
    _one_line_error(chunks["extract"], ro)
    assert sorted(p.name for p in ro.iterdir()) == ["old"]


def test_a_full_disk_is_a_one_line_error_and_leaves_out_old(tmp_path: Path) -> None:
    """A 6 MB tmpfs: one page's build fits (3.8 MB), a bigger page's next to it does not.
    A 300 kB tmpfs does not hold a store (RocksDB reports ENOSPC only in its message)."""
    disk, tiny = tmp_path / "disk", tmp_path / "tiny"
    disk.mkdir()
    tiny.mkdir()
    small, big = sorted(SEED_DIR.glob("*.txt"))[0], sorted(SEED_DIR.glob("*.txt"))[4]
    kg = f"{sys.executable} -m kg"
    cache = tmp_path / "cache"
    snap = tmp_path / "snap"
    proc = _in_own_mount_namespace(
        f"{kg} build {big} -o {tmp_path}/warm -q --cache-dir {cache}\n"
        f"mount -t tmpfs -o size=6m tmpfs {disk}\n"
        f"mount -t tmpfs -o size=300k tmpfs {tiny}\n"
        f"{kg} build {small} -o {disk}/out -q --cache-dir {cache}\n"
        f"cp -a {disk}/out {snap}\n"
        f"set +e\n"
        f"{kg} build {big} -o {disk}/out -q --cache-dir {cache}; echo rc=$? >&2\n"
        f"{kg} build {small} --store {tiny}/store -q --cache-dir {cache}; echo rc=$? >&2\n"
        f"set -e\n"
        f"diff -r {snap} {disk}/out >&2 && echo same >&2\n"
        f"ls -a {disk} {tiny} >&2\n"
    )
    assert proc.returncode == 0, proc.stderr
    out_err, _, rest = proc.stderr.partition("rc=")
    code, _, rest = rest.partition("\n")
    assert code == "73", proc.stderr
    _one_line_error(out_err, disk / "out")
    store_err, _, rest = rest.partition("rc=")
    code, _, listing = rest.partition("\n")
    assert code == "73", proc.stderr
    _one_line_error(store_err, tiny / "store")
    assert "same" in listing, listing  # OUT is the old build, file for file
    # no debris on either disk
    assert listing.split("same", 1)[1].split() == [f"{disk}:", ".", "..", "out", f"{tiny}:", ".", ".."]


# -- what replacing OUT as a whole means for the folder around it --------------------------------


def test_a_folder_of_other_files_is_not_replaced(tmp_path: Path, pages: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.md").write_text("keep me", encoding="utf-8")
    proc = run_kg("build", str(pages), "-o", str(mine), "--cache-dir", str(tmp_path / "c"), "-q")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "holds no safety-kg build" in proc.stderr
    assert str(mine) in proc.stderr
    assert [p.name for p in mine.iterdir()] == ["thesis.md"]


def test_out_and_store_must_be_separate_folders(tmp_path: Path, pages: Path) -> None:
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="separate folders"):
        build([str(pages)], out=tmp_path / "x", store=tmp_path / "x" / "store")
    assert not (tmp_path / "x").exists()


def test_an_out_that_holds_the_current_folder_is_refused(tmp_path: Path, pages: Path) -> None:
    out = tmp_path / "out"
    (out / "entity").mkdir(parents=True)
    (out / "index.html").write_text("old", encoding="utf-8")
    proc = run_kg("build", str(pages), "-o", str(out), "-q", cwd=out / "entity")
    assert proc.returncode == 2 and "current folder" in proc.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "old"


def test_a_symlinked_out_keeps_its_link(tmp_path: Path, pages: Path) -> None:
    real = tmp_path / "disk" / "graph"
    real.parent.mkdir()
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    cache = ResultCache(tmp_path / "cache")
    build([str(pages)], out=link, cache=cache)
    build([str(pages)], out=link, cache=cache)  # a second time: over the first
    assert link.is_symlink() and (real / "summary.json").is_file()
    assert sorted(p.name for p in real.parent.iterdir()) == ["graph"]


def test_without_an_atomic_exchange_a_kill_between_the_renames_is_undone(
    tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where renameat2(RENAME_EXCHANGE) is missing, OUT is renamed aside, then the new one in;
    a kill between the two leaves no OUT, and the next run puts the old one back first."""
    from kg.export import staging

    out = tmp_path / "out"
    cache = ResultCache(tmp_path / "cache")
    build([str(pages)], out=out, cache=cache)
    before = snapshot(out)
    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    report = build([str(pages)], out=out, cache=cache)  # the fallback itself works
    assert report.written and snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out"]

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    aside = tmp_path / f".out.kg-old.{int(dead.stdout)}.x1y2"
    out.rename(aside)  # killed right after the first rename
    staging.clean_stale(out)
    assert snapshot(out) == before and not aside.exists()


def test_a_build_without_views_leaves_no_stale_views(tmp_path: Path, pages: Path) -> None:
    out = tmp_path / "out"
    cache = ResultCache(tmp_path / "cache")
    build([str(pages)], out=out, cache=cache)
    (out / "entity" / "mine.txt").write_text("my notes", encoding="utf-8")
    build([str(pages)], out=out, cache=cache, views=False)
    default = [FORMAT_FILES[f] for f in DEFAULT_FORMATS]
    assert sorted(p.name for p in out.iterdir()) == sorted([*default, "summary.json", "entity"])
    assert [p.name for p in (out / "entity").iterdir()] == ["mine.txt"]  # only the user's file


def test_unchanged_files_are_carried_not_rewritten(tmp_path: Path, pages: Path) -> None:
    """A rebuild hard-links the files whose bytes did not change from the old OUT: nothing to
    write or sync again, nothing to free when the old OUT goes."""
    out = tmp_path / "out"
    cache = ResultCache(tmp_path / "cache")
    build([str(pages)], out=out, cache=cache)
    inodes = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    build([str(pages)], out=out, cache=cache)
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == inodes
    one = sorted(pages.glob("*.txt"))[:1]
    build([str(p) for p in one], out=out, cache=cache)  # a smaller corpus: new counts
    assert (out / "summary.json").stat().st_ino != inodes[out / "summary.json"]
    assert (out / "assets" / "views.css").stat().st_ino == inodes[out / "assets" / "views.css"]
