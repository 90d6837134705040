"""Whole tasks through the Engine with a Python provider: a low-risk one completed, a gated one
approved, rejected or approved with a stale hash, a provider that raises (the task fails, then a
retry completes it), error mapping, events, subscriptions and the engine's lifetime."""
from __future__ import annotations

import threading

import pytest

import opsgraph
from canned import CPU_REQUEST, RDP_REQUEST
from conftest import MEMORY

WAIT = 60.0


def run_gated(engine: opsgraph.Engine) -> dict:
    task = engine.execute(RDP_REQUEST, require_approval=False, requester="py-test")
    task = engine.wait(task["task_id"], "settled", timeout=WAIT)
    assert task["status"] == "waiting_approval", task
    assert task["stage"] == "plan_review"
    assert task["plan"]["hash"].startswith("sha256:")
    return task


def test_low_risk_task_completes(engine, model):
    task = engine.execute(CPU_REQUEST, context={"host": "cpu01"}, requester="py-test")
    assert task["status"] == "queued" and task["schema_version"] == 1
    assert engine.wait(task["task_id"], "plan", timeout=WAIT)["plan"] is not None
    done = engine.wait(task["task_id"], timeout=WAIT)
    assert done["status"] == "completed", done
    assert done["diagnosis"]["root_cause"] == "A Defender full scan scheduled after patching"
    assert done["script"]["language"] == "powershell"
    assert "Get-Counter" in done["script"]["code"]
    assert done["email"]["subject"] == "cpu01 high CPU: cause found"
    assert done["usage"]["llm_calls"] >= 4
    assert {"planner", "diagnostic", "automation", "writer"} <= set(model.calls)
    # Each call says where it comes from: the agent, the task and the node.
    from canned import agent_of
    nodes = {"planner": "plan", "diagnostic": "diagnosis/diagnose",
             "automation": "automation/draft", "writer": "writing/write"}
    for r in model.requests:
        assert r["schema_version"] == 1
        assert r["metadata"]["agent"] == agent_of(r)
        assert r["metadata"]["task_id"] == task["task_id"]
        assert r["metadata"]["node"] == nodes[agent_of(r)]
    assert engine.status(task["task_id"]) == done
    with pytest.raises(opsgraph.ConflictError):  # it waits for no decision
        engine.approve(task["task_id"], actor="alice")


def test_gated_task_waits_and_completes_once_approved(engine):
    task = run_gated(engine)
    approved = engine.approve(task["task_id"], hash=task["plan"]["hash"], actor="alice",
                              comment="change window 22:00")
    assert approved["approvals"][0]["actor"] == "alice"
    done = engine.wait(task["task_id"], timeout=WAIT)
    assert done["status"] == "completed", done
    assert done["script"]["language"] == "azurecli"
    assert "10.0.0.0/24" in done["script"]["code"]
    # The same decision again changes nothing; another one is a conflict.
    assert engine.approve(task["task_id"], hash=task["plan"]["hash"], actor="alice",
                          comment="change window 22:00")["status"] == "completed"
    with pytest.raises(opsgraph.ConflictError):
        engine.reject(task["task_id"], actor="bob")


def test_gated_task_rejected(engine):
    task = run_gated(engine)
    rejected = engine.reject(task["task_id"], actor="bob", reason="not in this window")
    assert rejected["status"] == "rejected"
    assert engine.wait(task["task_id"], timeout=WAIT)["status"] == "rejected"
    assert engine.list(statuses=["rejected"])["tasks"][0]["task_id"] == task["task_id"]


def test_stale_hash_is_a_conflict(engine):
    task = run_gated(engine)
    with pytest.raises(opsgraph.ConflictError) as raised:
        engine.approve(task["task_id"], hash="sha256:0", actor="alice")
    error = raised.value
    assert error.code == 3 and error.status == "conflict" and error.message
    assert isinstance(error.details, dict) and error.details["schema_version"] == 1
    assert engine.status(task["task_id"])["status"] == "waiting_approval"


def test_unknown_task_is_not_found(engine):
    missing = "01900000-0000-7000-8000-000000000000"
    for call in (engine.status, engine.events, engine.retry, engine.cancel,
                 lambda t: engine.wait(t, timeout=0.1), lambda t: engine.approve(t)):
        with pytest.raises(opsgraph.NotFoundError) as raised:
            call(missing)
        assert isinstance(raised.value, LookupError)


