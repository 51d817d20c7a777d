"""`factcheck eval` against ../shared/eval/score.py on the same gold: the figures agree.

The shared gold articles (../shared/eval/gold with ../shared/seeds, and dev/ when given
--dev) are stored in a fresh SQLite database, their gold claims entered through the
library as a reviewer would (add a claim from its quote, with its sources), the articles
marked done; then `factcheck eval` scores the offline extractor against that desk gold,
and score.py scores `factcheck extract` against the original gold files.

    python bench/desk_eval.py            # the seed article
    python bench/desk_eval.py --dev      # the 30 dev articles as well
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
KEYS = ["claim_f1", "attributed_f1", "typed_f1", "claim_p", "claim_r"]


def _sets(dev: bool) -> list[tuple[Path, Path]]:
    sets = [(SHARED / "eval" / "gold", SHARED / "seeds")]
    if dev:
        sets.append((SHARED / "eval" / "dev" / "gold", SHARED / "eval" / "dev" / "articles"))
    return sets


def _enter_gold(url: str, sets: list[tuple[Path, Path]]) -> int:
    from factcheck.config import load_settings
    from factcheck.db.articles import store_article
    from factcheck.db.session import open_database
    from factcheck.ingest.text import read_text_file
    from factcheck.workflow.corrections import SourceChoice, SpanInput, add_claim
    from factcheck.workflow.source_edits import mark_done

    db = open_database(load_settings(database_url=url))
    n = 0
    for gold, articles in sets:
        for path in sorted(gold.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            article_path = articles / data.get("file", path.stem + ".txt")
            if not article_path.exists():
                continue
            with db.session() as s:
                row, _ = store_article(session=s, article=read_text_file(article_path))
                for c in data["claims"]:
                    chain = [
                        SourceChoice(name=x["name"], type=x.get("type") or "unknown",
                                     named=bool(x.get("named", True)), cue=x.get("cue"))
                        for x in c.get("sources", [])
                    ]  # fmt: skip
                    add_claim(
                        session=s, article_id=row.id, actor="gold", kind=c.get("kind", "fact"),
                        hedged=bool(c.get("hedged")), sources=chain,
                        # A repeated quote (gold scoring accepts any occurrence): the first.
                        span=SpanInput(quote=c["quote"], text=c.get("text"),
                                       near=row.text.find(c["quote"])),
                    )  # fmt: skip
                mark_done(session=s, article_id=row.id, actor="gold")
            n += 1
    db.dispose()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", action="store_true", help="also the dev articles")
    args = ap.parse_args()
    sets = _sets(args.dev)
    tmp = Path(tempfile.mkdtemp(prefix="desk-eval-"))
    url = f"sqlite:///{tmp / 'desk.db'}"
    docs = _enter_gold(url, sets)
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url}
    factcheck = str(Path(sys.executable).with_name("factcheck"))
    ours = json.loads(
        subprocess.run(
            [factcheck, "eval", "--extractor", "offline", "--format", "json"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    # One folder for score.py holding every set, so both score the same documents.
    both_gold, both_articles = tmp / "gold", tmp / "articles"
    both_gold.mkdir()
    both_articles.mkdir()
    for gold, articles in sets:
        for path in gold.glob("*.json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            name = data.get("file", path.stem + ".txt")
            if (articles / name).exists():
                (both_gold / path.name).write_text(path.read_text(encoding="utf-8"), "utf-8")
                (both_articles / name).write_bytes((articles / name).read_bytes())
    theirs = json.loads(
        subprocess.run(
            [sys.executable, str(SHARED / "eval" / "score.py"), "gold-dir", "--gold",
             str(both_gold), "--articles", str(both_articles), "--json", "--cmd",
             f"{factcheck} extract --extractor offline --format jsonl {{files}}"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    print(f"{docs} article(s) entered as desk gold; gold claims {ours['gold_claims']}")
    print("factcheck eval: " + "  ".join(f"{k} {ours[k]:.3f}" for k in KEYS))
    print("score.py:       " + "  ".join(f"{k} {theirs[k]:.3f}" for k in KEYS))
    same = all(abs(ours[k] - theirs[k]) < 1e-9 for k in KEYS)
    print("identical" if same else "DIFFERENT")


if __name__ == "__main__":
    main()
