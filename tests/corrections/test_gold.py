"""The loop closes: a machine extraction corrected to the truth, marked done and exported
as gold scores F1 1.0 with the shared scorer; `factcheck eval` gives the same figures as
../shared/eval/score.py on the same files. Skipped where ../shared is absent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.articles import store_article
from factcheck.db.models import Claim
from factcheck.db.session import Database
from factcheck.db.store import store_extraction
from factcheck.extract.base import make_result
from factcheck.ingest.document import ArticleInput
from factcheck.schema import Claim as SchemaClaim
from factcheck.schema import ExtractorInfo, SourceRef, SourceType
from factcheck.workflow.corrections import (
    SourceChoice,
    SpanInput,
    add_claim,
    move_span,
    reject_claim,
    set_sources,
)
from factcheck.workflow.evaluation import load_gold_dir, score
from factcheck.workflow.source_edits import mark_done

runner = CliRunner()
STEM = "russia-iran-law-enforcement"
KEYS = [f"{n}_{m}" for n in ("claim", "attributed", "typed") for m in ("p", "r", "f1")]


def _truth(shared: Path) -> tuple[str, list[dict[str, Any]]]:
    text = (shared / "seeds" / f"{STEM}.txt").read_text(encoding="utf-8")
    gold = json.loads((shared / "eval" / "gold" / f"{STEM}.json").read_text(encoding="utf-8"))
    return text, gold["claims"]


def _machine(text: str, truth: list[dict[str, Any]]) -> list[SchemaClaim]:
    """The truth with an extractor's typical errors: claim 3 missed, claim 1 cut short,
    claim 17's source typed unknown, and a fragment that is not a claim."""
    claims = []
    for i, c in enumerate(truth):
        if i == 3:
            continue
        quote = c["quote"]
        if i == 1:
            quote = quote[: quote.index(", was received")]
        start = text.index(quote)
        sources = [
            SourceRef(
                name=s["name"],
                type=SourceType("unknown" if i == 17 else s["type"]),
                named=bool(s.get("named")),
                cue=s.get("cue"),
            )
            for s in c["sources"]
        ]
        claims.append(
            SchemaClaim(text=c["text"], quote=quote, start=start, end=start + len(quote),
                        kind=c["kind"], hedged=c["hedged"], sources=sources)
        )  # fmt: skip
    # A fragment: the expert's name alone (an identifying clause is not a claim).
    at = text.index("Kirill Semyonov")
    noise = (at, at + len("Kirill Semyonov"))
    assert not any(text.index(c["quote"]) < noise[1] and noise[0] < text.index(c["quote"])
                   + len(c["quote"]) for c in truth)  # fmt: skip
    claims.append(SchemaClaim(text="Kirill Semyonov", quote=text[at : noise[1]], start=at,
                              end=noise[1]))  # fmt: skip
    return claims


def _score_py(shared: Path, gold: Path, articles: Path, pred: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), "gold-dir", "--gold", str(gold),
         "--articles", str(articles), "--pred", str(pred), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout))


def test_export_gold_eval_round_trip(database: Database, shared_dir: Path, tmp_path: Path) -> None:
    text, truth = _truth(shared_dir)
    machine = _machine(text, truth)
    article_input = ArticleInput(text=text, location=f"{STEM}.txt", source_path=f"/in/{STEM}.txt")
    result = make_result(article_input, ExtractorInfo(name="fixed", version="1"), machine)
    with database.session() as s:
        article, _ = store_article(session=s, article=article_input)
        store_extraction(session=s, article=article, result=result, scores=[0.5] * len(machine))
        aid = article.id

    # The untouched machine output, as predictions: our scorer and score.py agree on it.
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / f"{STEM}.json").write_text(result.model_dump_json(), encoding="utf-8")
    theirs = _score_py(shared_dir, shared_dir / "eval" / "gold", shared_dir / "seeds", pred)
    docs = load_gold_dir(shared_dir / "eval" / "gold", shared_dir / "seeds")
    ours = score(docs, {f"{STEM}.txt": [c.model_dump() for c in machine]}).as_dict()
    assert {k: ours[k] for k in KEYS} == pytest.approx({k: theirs[k] for k in KEYS})
    assert theirs["claim_f1"] < 1.0 and theirs["typed_f1"] < theirs["claim_f1"]

    # A reviewer corrects the machine to the truth, and marks the article done.
    with database.session() as s:
        rows = {c.quote: c.id for c in s.scalars(select(Claim).where(Claim.article_id == aid))}
        cut = next(i for q, i in rows.items() if q.startswith("Ahmad Reza Radan,"))
        move_span(session=s, claim_id=cut, actor="ana", span=SpanInput(quote=truth[1]["quote"]))
        noise = rows["Kirill Semyonov"]
        reject_claim(session=s, claim_id=noise, actor="ana", reason="not a claim")
        missed = truth[3]
        add_claim(
            session=s, article_id=aid, actor="ana", span=SpanInput(quote=missed["quote"]),
            sources=[SourceChoice(name="Embassy of Iran in Russia", type="official")],
        )  # fmt: skip
        typed = rows[truth[17]["quote"]]
        set_sources(
            session=s, claim_id=typed, actor="ana",
            chain=[SourceChoice(name="official figures", type="official", named=False)],
        )  # fmt: skip
        mark_done(session=s, article_id=aid, actor="ana")

    out = tmp_path / "desk"
    result_cli = runner.invoke(app, ["export", "gold", str(out)])
    assert result_cli.exit_code == 0, result_cli.output
    exported = json.loads((out / "gold" / f"{STEM}.json").read_text(encoding="utf-8"))
    assert exported["file"] == f"{STEM}.txt" and len(exported["claims"]) == len(truth)
    assert (out / "articles" / f"{STEM}.txt").read_text(encoding="utf-8") == text

    # Edited to the truth, the desk's gold scores 1.0 against the shared gold.
    perfect = _score_py(
        shared_dir, shared_dir / "eval" / "gold", shared_dir / "seeds", out / "gold"
    )
    assert [perfect[k] for k in ("claim_f1", "attributed_f1", "typed_f1")] == [1.0, 1.0, 1.0]

    # `factcheck eval` scores predictions against the desk's gold as score.py does.
    cli = runner.invoke(app, ["eval", "--pred", str(pred), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    ours_cli = json.loads(cli.stdout)
    theirs_desk = _score_py(shared_dir, out / "gold", out / "articles", pred)
    assert {k: ours_cli[k] for k in KEYS} == pytest.approx({k: theirs_desk[k] for k in KEYS})
    assert ours_cli["gold_claims"] == len(truth)
    table = runner.invoke(app, ["eval", "--pred", str(pred)])
    assert "attributed" in table.stdout and "precision" in table.stdout


def test_eval_without_done_articles_says_what_to_do(database: Database) -> None:
    result = runner.invoke(app, ["export", "gold", "out"])
    assert result.exit_code == 2 and "factcheck articles done" in result.stderr
