"""Claim matching: the same claim across articles, and new claims matched to past verdicts.

- `match_new_claims` (service): called by the batch after storing an article's claims.
- `matches_for`, `accept_match`, `reject_match`, `apply_group_verdict` (groups): what
  reviewers see and decide.
- `import_claimreviews` (claimreview): published fact-checks as reference claims.
- text/index/embedding: normalisation and guards, the lexical index, the optional
  semantic index.
"""

from factcheck.matching.groups import (
    GroupVerdict,
    MatchInfo,
    accept_match,
    apply_group_verdict,
    group_members,
    matches_for,
    pending_members,
    reject_match,
)
from factcheck.matching.service import MatchSummary, clear_cache, match_new_claims

__all__ = [
    "GroupVerdict",
    "MatchInfo",
    "MatchSummary",
    "accept_match",
    "apply_group_verdict",
    "clear_cache",
    "group_members",
    "match_new_claims",
    "matches_for",
    "pending_members",
    "reject_match",
]
