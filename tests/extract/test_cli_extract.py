"""`factcheck extract`: the three output formats and extractor choice."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factcheck.cli.main import app

runner = CliRunner()
TEXT = "“The budget is balanced,” Mayor Jan de Vries said on Monday.\n\nThe vote is on Friday."


def _article(tmp_path: Path, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_json_for_one_file_is_the_contract_object(tmp_path: Path) -> None:
    path = _article(tmp_path)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1"
    assert data["file"] == str(path)
    assert data["extractor"]["name"] == "offline"
    claim = data["claims"][0]
    assert TEXT[claim["start"] : claim["end"]] == claim["quote"] == "The budget is balanced"
    assert claim["sources"][0]["name"] == "Jan de Vries"


def test_json_for_several_files_is_a_list(tmp_path: Path) -> None:
    paths = [str(_article(tmp_path, "a.txt")), str(_article(tmp_path, "b.txt"))]
    result = runner.invoke(app, ["extract", "--format", "json", *paths])
    assert result.exit_code == 0
    assert [d["file"] for d in json.loads(result.stdout)] == paths


def test_jsonl_is_one_object_per_file(tmp_path: Path) -> None:
    paths = [str(_article(tmp_path, "a.txt")), str(_article(tmp_path, "b.txt"))]
    result = runner.invoke(app, ["extract", "--format", "jsonl", *paths])
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["file"] for line in lines] == paths


def test_table_shows_claims_and_sources(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "--format", "table", str(_article(tmp_path))])
    assert result.exit_code == 0
    assert "Jan de Vries" in result.stdout
    assert "(article)" in result.stdout


def test_unknown_extractor_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "--extractor", "magic", str(_article(tmp_path))])
    assert result.exit_code == 2
    assert "unknown extractor" in result.stderr


def test_extractor_defaults_to_settings(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("FACTCHECK_EXTRACTOR", "offline")
    result = runner.invoke(app, ["extract", str(_article(tmp_path))])
    assert json.loads(result.stdout)["extractor"]["name"] == "offline"


def test_offline_quotes_setting_is_read_from_a_dotenv_file(tmp_path: Path) -> None:
    """FACTCHECK_OFFLINE_QUOTES goes through the settings, so a .env value counts too."""
    path = tmp_path / "q.txt"
    path.write_text(
        "“The plan is fair. The council will vote on it next week,” Mayor Jan de Vries said.",
        encoding="utf-8",
    )

    def quotes() -> list[str]:
        result = runner.invoke(app, ["extract", str(path)])
        assert result.exit_code == 0, result.output
        return [c["quote"] for c in json.loads(result.stdout)["claims"]]

    assert quotes() == ["The plan is fair", "The council will vote on it next week"]
    (tmp_path / ".env").write_text("FACTCHECK_OFFLINE_QUOTES=whole\n", encoding="utf-8")
    assert quotes() == ["The plan is fair. The council will vote on it next week"]


# --- one ingest path: extract reads what `check` reads, the same way --------------------

PAGE = (
    "<!doctype html><html><head><title>Budget vote</title></head><body>"
    "<nav>Home | World | Sport</nav><article><h1>Budget vote</h1>"
    f"<p>{TEXT.splitlines()[0]}</p><p>The vote is on Friday.</p></article>"
    "<footer>© The Daily Example</footer></body></html>"
)


def _json_out(result: object) -> list[dict[str, object]]:
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    return data if isinstance(data, list) else [data]


def test_html_is_read_as_a_page_not_as_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    (data,) = _json_out(result)
    claims = data["claims"]
    assert isinstance(claims, list) and claims
    assert not any("<" in c["text"] or "Home |" in c["text"] for c in claims)
    assert data["article"]["title"] == "Budget vote"  # type: ignore[index]


def test_jsonl_gives_one_result_per_record_with_offsets_into_its_text(tmp_path: Path) -> None:
    feed = tmp_path / "day.jsonl"
    records = [{"text": TEXT, "title": "One"}, {"body": "The vote is on Friday, officials said."}]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(feed), "--format", "jsonl"])
    assert result.exit_code == 1  # the broken line is reported, the others extracted
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [f"{feed}:1", f"{feed}:2", f"{feed}:3"]
    assert "error" in lines[2] and f"{feed}:3" in result.stderr
    first = lines[0]["claims"][0]
    assert TEXT[first["start"] : first["end"]] == first["quote"]
    assert "1 of 3 input(s) could not be extracted" in result.stderr


def test_field_names_are_the_same_option_as_check(tmp_path: Path) -> None:
    feed = tmp_path / "day.jsonl"
    feed.write_text(json.dumps({"story": TEXT}) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(feed)]).exit_code == 1
    result = runner.invoke(app, ["extract", str(feed), "--field", "text=story"])
    assert result.exit_code == 0, result.output
    assert _json_out(result)[0]["claims"]


def test_stdin_and_folders(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "-"], input=PAGE)
    assert result.exit_code == 0, result.output
    (data,) = _json_out(result)
    assert data["file"] == "<stdin>" and data["claims"]
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    _article(folder, "b.txt")
    (folder / "sub" / "a.html").write_text(PAGE, encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    result = runner.invoke(app, ["extract", str(folder)])
    assert result.exit_code == 0, result.output
    assert [d["file"] for d in _json_out(result)] == [
        str(folder / "b.txt"),
        str(folder / "sub" / "a.html"),
    ]
    assert "photo.jpg: skipped" in result.stderr


def test_stdin_twice_is_a_usage_error() -> None:
    result = runner.invoke(app, ["extract", "-", "-"], input="x")
    assert result.exit_code == 2
    assert "only once" in result.stderr