@pytest.mark.parametrize("kwargs", [
    {"request": ""},
    {"request": "x", "language": "cobol"},
    {"request": "x", "context": [1]},
    {"request": "x", "require_approval": "yes"},
])
def test_bad_requests_are_invalid_arguments(engine, kwargs):
    request = kwargs.pop("request")
    with pytest.raises(opsgraph.InvalidArgumentError) as raised:
        engine.execute(request, **kwargs)
    assert isinstance(raised.value, ValueError) and raised.value.message


def test_bad_arguments(engine):
    with pytest.raises(opsgraph.InvalidUtf8Error):
        engine.execute("lone \ud800 surrogate")
    with pytest.raises(opsgraph.InvalidArgumentError):
        engine.list(limit=0)
    with pytest.raises(opsgraph.InvalidArgumentError):
        engine.list(statuses=["sleeping"])
    with pytest.raises(opsgraph.InvalidArgumentError):
        engine.events("01900000-0000-7000-8000-000000000000", limit=0)
    with pytest.raises(ValueError):
        engine.wait("x", what="soon")


@pytest.mark.parametrize("config", ['{"store": {"kind": "memory"', {"store": {"kind": "memroy"}},
                                    {"provider": {"modle": "x"}}])
def test_bad_config_is_an_invalid_argument(config):
    with pytest.raises(opsgraph.InvalidArgumentError):
        opsgraph.Engine(config, provider=lambda request: "{}")


def test_provider_raising_fails_the_task_and_retry_completes_it(engine, model):
    model.fail["diagnostic"] = RuntimeError("model offline")
    task = engine.execute(CPU_REQUEST)
    failed = engine.wait(task["task_id"], timeout=WAIT)
    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "upstream_unavailable"
    assert "RuntimeError: model offline" in failed["error"]["message"]
    del model.fail["diagnostic"]
    planner_calls = model.calls["planner"]
    assert engine.retry(task["task_id"], actor="ops")["status"] in ("queued", "in_progress")
    done = engine.wait(task["task_id"], timeout=WAIT)
    assert done["status"] == "completed", done
    assert model.calls["planner"] == planner_calls  # resumed from its checkpoint
    assert any(e["type"] == "retried" for e in engine.events(task["task_id"], limit=1000))


def test_provider_raising_an_opsgraph_error_sets_its_status(engine, model):
    model.fail["planner"] = opsgraph.ContentFilteredError("refused by policy")
    failed = engine.wait(engine.execute(CPU_REQUEST)["task_id"], timeout=WAIT)
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "content_filtered"
    assert "refused by policy" in failed["error"]["message"]


def test_unusable_answer_fails_the_call(model):
    def bad(request):
        return {"no_content": True} if "planner" in str(request["messages"]) else model(request)

    with opsgraph.Engine(MEMORY, provider=bad) as engine:
        failed = engine.wait(engine.execute(CPU_REQUEST)["task_id"], timeout=WAIT)
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "bad_response", failed["error"]


def test_events_and_subscriptions(engine):
    seen, mine, done = [], [], threading.Event()

    def on_any(event):
        seen.append(event)
        if event["type"] == "status" and event["data"].get("status") == "completed":
            done.set()

    def on_mine(event):
        mine.append(event)

    with engine.subscribe(on_any):
        task = engine.execute(CPU_REQUEST)
        subscription = engine.subscribe(on_mine, task_id=task["task_id"])
        assert engine.wait(task["task_id"], timeout=WAIT)["status"] == "completed"
        assert done.wait(10)
        subscription.close()
        subscription.close()  # idempotent
        assert subscription.closed
    count = len(seen)
    engine.wait(engine.execute(CPU_REQUEST)["task_id"], timeout=WAIT)
    assert len(seen) == count  # ended: no more calls

    stored = engine.events(task["task_id"], limit=1000)
    assert [e["seq"] for e in stored] == list(range(1, len(stored) + 1))
    assert stored[0]["type"] == "created"
    assert {"planned", "diagnosed", "script_checked", "status"} <= {e["type"] for e in stored}
    assert engine.events(task["task_id"], after_seq=1, limit=1)[0]["seq"] == 2
    ours = [e for e in seen if e["task_id"] == task["task_id"]]
    assert any(e["type"] == "progress" and e["seq"] == 0 for e in ours)
    assert {e["seq"] for e in stored} <= {e["seq"] for e in ours}
    # Subscribed after execute returned, when the task may have run some steps already: the
    # task's own subscription saw the end of the log, in order.
    assert all(e["task_id"] == task["task_id"] for e in mine)
    tail = [e["seq"] for e in mine if e["seq"] > 0]
    if tail:
        assert tail == list(range(tail[0], stored[-1]["seq"] + 1))


