"""Extractors: article text in, ExtractionResult (the contract) out."""

from factcheck.extract.base import Extractor
from factcheck.extract.registry import EXTRACTORS, get_extractor

__all__ = ["EXTRACTORS", "Extractor", "get_extractor"]
