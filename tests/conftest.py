"""Shared fixtures of the graph tests: the seeds' extraction (with relations) and a Virtuoso server.

Relations (issue 3) are not extracted yet, so the graph tests add a table of real relations
of the seeds: each evidence is a verbatim substring of the seed file, located there and cut
into an :class:`Evidence` of the article that holds it. Once the extractor yields relations,
these are merged with its own (same key: evidence united), and the tests keep passing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from kg.corpus import Corpus, merge_evidence
from kg.model import Entity, Evidence, FileResult, Relation

from ._util import missing_service

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seeds"

_HUGUAN_INDUSTRIES = "对煤矿、非煤矿山、危险化学品、交通运输、建筑施工、城镇燃气、烟花爆竹等重点领域"
_ZHANGZI_INDUSTRIES = "长子县紧盯煤矿、危化品、工贸企业、交通运输等风险较高行业"

#: (file prefix, subject id, predicate, object id, verbatim evidence in that file)
SEED_RELATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("004", "Place:长子县", "implements", "Campaign:春夏九防·敲门行动",
     "扎实推进“春夏九防·敲门行动”。聚焦高层建筑"),
    ("004", "Place:壶关县", "implements", "Campaign:春夏九防·敲门行动",
     "扎实推进“春夏九防·敲门行动”，紧盯重点领域"),
    ("004", "Place:屯留区", "implements", "Campaign:春夏九防·敲门行动",
     "结合“春夏九防·敲门行动”、防灾减灾日等开展普法"),
    ("004", "Place:长子县", "targets", "Industry:煤矿", _ZHANGZI_INDUSTRIES),
    ("004", "Place:长子县", "targets", "Industry:危险化学品", _ZHANGZI_INDUSTRIES),
    ("004", "Place:壶关县", "targets", "Industry:煤矿", _HUGUAN_INDUSTRIES),
    ("004", "Place:壶关县", "targets", "Industry:非煤矿山", _HUGUAN_INDUSTRIES),
    ("004", "Place:壶关县", "targets", "Industry:危险化学品", _HUGUAN_INDUSTRIES),
    ("004", "Place:壶关县", "targets", "Venue:人员密集场所", "对沿街商铺、经营性住房、人员密集场所逐一核查"),
    ("004", "Place:屯留区", "targets", "Industry:危险化学品", "危化品领域紧盯储存、运输、使用全链条"),
    ("004", "Place:壶关县", "takesMeasure", "Measure:应急演练", "常态化开展实战化应急演练"),
    ("004", "Place:壶关县", "takesMeasure", "Measure:隐患排查整治", "烟花爆竹等重点领域开展拉网式排查"),
    ("004", "Place:长子县", "takesMeasure", "Measure:宣传教育", "常态化开展驾驶员安全警示教育"),
    ("004", "Place:屯留区", "adopts", "Mechanism:31631", "严格执行气象“31631”联动机制"),
    ("004", "Place:长子县", "locatedIn", "Place:长治市", "长子县强化统筹"),
    ("004", "Place:屯留区", "locatedIn", "Place:长治市", "屯留区坚决扛牢安全生产责任"),
    ("004", "Place:壶关县", "locatedIn", "Place:长治市", "壶关县坚持人民至上、生命至上"),
    ("001", "Organization:长治市人民政府", "issues", "Document:关于做好2025年安全生产工作的通知",
     "市政府发布一号文件《关于做好2025年安全生产工作的通知》"),
    ("001", "Organization:长治市防震减灾中心", "partnersWith", "Organization:长治市文物局",
     "市防震减灾中心和市文物局签订战略合作协议"),
    ("001", "Organization:长治市消防救援支队", "organizes", "Campaign:消防安全护春耕",
     "开展“消防安全护春耕”专项行动"),
    ("003", "Person:钱红元", "holdsPost", "Organization:运城市应急管理局", "市应急管理局一级调研员钱红元"),
)  # fmt: skip


def seed_file(prefix: str) -> Path:
    return next(p for p in sorted(SEED_DIR.glob("*.txt")) if p.name.startswith(prefix))


def _ensure_entity(entities: list[Entity], eid: str) -> None:
    type_, _, name = eid.partition(":")
    if any(e.id == eid for e in entities):
        return
    attrs: tuple[tuple[str, str], ...] = ()
    if type_ in ("Industry", "Venue", "Hazard", "Measure"):
        from kg.nlp import vocab

        term = vocab.load().by_name.get((type_, name))
        if term is not None:
            attrs = (("iri", term.iri),)
    entities.append(Entity(type_, name, (), attrs))


def add_relations(
    results: Sequence[FileResult], table: Sequence[tuple[str, str, str, str, str]] = SEED_RELATIONS
) -> list[FileResult]:
    """``results`` with the relations of ``table`` added (evidence located in the source text)."""
    out = []
    for r in results:
        rows = [row for row in table if r.source.name.startswith(row[0])]
        if not rows:
            out.append(r)
            continue
        entities = list(r.entities)
        rels = {rel.key: rel for rel in r.relations}
        for _prefix, s, p, o, text in rows:
            start = r.source.text.find(text)
            assert start >= 0, f"evidence not in {r.source.name}: {text}"
            end = start + len(text)
            art = next(a for a in r.articles if a.start <= start and end <= a.end)
            ev = Evidence(r.source.name, art.id, start, end, text)
            _ensure_entity(entities, s)
            _ensure_entity(entities, o)
            old = rels.get((s, p, o))
            rels[(s, p, o)] = Relation(s, p, o, merge_evidence(old.evidence if old else (), (ev,)))
        out.append(replace(r, entities=tuple(entities), relations=tuple(rels[k] for k in sorted(rels))))
    return out


@pytest.fixture(scope="session")
def seed_results() -> list[FileResult]:
    """The extraction of the five seed pages (once per test session)."""
    from kg.pipeline import extract_paths

    ex = extract_paths([str(SEED_DIR)])
    assert not ex.errors, ex.errors
    return sorted(ex.files, key=lambda r: r.source.name)


@pytest.fixture(scope="session")
def seed_results_rel(seed_results: list[FileResult]) -> list[FileResult]:
    """The seeds' extraction with the relations of SEED_RELATIONS."""
    return add_relations(seed_results)


