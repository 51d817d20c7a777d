"""Extractors: article text in, ExtractionResult (the contract) out."""

from factcheck.extract.base import Extractor, get_extractor

__all__ = ["Extractor", "get_extractor"]
