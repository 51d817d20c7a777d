"""The LLM extraction chain (OpenAI or any OpenAI-compatible server).

`LLMExtractor(settings, **options)` implements the Extractor protocol; `aextract` lets a
batch run many articles at once under one concurrency limit and rate limiter.
"""

from factcheck.extract.llm.extractor import LLMExtractionFailed, LLMExtractor

__all__ = ["LLMExtractionFailed", "LLMExtractor"]
