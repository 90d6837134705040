"""The C library: finding it, loading it once, its ctypes declarations and the error funnel.

Thread-safety: load() may be called from any thread (a lock makes the first load happen once);
the loaded library object is immutable afterwards. Every string opsgraph hands out comes back
as a c_void_p so that it can be freed with opsgraph_string_free() after it is copied.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_size_t, c_uint32,
                    c_uint64, c_void_p)
from typing import Any, Callable, List, Optional

from .errors import LibraryLoadError, OpsgraphError, error_class

#: The ABI major this binding was written for (OPSGRAPH_ABI_VERSION of opsgraph.h).
ABI_VERSION = 1
#: The library's soname for this ABI major.
SONAME = f"libopsgraph_c.so.{ABI_VERSION}"
#: The environment variable naming the library file to load (a full path).
LIBRARY_ENV = "OPSGRAPH_C_LIBRARY"

OK = 0
INVALID_ARGUMENT = 1
CONFLICT = 3
CANCELLED = 10
UPSTREAM_UNAVAILABLE = 11
BAD_RESPONSE = 12
INTERNAL = 16
INVALID_UTF8 = 102


class ErrorStruct(Structure):
    _fields_ = [("code", c_int), ("retryable", c_int), ("message", c_char_p),
                ("details_json", c_char_p)]


class RouterOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("rules_path", c_char_p),
                ("max_request_bytes", c_size_t), ("max_context_bytes", c_size_t)]


class CheckerOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("rules_path", c_char_p), ("bash_path", c_char_p),
                ("python_path", c_char_p), ("shellcheck_path", c_char_p),
                ("pwsh_path", c_char_p), ("tool_timeout_ms", c_uint32),
                ("max_script_bytes", c_size_t)]


class EngineOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("config_json", c_char_p), ("provider", c_void_p),
                ("ignore_environment", c_int)]


LOG_FN = CFUNCTYPE(None, c_int, c_char_p, c_char_p, c_char_p, c_void_p)
DESTROY_FN = CFUNCTYPE(None, c_void_p)
CHAT_FN = CFUNCTYPE(None, c_char_p, c_void_p, c_void_p)
EVENT_FN = CFUNCTYPE(None, c_char_p, c_void_p)

_OUT = POINTER(c_void_p)  # char ** out-parameters, read as addresses so they can be freed
_H = c_void_p             # every opaque handle

_SIGNATURES = {
    "opsgraph_version": (c_char_p, []),
    "opsgraph_abi_version": (c_int, []),
    "opsgraph_status_string": (c_char_p, [c_int]),
    "opsgraph_last_error": (POINTER(ErrorStruct), []),
    "opsgraph_string_free": (None, [c_void_p]),
    "opsgraph_log_set_callback": (c_int, [c_int, LOG_FN, c_void_p, DESTROY_FN]),
    "opsgraph_router_options_init": (c_int, [POINTER(RouterOptions), c_size_t]),
    "opsgraph_router_create": (c_int, [POINTER(RouterOptions), POINTER(_H)]),
    "opsgraph_router_route": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_router_destroy": (None, [_H]),
    "opsgraph_checker_options_init": (c_int, [POINTER(CheckerOptions), c_size_t]),
    "opsgraph_checker_create": (c_int, [POINTER(CheckerOptions), POINTER(_H)]),
    "opsgraph_checker_check": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_checker_scan": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_checker_destroy": (None, [_H]),
    "opsgraph_provider_create": (c_int, [c_char_p, CHAT_FN, c_void_p, DESTROY_FN, POINTER(_H)]),
    "opsgraph_provider_destroy": (None, [_H]),
    "opsgraph_reply_ok": (c_int, [_H, c_char_p]),
    "opsgraph_reply_error": (c_int, [_H, c_int, c_char_p, c_int]),
    "opsgraph_engine_options_init": (c_int, [POINTER(EngineOptions), c_size_t]),
    "opsgraph_engine_create": (c_int, [POINTER(EngineOptions), POINTER(_H)]),
    "opsgraph_engine_destroy": (None, [_H]),
    "opsgraph_engine_execute": (c_int, [_H, c_char_p, _OUT]),
    "opsgraph_engine_approve": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_engine_reject": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_engine_status": (c_int, [_H, c_char_p, _OUT]),
    "opsgraph_engine_list": (c_int, [_H, c_char_p, _OUT]),
    "opsgraph_engine_cancel": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_engine_retry": (c_int, [_H, c_char_p, c_char_p, _OUT]),
    "opsgraph_engine_wait": (c_int, [_H, c_char_p, c_int, c_uint32, _OUT]),
    "opsgraph_engine_events": (c_int, [_H, c_char_p, c_uint64, c_size_t, _OUT]),
    "opsgraph_engine_subscribe": (c_int, [_H, c_char_p, EVENT_FN, c_void_p, DESTROY_FN,
                                          POINTER(_H)]),
    "opsgraph_subscription_destroy": (None, [_H]),
}

_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None


def candidates() -> List[str]:
    """Where the library is looked for, in order: $OPSGRAPH_C_LIBRARY alone when it is set;
    else the package directory, then the dynamic loader's search (the soname, find_library)."""
    explicit = os.environ.get(LIBRARY_ENV)
    if explicit:
        return [explicit]
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, SONAME), os.path.join(here, "libopsgraph_c.so"), SONAME]
    by_name = ctypes.util.find_library("opsgraph_c")
    if by_name and by_name not in found:
        found.append(by_name)
    return found


