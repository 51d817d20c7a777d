"""A labelled set of claim pairs built at run time from ../shared (never stored in the repo).

Positives: the same quote reported by two outlets. Two attributed content spans (PolNeAR)
or quotes (GGT) from different articles that share a quoted run of at least
`MIN_RUN` words covering most of both spans, but whose texts are not identical: the
outlets framed, trimmed or punctuated the same statement differently.

Negatives, hard ones first:
- `number`, `negation`, `name`: a positive's partner with one number changed
  ("260" -> "26"), a negation added or removed, or a name swapped for another speaker's;
- `same_speaker`: two statements of the same speaker (same surname) in different
  articles that share several content words but no five-word run: same person, same
  topic, different claim.

Pairs whose articles are both in PolNeAR test or in GGT form the report split; the rest
(PolNeAR train/dev) the tuning split.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

MIN_RUN = 6
MIN_COVER = 0.6
_WORD = re.compile(r"[A-Za-z0-9']+")
_QUOTED = re.compile(r"[\"“]([^\"“”]{20,})[\"”]")
_AUX = re.compile(
    r"\b(is|was|are|were|will|has|have|had|can|could|would|should|does|did|do)\b(?! not)"
)
_NEG = re.compile(r"\b(not|never)\s+|n't\b")
_NUM = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b")


@dataclass(frozen=True)
class Span:
    doc: str
    outlet: str
    speaker: str
    text: str
    split: str


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    kind: str  # positive, number, negation, name, same_speaker
    split: str  # tune or report


def load_spans(shared: Path) -> list[Span]:
    spans: list[Span] = []
    seen_docs: set[str] = set()
    for split in ("train", "dev", "test"):
        path = shared / "eval" / "polnear" / f"polnear_{split}.jsonl"
        for line in path.open(encoding="utf-8"):
            doc = json.loads(line)
            if doc["doc_id"] in seen_docs:  # the same article by a second annotator
                continue
            seen_docs.add(doc["doc_id"])
            for att in doc.get("attributions", []):
                content = " ".join(c["text"] for c in att.get("content") or [])
                source = " ".join(c["text"] for c in att.get("source") or [])
                if len(content.split()) >= 6:
                    spans.append(
                        Span(doc["doc_id"], doc["publisher"], _surname(source), content, split)
                    )
    path = shared / "eval" / "ggt" / "ggt_human_quotes_2018-19.jsonl"
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        for q in doc.get("quotations") or []:
            text = (q.get("quote") or "").strip()
            if len(text.split()) >= 6:
                speaker = _surname(q.get("reference") or q.get("speaker") or "")
                spans.append(Span(doc["doc_id"], doc.get("outlet") or "", speaker, text, "ggt"))
    return spans


def _surname(name: str) -> str:
    words = [w for w in _WORD.findall(name) if w[0].isupper()]
    return words[-1].lower() if words else ""


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _quoted_runs(text: str) -> list[list[str]]:
    runs = [_words(m.group(1)) for m in _QUOTED.finditer(text)]
    # A GGT quote is itself the quoted statement, with or without its quote marks.
    return runs or [_words(text)]


def _longest_common_run(a: list[str], b: list[str]) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def build_pairs(shared: Path, *, seed: int = 7) -> list[Pair]:
    spans = load_spans(shared)
    rng = random.Random(seed)
    shingles: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, span in enumerate(spans):
        for run in _quoted_runs(span.text):
            for k in range(len(run) - MIN_RUN + 1):
                shingles[tuple(run[k : k + MIN_RUN])].add(i)
    candidates: set[tuple[int, int]] = set()
    for ids in shingles.values():
        if 1 < len(ids) <= 30:
            ordered = sorted(ids)
            for x in range(len(ordered)):
                for y in range(x + 1, len(ordered)):
                    candidates.add((ordered[x], ordered[y]))
    pairs: list[Pair] = []
    positive_texts: list[tuple[str, str, str]] = []
    seen_texts: set[tuple[str, str]] = set()
    for i, j in sorted(candidates):
        a, b = spans[i], spans[j]
        if a.doc == b.doc:
            continue
        wa, wb = _words(a.text), _words(b.text)
        if wa == wb:
            continue
        common = _longest_common_run(wa, wb)
        if common / len(wa) < MIN_COVER or common / len(wb) < MIN_COVER:
            continue
        key = (" ".join(wa), " ".join(wb))
        if key in seen_texts:
            continue
        seen_texts.add(key)
        split = _split(a, b)
        pairs.append(Pair(a.text, b.text, True, "positive", split))
        positive_texts.append((a.text, b.text, split))
    names = sorted({s.speaker.capitalize() for s in spans if len(s.speaker) > 3})
    for a_text, b_text, split in positive_texts:
        for kind, changed in (
            ("number", _change_number(b_text, rng)),
            ("negation", _flip_negation(b_text)),
            ("name", _swap_name(b_text, names, rng)),
        ):
            if changed and changed != b_text:
                pairs.append(Pair(a_text, changed, False, kind, split))
    pairs.extend(_same_speaker_negatives(spans, rng, limit=max(200, len(positive_texts))))
    pairs.extend(_sentence_negatives(sentences(shared), rng, limit=200))
    return pairs


def _sentence_negatives(sents: list[str], rng: random.Random, *, limit: int) -> list[Pair]:
    """Corpus sentences against themselves with one number or one negation changed."""
    out: list[Pair] = []
    with_numbers = [s for s in sents if _NUM.search(s)]
    for sent in rng.sample(with_numbers, min(limit, len(with_numbers))):
        changed = _change_number(sent, rng)
        if changed and changed != sent:
            out.append(Pair(sent, changed, False, "number_sentence", "report"))
    with_aux = [s for s in sents if _AUX.search(s) or _NEG.search(s)]
    for sent in rng.sample(with_aux, min(limit, len(with_aux))):
        changed = _flip_negation(sent)
        if changed and changed != sent:
            out.append(Pair(sent, changed, False, "negation_sentence", "report"))
    return out


def _split(a: Span, b: Span) -> str:
    report = {"test", "ggt"}
    return "report" if a.split in report and b.split in report else "tune"


def _change_number(text: str, rng: random.Random) -> str | None:
    numbers = list(_NUM.finditer(text))
    if not numbers:
        return None
    m = rng.choice(numbers)
    digits = m.group(0).replace(",", "")
    if "." in digits:
        new = str(round(float(digits) * 2 + 1, 1))
    elif len(digits) > 1:
        new = digits[:-1]  # "260" -> "26": one dropped digit
    else:
        new = str(int(digits) + 3)
    return text[: m.start()] + new + text[m.end() :]


def _flip_negation(text: str) -> str | None:
    neg = _NEG.search(text)
    if neg:
        return text[: neg.start()] + text[neg.end() :]
    aux = _AUX.search(text)
    if aux:
        return text[: aux.end()] + " not" + text[aux.end() :]
    return None


def _swap_name(text: str, names: list[str], rng: random.Random) -> str | None:
    found = [m for m in _NAME.finditer(text) if m.group(0) in names]
    if not found or len(names) < 2:
        return None
    m = rng.choice(found)
    other = rng.choice([n for n in names if n != m.group(0)])
    return text[: m.start()] + other + text[m.end() :]


_STOP = set(
    "the a an and or of to in on at for with that this is was are were be been it its he she "
    "they we i you his her their our said says not but as by from have has had will would".split()
)


def _same_speaker_negatives(spans: list[Span], rng: random.Random, *, limit: int) -> list[Pair]:
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(spans):
        if len(s.speaker) > 3:
            by_speaker[s.speaker].append(i)
    out: list[Pair] = []
    speakers = sorted(by_speaker)
    rng.shuffle(speakers)
    tries = 0
    while len(out) < limit and tries < limit * 200:
        tries += 1
        ids = by_speaker[rng.choice(speakers)]
        if len(ids) < 2:
            continue
        i, j = rng.sample(ids, 2)
        a, b = spans[i], spans[j]
        if a.doc == b.doc:
            continue
        wa, wb = _words(a.text), _words(b.text)
        shared = ({w for w in wa if w not in _STOP}) & ({w for w in wb if w not in _STOP})
        if len(shared) < 4 or _longest_common_run(wa, wb) >= 5:
            continue
        out.append(Pair(a.text, b.text, False, "same_speaker", _split(a, b)))
    return out


def sentences(shared: Path) -> list[str]:
    """Every sentence of the shared corpora (PolNeAR, GGT, UD EWT), deduplicated."""
    texts: list[str] = []
    for split in ("train", "dev", "test"):
        for line in (shared / "eval" / "polnear" / f"polnear_{split}.jsonl").open():
            texts.append(json.loads(line)["text"])
    for line in (shared / "eval" / "ggt" / "ggt_human_quotes_2018-19.jsonl").open():
        texts.append(json.loads(line)["text"])
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for sent in re.split(r"(?<=[.!?])\s+|\n+", text):
            sent = sent.strip()
            if 6 <= len(sent.split()) <= 60 and sent not in seen:
                seen.add(sent)
                out.append(sent)
    for name in ("train", "dev", "test"):
        for line in (shared / "data" / "ud-english-ewt" / f"en_ewt-ud-{name}.conllu").open():
            if line.startswith("# text = "):
                sent = line[9:].strip()
                if 6 <= len(sent.split()) <= 60 and sent not in seen:
                    seen.add(sent)
                    out.append(sent)
    return out
