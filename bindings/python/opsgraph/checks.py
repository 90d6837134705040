"""The rule router and the script checker: quick, deterministic, no model involved.

Thread-safety: a Router or a Checker is immutable once made and may be used by many threads at
once; close() it (or leave ``with``) only when no other call on it runs. route() and
check_script() use one shared default instance each, made on first use.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Any, Dict, Optional

from . import _lib
from ._closing import Closing
from ._logging import ensure_logging

RouteDecision = Dict[str, Any]
CheckReport = Dict[str, Any]


class Router(Closing):
    """Classifies a free-text IT request: category, agents, complexity, risk and whether a human
    approves. ``rules_path``: a rule file (docs/router.md), None for the built-in rules."""

    def __init__(self, rules_path: Optional[str] = None, *,
                 max_request_bytes: Optional[int] = None,
                 max_context_bytes: Optional[int] = None) -> None:
        lib = _lib.load()
        ensure_logging()
        self._handle: Optional[int] = None
        options = _lib.RouterOptions()
        _lib.check(lib.opsgraph_router_options_init(ctypes.byref(options),
                                                   ctypes.sizeof(options)))
        rules = _lib.text(rules_path)
        options.rules_path = rules
        if max_request_bytes is not None:
            options.max_request_bytes = max_request_bytes
        if max_context_bytes is not None:
            options.max_context_bytes = max_context_bytes
        handle = ctypes.c_void_p()
        _lib.check(lib.opsgraph_router_create(ctypes.byref(options), ctypes.byref(handle)))
        self._handle = handle.value

    def route(self, request: str, *, require_approval: Optional[bool] = None,
              language: Optional[str] = None,
              context: Optional[Dict[str, Any]] = None) -> RouteDecision:
        """The RouteDecision of ``request`` (a dict with "risk", "category", ...)."""
        hints = {name: value for name, value in (("require_approval", require_approval),
                                                  ("language", language),
                                                  ("context", context)) if value is not None}
        return _lib.call_json(_lib.load().opsgraph_router_route, _live(self),
                              _lib.text(request), _lib.json_text(hints or None))

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            _lib.load().opsgraph_router_destroy(handle)



class Checker(Closing):
    """Syntax, lint and security findings of a script, without running it. Tool paths: None
    finds the tool on PATH, "" disables it, anything else is that program."""

    def __init__(self, rules_path: Optional[str] = None, *, bash_path: Optional[str] = None,
                 python_path: Optional[str] = None, shellcheck_path: Optional[str] = None,
                 pwsh_path: Optional[str] = None, tool_timeout: Optional[float] = None,
                 max_script_bytes: Optional[int] = None) -> None:
        lib = _lib.load()
        ensure_logging()
        self._handle: Optional[int] = None
        options = _lib.CheckerOptions()
        _lib.check(lib.opsgraph_checker_options_init(ctypes.byref(options),
                                                    ctypes.sizeof(options)))
        # Keep the encoded strings referenced until the create call returns.
        strings = {name: _lib.text(value) for name, value in (
            ("rules_path", rules_path), ("bash_path", bash_path), ("python_path", python_path),
            ("shellcheck_path", shellcheck_path), ("pwsh_path", pwsh_path))}
        for name, value in strings.items():
            setattr(options, name, value)
        if tool_timeout is not None:
            options.tool_timeout_ms = max(0, int(tool_timeout * 1000))
        if max_script_bytes is not None:
            options.max_script_bytes = max_script_bytes
        handle = ctypes.c_void_p()
        _lib.check(lib.opsgraph_checker_create(ctypes.byref(options), ctypes.byref(handle)))
        self._handle = handle.value

    def check(self, script: str, language: str) -> CheckReport:
        """The CheckReport of ``script`` in ``language`` ("bash", "powershell", "python",
        "azurecli" or an alias such as "sh", "pwsh", "py", "az"). Blocks while the tools run."""
        return _lib.call_json(_lib.load().opsgraph_checker_check, _live(self),
                              _lib.text(script), _lib.text(language))

    def scan(self, script: str, language: str) -> list:
        """The security findings alone, in script order; starts no process."""
        page = _lib.call_json(_lib.load().opsgraph_checker_scan, _live(self),
                              _lib.text(script), _lib.text(language))
        return page["findings"]

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            _lib.load().opsgraph_checker_destroy(handle)



def _live(owner: Any) -> int:
    if owner._handle is None:
        raise ValueError(f"the {type(owner).__name__} is closed")
    return owner._handle


_defaults_lock = threading.Lock()
_defaults: Dict[str, Any] = {}


def _default(kind: type) -> Any:
    with _defaults_lock:
        instance = _defaults.get(kind.__name__)
        if instance is None:
            instance = _defaults[kind.__name__] = kind()
        return instance


def route(request: str, **hints: Any) -> RouteDecision:
    """Routes ``request`` with the built-in rules (see Router.route for the hints)."""
    return _default(Router).route(request, **hints)


def check_script(script: str, language: str) -> CheckReport:
    """Checks ``script`` with the built-in rules and the tools found on PATH."""
    return _default(Checker).check(script, language)
