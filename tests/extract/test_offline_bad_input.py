"""Bad input gives a clear result or a clear error naming the file, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.config import load_settings
from factcheck.errors import ExtractionError
from factcheck.extract.offline import OfflineExtractor, extract_claims
from factcheck.ingest.document import ArticleInput
from tests.extract.helpers import extract

runner = CliRunner()


def test_empty_and_blank_text_give_no_claims() -> None:
    assert extract_claims("") == []
    assert extract_claims(" \n\n\t \n") == []


def test_text_without_sentences_gives_no_claims() -> None:
    assert extract("### --- *** ...\n\n12 34 56\n\n[ad_1]") == []


def test_unbalanced_quotes_stay_grounded() -> None:
    text = (
        "“The plan is dead, the minister said.\n\nOfficials said the vote ” was delayed.\n\n"
        "He said: “We will see.\n\n“ ” \" ' «"
    )
    claims = extract(text)
    assert any("vote" in c.quote for c in claims)


def test_long_text_is_extracted_in_full() -> None:
    para = (
        "The council approved the budget of district {n} on Tuesday, the mayor said. “It is a "
        "fair plan,” she added. According to the treasury, spending rises 4 percent.\n\n"
    )
    text = "".join(para.format(n=n) for n in range(2000))  # about 330 KB
    result = OfflineExtractor(load_settings()).extract(ArticleInput(text=text, location="long"))
    assert len(result.claims) == 6000
    assert result.check_grounding(text) == []


def test_five_megabytes_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_text("The council met on Tuesday and approved the plan.\n" * 100_000)
    assert path.stat().st_size == 5_000_000
    result = runner.invoke(app, ["extract", "--format", "jsonl", str(path)])
    assert result.exit_code == 1
    line = json.loads(result.stdout)
    assert line["file"] == str(path)
    assert "5,000,000 characters, over the offline extractor's limit" in line["error"]
    assert "dump.txt" in result.stderr


def test_text_over_the_limit_raises_a_clear_extraction_error() -> None:
    engine = OfflineExtractor(load_settings(), max_chars=100)
    with pytest.raises(ExtractionError, match=r"big\.txt: article has 101 characters"):
        engine.extract(ArticleInput(text="x" * 101, location="big.txt"))


def test_unknown_option_is_refused() -> None:
    with pytest.raises(TypeError, match="no_such"):
        OfflineExtractor(load_settings(), no_such=1)


def test_cli_batch_goes_on_past_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("The mayor said the bridge would reopen in May.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le maire a déclaré".encode("latin-1"))
    files = [str(p) for p in (empty, good, binary, latin, tmp_path / "missing.txt")]
    result = runner.invoke(app, ["extract", "--format", "jsonl", *files])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == files
    assert lines[1]["claims"][0]["sources"][0]["cue"] == "said"
    errors = {line["file"]: line["error"] for line in lines if "error" in line}
    assert "empty file" in errors[str(empty)]
    assert "binary" in errors[str(binary)]
    assert "UTF-8" in errors[str(latin)]
    assert "no such file" in errors[str(tmp_path / "missing.txt")]
    assert "4 of 5 input(s) could not be extracted" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_whole_quotation_option_and_bad_value() -> None:
    from factcheck.errors import ConfigError

    text = "“The plan is fair. The council will vote on it next week,” Mayor Jan de Vries said."
    article = ArticleInput(text=text, location="q.txt")
    split = OfflineExtractor(load_settings()).extract(article).claims
    whole = OfflineExtractor(load_settings(), quotes="whole").extract(article).claims
    assert [c.quote for c in split] == ["The plan is fair", "The council will vote on it next week"]
    assert [c.quote for c in whole] == ["The plan is fair. The council will vote on it next week"]
    assert whole[0].sources[0].name == "Jan de Vries"
    with pytest.raises(ConfigError, match="'sentences' or 'whole'"):
        OfflineExtractor(load_settings(), quotes="paragraphs")


def test_embedded_markup_lines_are_not_claims() -> None:
    from tests.extract.helpers import extract

    text = (
        "Pence was the subject of 60 percent of the conversation, Twitter announced.\n\n"
        '<tweet tweet-id="783499116076687360"><tweet/>.\n\n'
        '<iframe src="https://example.org/embed"></iframe>\n'
    )
    claims = extract(text)
    assert [c.quote for c in claims] == ["Pence was the subject of 60 percent of the conversation"]
