"""The Engine: the IT workflow inside your process, one opsgraph_engine behind it.

Thread-safety: every method may be called from many threads at once, except close(), which
should be the last call (it waits for the engine's threads; calls after it raise
EngineClosedError). Subscription callbacks and provider callables run on other threads.
Ownership: the Engine owns its opsgraph_engine and the subscriptions made through it; close() (or
leaving the ``with`` block) ends them all and is idempotent. An engine still open when the
interpreter exits is closed at exit.
"""
from __future__ import annotations

import atexit
import ctypes
import json
import logging
import threading
import time
import weakref
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

from . import _lib
from ._closing import Closing
from ._logging import ensure_logging
from .errors import ConflictError
from .provider import ChatFunction, Provider, as_provider

Task = Dict[str, Any]
Event = Dict[str, Any]
TaskPage = Dict[str, Any]
EventCallback = Callable[[Event], None]

_log = logging.getLogger("opsgraph.engine")

_WAIT_FOR = {"plan": 0, "settled": 1, "final": 2}
_FINAL = frozenset(("completed", "failed", "rejected", "cancelled"))
# The most one C wait blocks, so that a waiting Python thread sees KeyboardInterrupt and the
# like between slices.
_WAIT_SLICE_S = 1.0
_MAX_WAIT_MS = 0xFFFFFFFF


class EngineClosedError(ConflictError):
    """A call on an Engine after close()."""


def reached(task: Task, what: str) -> bool:
    """Whether `task` is where Engine.wait(what=...) stops (mirrors opsgraph_wait_for)."""
    status = task.get("status")
    settled = status in _FINAL or status == "waiting_approval"
    if what == "final":
        return status in _FINAL
    if what == "settled":
        return settled
    return settled or task.get("plan") is not None


class Subscription:
    """A subscription to an engine's events; close() (or leaving ``with``) ends it. Once close()
    returns, its callback is not running (unless close() is called from inside it) and never
    runs again. The engine keeps it until then: dropping the object does not end it."""

    def __init__(self, engine: "Engine", handle: int) -> None:
        self._engine = engine
        self._handle: Optional[int] = handle
        self._lock = threading.Lock()

    @property
    def closed(self) -> bool:
        return self._handle is None

    def close(self) -> None:
        with self._lock:
            handle, self._handle = self._handle, None
        if handle:
            _lib.load().opsgraph_subscription_destroy(handle)
            self._engine._forget(self)

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _EventSink:
    """What the library's event callback reaches: the user's function."""

    def __init__(self, callback: EventCallback) -> None:
        self.callback = callback

    def deliver(self, event_json: bytes) -> None:
        try:
            self.callback(json.loads(event_json.decode("utf-8")))
        except Exception:
            _log.exception("opsgraph event callback %r raised", self.callback)


def _on_event(event_json: Optional[bytes], key: Optional[int]) -> None:
    try:
        sink = _lib.lookup(key)
        if sink is not None and event_json:
            sink.deliver(event_json)
    except BaseException:  # nothing may propagate into C
        pass


_EVENT_TRAMPOLINE = _lib.EVENT_FN(_on_event)


