"""opsgraph for Python: LLM-driven IT task automation (route, plan, approve, diagnose, script,
check, write) through libopsgraph_c's C ABI, with ctypes and the standard library only.

    import opsgraph
    with opsgraph.Engine({"store": {"kind": "memory"}}, provider=my_chat) as engine:
        task = engine.execute("Restart IIS on WEB01")
        task = engine.wait(task["task_id"], "settled", timeout=120)

The shared library is found through $OPSGRAPH_C_LIBRARY, next to this package, or on the
loader's path (docs/python.md).
"""
from __future__ import annotations

from . import _lib
from ._logging import set_log_level
from .checks import Checker, Router, check_script, route
from .engine import Engine, EngineClosedError, Event, Subscription, Task, TaskPage
from .errors import (BadResponseError, CancelledError, ConflictError, ContentFilteredError,
                     ContextTooLongError, DeadlineExceededError, InternalError,
                     InvalidArgumentError, InvalidHandleError, InvalidUtf8Error,
                     LibraryLoadError, NotFoundError, NullArgumentError, OpsgraphError,
                     OutOfMemoryError, PayloadTooLargeError, PermissionDeniedError,
                     RateLimitedError, StorageError, UnauthorizedError,
                     UnsupportedMediaTypeError, UnsupportedStructSizeError,
                     UpstreamUnavailableError)
from .provider import ChatFunction, ChatRequest, ChatResult, Provider

__version__ = "0.1.0"
#: The ABI major of libopsgraph_c this binding needs.
ABI_VERSION = _lib.ABI_VERSION


def library_version() -> str:
    """The loaded libopsgraph_c's version, e.g. "0.1.0" (loads the library)."""
    return _lib.load().opsgraph_version().decode()


def library_path() -> str:
    """The file the library was loaded from (loads the library)."""
    return _lib.load()._name


__all__ = [
    "ABI_VERSION", "BadResponseError", "CancelledError", "ChatFunction", "ChatRequest",
    "ChatResult", "Checker", "ConflictError", "ContentFilteredError", "ContextTooLongError",
    "DeadlineExceededError", "Engine", "EngineClosedError", "Event", "InternalError",
    "InvalidArgumentError", "InvalidHandleError", "InvalidUtf8Error", "LibraryLoadError",
    "NotFoundError", "NullArgumentError", "OpsgraphError", "OutOfMemoryError",
    "PayloadTooLargeError", "PermissionDeniedError", "Provider", "RateLimitedError", "Router",
    "StorageError", "Subscription", "Task", "TaskPage", "UnauthorizedError",
    "UnsupportedMediaTypeError", "UnsupportedStructSizeError", "UpstreamUnavailableError",
    "check_script", "library_path", "library_version", "route", "set_log_level",
]
