"""Every command but ``train`` runs numpy with one BLAS thread unless the user chose a count (issue 20: the neural
NER's small products ran 4.9x slower spread over every core)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("threadpoolctl")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "articles" / "01-cairo-talks.txt"
PROBE = (
    "import json, sys\n"
    "from click.testing import CliRunner\n"
    "from marsad.cli import main\n"
    "r = CliRunner().invoke(main, sys.argv[1:])\n"
    "import numpy\n"
    "from threadpoolctl import threadpool_info\n"
    "blas = [p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas']\n"
    "print(json.dumps({'exit': r.exit_code, 'blas': blas}))\n"
)


def probe(*args: str, env_extra: dict[str, str] | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")} | (env_extra or {})
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_process_runs_numpy_with_one_blas_thread():
    got = probe("process", "--upto", "clean", "--format", "jsonl", str(EXAMPLE))
    assert got["exit"] == 0
    if not got["blas"]:
        pytest.skip("numpy here has no BLAS library threadpoolctl can see")
    assert got["blas"] == [1] * len(got["blas"])


def test_a_count_the_user_chose_is_kept():
    got = probe(
        "process",
        "--upto",
        "clean",
        "--format",
        "jsonl",
        str(EXAMPLE),
        env_extra={"OPENBLAS_NUM_THREADS": "2"},
    )
    assert got["exit"] == 0
    if not got["blas"]:
        pytest.skip("numpy here has no BLAS library threadpoolctl can see")
    assert 2 in got["blas"]
