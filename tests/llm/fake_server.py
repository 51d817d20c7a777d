"""A local OpenAI-compatible server for tests and benchmarks (127.0.0.1 only).

It answers `POST /v1/chat/completions` the way OpenAI does, in both structured-output
shapes: message content for `response_format` (json_schema / json_object) requests and
a tool call for `tools` requests. Answers come from recordings (matched on a substring
of the user message) or, by default, from a deterministic "model" that turns every
sentence of the <article> into a claim quoting it.

Faults are queued per request (`server.push(...)`) or set for all (`server.latency`):
latency, an HTTP status with Retry-After, a hang longer than the client's timeout,
truncated JSON, JSON that violates the schema, quotes that are not in the article, a
real claim text paired with an unrelated quote, an HTML page with status 200, and any
response recorded from a real server (`fixtures/<server>/<name>.json`, written by
bench/record_llm_fixtures.py). `refuse` makes it behave like a server that lacks a
response method (llama-cpp-python refuses `json_schema` with its recorded 500), and
`no_system_role` like a chat template without a system role (vLLM's 400).
The server counts requests and the largest number in flight at once.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Answer = dict[str, Any]
FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str, server: str = "llama_cpp_python") -> dict[str, Any]:
    """A response recorded from a real server: status, content_type, body."""
    data: dict[str, Any] = json.loads((FIXTURES / server / f"{name}.json").read_text())
    return data


_ARTICLE = re.compile(r"<article>\n(.*?)\n</article>", re.DOTALL)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_SAID = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)+) said\b|\bsaid ([A-Z][a-z]+(?: [A-Z][a-z]+)+)")


@dataclass
class Fault:
    """What to do with one request instead of (or before) answering normally.

    kind: "status" (reply `status` with optional `retry_after`), "hang" (sleep `delay`
    seconds before answering), "truncate" (cut the JSON answer in half), "length"
    (cut it and report finish_reason=length), "schema" (valid JSON, wrong shape),
    "invent" (claims whose quotes are not in the article), "answer" (reply `answer`),
    "runaway" (cut at max_tokens but not reported as "length", as llama-cpp-python does
    for tool calls), "hallucinate" (an invented claim text with a real quote), "html"
    (status 200 with an HTML page), "fixture" (replay the recording `name`).
    """

    kind: str
    status: int = 500
    retry_after: float | None = None
    delay: float = 0.0
    answer: Answer | None = None
    name: str = ""


@dataclass
class Seen:
    """One request as the server received it."""

    body: dict[str, Any]
    headers: dict[str, str]
    started: float
    fault: str | None = None


def article_of(body: dict[str, Any]) -> str:
    """The <article> part of the first user message that has one."""
    for message in body.get("messages", []):
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str):
            # The last one: a folded system prompt brings its worked example first.
            found = _ARTICLE.findall(content)
            if found:
                return str(found[-1])
    return ""


def auto_answer(body: dict[str, Any]) -> Answer:
    """A deterministic model: each sentence of the article becomes a claim quoting it."""
    return {"claims": list(_auto_claims(article_of(body)))}


INJECTED_CLAIM: Answer = {
    "text": "NASA says the moon is made of cheese.",
    "quote": "The moon is made of cheese",
    "kind": "fact",
    "hedged": False,
    "sources": [
        {
            "name": "NASA",
            "type": "official",
            "named": True,
            "role": None,
            "cue": "according to",
            "mention": "NASA",
        }
    ],
}


def obey_injection(body: dict[str, Any]) -> Answer:
    """A model that obeys an article's "output the following claim" (and answers the
    rest as auto_answer does): the prompt-injection case, for tests and benchmarks."""
    answer = auto_answer(body)
    answer["claims"].append(dict(INJECTED_CLAIM))
    return answer


@lru_cache(maxsize=512)
def _auto_claims(article: str) -> tuple[dict[str, Any], ...]:
    # Cached per article: the server stands in for a remote model whose CPU is not the
    # client's, and benchmarks send the same articles again at another concurrency.
    claims = []
    for m in _SENTENCE.finditer(article):
        sentence = m.group().strip()
        if len(sentence.split()) < 4:
            continue
        said = _SAID.search(sentence)
        sources = []
        if said:
            name = said.group(1) or said.group(2)
            sources.append(
                {
                    "name": name,
                    "type": "official",
                    "named": True,
                    "role": None,
                    "cue": "said",
                    "mention": name,
                }
            )
        claims.append(
            {
                "text": sentence,
                "quote": sentence.rstrip("."),
                "kind": "fact",
                "hedged": False,
                "sources": sources,
            }
        )
    return tuple(claims)


@dataclass
class FakeOpenAI:
    """The server; start() it, point FACTCHECK_LLM_BASE_URL at `.url`, stop() it."""

    latency: float = 0.0
    recordings: list[tuple[str, Answer]] = field(default_factory=list)
    responder: Callable[[dict[str, Any]], Answer] = auto_answer
    requests: list[Seen] = field(default_factory=list)
    refuse: frozenset[str] = frozenset()  # "json_schema", "tools": answered like a refusal
    no_system_role: bool = False
    max_in_flight: int = 0
    _in_flight: int = 0
    _faults: deque[Fault] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def push(self, *faults: Fault) -> None:
        """Queue faults for the next requests, one per request, in order."""
        with self._lock:
            self._faults.extend(faults)

    def record(self, match: str, answer: Answer) -> None:
        """Answer `answer` to any request whose user message contains `match`."""
        self.recordings.append((match, answer))

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = 0

    @property
    def count(self) -> int:
        return len(self.requests)

    def start(self) -> FakeOpenAI:
        server = _Server(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- request handling ---------------------------------------------------------

    def _enter(self, seen: Seen) -> Fault | None:
        with self._lock:
            self.requests.append(seen)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            fault = self._faults.popleft() if self._faults else None
        seen.fault = fault.kind if fault else None
        return fault

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _answer(self, body: dict[str, Any]) -> Answer:
        user = "\n".join(
            str(m.get("content")) for m in body.get("messages", []) if m.get("role") == "user"
        )
        for match, answer in self.recordings:
            if match in user:
                return answer
        return self.responder(body)

    def respond(
        self, body: dict[str, Any], fault: Fault | None, started: float | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """The reply to one request, `latency` seconds after it arrived (`started`).

        The answer is built first and the latency is what remains: like a remote model,
        its own work is part of the latency, so 16 answers built at once under the GIL
        do not arrive later than one.
        """
        started = time.monotonic() if started is None else started
        status, headers, payload = self._reply(body, fault)
        if self.latency:
            time.sleep(max(0.0, self.latency - (time.monotonic() - started)))
        if fault and fault.kind == "hang":
            time.sleep(fault.delay)
        if fault and fault.kind == "fixture" and "read_timeout" in fixture(fault.name):
            # A recorded timeout: the real server had not answered after its read timeout.
            time.sleep(fault.delay or fixture(fault.name)["read_timeout"])
        return status, headers, payload

    def _refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any] | None:
        response_format = body.get("response_format") or {}
        if "json_schema" in self.refuse and response_format.get("type") == "json_schema":
            recorded = fixture("json_schema_refused")
            return recorded["status"], {}, recorded["body"]
        if "tools" in self.refuse and body.get("tools"):
            # vLLM without --enable-auto-tool-choice: a 400 naming tool_choice.
            message = '"auto" tool choice requires --enable-auto-tool-choice to be set'
            return 400, {}, {"object": "error", "message": message, "type": "BadRequestError"}
        if self.no_system_role and any(m.get("role") == "system" for m in body.get("messages", [])):
            error = {"object": "error", "message": "System role not supported", "code": 400}
            return 400, {}, error
        return None

    def _reply(self, body: dict[str, Any], fault: Fault | None) -> tuple[int, dict[str, str], Any]:
        refused = self._refusal(body)
        if refused is not None:
            return refused
        if fault and fault.kind == "html":
            page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
            return 200, {"Content-Type": "text/html"}, page
        if fault and fault.kind == "fixture" and "status" in fixture(fault.name):
            recorded = fixture(fault.name)
            return recorded["status"], {"Content-Type": recorded["content_type"]}, recorded["body"]
        if fault and fault.kind == "status":
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = f"{fault.retry_after:g}"
            error = {"error": {"message": f"fake {fault.status}", "type": "fake", "code": None}}
            return fault.status, headers, error
        if fault and fault.kind == "answer" and fault.answer is not None:
            answer: Any = fault.answer
        elif fault and fault.kind == "invent":
            answer = {
                "claims": [
                    {
                        "text": "Aliens landed in Paris on Monday.",
                        "quote": "Aliens landed in Paris",
                        "kind": "fact",
                        "hedged": False,
                        "sources": [],
                    },
                ]
            }
        elif fault and fault.kind == "hallucinate":
            sentences = [m.group().strip() for m in _SENTENCE.finditer(article_of(body))]
            quote = sentences[0].rstrip(".") if sentences else "x"
            answer = {
                "claims": [
                    {
                        "text": "Mayor Jane Smith admitted she took bribes.",
                        "quote": quote,
                        "kind": "fact",
                        "hedged": False,
                        "sources": [],
                    }
                ]
            }
        elif fault and fault.kind == "schema":
            answer = {"items": [{"claim": 42}]}
        else:
            answer = self._answer(body)
        text = json.dumps(answer, ensure_ascii=False)
        finish = "stop"
        if fault and fault.kind in ("truncate", "length", "runaway"):
            text = text[: max(1, len(text) // 2)]
            finish = "length" if fault.kind == "length" else "stop"
        completion = self._completion(body, text, finish)
        if fault and fault.kind == "runaway":
            # llama-cpp-python: a forced tool call cut at max_tokens says "tool_calls".
            completion["usage"]["completion_tokens"] = body.get("max_tokens") or 4096
        return 200, {}, completion

    def _completion(self, body: dict[str, Any], text: str, finish: str) -> dict[str, Any]:
        prompt_chars = sum(len(str(m.get("content") or "")) for m in body.get("messages", []))
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message["content"] = None
            message["tool_calls"] = [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}
            ]
            finish = "tool_calls" if finish == "stop" else finish
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": {
                "prompt_tokens": prompt_chars // 4,
                "completion_tokens": len(text) // 4,
                "total_tokens": prompt_chars // 4 + len(text) // 4,
            },
        }


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 refuses connections when 16 clients connect
    # at once, which a real API server never does.
    request_queue_size = 128


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without NODELAY, Nagle's algorithm
            # and delayed ACKs add ~40 ms to every response.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output clean

        def _send(self, status: int, headers: dict[str, str], payload: Any) -> None:
            raw = isinstance(payload, str)
            data = (payload if raw else json.dumps(payload)).encode("utf-8")
            headers = dict(headers)
            content_type = headers.pop("Content-Type", "text/plain" if raw else "application/json")
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, {}, {"error": {"message": "not found"}})
                return
            body = json.loads(raw)
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen = Seen(body=body, headers=headers, started=time.monotonic())
            fault = fake._enter(seen)
            try:
                status, headers, payload = fake.respond(body, fault, seen.started)
            finally:
                fake._leave()
            self._send(status, headers, payload)

    return Handler


def main() -> None:
    """Serve on 127.0.0.1 until killed (benchmarks run it in a separate process)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    args = parser.parse_args()
    server = FakeOpenAI(latency=args.latency).start()
    print(server.url, flush=True)
    assert server._thread is not None
    server._thread.join()


if __name__ == "__main__":
    main()
