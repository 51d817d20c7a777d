"""Readers that turn files into ArticleInput: text now; HTML and JSONL exports too."""

from factcheck.ingest.document import ArticleInput, content_hash
from factcheck.ingest.text import decode_text, read_text_file

__all__ = ["ArticleInput", "content_hash", "decode_text", "read_text_file"]
