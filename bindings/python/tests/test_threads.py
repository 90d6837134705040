"""Many Python threads on one engine at once: executing, waiting, reading and deciding, while
the provider's own pool answers the model calls."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import opsgraph
from canned import CPU_REQUEST, RDP_REQUEST
from conftest import MEMORY


def test_threads_execute_and_wait_at_once(model):
    provider = opsgraph.Provider(model, name="canned-py", max_workers=4)
    with opsgraph.Engine(MEMORY, provider=provider) as engine:
        start = threading.Barrier(8)

        def one(i: int) -> dict:
            start.wait()
            if i % 4 == 3:  # a gated one, approved by this thread
                task = engine.execute(RDP_REQUEST, requester=f"thread-{i}")
                task = engine.wait(task["task_id"], "settled", timeout=120)
                assert task["status"] == "waiting_approval", task
                engine.approve(task["task_id"], hash=task["plan"]["hash"], actor=f"t{i}")
            else:
                task = engine.execute(CPU_REQUEST, requester=f"thread-{i}")
            engine.events(task["task_id"])
            engine.list(limit=5)
            return engine.wait(task["task_id"], timeout=120)

        with ThreadPoolExecutor(max_workers=8) as pool:
            tasks = list(pool.map(one, range(8)))
        assert [t["status"] for t in tasks] == ["completed"] * 8, [t.get("error") for t in tasks]
        assert len({t["task_id"] for t in tasks}) == 8
        assert len(engine.list(statuses=["completed"], limit=100)["tasks"]) == 8
    provider.close()


def test_errors_stay_on_their_thread(engine):
    failures = {}

    def fail(i: int) -> None:
        try:
            if i % 2:
                engine.status(f"01900000-0000-7000-8000-00000000000{i}")
            else:
                engine.execute("")
        except opsgraph.OpsgraphError as e:
            failures[i] = type(e)

    threads = [threading.Thread(target=fail, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == {i: opsgraph.NotFoundError if i % 2 else opsgraph.InvalidArgumentError
                        for i in range(8)}
