"""Build a benchmark corpus of realistic news articles, outside the repository.

Paragraphs from the seed article and the PolNeAR train texts (../shared, research use
only, never copied into the project) are recombined into new articles. The corpus
mixes the input kinds of a monitoring desk: plain text files, saved HTML pages with
page chrome, and a JSONL feed export.

    python bench/make_corpus.py --articles 1000 --out /tmp/factcheck-bench/corpus
"""

from __future__ import annotations

import argparse
import html
import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEFAULT_OUT = Path("/tmp/factcheck-bench/corpus")


def paragraphs(shared: Path) -> list[str]:
    """Every paragraph of the seed and the PolNeAR train texts that reads like prose."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    seen: set[str] = set()
    with (shared / "eval" / "polnear" / "polnear_train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["doc_id"] in seen:  # several annotators per document
                continue
            seen.add(record["doc_id"])
            texts.append(record["text"])
    found = []
    for text in texts:
        for para in text.split("\n\n"):
            para = " ".join(para.split())
            if len(para) >= 80 and para.count(" ") >= 12:
                found.append(para)
    return found


def page(title: str, body: list[str], published: datetime) -> str:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | Bench Times</title>
<meta property="og:site_name" content="Bench Times">
<meta property="article:published_time" content="{published.isoformat()}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/world">World</a>
<a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
{paras}
</article>
<aside><h2>Most read</h2><ul><li>Ten things to know today</li><li>Weather</li></ul></aside>
</main><footer><p>&copy; Bench Times. All rights reserved. Privacy. Cookies.</p></footer>
</body></html>
"""


def build(out: Path, *, articles: int, shared: Path, seed: int) -> dict[str, int]:
    if out.resolve().is_relative_to(REPO):
        raise SystemExit(f"refusing to write the corpus inside the repository: {out}")
    pool = paragraphs(shared)
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "pages").mkdir(parents=True)
    (out / "text").mkdir()
    (out / "feeds").mkdir()
    start = datetime(2024, 5, 1, tzinfo=UTC)
    counts = {"text": 0, "html": 0, "jsonl": 0, "chars": 0}
    feed: list[str] = []
    for i in range(articles):
        body = rng.sample(pool, rng.randint(6, 18))
        title = body[0].split(". ")[0][:90]
        published = start + timedelta(minutes=17 * i)
        text = "\n\n".join([title, *body])
        counts["chars"] += len(text)
        roll = rng.random()
        if roll < 0.70:
            (out / "text" / f"article-{i:05}.txt").write_text(text + "\n", encoding="utf-8")
            counts["text"] += 1
        elif roll < 0.85:
            (out / "pages" / f"article-{i:05}.html").write_text(
                page(title, body, published), encoding="utf-8"
            )
            counts["html"] += 1
        else:
            record = {
                "title": title,
                "text": "\n\n".join(body),
                "url": f"https://bench.example/{i}",
                "published": published.isoformat(),
                "outlet": "Bench Wire",
            }
            feed.append(json.dumps(record, ensure_ascii=False))
            counts["jsonl"] += 1
    (out / "feeds" / "wire.jsonl").write_text("\n".join(feed) + "\n", encoding="utf-8")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    counts = build(args.out, articles=args.articles, shared=args.shared, seed=args.seed)
    print(
        f"{args.out}: {args.articles} articles ({counts['text']} text, {counts['html']} HTML, "
        f"{counts['jsonl']} in a JSONL feed), {counts['chars'] / args.articles:.0f} chars each"
    )


if __name__ == "__main__":
    main()
