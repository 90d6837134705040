"""The package installed from the source tree with pip, offline, into a venv that sees the
system's site-packages, then imported from there: with $OPSGRAPH_C_LIBRARY, and with the
library copied next to the package instead."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv

import pytest

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBRARY = os.environ.get("OPSGRAPH_C_LIBRARY", "")

USE = ("import opsgraph, sys\n"
       "assert opsgraph.__file__.startswith(sys.prefix), opsgraph.__file__\n"
       "with opsgraph.Engine({'store': {'kind': 'memory'}}) as engine:\n"
       "    assert engine.list()['tasks'] == []\n"
       "print(opsgraph.library_path())\n")


def have_pip_and_setuptools() -> bool:
    try:
        import ensurepip  # noqa: F401  (python3-venv)
        import setuptools  # noqa: F401  (python3-setuptools)
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not have_pip_and_setuptools(),
                    reason="needs Debian's python3-venv and python3-setuptools")
@pytest.mark.skipif(not LIBRARY, reason="OPSGRAPH_C_LIBRARY names no built library")
def test_pip_install_into_a_venv(tmp_path):
    # Build from a copy: an in-tree build would leave build/ and *.egg-info in the sources.
    source = tmp_path / "src"
    shutil.copytree(PACKAGE_ROOT, source, ignore=shutil.ignore_patterns(
        "tests", "__pycache__", "build", "*.egg-info", "libopsgraph_c.so*"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("PYTHONPATH", "OPSGRAPH_C_LIBRARY", "PIP_INDEX_URL")}
    environment["PIP_NO_INDEX"] = "1"
    subprocess.run([python, "-m", "pip", "install", "--no-index", "--no-build-isolation",
                    "--quiet", "--disable-pip-version-check", str(source)],
                   env=environment, check=True, cwd=tmp_path, timeout=300)

    found = subprocess.run([python, "-c", USE], env=dict(environment, OPSGRAPH_C_LIBRARY=LIBRARY),
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == LIBRARY

    # Next to the package: the soname in the installed package directory.
    where = subprocess.run([python, "-c", "import os, opsgraph; "
                            "print(os.path.dirname(opsgraph.__file__))"],
                           env=environment, capture_output=True, text=True, check=True,
                           cwd=tmp_path)
    beside = os.path.join(where.stdout.strip(), "libopsgraph_c.so.1")
    shutil.copy(os.path.realpath(LIBRARY), beside)
    found = subprocess.run([python, "-c", USE], env=environment, capture_output=True, text=True,
                           cwd=tmp_path, timeout=60)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == beside
