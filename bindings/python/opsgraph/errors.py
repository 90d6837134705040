"""Exceptions of the opsgraph binding: one class per opsgraph_status, all under OpsgraphError.

An OpsgraphError carries what opsgraph_last_error() said right after the failing call, on the
thread that made it: the status ``code`` and its stable ``status`` name, ``message``,
``retryable`` and ``details`` (the parsed details_json). A custom provider may raise these too:
the class's code becomes the model call's error status (see opsgraph.provider).
"""
from __future__ import annotations

import builtins
from typing import Any, Dict, Optional, Type


class OpsgraphError(Exception):
    """A failed opsgraph call. ``code`` is the opsgraph_status value (an int, stable forever)."""

    code: int = 16  # OPSGRAPH_INTERNAL: the base class stands for a status the binding lacks
    status: str = "internal"

    def __init__(self, message: str = "", *, code: Optional[int] = None,
                 status: Optional[str] = None, retryable: bool = False,
                 details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.message = message
        self.retryable = retryable
        self.details: Dict[str, Any] = details if details is not None else {}

    def __str__(self) -> str:
        return f"{self.status}: {self.message}" if self.message else self.status

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(code={self.code}, message={self.message!r}, "
                f"retryable={self.retryable})")


class LibraryLoadError(ImportError):
    """libopsgraph_c could not be found or loaded, or its ABI major is not the binding's."""


def _status(code: int, name: str):
    def make(cls: type) -> type:
        cls.code = code
        cls.status = name
        _BY_CODE[code] = cls
        return cls
    return make


_BY_CODE: Dict[int, Type[OpsgraphError]] = {}


@_status(1, "invalid_argument")
class InvalidArgumentError(OpsgraphError, ValueError):
    """The input is malformed or out of range (bad JSON, unknown members, bad values)."""


@_status(2, "not_found")
class NotFoundError(OpsgraphError, LookupError):
    """The named task, run, key or file does not exist."""


@_status(3, "conflict")
class ConflictError(OpsgraphError):
    """Wrong state for the call (e.g. approving a task that waits for nothing, a stale hash), or
    a blocking engine call made from inside an opsgraph callback."""


@_status(4, "unauthorized")
class UnauthorizedError(OpsgraphError):
    """No credentials, or unrecognised ones."""


@_status(5, "permission_denied")
class PermissionDeniedError(OpsgraphError):
    """Recognised credentials that may not do this."""


@_status(6, "payload_too_large")
class PayloadTooLargeError(OpsgraphError):
    """Input over a configured size limit."""


@_status(7, "unsupported_media_type")
class UnsupportedMediaTypeError(OpsgraphError):
    """Input in a format opsgraph does not accept."""


@_status(8, "rate_limited")
class RateLimitedError(OpsgraphError):
    """Too many calls; retry after the advertised delay."""


@_status(9, "timeout")
class DeadlineExceededError(OpsgraphError, builtins.TimeoutError):
    """Work took longer than its deadline. (Engine.wait() never raises it: a wait that times out
    returns the task as it is.)"""


@_status(10, "cancelled")
class CancelledError(OpsgraphError):
    """The caller (or a shutdown) cancelled the work."""


@_status(11, "upstream_unavailable")
class UpstreamUnavailableError(OpsgraphError):
    """An LLM or other upstream could not be reached."""


@_status(12, "bad_response")
class BadResponseError(OpsgraphError):
    """An upstream answered with something unusable."""


@_status(13, "context_too_long")
class ContextTooLongError(OpsgraphError):
    """A prompt exceeded the model's context window."""


@_status(14, "content_filtered")
class ContentFilteredError(OpsgraphError):
    """The upstream refused the content."""


@_status(15, "storage")
class StorageError(OpsgraphError):
    """The task store or checkpointer failed."""


@_status(16, "internal")
class InternalError(OpsgraphError):
    """A bug in opsgraph: an invariant did not hold."""


# Raised only at the C boundary; with this binding they point at a binding bug, except
# InvalidUtf8Error (a str holding lone surrogates) and OutOfMemoryError.
@_status(100, "null_argument")
class NullArgumentError(OpsgraphError):
    """A required pointer argument was NULL (a binding bug)."""


@_status(101, "invalid_handle")
class InvalidHandleError(OpsgraphError):
    """A handle of the wrong kind (a binding bug)."""


@_status(102, "invalid_utf8")
class InvalidUtf8Error(InvalidArgumentError):
    """A text argument is not valid UTF-8 (in Python: a str with lone surrogates)."""


@_status(103, "out_of_memory")
class OutOfMemoryError(OpsgraphError, MemoryError):
    """An allocation failed."""


@_status(104, "unsupported_struct_size")
class UnsupportedStructSizeError(OpsgraphError):
    """An option struct's size is one the library does not know (a binding/library mismatch)."""


def error_class(code: int) -> Type[OpsgraphError]:
    """The exception class of status `code`; OpsgraphError for a status newer than the binding."""
    return _BY_CODE.get(code, OpsgraphError)
