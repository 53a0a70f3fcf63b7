"""The nightly run on a Dask cluster: the same lists, allocation and digest as the
local pool, a worker killed mid-partition, a driver killed mid-run.

One ``LocalCluster`` of two single-threaded worker processes serves the module
(the address path of the executor, as an operator's scheduler would); each
scenario scripts the same places and candidates through the API into two
databases, one run by the local pool and one by Dask, and compares what coaches
are served. SQLite only: the executor reads and writes nothing of the database,
the driver's statements are the local pool's and run on PostgreSQL elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from matching.contract.models import Placement
from matching.ranking import placement_text

from matching.settings import Settings
from service import cli
from service.rematch import Rematch, RematchOptions, run_rematch
from service.rematch.executors.cluster import PARTITION_KEY
from service.tables import PlacementRow
from tests.conftest import HashingEncoder
from tests.service.conftest import build_world, candidate_json, placement_json

distributed = pytest.importorskip("distributed")

OPTIONS = dict(top=3, reserve=2, exposure_factor=1.0, partition_size=1)
N_CANDIDATES = 6


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as c:
        yield c


def make_world(tmp_path: Path, name: str):
    settings = Settings(database_url=f"sqlite:///{tmp_path / name}.db", state_dir=tmp_path / f"state-{name}")
    return build_world(settings), settings


def post(world, path, body, who):
    r = world.client.post(path, json=body, headers=world.h(who))
    assert r.status_code == 201, r.text


def populate(world) -> None:
    """Places of which some are scarce (one position, wanted by everyone), so the
    allocation moves places between lists; candidates of two coaches."""
    for i, (title, text) in enumerate([
            ("Receptiemedewerker vakantiepark", "Gasten ontvangen bij de receptie."),
            ("Gastvrouw hotel", "Gasten ontvangen en rondleiden."),
            ("Telefonist", "De telefoon aannemen en doorverbinden."),
            ("Kassamedewerker", "Afrekenen met klanten."),
            ("Medewerker klantenservice", "Klanten te woord staan aan de telefoon."),
            ("Administratief medewerker", "Post en dossiers bijhouden.")]):
        post(world, "/v1/placements", placement_json(id=f"p-{i}", title=title, description=text,
                                                     positions=1), "employer")
    post(world, "/v1/placements", placement_json(id="p-lift", employer_id="e-2", title="Gastvrouw vakantiepark", demands={"IV.13": 1},
                                                 description="Gasten ontvangen en dozen tillen."), "employer2")
    for i in range(N_CANDIDATES):
        body = candidate_json(id=f"c-{i}", wishes={"text": ["gasten", "telefoon", "kassa"][i % 3]})
        post(world, "/v1/candidates", body, "coach" if i % 2 else "coach2")


def change(world) -> None:
    """One night's changes: a place added, one closed, one edited."""
    post(world, "/v1/placements", placement_json(id="p-new", title="Gastvrouw receptie",
                                                 description="Gasten ontvangen, telefoon aannemen."), "employer")
    assert world.client.post("/v1/placements/p-3/close", headers=world.h("employer")).status_code == 200
    r = world.client.patch("/v1/placements/p-2", json={"description": "Nu ook de kassa."}, headers=world.h("employer"))
    assert r.status_code == 200, r.text


def served(world) -> dict:
    """What coaches see: every candidate's nightly list and both coaches' digests,
    without the run ids and times that differ between two databases."""
    lists = {}
    for i in range(N_CANDIDATES):
        r = world.client.get(f"/v1/candidates/c-{i}/nightly", headers=world.h("coach" if i % 2 else "coach2"))
        assert r.status_code == 200, r.text
        lists[f"c-{i}"] = _strip(r.json())
    digests = {who: _strip(world.client.get("/v1/coach/digest", headers=world.h(who)).json())
               for who in ("coach", "coach2")}
    return {"lists": lists, "digests": digests}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("run_id", "run_at", "computed_at", "committed_at",
                                                                      "started_at", "generated_at", "since")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def allocation(summary) -> dict:
    return {k: v for k, v in summary.allocation.items() if k != "seconds"}


def night(world, settings, executor: str, address: str = "", **overrides):
    options = RematchOptions(**{**OPTIONS, **overrides}, workers=2, executor=executor, dask_address=address)
    return run_rematch(world.db, settings, HashingEncoder(), options)


