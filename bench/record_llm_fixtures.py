"""Record a real OpenAI-compatible server's answers as fixtures for the fake server.

    python -m bench.record_llm_fixtures --base-url http://127.0.0.1:8765/v1 \
        --out tests/llm/fixtures/llama_cpp_python

Sends the requests the LLM chain sends (each structured-output method, a tiny
max_tokens, a too-short timeout) and writes each status, content type and body as
JSON. `tests/llm/fake_server.py` replays them, so every test run checks the shapes a
real server gives without building one. Run it against a server you started (see
bench/bench_llm_server.py, which starts llama-cpp-python's).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import httpx

from factcheck.extract.llm.models import SCHEMA_NAME, method_schema, response_schema
from factcheck.extract.llm.prompts import load_prompt

ARTICLE = (
    "Harbourton, 3 March. The town council approved a budget of 2.4 million euros for a "
    "new footbridge on Monday, its press office said."
)


def _messages() -> list[dict[str, str]]:
    prompt = load_prompt("v2")
    rendered = prompt.render(
        title="Footbridge", published="2026-03-03", part="1", parts="1", context="", chunk=ARTICLE
    )
    roles = {"system": "system", "human": "user"}
    return [{"role": roles[r], "content": t} for r, t in rendered]


def _requests(model: str) -> dict[str, dict[str, Any]]:
    base = {"model": model, "messages": _messages(), "temperature": 0, "max_tokens": 400}
    schema = response_schema()
    tool = method_schema("function_calling")
    return {
        "json_schema_refused": {
            **base,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": SCHEMA_NAME, "schema": schema, "strict": True},
            },
        },
        "tool_call": {
            **base,
            "tools": [{"type": "function", "function": tool}],
            "tool_choice": {"type": "function", "function": {"name": SCHEMA_NAME}},
        },
        "json_object_schema": {
            **base,
            "response_format": {"type": "json_object", "schema": schema},
        },
        "length": {
            **base,
            "max_tokens": 12,
            "response_format": {"type": "json_object", "schema": schema},
        },
    }


def record(base_url: str, out: Path, model: str, timeout: float) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {}
    for name, body in _requests(model).items():
        started = time.monotonic()
        # A fresh connection each: llama-cpp-python closes the connection after a 500.
        with httpx.Client(timeout=httpx.Timeout(600.0, connect=10.0)) as client:
            response = client.post(f"{base_url.rstrip('/')}/chat/completions", json=body)
        seconds = round(time.monotonic() - started, 2)
        try:
            payload: Any = response.json()
        except ValueError:
            payload = response.text
        fixture = {
            "request": {k: v for k, v in body.items() if k != "messages"},
            "status": response.status_code,
            "content_type": response.headers.get("content-type", ""),
            "body": payload,
            "seconds": seconds,
        }
        (out / f"{name}.json").write_text(json.dumps(fixture, indent=2) + "\n")
        summary[name] = {"status": response.status_code, "seconds": seconds}
    # A timeout is the client's: ask for a long answer and give up after `timeout`.
    body = {**_requests(model)["tool_call"], "max_tokens": 2000}
    started = time.monotonic()
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0)) as client:
            client.post(f"{base_url.rstrip('/')}/chat/completions", json=body)
        outcome = "answered"
    except httpx.TimeoutException as exc:
        outcome = f"{type(exc).__name__} after {time.monotonic() - started:.1f}s"
    (out / "timeout.json").write_text(
        json.dumps({"request": {"max_tokens": 2000}, "read_timeout": timeout, "outcome": outcome})
        + "\n"
    )
    summary["timeout"] = outcome
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", default="gemma3-270m")
    parser.add_argument("--out", type=Path, default=Path("tests/llm/fixtures/llama_cpp_python"))
    parser.add_argument("--timeout", type=float, default=1.0, help="read timeout to provoke")
    args = parser.parse_args()
    print(json.dumps(record(args.base_url, args.out, args.model, args.timeout), indent=2))


if __name__ == "__main__":
    main()
