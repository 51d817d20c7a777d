"""Every command and sub-app explains itself in --help."""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from factcheck.cli.main import app


def _walk(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, cmd)]
    for name, sub in getattr(cmd, "commands", {}).items():
        found.extend(_walk(sub, (*path, name)))
    return found


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    commands = _walk(root)
    assert len(commands) > 5
    missing = [" ".join(p) or "factcheck" for p, c in commands if not (c.help or "").strip()]
    assert missing == [], f"commands without help text: {missing}"


def test_every_option_has_help_text() -> None:
    root = typer.main.get_command(app)
    missing = []
    for path, cmd in _walk(root):
        for param in getattr(cmd, "params", []):
            is_option = getattr(param, "param_type_name", "") == "option"
            if is_option and not getattr(param, "help", None):
                missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert missing == [], f"options without help text: {missing}"


def test_help_runs_for_every_command() -> None:
    runner = CliRunner()
    for path, _ in _walk(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output


def test_command_module_map_matches_the_full_app() -> None:
    from factcheck.cli import main

    full = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert full == set(main.COMMAND_MODULES)
    mapped = {m for mods in main.COMMAND_MODULES.values() for m in mods}
    assert mapped == set(main.all_modules())
    for command, modules in main.COMMAND_MODULES.items():
        partial = typer.main.get_command(main.build_app(modules))
        assert command in partial.commands  # type: ignore[attr-defined]
        # the sub-commands are the full app's, not a subset
        sub_full = getattr(typer.main.get_command(app).commands[command], "commands", {})  # type: ignore[attr-defined]
        sub_partial = getattr(partial.commands[command], "commands", {})  # type: ignore[attr-defined]
        assert set(sub_partial) == set(sub_full), command


def test_extract_starts_without_the_database_layer() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from factcheck.cli import main; "
        "main.build_app(main._modules_for(['extract', 'x.txt'])); "
        "print('sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
