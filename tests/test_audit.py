"""`make audit`: a dependency audit that fails when it could not check everything."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def recipe(target: str) -> str:
    match = re.search(rf"^{target}:.*\n((?:\t.*\n?)*)", MAKEFILE, re.MULTILINE)
    assert match, f"the Makefile has no {target} target"
    return match.group(1)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("service", ["pypi", "osv"])
def test_make_audit_fails_loudly_when_the_advisory_service_is_out_of_reach(tmp_path, service):
    env = {
        **os.environ,
        # Nothing listens there: every request to the advisory service fails.
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "no_proxy": "",
        # No answer cached by an earlier audit on this machine.
        "PIP_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/bin/.installed", "audit"],
        cwd=ROOT,
        env={**env, "AUDIT_SERVICE": service},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "make audit FAILED" in result.stderr
    assert f"the {service} advisory service is out of reach" in result.stderr


def test_the_audit_is_strict_and_no_part_of_make_test():
    audit = recipe("audit")
    assert "pip-audit --strict" in audit
    # No failure is swallowed: neither `|| true` nor make's ignore-errors prefix.
    assert "|| true" not in audit
    assert not re.search(r"^\t@?-", audit, re.MULTILINE)
    assert "audit" not in recipe("test")
    assert "pip-audit" not in (ROOT / "tests/scripts/test.sh").read_text(encoding="utf-8")
