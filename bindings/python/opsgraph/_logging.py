"""opsgraph's log records routed to Python's logging, under the logger "opsgraph.<component>".

The library's log callback is process-wide; the binding installs it once, the first time an
engine, router or checker is made (or when set_log_level() is called), at the threshold of
set_log_level() (default WARNING, the library's own default). An engine keeps the threshold of
its creation. Records carry their structured fields as ``record.opsgraph_fields`` and in the
message.
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Any, Optional

from . import _lib

# opsgraph_log_level -> logging level (TRACE sits below DEBUG).
TRACE = 5
_TO_PYTHON = {0: TRACE, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}

_lock = threading.Lock()
_installed = False


def _to_opsgraph(level: int) -> int:
    if level <= TRACE:
        return 0
    if level <= logging.DEBUG:
        return 1
    if level <= logging.INFO:
        return 2
    if level <= logging.WARNING:
        return 3
    if level <= logging.ERROR:
        return 4
    return 5  # off


def _on_log(level: int, component: Optional[bytes], message: Optional[bytes],
            fields_json: Optional[bytes], _user_data: Any) -> None:
    # Runs on the thread that logs, often an engine thread: no engine call from here.
    try:
        name = (component or b"").decode("utf-8", "replace") or "core"
        text = (message or b"").decode("utf-8", "replace")
        fields = json.loads(fields_json.decode("utf-8")) if fields_json else {}
        if fields:
            text += " (" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")"
        logging.getLogger(f"opsgraph.{name}").log(_TO_PYTHON.get(level, logging.ERROR), text,
                                                   extra={"opsgraph_fields": fields})
    except BaseException:  # nothing may propagate into C
        pass


_LOG_TRAMPOLINE = _lib.LOG_FN(_on_log)
_NO_DESTROY = _lib.DESTROY_FN(lambda _user_data: None)


def set_log_level(level: int = logging.WARNING) -> None:
    """Routes opsgraph's records at ``level`` (a logging level; 5 is opsgraph's trace) and above
    to Python's logging; logging.CRITICAL + 1 or more turns them off. Engines made afterwards
    use the new threshold."""
    global _installed
    with _lock:
        _lib.check(_lib.load().opsgraph_log_set_callback(_to_opsgraph(level), _LOG_TRAMPOLINE,
                                                        None, _NO_DESTROY))
        _installed = True


def ensure_logging() -> None:
    """Installs the callback at the default threshold unless set_log_level() already ran."""
    if not _installed:
        with _lock:
            if _installed:
                return
        try:
            set_log_level(logging.WARNING)
        except Exception:
            pass
