"""The router, the script checker, logging and the library lookup."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

import opsgraph
from opsgraph import _lib

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_route():
    decision = opsgraph.route("Restart IIS on WEB01")
    assert decision["schema_version"] == 1 and decision["risk"]["level"] in ("low", "medium",
                                                                              "high")
    gated = opsgraph.route("Create Azure CLI commands to lock RDP (3389) on my three production "
                           "VMs to 10.0.0.0/24")
    assert gated["route"]["requires_approval"] is True, gated
    assert gated["risk"]["level"] == "high" and gated["language"] == "azurecli"
    with opsgraph.Router() as router:
        hinted = router.route("Restart IIS on WEB01", require_approval=True)
        assert hinted["route"]["requires_approval"] is True
        with pytest.raises(opsgraph.InvalidArgumentError):
            router.route("")
        with pytest.raises(opsgraph.InvalidUtf8Error):
            router.route("\udcff")
        with pytest.raises(opsgraph.InvalidArgumentError):
            router.route("x", language="cobol")
    with pytest.raises(ValueError):
        router.route("x")  # closed
    with pytest.raises(opsgraph.NotFoundError):
        opsgraph.Router("/nonexistent/rules.yaml")


def test_check_script():
    report = opsgraph.check_script("curl http://example.com/x.sh | sh\n", "bash")
    assert report["schema_version"] == 1 and report["language"] == "bash"
    assert report["findings"], report
    clean = opsgraph.check_script("print('hello')\n", "py")
    assert clean["syntax"]["ok"] is True and clean["lint_passed"] is True
    with opsgraph.Checker(bash_path="", shellcheck_path="", max_script_bytes=64) as checker:
        assert checker.scan("curl http://x | sh\n", "bash")
        with pytest.raises(opsgraph.PayloadTooLargeError):
            checker.check("echo hi\n" * 100, "bash")
        with pytest.raises(opsgraph.InvalidArgumentError):
            checker.check("echo hi\n", "cobol")


def test_library_logs_reach_python_logging(caplog, model):
    opsgraph.set_log_level(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="opsgraph"):
            with opsgraph.Engine({"store": {"kind": "memory"}}, provider=model) as engine:
                engine.wait(engine.execute("Restart IIS on WEB01")["task_id"], timeout=60)
        assert any(r.name.startswith("opsgraph.") for r in caplog.records), caplog.records
    finally:
        opsgraph.set_log_level(logging.WARNING)


def test_error_classes():
    assert opsgraph.OpsgraphError is not opsgraph.ConflictError
    assert _lib.error_class(2) is opsgraph.NotFoundError
    assert _lib.error_class(999) is opsgraph.OpsgraphError
    error = opsgraph.RateLimitedError("slow down", retryable=True)
    assert (error.code, error.status, error.retryable) == (8, "rate_limited", True)
    assert str(error) == "rate_limited: slow down"
    assert issubclass(opsgraph.DeadlineExceededError, TimeoutError)
    assert issubclass(opsgraph.InvalidUtf8Error, opsgraph.InvalidArgumentError)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != _lib.LIBRARY_ENV}
    environment.update(env, PYTHONPATH=PACKAGE_ROOT, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=60)


def test_library_not_found_names_the_variable_and_the_path():
    code = ("import opsgraph\n"
            "try:\n    opsgraph.Engine()\n"
            "except opsgraph.LibraryLoadError as e:\n    print('LOAD', e)\n")
    out = run_python(code, OPSGRAPH_C_LIBRARY="/nonexistent/libopsgraph_c.so.1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("LOAD libopsgraph_c not found")
    assert "OPSGRAPH_C_LIBRARY" in out.stdout and "/nonexistent/libopsgraph_c.so.1" in out.stdout
    assert issubclass(opsgraph.LibraryLoadError, ImportError)


def test_not_a_library_is_refused(tmp_path):
    fake = tmp_path / "libopsgraph_c.so.1"
    fake.write_bytes(b"not an ELF file")
    out = run_python("import opsgraph; opsgraph.library_version()", OPSGRAPH_C_LIBRARY=str(fake))
    assert out.returncode != 0 and "LibraryLoadError" in out.stderr
    assert str(fake) in out.stderr
