"""Versioned prompt files, loaded as LangChain chat prompt templates.

A version is a folder `prompts/extract/<version>/` with `system.txt` (sent as is),
`user.txt` and `context.txt` (f-string templates). Installed wheels carry them as
`factcheck/_prompts`; a source checkout reads the repository's `prompts/`. The article
is passed as a template *value*, so text in an article can never act as template code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from langchain_core.messages import SystemMessage
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

from factcheck.errors import ConfigError

_TAGS = re.compile(r"<(/?\s*(?:article|context)\s*)>", re.IGNORECASE)
_MAX_PROBLEMS = 20
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


def prompts_dir() -> Path:
    """The prompts folder: inside the wheel when installed, the repository's otherwise."""
    import factcheck

    packaged = Path(factcheck.__file__).resolve().parent / "_prompts"
    if packaged.is_dir():
        return packaged
    return Path(factcheck.__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class PromptSpec:
    """One prompt version: its texts, a hash of them, and the LangChain template."""

    version: str
    system: str
    user: str
    context: str
    sha256: str

    @cached_property
    def template(self) -> ChatPromptTemplate:
        # The system text has no variables: a literal message, so its JSON example needs
        # no escaping and it is not re-parsed as a template for every chunk.
        return ChatPromptTemplate.from_messages(
            [SystemMessage(content=self.system), ("human", self.user)]
        )

    @cached_property
    def context_template(self) -> PromptTemplate:
        return PromptTemplate.from_template(self.context)

    def render(self, *, context: str, **values: str) -> list[tuple[str, str]]:
        """The messages as (role, text) pairs, for the cache key and the call."""
        section = self.context_template.format(context=context) if context else ""
        messages = self.template.format_messages(context_section=section, **values)
        return [(m.type, str(m.content)) for m in messages]


@lru_cache(maxsize=16)
def _load(root: str, version: str) -> PromptSpec:
    folder = Path(root) / "extract" / version
    try:
        system, user, context = (
            (folder / name).read_text(encoding="utf-8")
            for name in ("system.txt", "user.txt", "context.txt")
        )
    except OSError as exc:
        raise ConfigError(
            f"prompt version {version!r} not found or incomplete: expected system.txt, "
            f"user.txt and context.txt in {folder}"
        ) from exc
    digest = hashlib.sha256("\x00".join((system, user, context)).encode("utf-8")).hexdigest()
    return PromptSpec(version=version, system=system, user=user, context=context, sha256=digest)


def load_prompt(version: str, *, root: Path | None = None) -> PromptSpec:
    """The prompt `version` (Settings.llm_prompt_version, FACTCHECK_LLM_PROMPT_VERSION)."""
    if not _VERSION.match(version):
        raise ConfigError(f"invalid prompt version {version!r}: use a folder name such as v1")
    return _load(str(root or prompts_dir()), version)


def defang(text: str) -> str:
    """The text with look-alike brackets on our delimiter tags, so it cannot close them."""
    return _TAGS.sub(lambda m: f"\u2039{m.group(1)}\u203a", text)


def repair_request(problems: list[str], whole: bool) -> str:
    listed = "\n".join(f"- {p}" for p in problems[:_MAX_PROBLEMS])
    if whole:
        return (
            f"Your previous answer could not be used:\n{listed}\n"
            "Answer again with the complete list of claims, as JSON that matches the "
            "schema exactly. Keep it concise."
        )
    return (
        f"Some claims in your previous answer were rejected:\n{listed}\n"
        "Return only corrected versions of these claims. Copy each quote verbatim from "
        "<article>: the same words and punctuation. Leave out any claim that <article> "
        "does not state. Do not repeat the claims that were accepted."
    )
