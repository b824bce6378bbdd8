"""schemathesis against both deployables' OpenAPI schemas: every check (but one), with bounded examples.

On a stack of its own: fuzzing the login locks the address it comes from, as it should. The one check left
out is "positive data acceptance": a schema cannot say that a doctor must exist or a date be in the future,
so a well-formed booking of a doctor that does not exist is rightly refused with 400.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.harness import deployables as start_deployables

pytestmark = pytest.mark.integration
ST = Path(sys.executable).parent / "st"
EXAMPLES = 15


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with start_deployables("sqlite", tmp_path_factory.mktemp("fuzzing")) as running:
        yield running


@pytest.fixture(scope="module")
def token(stack) -> str:
    """The admin's, taken before any fuzzing: the fuzzed logins soon lock this address out."""
    return stack.login()


# citas first: fuzzing gestion may deactivate or revoke the admin whose token both runs use.
@pytest.mark.parametrize("deployable", ["citas", "gestion"])
def test_the_schema_holds_under_fuzzing(stack, token, tmp_path, deployable):
    url = stack.gestion_url if deployable == "gestion" else stack.citas_url
    command = [
        str(ST), "run", f"{url}/api/schema/",
        "--checks", "all", "--exclude-checks", "positive_data_acceptance",
        "--max-examples", str(EXAMPLES), "--seed", "2026",
        "--header", f"Authorization: Bearer {token}",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    # Any failed check (a server error, an answer off its schema, a request without valid credentials
    # let in, an undocumented status, …) makes schemathesis exit non-zero and list it.
    assert result.returncode == 0, result.stdout[-6000:]
    [totals] = [line for line in result.stdout.splitlines() if " generated, " in line]
    generated, passed = [int(word) for word in totals.replace(",", " ").split() if word.isdigit()][:2]
    assert generated > 500 and generated == passed, totals
    print(f"{deployable}: {totals.strip()}")
