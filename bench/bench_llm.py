"""LLM chain throughput, calls per article and cache effect, against a local fake server.

The fake OpenAI-compatible server (tests/llm/fake_server.py) runs in its own process
with a fixed latency per request (300 ms by default), so the figures measure what the
chain controls: concurrency, pacing, calls per chunk, and the cache. No network, no key.

    .venv/bin/python bench/bench_llm.py                 # 100 articles of ~2,000 words
    .venv/bin/python bench/bench_llm.py --articles 30 --latency 0.1

Goals (issue 4): speed-up of concurrency 16 over 1 >= 12x; 1 call per chunk with chunks
of >= 2,000 words; 0 calls when the batch is run again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.config import Settings, load_settings  # noqa: E402
from factcheck.db.llm_cache import DatabaseResponseCache  # noqa: E402
from factcheck.db.session import Database, make_engine, upgrade  # noqa: E402
from factcheck.extract.llm import LLMExtractor  # noqa: E402
from factcheck.ingest.document import ArticleInput  # noqa: E402
from factcheck.schema import ExtractionResult  # noqa: E402

SUBJECTS = [
    "The regional council",
    "The health ministry",
    "Anna Berg",
    "Police in Lyon",
    "The central bank",
    "A spokesperson for the governor",
    "Local residents",
    "The opposition party",
    "Researchers at the university",
    "The port authority",
]
VERBS = [
    "said on Tuesday that",
    "told reporters that",
    "announced that",
    "warned that",
    "confirmed in a statement that",
    "argued that",
]
OBJECTS = [
    "the school budget would rise by {n} percent next year",
    "{n} people had been treated in hospital after the storm",
    "the new bridge would open to traffic in the spring",
    "inflation had slowed to {n} percent in the third quarter",
    "the talks with the union would continue next week",
    "{n} new teachers would be hired before the autumn term",
]


def make_article(i: int, words: int) -> ArticleInput:
    rng = random.Random(i)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(4):
            sentence = (
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
                f"{rng.choice(OBJECTS).format(n=rng.randint(2, 90))}."
            )
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return ArticleInput(
        text="\n\n".join(paragraphs), location=f"bench-{i}.txt", title=f"Bench article {i}"
    )


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.llm.fake_server", "--latency", str(latency)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


async def run_batch(
    extractor: LLMExtractor, articles: list[ArticleInput]
) -> list[ExtractionResult]:
    try:
        return list(await asyncio.gather(*(extractor.aextract(a) for a in articles)))
    finally:
        await extractor.aclose()


CPU: list[float] = []  # client CPU seconds per article, per timed run
SERVER_CPU: list[float] = []  # fake server CPU seconds per article, per timed run
SERVER_PID: list[int] = []


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(
    settings: Settings,
    articles: list[ArticleInput],
    concurrency: int,
    database: Database | None = None,
) -> tuple[float, list[ExtractionResult]]:
    extractor = LLMExtractor(
        settings, cache=DatabaseResponseCache(database), max_concurrency=concurrency
    )
    server = process_cpu(SERVER_PID[0]) if SERVER_PID else float("nan")
    started, cpu = time.perf_counter(), time.process_time()
    results = asyncio.run(run_batch(extractor, articles))
    CPU.append((time.process_time() - cpu) / len(articles))
    if SERVER_PID:
        SERVER_CPU.append((process_cpu(SERVER_PID[0]) - server) / len(articles))
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--words", type=int, default=2000, help="words per article")
    parser.add_argument("--latency", type=float, default=0.3, help="server seconds/request")
    parser.add_argument(
        "--rps",
        type=float,
        default=1000.0,
        help="FACTCHECK_LLM_REQUESTS_PER_SECOND for the run (default: no cap)",
    )
    args = parser.parse_args()

    proc, url = start_server(args.latency)
    SERVER_PID.append(proc.pid)
    try:
        settings = load_settings(
            llm_base_url=url,
            llm_api_key="sk-bench",
            llm_timeout=30,
            llm_requests_per_second=args.rps,
        )
        articles = [make_article(i, args.words) for i in range(args.articles)]
        words = sum(len(a.text.split()) for a in articles) / len(articles)
        probe = LLMExtractor(settings)
        chunks = [len(probe.chunks(a)) for a in articles]
        chunk_words = min(len(c.text.split()) for a in articles for c in probe.chunks(a))

        t1, res1 = timed(settings, articles, 1)
        t16, res16 = timed(settings, articles, 16)
        calls = sum(r.usage.llm_calls for r in res16 if r.usage)
        claims = sum(len(r.claims) for r in res16)
        assert all(not r.check_grounding(a.text) for r, a in zip(res16, articles, strict=True))

        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/bench.db")
            upgrade(engine)
            db = Database(engine)
            t_fill, _ = timed(settings, articles, 16, db)
            t_rerun, rerun = timed(settings, articles, 16, db)
            rerun_calls = sum(r.usage.llm_calls for r in rerun if r.usage)
            rerun_hits = sum(r.usage.cache_hits for r in rerun if r.usage)
            db.dispose()
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    print(
        f"articles: {len(articles)} x ~{words:.0f} words;"
        f" server latency {args.latency * 1000:.0f} ms; rate cap {args.rps:g} req/s"
    )
    print(
        f"chunks per article: min {min(chunks)}, max {max(chunks)};"
        f" smallest chunk {chunk_words} words (budget {settings.llm_chunk_tokens} tokens)"
    )
    print(f"concurrency  1: {t1:6.2f} s  ({len(articles) / t1:5.1f} articles/s)")
    print(f"concurrency 16: {t16:6.2f} s  ({len(articles) / t16:5.1f} articles/s)")
    print(f"speed-up: {t1 / t16:.1f}x  (goal >= 12x)")
    print(
        f"client CPU per article (parse, ground, LangChain/openai): {CPU[1] * 1000:.0f} ms"
        f" (at concurrency 1: {CPU[0] * 1000:.0f} ms);"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"fake server CPU per article (stands in for the remote API, not ours):"
        f" {SERVER_CPU[1] * 1000:.0f} ms"
    )
    print(
        f"calls per article: {calls / len(articles):.2f}; calls per chunk:"
        f" {calls / sum(chunks):.2f}  (goal 1); claims grounded: {claims}"
    )
    print(
        f"re-run with cache: {rerun_calls} calls, {rerun_hits} cache hits,"
        f" {t_rerun:.2f} s (first cached run {t_fill:.2f} s)  (goal 0 calls)"
    )


if __name__ == "__main__":
    main()