class Engine(Closing):
    """An opsgraph engine: execute / approve / reject / cancel / retry / status / list / wait /
    events / subscribe. Tasks and pages come back as dicts (the JSON of docs/engine.md).

    ``config``: a dict or JSON text (docs/engine.md), or None for the defaults (with
    ``ignore_environment=False``, $OPSGRAPH_CONFIG). ``provider``: a Provider, a chat callable
    (wrapped in a Provider), or None for the config's OpenAI-compatible server.
    ``ignore_environment``: no OPSGRAPH_* overrides from the environment.
    """

    def __init__(self, config: Union[Dict[str, Any], str, None] = None,
                 provider: Union[Provider, ChatFunction, None] = None, *,
                 ignore_environment: bool = True) -> None:
        lib = _lib.load()
        ensure_logging()
        self._lock = threading.Lock()
        self._handle: Optional[int] = None
        self._subscriptions: Dict[int, Subscription] = {}
        options = _lib.EngineOptions()
        _lib.check(lib.opsgraph_engine_options_init(ctypes.byref(options),
                                                   ctypes.sizeof(options)))
        config_text = _lib.json_text(config)
        options.config_json = config_text
        options.ignore_environment = int(bool(ignore_environment))
        owned: Optional[Provider] = None
        if provider is not None:
            owned = None if isinstance(provider, Provider) else as_provider(provider)
            chosen = owned or provider
            if chosen.handle is None:  # type: ignore[union-attr]
                raise ValueError("the provider is closed")
            options.provider = chosen.handle  # type: ignore[union-attr]
        handle = ctypes.c_void_p()
        try:
            _lib.check(lib.opsgraph_engine_create(ctypes.byref(options), ctypes.byref(handle)))
        finally:
            if owned is not None:
                owned.close()  # the engine keeps its own share
        self._handle = handle.value
        _open_engines.add(self)

    # ---- Lifetime ------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._handle is None

    def close(self) -> None:
        """Ends the subscriptions and stops the engine: tasks it runs are released unfinished and
        resume under the next engine on the same store. Blocks until its threads end.
        Idempotent; never call it from an opsgraph callback."""
        with self._lock:
            handle, self._handle = self._handle, None
            subscriptions = list(self._subscriptions.values())
        if not handle:
            return
        for subscription in subscriptions:
            subscription.close()
        _lib.load().opsgraph_engine_destroy(handle)
        _open_engines.discard(self)


    def _live(self) -> int:
        handle = self._handle
        if handle is None:
            raise EngineClosedError("the engine is closed")
        return handle

    def _forget(self, subscription: Subscription) -> None:
        with self._lock:
            for key, held in list(self._subscriptions.items()):
                if held is subscription:
                    del self._subscriptions[key]

    # ---- Tasks ---------------------------------------------------------------------------------

    def execute(self, request: str, *, require_approval: Optional[bool] = None,
                context: Optional[Dict[str, Union[str, int, float, bool]]] = None,
                language: Optional[str] = None, requester: Optional[str] = None,
                idempotency_key: Optional[str] = None) -> Task:
        """Stores a new task, queued, and returns it at once. ``language``: "powershell",
        "bash", "python" or "azurecli"; ``context``: at most 32 string keys with string, number
        or boolean values."""
        body: Dict[str, Any] = {"request": request}
        for name, value in (("require_approval", require_approval), ("context", context),
                            ("language", language), ("requester", requester),
                            ("idempotency_key", idempotency_key)):
            if value is not None:
                body[name] = value
        return _lib.call_json(_lib.load().opsgraph_engine_execute, self._live(),
                              _lib.json_text(body))

    def approve(self, task_id: str, *, hash: Optional[str] = None, actor: Optional[str] = None,
                comment: Optional[str] = None) -> Task:
        """Approves the gate the task waits at. ``hash`` is the hash of what is approved
        (task["plan"]["hash"] or task["script"]["hash"]): optional at plan_review, required at
        script_review. ConflictError when the task waits for nothing or the hash is stale."""
        decision = _members(actor=actor, comment=comment, hash=hash)
        return _lib.call_json(_lib.load().opsgraph_engine_approve, self._live(),
                              _lib.text(task_id), _lib.json_text(decision))

    def reject(self, task_id: str, *, reason: Optional[str] = None,
               actor: Optional[str] = None) -> Task:
        """Rejects the gate the task waits at; the task ends rejected."""
        decision = _members(actor=actor, reason=reason)
        return _lib.call_json(_lib.load().opsgraph_engine_reject, self._live(),
                              _lib.text(task_id), _lib.json_text(decision))

    def cancel(self, task_id: str, *, actor: Optional[str] = None) -> Task:
        """Cancels a task that has not finished (ConflictError when it has)."""
        return _lib.call_json(_lib.load().opsgraph_engine_cancel, self._live(),
                              _lib.text(task_id), _lib.text(actor))

    def retry(self, task_id: str, *, actor: Optional[str] = None) -> Task:
        """Queues a failed task again, from its last checkpoint (ConflictError when it has not
        failed)."""
        return _lib.call_json(_lib.load().opsgraph_engine_retry, self._live(),
                              _lib.text(task_id), _lib.text(actor))

    def status(self, task_id: str) -> Task:
        """The task as it is now (NotFoundError when there is none)."""
        return _lib.call_json(_lib.load().opsgraph_engine_status, self._live(),
                              _lib.text(task_id))

    def list(self, *, statuses: Optional[Iterable[str]] = None,
             requester: Optional[str] = None, limit: Optional[int] = None,
             cursor: Optional[str] = None) -> TaskPage:
        """One page of tasks, newest first: {"tasks": [...], "next_cursor": str | None}.
        ``limit`` is 1..1000 (default 50); pass the page's next_cursor for the next one."""
        query = _members(statuses=None if statuses is None else [*statuses],
                         requester=requester, limit=limit, cursor=cursor)
        return _lib.call_json(_lib.load().opsgraph_engine_list, self._live(),
                              _lib.json_text(query))

    def wait(self, task_id: str, what: str = "final", timeout: Optional[float] = 60.0) -> Task:
        """Blocks until the task reaches ``what`` or ``timeout`` seconds pass (None: no limit)
        and returns the task as it then is: a timeout is not an error, check its "status".
        ``what``: "final" (completed, failed, rejected or cancelled), "settled" (final or
        waiting_approval) or "plan" (the plan exists, or the task settled before planning)."""
        if what not in _WAIT_FOR:
            raise ValueError(f"what must be one of {sorted(_WAIT_FOR)}, not {what!r}")
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be >= 0 seconds or None")
        deadline = None if timeout is None else time.monotonic() + timeout
        wait = _lib.load().opsgraph_engine_wait
        tid = _lib.text(task_id)
        while True:
            left = _WAIT_SLICE_S if deadline is None else max(0.0, deadline - time.monotonic())
            slice_ms = int(min(left, _WAIT_SLICE_S) * 1000)
            task = _lib.call_json(wait, self._live(), tid, _WAIT_FOR[what],
                                  min(slice_ms, _MAX_WAIT_MS))
            if reached(task, what) or (deadline is not None and time.monotonic() >= deadline):
                return task

    def events(self, task_id: str, after_seq: int = 0, limit: int = 100) -> List[Event]:
        """The task's stored events after ``after_seq``, oldest first, at most ``limit``
        (1..1000): each {"task_id", "seq", "type", "data", "at"}."""
        page = _lib.call_json(_lib.load().opsgraph_engine_events, self._live(),
                              _lib.text(task_id), after_seq, limit)
        return page["events"]

    def subscribe(self, callback: EventCallback, task_id: Optional[str] = None) -> Subscription:
        """Calls ``callback(event)`` for each event this engine records or reports for
        ``task_id`` (None: every task), in order per task, including unstored "progress"
        notices (seq 0). It runs on an engine thread, one event at a time: keep it quick; from
        it, execute/approve/reject/cancel/retry and a waiting wait() raise ConflictError (hand
        them to a thread of your own). Exceptions it raises are logged and dropped."""
        if not callable(callback):
            raise TypeError("callback must be callable: callback(event: dict) -> None")
        key = _lib.register(_EventSink(callback))
        handle = ctypes.c_void_p()
        status = _lib.load().opsgraph_engine_subscribe(
            self._live(), _lib.text(task_id), _EVENT_TRAMPOLINE, key, _lib.DESTROY_TRAMPOLINE,
            ctypes.byref(handle))
        if status != _lib.OK:
            error = _lib.last_error()
            _lib.unregister(key)  # a failed subscribe keeps nothing and calls no destroy
            raise error
        subscription = Subscription(self, handle.value)
        with self._lock:
            closed = self._handle is None
            if not closed:
                self._subscriptions[key] = subscription
        if closed:  # close() ran meanwhile
            subscription.close()
            raise EngineClosedError("the engine is closed")
        return subscription


def _members(**values: Any) -> Optional[Dict[str, Any]]:
    present = {name: value for name, value in values.items() if value is not None}
    return present or None


# Engines still open at exit are closed before the interpreter tears down the objects their
# callbacks reach.
_open_engines: "weakref.WeakSet[Engine]" = weakref.WeakSet()


@atexit.register
def _close_open_engines() -> None:
    for engine in list(_open_engines):
        try:
            engine.close()
        except Exception:
            pass