def test_callbacks_may_not_block_on_the_engine(engine):
    outcomes, first = [], threading.Event()

    def on_event(event):
        if first.is_set():
            return
        first.set()
        try:
            engine.execute("Restart IIS on WEB01")
        except opsgraph.ConflictError as e:
            outcomes.append(e)
        outcomes.append(engine.wait(event["task_id"], timeout=0)["task_id"])

    with engine.subscribe(on_event):
        task = engine.execute(CPU_REQUEST)
        engine.wait(task["task_id"], timeout=WAIT)
    assert isinstance(outcomes[0], opsgraph.ConflictError)
    assert outcomes[1] == task["task_id"]


def test_a_raising_subscriber_is_logged_and_dropped(engine, caplog):
    def on_event(event):
        raise KeyError("oops")

    with engine.subscribe(on_event):
        task = engine.execute(CPU_REQUEST)
        assert engine.wait(task["task_id"], timeout=WAIT)["status"] == "completed"
    assert any("raised" in r.getMessage() for r in caplog.records)


def test_list_pages(engine):
    ids = [engine.execute(CPU_REQUEST, requester="lister")["task_id"] for _ in range(3)]
    for task_id in ids:
        engine.wait(task_id, timeout=WAIT)
    first = engine.list(requester="lister", limit=2)
    assert len(first["tasks"]) == 2 and first["next_cursor"]
    second = engine.list(requester="lister", limit=2, cursor=first["next_cursor"])
    assert len(second["tasks"]) == 1 and second["next_cursor"] is None
    listed = [t["task_id"] for t in first["tasks"] + second["tasks"]]
    assert listed == list(reversed(ids))  # newest first
    assert len(engine.list(statuses=("completed",))["tasks"]) == 3


def test_cancel_and_wait_timeout(model):
    release = threading.Event()

    def slow(request):
        release.wait(30)
        return model(request)

    with opsgraph.Engine(MEMORY, provider=slow) as engine:
        task = engine.execute(CPU_REQUEST)
        still = engine.wait(task["task_id"], timeout=0.3)
        assert still["status"] in ("queued", "in_progress")
        assert engine.cancel(task["task_id"], actor="ops")["status"] == "cancelled"
        release.set()
        assert engine.wait(task["task_id"], timeout=WAIT)["status"] == "cancelled"
        # Cancelling again repeats the decision (the header says conflict once finished).
        assert engine.cancel(task["task_id"], actor="ops")["status"] == "cancelled"
        with pytest.raises(opsgraph.ConflictError):
            engine.retry(task["task_id"])  # it has not failed


def test_close_is_idempotent_and_final(model):
    engine = opsgraph.Engine(MEMORY, provider=model)
    subscription = engine.subscribe(lambda event: None)
    engine.close()
    engine.close()
    assert engine.closed and subscription.closed
    with pytest.raises(opsgraph.EngineClosedError):
        engine.status("x")
    with pytest.raises(opsgraph.ConflictError):  # EngineClosedError is one
        engine.execute("x")


def test_a_provider_outlives_its_handle_while_an_engine_uses_it(model):
    provider = opsgraph.Provider(model, name="shared", max_workers=2)
    with opsgraph.Engine(MEMORY, provider=provider) as engine:
        provider.close()  # the engine keeps its share
        assert engine.wait(engine.execute(CPU_REQUEST)["task_id"],
                           timeout=WAIT)["status"] == "completed"
    with pytest.raises(ValueError):
        opsgraph.Engine(MEMORY, provider=provider)  # closed


def test_an_engine_left_open_is_closed_at_exit():
    import os
    import subprocess
    import sys
    code = ("import sys; sys.path.insert(0, {tests!r})\n"
            "import opsgraph\nfrom canned import CannedModel, CPU_REQUEST\n"
            "engine = opsgraph.Engine({{'store': {{'kind': 'memory'}}}}, provider=CannedModel())\n"
            "engine.subscribe(lambda event: None)\n"
            "ids = [engine.execute(CPU_REQUEST)['task_id'] for _ in range(4)]\n"
            "print('leaving')\n").format(tests=os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout == "leaving\n", out.stderr