def load() -> ctypes.CDLL:
    """The library, loaded and checked on first use. Raises LibraryLoadError."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            _lib = _open(candidates())
    return _lib


def _open(paths: List[str]) -> ctypes.CDLL:
    failures = []
    for path in paths:
        if os.sep in path and not os.path.exists(path):
            failures.append(f"{path}: no such file")
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            failures.append(f"{path}: {e}")
            continue
        _declare(lib, path)
        abi = lib.opsgraph_abi_version()
        if abi != ABI_VERSION:
            raise LibraryLoadError(
                f"{path} has opsgraph ABI {abi}, but this opsgraph package needs ABI "
                f"{ABI_VERSION}: install the matching libopsgraph_c or package")
        return lib
    raise LibraryLoadError(
        "libopsgraph_c not found; set " + LIBRARY_ENV + " to the library's full path, or put "
        + SONAME + " next to the opsgraph package or on the loader's path. Tried: "
        + "; ".join(failures))


def _declare(lib: ctypes.CDLL, path: str) -> None:
    for name, (restype, argtypes) in _SIGNATURES.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise LibraryLoadError(f"{path} lacks {name}: not an opsgraph C library of ABI "
                                   f"{ABI_VERSION}") from None
        function.restype = restype
        function.argtypes = argtypes


# ---- Strings in and out ------------------------------------------------------------------------

def text(value: Optional[str]) -> Optional[bytes]:
    """UTF-8 for the library. Lone surrogates pass through so that the library, the one place
    that judges text, refuses them with InvalidUtf8Error."""
    return None if value is None else value.encode("utf-8", "surrogatepass")


def json_text(value: Any) -> Optional[bytes]:
    """A JSON argument: None stays NULL, str is sent as is, anything else is encoded."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return text(value)
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def take_string(address: Optional[int]) -> str:
    """Copies a char * opsgraph handed out and frees it."""
    if not address:
        return ""
    try:
        return ctypes.string_at(address).decode("utf-8")
    finally:
        load().opsgraph_string_free(address)


def take_json(address: Optional[int]) -> Any:
    return json.loads(take_string(address))


# ---- The error funnel ---------------------------------------------------------------------------

def last_error() -> OpsgraphError:
    """The calling thread's last error as an exception (read right after the failing call)."""
    lib = load()
    error = lib.opsgraph_last_error().contents
    message = (error.message or b"").decode("utf-8", "replace")
    details: Any = {}
    if error.details_json:
        try:
            details = json.loads(error.details_json.decode("utf-8", "replace"))
        except ValueError:
            details = {"raw": error.details_json.decode("utf-8", "replace")}
    code = int(error.code)
    status = (lib.opsgraph_status_string(code) or b"unknown").decode()
    return error_class(code)(message, code=code, status=status, retryable=bool(error.retryable),
                             details=details)


def check(status: int) -> None:
    """Raises the last error when `status` is not OK."""
    if status != OK:
        error = last_error()
        if error.code != status:  # the last error must describe this call; never hide a failure
            error = error_class(status)(error.message, code=status, retryable=error.retryable,
                                        details=error.details)
        raise error


def call_json(function: Callable[..., int], *args: Any) -> Any:
    """Calls a function whose last parameter is a char ** out-parameter and returns its JSON."""
    out = c_void_p()
    check(function(*args, ctypes.byref(out)))
    return take_json(out.value)


# ---- Keeping Python callbacks alive ------------------------------------------------------------
# C holds a small integer as user_data; the object it names stays here until the library's
# destroy callback (or a failed create) lets go of it.

_registry_lock = threading.Lock()
_registry: dict = {}
_next_key = 1


def register(obj: Any) -> int:
    global _next_key
    with _registry_lock:
        key = _next_key
        _next_key += 1
        _registry[key] = obj
    return key


def lookup(key: Optional[int]) -> Any:
    with _registry_lock:
        return _registry.get(key or 0)


def unregister(key: Optional[int]) -> Any:
    with _registry_lock:
        return _registry.pop(key or 0, None)


def release_registered(key: Optional[int]) -> None:
    """The destroy callback of every handle the binding creates."""
    obj = unregister(key)
    released = getattr(obj, "_released", None)
    if released is not None:
        released()


# One trampoline for every destroy: module-level, so it outlives every handle.
DESTROY_TRAMPOLINE = DESTROY_FN(release_registered)
