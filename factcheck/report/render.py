"""Renderers: one pure function per format, from a loaded report to text.

HTML templates autoescape everything. Markdown templates go through a `finalize` hook
that escapes every printed value, so forgetting a filter cannot let an article's markup
or link syntax into the report; only helpers that build Markdown themselves (`mdlink`)
return pre-escaped text.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from factcheck.report import charts
from factcheck.report.claimreview import claim_reviews
from factcheck.report.loader import report_label
from factcheck.report.model import ArticleReport, BatchReport, ReportBase, SourceReport
from factcheck.report.tabular import render_csv, report_dict
from factcheck.report.text import (
    fmt_date,
    fmt_datetime,
    fmt_share,
    md,
    md_link,
    safe_url,
    segments,
    verdict_class,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"
    csv = "csv"
    claimreview = "claimreview"


SUFFIXES = {
    ReportFormat.md: ".md",
    ReportFormat.html: ".html",
    ReportFormat.json: ".json",
    ReportFormat.csv: ".csv",
    ReportFormat.claimreview: ".jsonld",
}


class MdText(str):
    """Markdown that a helper already escaped; `finalize` passes it through unchanged."""

    __slots__ = ()


def _md_finalize(value: Any) -> Any:
    if isinstance(value, MdText):
        return value
    return md(value)


def _mdlink(text: object, url: str | None) -> MdText:
    return MdText(md_link(text, url))


_TOKEN = re.compile(r"[^a-z0-9_-]+")


def _css_token(value: object) -> str:
    return _TOKEN.sub("-", str(value).lower())


def _common_filters(env: Environment) -> None:
    env.filters.update(
        date=fmt_date,
        datetime=fmt_datetime,
        share=fmt_share,
        vclass=verdict_class,
        safe_url=safe_url,
        css_token=_css_token,
    )


@cache
def html_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    _common_filters(env)
    return env


@cache
def md_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        finalize=_md_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    _common_filters(env)
    env.filters["mdlink"] = _mdlink
    return env


def _template_name(report: ReportBase, suffix: str) -> str:
    if isinstance(report, ArticleReport):
        return f"article.{suffix}.j2"
    if isinstance(report, BatchReport):
        return f"batch.{suffix}.j2"
    if isinstance(report, SourceReport):
        return f"source.{suffix}.j2"
    raise TypeError(f"not a report: {type(report).__name__}")


def render_markdown(report: ReportBase) -> str:
    text = (
        md_env()
        .get_template(_template_name(report, "md"))
        .render(report=report, show_article=False, articles={})
    )
    # Templates are written for readability; collapse the blank runs they leave.
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def render_html(report: ReportBase) -> str:
    context: dict[str, Any] = {
        "report": report,
        "title": report_label(report),
        "verdict_chart": charts.verdict_chart(report.by_verdict(), report.scale),
        "type_chart": charts.source_type_chart(report.by_source_type()),
        "segments": [],
    }
    if isinstance(report, ArticleReport) and report.article is not None:
        context["segments"] = segments(report.article.text or "", report.claims)
    return html_env().get_template(_template_name(report, "html")).render(**context)


def render_json(report: ReportBase) -> str:
    """Indented for one article or source; compact for a batch, which runs to megabytes
    (json's indenting encoder is pure Python and triples the time; `jq .` indents it)."""
    indent = None if isinstance(report, BatchReport) else 2
    return json.dumps(report_dict(report), ensure_ascii=False, indent=indent) + "\n"


def render_claimreview(report: ReportBase) -> str:
    return json.dumps(claim_reviews(report), ensure_ascii=False, indent=2) + "\n"


def render(report: ReportBase, fmt: ReportFormat | str) -> str:
    """The report as text in the given format."""
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.md:
        return render_markdown(report)
    if fmt is ReportFormat.html:
        return render_html(report)
    if fmt is ReportFormat.json:
        return render_json(report)
    if fmt is ReportFormat.csv:
        return render_csv(report)
    return render_claimreview(report)
