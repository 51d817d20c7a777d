"""Settings from FACTCHECK_* environment variables (and a .env file).

Secrets are SecretStr: they print masked, and nothing in factcheck writes them to the
database, a log or a report.
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_path() -> Path:
    """Where the database lives when FACTCHECK_DATABASE_URL is not set: one per user.

    A per-user data folder (XDG_DATA_HOME/factcheck on Linux, Application Support on
    macOS, %LOCALAPPDATA% on Windows) rather than the working directory: the day's work
    is the same database whichever folder a command runs in, as llm keeps its logs.db.
    """
    from platformdirs import user_data_path

    return user_data_path("factcheck", appauthor=False) / "factcheck.db"


def _default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def database_origin() -> str:
    """Where the database URL in use came from, for `-v`, `config show` and errors."""
    if os.environ.get("FACTCHECK_DATABASE_URL"):
        return "FACTCHECK_DATABASE_URL"
    dotenv = Path(".env")
    try:
        if dotenv.is_file() and "FACTCHECK_DATABASE_URL" in dotenv.read_text("utf-8", "replace"):
            return f"FACTCHECK_DATABASE_URL in {dotenv.resolve()}"
    except OSError:
        pass
    return "the per-user default; FACTCHECK_DATABASE_URL is not set"


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "reviewer"


# USD per million tokens (input, output). Unknown models cost 0 and are flagged in the
# batch summary; an organisation overrides the table with FACTCHECK_LLM_PRICES (JSON).
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-nano": (0.10, 0.40),
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FACTCHECK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # Storage
    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL; postgresql+psycopg://user@host/db for a team; "
        "default: factcheck.db in the per-user data folder",
    )
    reviewer: str = Field(default_factory=_default_reviewer, description="who the CLI acts as")

    # Review queue
    lease_minutes: int = Field(default=30, ge=1, description="how long a claim stays leased")
    verdict_scale_file: Path | None = Field(
        default=None, description="JSON file replacing the default verdict scale"
    )
    track_record_min_verdicts: int = Field(
        default=5,
        ge=1,
        description="a source's share of false verdicts is shown from this many verdicts on; "
        "below it, only the counts (2 of 3 false)",
    )
    organisation_name: str = Field(default="factcheck", description="ClaimReview author")
    organisation_url: str | None = Field(default=None, description="ClaimReview author URL")
    review_url_template: str | None = Field(
        default=None,
        description="address of each published check, e.g. https://checks.example/{claim_id}; "
        "default: organisation_url + /claims/{claim_id}",
    )

    # Ingest
    max_file_mb: float = Field(default=50.0, gt=0, description="larger inputs are refused")
    jsonl_text_field: str = "text"
    jsonl_title_field: str = "title"
    jsonl_url_field: str = "url"
    jsonl_published_field: str = "published"
    jsonl_outlet_field: str = "outlet"

    # Extraction
    extractor: Literal["offline", "llm"] = "offline"
    offline_quotes: Literal["sentences", "whole"] = Field(
        default="sentences",
        description="offline extractor: one claim per quoted sentence, or whole quotations",
    )

    # LLM chain (any OpenAI-compatible server)
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = Field(default=None, description="e.g. http://localhost:11434/v1")
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("FACTCHECK_LLM_API_KEY", "OPENAI_API_KEY", "llm_api_key"),
    )
    llm_temperature: float = 0.0
    llm_timeout: float = Field(
        default=120.0, gt=0, description="read timeout: seconds to wait for an answer"
    )
    llm_connect_timeout: float = Field(default=10.0, gt=0, description="seconds to connect")
    llm_max_retries: int = Field(default=4, ge=0)
    # A timed-out request is usually still running on a local server: retrying it at once
    # queues a second copy behind the first, so timeouts get fewer retries.
    llm_timeout_retries: int = Field(default=1, ge=0)
    llm_breaker_timeouts: int = Field(
        default=3, ge=1, description="consecutive timeouts that stop the run's LLM calls"
    )
    llm_method: Literal[
        "auto", "json_schema", "function_calling", "json_object_schema", "json_mode"
    ] = Field(default="auto", description="auto: json_schema, falling back as servers refuse")
    llm_system_role: Literal["auto", "system", "fold"] = Field(
        default="auto", description="fold: send the system prompt inside the first user turn"
    )
    llm_max_tokens: int | None = Field(
        default=None, ge=64, description="answer token limit; default: sized to each part"
    )
    llm_max_concurrency: int = Field(default=4, ge=1)
    llm_requests_per_second: float = Field(default=5.0, gt=0)
    llm_chunk_tokens: int = Field(default=3000, ge=200, description="token budget per chunk")
    llm_prices: dict[str, tuple[float, float]] = Field(default_factory=lambda: dict(DEFAULT_PRICES))
    llm_cache: bool = True
    llm_prompt_version: str = Field(default="v2", description="folder under prompts/extract/")

    # Claim matching
    match_method: Literal["lexical", "embedding"] = "lexical"
    match_high: float = Field(default=0.85, ge=0, le=1, description="auto-group above this")
    match_low: float = Field(default=0.6, ge=0, le=1, description="suggest above this")

    # Web
    web_secret_key: SecretStr | None = Field(
        default=None, description="signs session cookies; random per process when unset"
    )
    web_secure_cookies: bool = Field(
        default=False, description="send the session cookie only over HTTPS"
    )
    web_session_hours: float = Field(
        default=12.0, gt=0, le=24 * 90, description="how long a web login lasts"
    )
    login_free_failures: int = Field(
        default=5, ge=1, description="failed logins per account before back-off starts"
    )
    login_address_free_failures: int = Field(
        default=20, ge=1, description="failed logins per address before back-off starts"
    )
    login_max_lockout_seconds: float = Field(
        default=900.0, gt=0, description="longest wait the login back-off imposes"
    )

    @field_validator("database_url")
    @classmethod
    def _normalise_pg_driver(cls, value: str) -> str:
        # psycopg 3 is the driver we ship; a bare postgresql:// would look for psycopg2.
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    def public_dict(self) -> dict[str, Any]:
        """Effective settings for display: secrets masked, passwords in URLs hidden."""
        data = self.model_dump(mode="json")
        for key in list(data):
            field = getattr(self, key)
            if isinstance(field, SecretStr):
                data[key] = "********" if field.get_secret_value() else None
        data["database_url"] = mask_url(self.database_url)
        # Every other URL too (FACTCHECK_LLM_BASE_URL=https://user:pw@proxy/v1?api_key=...).
        for key, value in data.items():
            if key != "database_url" and isinstance(value, str) and "://" in value:
                data[key] = mask_url(value)
        return data


# Greedy to the authority's last "@": a password may itself contain "@".
_USERINFO_PASSWORD = re.compile(r"(://[^:/@]*:)[^/?#]*@")
_WEB_USERINFO_ONLY = re.compile(r"^((?:https?|wss?)://)[^:/@?#]+@", re.IGNORECASE)
# Query parameters that carry credentials in the wild (api_key, access_token, sig...).
_SECRET_PARAM = re.compile(
    r"([?&;](?:[\w.-]*?(?:key|token|secret|password|passwd|pwd|auth|signature|sig|"
    r"credential)[\w.-]*)=)[^&;#]*",
    re.IGNORECASE,
)


def mask_url(url: str) -> str:
    """The URL with any password, bare credential or secret query value replaced.

    For logs and `config show`. ``user:password@`` keeps the user; a lone ``token@`` (a
    credential in the user position, as some proxies want) is hidden whole; query
    parameters named like keys, tokens, secrets or signatures lose their values.
    """
    masked = _USERINFO_PASSWORD.sub(r"\1***@", url)
    if masked == url:  # a database user name is no secret; a web URL's lone one is
        masked = _WEB_USERINFO_ONLY.sub(r"\1***@", masked)
    return _SECRET_PARAM.sub(r"\1***", masked)


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)
