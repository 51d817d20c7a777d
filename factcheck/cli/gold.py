"""`factcheck export gold` and `factcheck eval`: the desk's corrections become its gold,
and the extractor is measured against them (factcheck.workflow.gold)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from factcheck.cli._common import FormatOption, TableOrJson, console, print_json, settings
from factcheck.cli._common import transaction as _transaction
from factcheck.extract.registry import EXTRACTORS, get_extractor
from factcheck.workflow.gold import evaluate, evaluate_predictions, export_gold

export_app = typer.Typer(help="Export what the desk knows.")
FIGURES = ("claim", "attributed", "typed")


@export_app.command("gold")
def gold(
    folder: Annotated[Path, typer.Argument(help="Folder to write gold/ and articles/ into.")],
) -> None:
    """Write the articles marked done as gold JSON (../shared/eval/GUIDELINE.md format)."""
    with _transaction() as session:
        done = export_gold(session=session, folder=folder)
    console.print(
        f"Exported {done.claims} claim(s) of {done.articles} article(s) to {folder}/gold "
        f"(texts in {folder}/articles).",
        highlight=False,
    )


def print_scores(data: dict[str, Any]) -> None:
    """The precision / recall / F1 table of `factcheck eval`."""
    table = Table("", "precision", "recall", "F1", title="Against the desk's gold")
    for name in FIGURES:
        table.add_row(
            name,
            f"{data[f'{name}_p']:.3f}",
            f"{data[f'{name}_r']:.3f}",
            f"{data[f'{name}_f1']:.3f}",
        )
    console.print(table)
    extra = [
        f"{data['docs']} article(s)",
        f"gold {data['gold_claims']}",
        f"predicted {data['pred_claims']}",
        f"grounded {data['grounded_rate']:.3f}",
    ]
    if data.get("kind_acc") is not None:
        extra.append(f"kind accuracy {data['kind_acc']:.3f}")
    if data.get("hedged_f1") is not None:
        extra.append(f"hedged F1 {data['hedged_f1']:.3f}")
    console.print(" · ".join(extra), highlight=False)


def eval_(
    extractor: Annotated[
        str | None,
        typer.Option(help=f"Extractor to measure: {' or '.join(EXTRACTORS)} (default: settings)."),
    ] = None,
    pred: Annotated[
        Path | None,
        typer.Option(help="Score a folder of <stem>.json predictions instead of extracting."),
    ] = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Score the extractor against the articles reviewers marked done (claim, attributed
    and typed precision/recall/F1, with the shared scorer's one-to-one span matching)."""
    cfg = settings()
    with _transaction(cfg) as session:
        if pred is not None:
            scores = evaluate_predictions(session=session, folder=pred)
        else:
            engine = get_extractor(extractor or cfg.extractor, cfg)
            scores = evaluate(session=session, extractor=engine)
    data = scores.as_dict()
    if fmt is TableOrJson.json:
        print_json(data)
        return
    print_scores(data)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("eval")(eval_)
