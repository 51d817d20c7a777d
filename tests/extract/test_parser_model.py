"""The spaCy pipeline shipped in factcheck/extract/offline/model/ (trained by `make model`).

It must load from the package alone (no network, no ../shared), parse news English into the
sentences, tags and dependencies the attribution rules read, and stay small.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from factcheck.errors import ExtractionError
from factcheck.extract.offline import parse_model
from factcheck.extract.offline.parse_model import MODEL_DIR, load_pipeline

PASSAGE = (
    "Prime Minister Anna Berg said on Tuesday that the government would raise fuel taxes. "
    "The opposition rejected the plan. "
    "Police told reporters that two men had been arrested in Oslo. "
    "The ministry said the talks had failed."
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def doc(nlp: Language) -> Doc:
    return nlp(PASSAGE)


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    load_pipeline.cache_clear()
    yield
    load_pipeline.cache_clear()


def _token(doc: Doc, text: str) -> Token:
    matches = [t for t in doc if t.text == text]
    assert len(matches) == 1, f"{text!r} occurs {len(matches)} times in {doc.text!r}"
    return matches[0]


def _children(token: Token, dep: str) -> list[str]:
    return [c.text for c in token.children if c.dep_ == dep]


def test_components_are_the_ones_the_extractor_reads(nlp: Language) -> None:
    for name in ("tok2vec", "tagger", "morphologizer", "parser"):
        assert name in nlp.pipe_names
    assert nlp.lang == "en"


def test_loaded_once_per_process() -> None:
    assert load_pipeline() is load_pipeline()


def test_sentences(doc: Doc) -> None:
    assert [s.text for s in doc.sents] == [
        "Prime Minister Anna Berg said on Tuesday that the government would raise fuel taxes.",
        "The opposition rejected the plan.",
        "Police told reporters that two men had been arrested in Oslo.",
        "The ministry said the talks had failed.",
    ]


def _said(doc: Doc, n: int) -> Token:
    return [t for t in doc if t.text == "said"][n]


def test_speaker_is_the_subject_of_said(doc: Doc) -> None:
    said = _said(doc, 0)
    assert said.dep_ == "ROOT"
    # UD names are `flat` under their first word: the subject is "Anna", its subtree the name
    (subject,) = [c for c in said.children if c.dep_ == "nsubj"]
    assert [t.text for t in subject.subtree] == ["Prime", "Minister", "Anna", "Berg"]
    assert _children(_said(doc, 1), "nsubj") == ["ministry"]
    told = _token(doc, "told")
    assert _children(told, "nsubj") == ["Police"]


def test_reported_clause_is_a_ccomp(doc: Doc) -> None:
    assert _children(_said(doc, 0), "ccomp") == ["raise"]
    assert _children(_token(doc, "raise"), "mark") == ["that"]
    assert _children(_said(doc, 1), "ccomp") == ["failed"]  # no "that"
    told = _token(doc, "told")
    assert [c.text for c in told.children if c.dep_ in ("obj", "iobj")] == ["reporters"]


def test_tags_and_morphology(doc: Doc) -> None:
    said = _said(doc, 0)
    assert (said.pos_, said.tag_) == ("VERB", "VBD")
    assert _token(doc, "told").tag_ == "VBD" and _token(doc, "men").tag_ == "NNS"
    assert said.morph.get("Tense") == ["Past"]
    assert _token(doc, "Berg").pos_ == "PROPN"


def test_offsets_index_the_original_text(nlp: Language) -> None:
    text = "  “We will not back down,” she said.\n\nOfficials didn't comment (yet)."
    doc = nlp(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text
    assert [t.text for t in doc if t.text in ("did", "n't")] == ["did", "n't"]
    for sent in doc.sents:
        assert text[sent.start_char : sent.end_char] == sent.text


def test_pipe_agrees_with_call(nlp: Language) -> None:
    texts = [PASSAGE, "The minister said so.", ""]
    piped = list(nlp.pipe(texts, batch_size=2))
    assert [[(t.text, t.dep_, t.head.i) for t in d] for d in piped] == [
        [(t.text, t.dep_, t.head.i) for t in nlp(x)] for x in texts
    ]


def test_folder_is_small_and_licensed() -> None:
    files = [f for f in MODEL_DIR.rglob("*") if f.is_file()]
    size = sum(f.stat().st_size for f in files)
    assert size <= 40 * 1024 * 1024, f"{size / 1e6:.1f} MB"
    assert "Attribution-ShareAlike 4.0 International" in (MODEL_DIR / "LICENSE").read_text()
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    assert meta["license"] == "CC BY-SA 4.0"
    assert any(s["name"] == "UD English EWT" for s in meta["sources"])
    readme = (MODEL_DIR / "README.md").read_text()
    assert "15d613d8447b3478787d4c278730a1e48a945efb" in readme
    assert "CC BY-SA 4.0" in readme and "make model" in readme


def test_config_points_nowhere_outside_the_package() -> None:
    config = (MODEL_DIR / "config.cfg").read_text()
    assert "shared" not in config
    assert "build/" not in config


def test_loads_in_a_fresh_process_without_network_or_shared(tmp_path: Path) -> None:
    """Every file the load opens lies inside the installed packages; no socket is opened."""
    code = f"""
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network used during load")
socket.socket.connect = refuse
socket.create_connection = refuse
opened = []
def audit(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
    if event == "socket.connect":
        raise OSError("network used during load")
sys.addaudithook(audit)
from factcheck.extract.offline.parse_model import load_pipeline
nlp = load_pipeline()
doc = nlp("He said it.")
assert [t.dep_ for t in doc] == ["nsubj", "ROOT", "obj", "punct"], [t.dep_ for t in doc]
shared = {str(MODEL_DIR.parents[4] / "shared")!r}
bad = [p for p in opened if p.startswith(shared) or "/shared/data" in p]
assert not bad, bad
print("ok", len(opened))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")


def test_missing_folder_is_an_extraction_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_cache: None
) -> None:
    monkeypatch.setattr(parse_model, "MODEL_DIR", tmp_path / "model")
    with pytest.raises(ExtractionError, match="missing"):
        load_pipeline()


def test_corrupt_folder_is_an_extraction_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_cache: None
) -> None:
    broken = tmp_path / "model"
    broken.mkdir()
    for name in ("config.cfg", "meta.json"):
        shutil.copyfile(MODEL_DIR / name, broken / name)
    (broken / "parser").mkdir()
    (broken / "parser" / "model").write_bytes(b"not a model")
    monkeypatch.setattr(parse_model, "MODEL_DIR", broken)
    with pytest.raises(ExtractionError, match="cannot be loaded"):
        load_pipeline()