def close(*worlds) -> None:
    for w in worlds:
        w.client.close()
        w.db.dispose()


@dataclass
class Pair:
    """The same places and candidates in two databases: one for each executor."""

    local: object
    local_settings: Settings
    dask: object
    dask_settings: Settings


@pytest.fixture
def pair(tmp_path):
    local, local_settings = make_world(tmp_path, "local")
    dask, dask_settings = make_world(tmp_path, "dask")
    try:
        for w in (local, dask):
            populate(w)
        yield Pair(local, local_settings, dask, dask_settings)
    finally:
        close(local, dask)


def test_a_dask_night_serves_what_the_local_pool_serves(pair, cluster):
    local, local_settings, dask, dask_settings = pair.local, pair.local_settings, pair.dask, pair.dask_settings
    first = night(local, local_settings, "local"), night(dask, dask_settings, "dask", cluster.scheduler_address)
    assert allocation(first[0]) == allocation(first[1])
    assert first[1].computed == N_CANDIDATES and first[0].allocation["lists_changed"] > 0
    assert served(local) == served(dask)

    for w in (local, dask):
        change(w)
    second = night(local, local_settings, "local"), night(dask, dask_settings, "dask", cluster.scheduler_address)
    assert (second[1].computed, second[1].merged) == (second[0].computed, second[0].merged)
    assert allocation(second[0]) == allocation(second[1])
    after = served(dask)
    assert after == served(local)
    assert any(e["placement_id"] == "p-new" for d in after["digests"].values() for run in d["runs"]
               for c in run["candidates"] for e in c["new"]), "the night's digest must hold the new place"


