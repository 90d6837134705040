"""A custom LLM provider made of a Python callable.

``Provider(chat)`` puts ``chat(request: dict) -> dict | str`` behind opsgraph's model interface:
every agent's model call becomes one call of ``chat`` with the ChatRequest (``model``,
``messages`` [{role, content}], ``response_format``, ``temperature``, ``max_tokens``,
``timeout_ms``, ``metadata`` {task_id, node, agent}, ...). Return the ChatResponse dict
({"content": str} plus optional "finish_reason", "model", "usage", ...) or the content alone as
a str; raise an OpsgraphError subclass (e.g. RateLimitedError(retryable=True)) to fail the call
with that status, any other exception fails it as upstream_unavailable.

Threading: the engine's C callback only queues the call; ``chat`` runs on the provider's own
thread pool (``max_workers`` threads), many calls at once when tasks run in parallel, and must
be thread-safe. Ownership: an engine made with the provider keeps it alive; close() lets go of
the caller's share, and the pool stops once the library releases the last one.
"""
from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Optional, Union

from . import _lib
from ._closing import Closing
from .errors import OpsgraphError

ChatRequest = Dict[str, Any]
ChatResult = Union[Dict[str, Any], str]
ChatFunction = Callable[[ChatRequest], ChatResult]

_log = logging.getLogger("opsgraph.provider")


class Provider(Closing):
    """A model of your own: ``chat`` answers each model call on a binding-owned thread pool."""

    def __init__(self, chat: ChatFunction, *, name: str = "python", max_workers: int = 8) -> None:
        if not callable(chat):
            raise TypeError("chat must be callable: chat(request: dict) -> dict | str")
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        lib = _lib.load()
        self.name = name
        self._lock = threading.Lock()
        self._handle: Optional[int] = None
        # The library holds the core (by a registry key), never this object, so an unclosed
        # Provider is still collected and its __del__ lets go of the handle.
        core = _Core(chat, name, max_workers)
        key = _lib.register(core)
        handle = _lib.c_void_p()
        status = lib.opsgraph_provider_create(_lib.text(name), _CHAT_TRAMPOLINE, key,
                                              _lib.DESTROY_TRAMPOLINE, _lib.ctypes.byref(handle))
        if status != _lib.OK:
            error = _lib.last_error()
            _lib.unregister(key)  # a failed create keeps nothing and calls no destroy
            core._released()
            raise error
        self._handle = handle.value

    @property
    def handle(self) -> Optional[int]:
        """The opsgraph_provider * (None once closed)."""
        return self._handle

    def close(self) -> None:
        """Lets go of the caller's share; engines made with the provider keep theirs.
        Idempotent."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle:
            _lib.load().opsgraph_provider_destroy(handle)



class _Core:
    """What the library's callbacks reach: the callable and its pool."""

    def __init__(self, chat: ChatFunction, name: str, max_workers: int) -> None:
        self.name = name
        self._chat = chat
        self._pool = ThreadPoolExecutor(max_workers=max_workers,
                                        thread_name_prefix=f"opsgraph-{name}")

    def _released(self) -> None:
        """The library let go of the provider (its destroy callback): no call comes any more.
        It may run on a pool thread, so the pool is not joined."""
        self._pool.shutdown(wait=False)

    def queue(self, request_json: bytes, reply: int) -> None:
        try:
            self._pool.submit(self._answer, request_json, reply)
        except RuntimeError:  # the pool or the interpreter is shutting down
            _reply_error(reply, _lib.CANCELLED, f"provider {self.name!r} is shutting down")

    def _answer(self, request_json: bytes, reply: int) -> None:
        try:
            request = json.loads(request_json.decode("utf-8"))
            result = self._chat(request)
            response = _response_json(result)
        except OpsgraphError as e:
            _reply_error(reply, e.code, e.message or str(e), e.retryable)
            return
        except Exception as e:  # the user's model failed: the task records why
            _log.debug("provider %r raised", self.name, exc_info=True)
            _reply_error(reply, _lib.UPSTREAM_UNAVAILABLE,
                         f"provider {self.name!r} raised {type(e).__name__}: {e}", False)
            return
        lib = _lib.load()
        status = lib.opsgraph_reply_ok(reply, response)
        if status in (_lib.INVALID_ARGUMENT, _lib.INVALID_UTF8):
            # The answer was refused and the call still waits: fail it now rather than let it
            # hang until the node timeout.
            message = _lib.last_error().message
            _reply_error(reply, _lib.BAD_RESPONSE,
                         f"provider {self.name!r} answered with an unusable response: {message}")
        elif status != _lib.OK:
            _log.warning("provider %r: reply refused: %s", self.name, _lib.last_error())


def _response_json(result: ChatResult) -> bytes:
    if isinstance(result, str):
        result = {"content": result}
    if not isinstance(result, dict):
        raise TypeError(f"chat returned {type(result).__name__}; expected a ChatResponse dict "
                        "or the content as str")
    return json.dumps(result, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _reply_error(reply: int, status: int, message: str, retryable: bool = False) -> None:
    if not 1 <= status <= 16:  # only opsgraph's error kinds may fail a model call
        status = _lib.INTERNAL
    _lib.load().opsgraph_reply_error(reply, status, _lib.text(message), int(retryable))


def _on_chat(request_json: Optional[bytes], reply: Optional[int], key: Optional[int]) -> None:
    # Runs on an engine thread: it must return quickly, so it only queues the call.
    try:
        provider = _lib.lookup(key)
        if provider is None:
            _reply_error(reply, _lib.CANCELLED, "the provider was released")
        else:
            provider.queue(request_json or b"{}", reply)
    except BaseException:  # nothing may propagate into C
        _log.exception("opsgraph chat callback failed")


_CHAT_TRAMPOLINE = _lib.CHAT_FN(_on_chat)


def as_provider(provider: Union[Provider, ChatFunction]) -> Provider:
    """A Provider for a Provider or a bare chat callable."""
    return provider if isinstance(provider, Provider) else Provider(provider)
