"""The README's "A day with factcheck" runs as written, in order, on `make demo`'s data.

The demo's own commands (the Makefile's `demo` recipe) run first, then every line of
the README's block in one bash script with `set -e`, so a line that fails names itself.
Two lines are left out: `. .venv/bin/activate` (the test puts this interpreter's bin
folder first on PATH instead) and `factcheck serve`, which would not return.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


def readme_day() -> list[str]:
    """The commands of the README's day, continuation lines joined, comments dropped."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## A day with factcheck", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the README's day has no ```sh block"
    joined = block.group(1).replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line and not line.startswith("#"):
            commands.append(line)
    return commands


def demo_recipe() -> list[str]:
    """The factcheck commands of `make demo`, as the Makefile runs them."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    return [
        line.strip().replace("$(BIN)/", "")
        for line in recipe.splitlines()[1:]
        if line.startswith("\t$(BIN)/factcheck")
    ]


def _script(lines: list[str]) -> str:
    body = ["set -euo pipefail", "trap 'echo \"FAILED: $BASH_COMMAND\" >&2' ERR"]
    for line in lines:
        body.append(f"echo '$ {line.replace(chr(39), '')}'")
        body.append(line)
    return "\n".join(body) + "\n"


def _run_day(workdir: Path, env: dict[str, str], *, skip_database_export: bool) -> str:
    for folder in ("seeds", "demo"):
        shutil.copytree(REPO / folder, workdir / folder)
    lines = demo_recipe()
    for line in readme_day():
        if line.startswith(". .venv/bin/activate") or line.startswith("factcheck serve"):
            continue
        if skip_database_export and line.startswith("export FACTCHECK_DATABASE_URL="):
            continue
        lines.append(line)
    result = subprocess.run(
        ["bash", "-c", _script(lines)],
        cwd=workdir,
        env=env,
        input=f"{PASSWORD}\n{PASSWORD}\n",  # `users add alice` prompts twice
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,  # no controlling terminal: the prompt reads stdin
    )
    assert result.returncode == 0, (
        f"README day failed:\n{result.stderr[-3000:]}\n--- stdout ---\n{result.stdout[-3000:]}"
    )
    return result.stdout


def _env(workdir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "OPENAI_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["FACTCHECK_DATABASE_URL"] = database_url  # what the Makefile exports to make demo
    env["XDG_DATA_HOME"] = str(workdir / "xdg")
    env["COLUMNS"] = "80"
    return env


def test_the_readme_uses_ids_and_files_of_the_demo() -> None:
    lines = readme_day()
    assert any(line.startswith("factcheck claims review 1 ") for line in lines)
    for line in lines:
        for path in re.findall(r"(?:demo|seeds)/[\w./-]+", line):
            assert (REPO / path).exists(), f"README names {path}, which is not in the repo"
    assert "factcheck import claimreview demo/published.jsonl" in demo_recipe()


def _check_outcome(workdir: Path, env: dict[str, str]) -> None:
    """What the day did, read back: the verdict, its reuse on the repeat, the merges."""

    def cli(*args: str) -> object:
        out = subprocess.run(
            ["factcheck", *args, "--format", "json"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)

    first = cli("claims", "show", "1")
    assert isinstance(first, dict) and first["status"] == "reviewed"
    assert first["verdict"]["key"] == "mostly-true" and first["reviewed_by"] == "alice"
    repeat = cli("claims", "show", "3")
    assert isinstance(repeat, dict) and repeat["verdict"]["key"] == "mostly-true"
    names = {s["name"] for s in cli("sources", "list")}  # type: ignore[attr-defined]
    assert "Nikita Smagin" in names and "Smagin" not in names and "RIAC" not in names
    assert (workdir / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert (workdir / "batch.csv").stat().st_size > 0


def test_the_day_runs_as_written_on_sqlite(tmp_path: Path) -> None:
    workdir = tmp_path / "desk"
    workdir.mkdir()
    # The README exports FACTCHECK_DATABASE_URL=sqlite:///$PWD/factcheck.db itself.
    env = _env(workdir, f"sqlite:///{workdir / 'factcheck.db'}")
    out = _run_day(workdir, env, skip_database_export=False)
    assert "$ factcheck claims match-accept 6" in out
    _check_outcome(workdir, env)


@pytest.mark.postgres
def test_the_day_runs_as_written_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    workdir = tmp_path / "desk"
    workdir.mkdir()
    env = _env(workdir, pg_url)
    _run_day(workdir, env, skip_database_export=True)
    _check_outcome(workdir, env)