class KillOnFirstPartition(distributed.WorkerPlugin):
    """Kills its worker's process the moment the first partition starts executing
    there (once per marker file), as an out-of-memory kill or a lost machine would."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        name = key if isinstance(key, str) else str(key)
        if finish == "executing" and PARTITION_KEY in name and not os.path.exists(self.marker):
            Path(self.marker).write_text(name)
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_partition_has_its_partition_run_again(pair, tmp_path, cluster):
    local, local_settings, dask, dask_settings = pair.local, pair.local_settings, pair.dask, pair.dask_settings
    marker = tmp_path / "killed"
    client = distributed.Client(cluster)
    try:
        client.register_plugin(KillOnFirstPartition(str(marker)), name="kill-once")
        night(local, local_settings, "local")
        summary = night(dask, dask_settings, "dask", cluster.scheduler_address)
        assert marker.exists(), "the plugin never killed a worker"
        assert summary.status == "committed" and summary.computed == N_CANDIDATES
        assert served(dask) == served(local)
    finally:
        client.unregister_worker_plugin("kill-once")
        client.close()


def test_a_killed_driver_resumes_on_dask(pair, cluster):
    local, local_settings, dask, dask_settings = pair.local, pair.local_settings, pair.dask, pair.dask_settings
    night(local, local_settings, "local")

    def dies_after_two(part, counts):
        dies_after_two.calls += 1
        if dies_after_two.calls == 2:
            raise KeyboardInterrupt("driver killed")
    dies_after_two.calls = 0
    options = RematchOptions(**OPTIONS, workers=2, executor="dask", dask_address=cluster.scheduler_address)
    with pytest.raises(KeyboardInterrupt):
        Rematch(dask.db, dask_settings, HashingEncoder(), options, progress=dies_after_two).run()
    resumed = night(dask, dask_settings, "dask", cluster.scheduler_address)
    assert resumed.resumed and resumed.partitions_resumed == 2
    assert served(dask) == served(local)


def test_the_command_runs_on_a_local_cluster_of_its_own(tmp_path, monkeypatch, capsys):
    import matching.text
    from matching import settings as settings_module

    world, settings = make_world(tmp_path, "cli")
    try:
        populate(world)
        monkeypatch.setenv("SPOORMATCH_DATABASE_URL", settings.database_url)
        monkeypatch.setenv("SPOORMATCH_STATE_DIR", str(settings.state_dir))
        monkeypatch.setenv("SPOORMATCH_REMATCH_EXECUTOR", "dask")
        monkeypatch.setattr(matching.text, "get_encoder", lambda *a, **k: HashingEncoder())
        settings_module.get_settings.cache_clear()
        assert cli.main(["rematch", "--workers", "2", "--top", "3", "--json"]) == 0
        assert '"status": "committed"' in capsys.readouterr().out
        assert cli.main(["rematch", "--executor", "local", "--workers", "1", "--full"]) == 0
    finally:
        settings_module.get_settings.cache_clear()
        close(world)


def test_refusals_name_the_setting_and_the_extra(tmp_path, monkeypatch, capsys):
    from matching import settings as settings_module

    monkeypatch.setenv("SPOORMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SPOORMATCH_REMATCH_EXECUTOR", "ray")
    settings_module.get_settings.cache_clear()
    try:
        assert cli.main(["rematch"]) == 2
        assert "executor: must be one of local, dask, got 'ray'" in capsys.readouterr().err
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args(["rematch", "--executor", "ray"])
        # Without the extra installed, the refusal says which one to install, and nothing starts.
        monkeypatch.setitem(sys.modules, "distributed", None)
        assert cli.main(["rematch", "--executor", "dask"]) == 2
        assert "pip install 'spoormatch[dask]'" in capsys.readouterr().err
        assert not (tmp_path / "x.db").exists()
    finally:
        settings_module.get_settings.cache_clear()


class WhereEncoder(HashingEncoder):
    """Notes which process embedded which texts (a file per process, in ``folder``)."""

    def __init__(self, folder: str):
        self.folder = folder

    def encode(self, texts, batch_size: int = 64):
        with open(Path(self.folder, str(os.getpid())), "a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(t) + "\n" for t in texts)
        return super().encode(texts, batch_size)


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_the_first_nights_place_texts_are_embedded_by_the_workers(tmp_path, cluster, monkeypatch, executor):
    from service.rematch.executors import cluster as dask_executor
    from service.rematch.executors import local as local_executor

    # A handful of places stands for the first night's 200,000: the executors send
    # texts to the workers from this many on.
    monkeypatch.setattr(local_executor, "FORK_AT_LEAST", 2)
    monkeypatch.setattr(dask_executor, "EMBED_CHUNK", 2)
    world, settings = make_world(tmp_path, executor)
    calls = tmp_path / "calls"
    calls.mkdir()
    try:
        populate(world)
        options = RematchOptions(**OPTIONS, workers=2, executor=executor, dask_address=cluster.scheduler_address)
        # A state folder of its own: the service embedded the places into its cache when they were posted.
        night_settings = settings.with_overrides(state_dir=tmp_path / "night")
        summary = run_rematch(world.db, night_settings, WhereEncoder(str(calls)), options)
        assert summary.places["embedded"] == 7
        texts_of = {int(f.name): {json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()}
                    for f in calls.iterdir()}
        with world.db.read() as s:
            places = [Placement.model_validate(b) for b in s.execute(select(PlacementRow.body)).scalars()]
        place_texts = {placement_text(p) for p in places}
        assert len(place_texts) == 7
        # Every place text was embedded by a worker, none by the driver.
        assert not place_texts & texts_of.get(os.getpid(), set())
        assert place_texts <= set().union(*(t for pid, t in texts_of.items() if pid != os.getpid()))
        reference, ref_settings = make_world(tmp_path, f"{executor}-one-process")
        try:
            populate(reference)
            run_rematch(reference.db, ref_settings, HashingEncoder(), RematchOptions(**OPTIONS, workers=1))
            assert served(world) == served(reference)
        finally:
            close(reference)
    finally:
        close(world)


def test_a_scheduler_that_cannot_be_reached_is_refused_before_anything_is_written(tmp_path, monkeypatch, capsys):
    import socket

    from matching import settings as settings_module
    from service.rematch.executors import cluster as dask_executor
    from service.tables import RematchLock, RematchRun

    world, settings = make_world(tmp_path, "unreachable")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", "1s")
    monkeypatch.setenv("SPOORMATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SPOORMATCH_STATE_DIR", str(settings.state_dir))
    settings_module.get_settings.cache_clear()
    try:
        populate(world)
        assert cli.main(["rematch", "--executor", "dask", "--dask-address", address]) == 2
        err = capsys.readouterr().err
        assert f"dask_address: cannot reach the scheduler at '{address}'" in err and "nothing written" in err
        with world.db.read() as s:
            assert s.execute(select(RematchRun)).first() is None
            assert s.execute(select(RematchLock)).first() is None
    finally:
        settings_module.get_settings.cache_clear()
        close(world)
