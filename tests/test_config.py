"""Settings come from the environment, and secrets never show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.config import load_settings


def test_default_is_sqlite_in_the_per_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FACTCHECK_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "factcheck" / "factcheck.db"
    assert load_settings().database_url == f"sqlite:///{expected}"


def test_postgres_url_gets_psycopg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", "postgresql://u:pw@db.example/fc")
    assert load_settings().database_url == "postgresql+psycopg://u:pw@db.example/fc"


def test_config_show_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-should-not-show-123456")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", "postgresql://u:hunter2@db.example/fc")
    for fmt in ("json", "table"):
        result = CliRunner().invoke(app, ["config", "show", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "sk-secret" not in result.output and "hunter2" not in result.output
    data = json.loads(CliRunner().invoke(app, ["config", "show", "--format", "json"]).output)
    assert data["llm_api_key"] == "********"
    assert data["database_url"].startswith("postgresql+psycopg://u:***@")


def test_db_upgrade_is_idempotent_and_reports_bad_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    first = runner.invoke(app, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "empty" in first.output
    again = runner.invoke(app, ["db", "upgrade"])
    assert again.exit_code == 0
    bad = runner.invoke(
        app,
        ["db", "upgrade"],
        env={"FACTCHECK_DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/x.db"},
    )
    assert bad.exit_code == 1
    assert "does not exist" in bad.stderr and "Traceback" not in bad.output


def test_malformed_database_url_is_one_line_without_the_password() -> None:
    runner = CliRunner()
    for url in ("postgresql://u:hunter2@db.example:notaport/fc", "not a url hunter2"):
        bad = runner.invoke(app, ["articles", "list"], env={"FACTCHECK_DATABASE_URL": url})
        assert bad.exit_code == 2, bad.output
        assert "FACTCHECK_DATABASE_URL is not a database URL" in bad.stderr
        assert "hunter2" not in bad.output
        assert isinstance(bad.exception, SystemExit)  # not a traceback


def test_bad_setting_names_the_variable_not_its_value() -> None:
    runner = CliRunner()
    bad = runner.invoke(
        app,
        ["articles", "list"],
        env={"FACTCHECK_LLM_TIMEOUT": "hunter2", "FACTCHECK_LEASE_MINUTES": "0"},
    )
    assert bad.exit_code == 2, bad.output
    assert "FACTCHECK_LLM_TIMEOUT" in bad.stderr and "FACTCHECK_LEASE_MINUTES" in bad.stderr
    assert "hunter2" not in bad.output
    assert isinstance(bad.exception, SystemExit)  # not a traceback


def test_unparseable_url_still_hides_its_password() -> None:
    from factcheck.config import mask_url

    masked = mask_url("postgresql://u:secretpw@h:badport/db")
    assert "secretpw" not in masked and masked.startswith("postgresql://u:***@")


def test_config_show_masks_secrets_in_every_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "FACTCHECK_LLM_BASE_URL", "https://bob:pr0xyPass@llm.example/v1?api_key=sk-9"
    )
    monkeypatch.setenv("FACTCHECK_ORGANISATION_URL", "https://tok_ABCDEF@checks.example/")
    monkeypatch.setenv("FACTCHECK_REVIEW_URL_TEMPLATE", "https://c.example/{claim_id}?sig=s3cr3t")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", "postgresql+psycopg://fc:dbPassw0rd@db:5432/fc")
    for fmt in ("table", "json"):
        out = CliRunner().invoke(app, ["config", "show", "--format", fmt]).output
        for secret in ("pr0xyPass", "sk-9", "tok_ABCDEF", "s3cr3t", "dbPassw0rd"):
            assert secret not in out, (fmt, secret)
    data = json.loads(CliRunner().invoke(app, ["config", "show", "--format", "json"]).output)
    assert data["llm_base_url"] == "https://bob:***@llm.example/v1?api_key=***"
    assert data["organisation_url"] == "https://***@checks.example/"
    assert data["review_url_template"] == "https://c.example/{claim_id}?sig=***"
    assert data["database_url"] == "postgresql+psycopg://fc:***@db:5432/fc"
    # Nothing else is disguised: a URL without credentials reads as it was set.
    monkeypatch.setenv("FACTCHECK_LLM_BASE_URL", "http://localhost:11434/v1?model=x")
    data = json.loads(CliRunner().invoke(app, ["config", "show", "--format", "json"]).output)
    assert data["llm_base_url"] == "http://localhost:11434/v1?model=x"