@pytest.fixture(scope="session")
def seed_corpus(seed_results_rel: list[FileResult]) -> Corpus:
    return Corpus.from_results(seed_results_rel)


# -- Virtuoso ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso server on loopback (dba/dba on a fresh database)."""

    http: str  # http://127.0.0.1:PORT
    user: str = "dba"
    password: str = "dba"

    @property
    def sparql(self) -> str:
        return self.http + "/sparql"

    @property
    def graph_store(self) -> str:
        return self.http + "/sparql-graph-crud-auth"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _virtuoso_ini(template: Path, folder: Path, port: int, http_port: int) -> str:
    """Virtuoso's packaged configuration with every file in ``folder`` and loopback ports."""
    text = template.read_text(encoding="utf-8", errors="replace")
    files = {
        "DatabaseFile": "virtuoso.db",
        "ErrorLogFile": "virtuoso.log",
        "LockFile": "virtuoso.lck",
        "TransactionFile": "virtuoso.trx",
        "xa_persistent_file": "virtuoso.pxa",
    }
    section = ""
    out = []
    for line in text.splitlines():
        m = re.match(r"^\s*\[(\w+)\]", line)
        if m:
            section = m.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else ""
        if key in files:
            name = files[key] if section == "Database" else "temp-" + files[key]
            line = f"{key} = {folder / name}"
        elif key == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{port}"
        elif key == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}"
        elif key in ("NumberOfBuffers", "MaxDirtyBuffers"):
            line = f"{key} = {10000 if key == 'NumberOfBuffers' else 6000}"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Start Debian's virtuoso-opensource on loopback for the session; skip when absent."""
    exe = shutil.which("virtuoso-t")
    template = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
    if exe is None or not template.is_file():
        missing_service(
            "virtuoso-t is not installed (apt-get install virtuoso-opensource; see .ci/install-services.sh)"
        )
    folder = tmp_path_factory.mktemp("virtuoso")
    port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(template, folder, port, http_port), encoding="utf-8")
    proc = subprocess.run(
        [exe, "+configfile", str(ini), "+wait"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lock = folder / "virtuoso.lck"
    if proc.returncode != 0:
        log = (
            (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            if (folder / "virtuoso.log").exists()
            else ""
        )
        pytest.fail(f"virtuoso-t did not start ({proc.returncode}): {proc.stderr[-1000:]}\n{log}")
    server = Virtuoso(f"http://127.0.0.1:{http_port}")
    try:
        _wait_http(server.sparql, timeout=60)
        yield server
    finally:
        pid = _lock_pid(lock)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pid = None
            deadline = time.monotonic() + 20
            while pid and time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                if pid:
                    os.kill(pid, signal.SIGKILL)


def _lock_pid(lock: Path) -> int | None:
    try:
        m = re.search(r"VIRT_PID=(\d+)", lock.read_text())
    except OSError:
        return None
    return int(m.group(1)) if m else None


def _wait_http(url: str, timeout: float) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
