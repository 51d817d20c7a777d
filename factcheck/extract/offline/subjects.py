"""Who a frame belongs to: the subject of a sentence when asides, coordination or a stance
verb separate it from the content, and the checks that keep objects from speaking."""

from __future__ import annotations

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.cues import Frame, content_span, cue_at
from factcheck.extract.offline.tokens import (
    NP,
    QUOTE_CHARS,
    Tok,
    np_after,
    np_before,
    sentence_subject,
)


def stance_frame(toks: list[Tok], k: int, lo: int, n: int, inq: list[bool]) -> Frame | None:
    """ "Sanders wants to raise the minimum wage": the subject opening the sentence holds
    the stance; the claim keeps the subject."""
    t = toks[k]
    if t.cap or k == lo:
        return None
    prev = toks[k - 1].low
    if prev in lx.BE_FORMS or prev in lx.DETERMINERS or prev.endswith(("'s", "’s")):
        return None  # "was favored to win", "Rubio's attack": no stance verb
    if t.low in lx.STANCE_PARTICIPLES and toks[k - 1].text == ",":
        np = sentence_subject(toks, lo, n)
        if np is None or np.kind not in ("name", "pronoun") or np.j >= k:
            return None
        if not (toks[np.j].cap or np.kind == "pronoun"):
            return None  # "The event with Obama comes …, urging": no speaker
    elif t.low in lx.STANCE_CUES or t.low in lx.ASSESS_CUES:
        np = np_before(toks, k - 1, lo)
        np = coordinated(toks, np, lo) if np is not None else None
    else:
        return None
    if np is None or np.i > lo and any(x.word for x in toks[lo : np.i]):
        return None
    if np.kind == "desc" and not source_head(toks[np.j]):
        return None
    head = toks[np.j]
    if not (head.cap or np.kind in ("pronoun", "relative") or source_head(head)):
        return None  # "Mrs. Clinton drew deep support": the scan ran into the verb
    m = k + 1
    if m < n and toks[m].low == "to":
        m += 1
    span = content_span(toks, m, participle_cut(toks, m, n, inq))
    if span is None:
        return None
    fr = Frame(np, t.text, (t.start, t.end), [span])
    fr.with_subject = fr.stance = True
    return fr


def fronted_subject(toks: list[Tok], k: int, lo: int) -> NP | None:
    """The subject opening the sentence when asides separate it from the cue at toks[k]:
    "Donna Sampson Rawlings, 59, of Ashton, Md., who watched the ceremony, said"."""
    if k - lo > 45:
        return None
    np = np_after(toks, lo, k)
    if np is None or not (np.kind == "name" or source_head(toks[np.j])):
        return None
    m = np.j + 1
    if np.role_span is not None:
        while m < k and toks[m].start < np.role_span[1]:
            m += 1
    # the age's closing comma ("Jacob Shiansky, 24, who …") is inside the role span
    if m > k - 1 or (toks[m].text not in ",(—–-" and toks[m - 1].text != ","):
        return None
    for x in range(m, k - 1):
        tx = toks[x]
        if tx.text in ";:" or tx.text in QUOTE_CHARS or tx.low in ("but", "while", "whereas"):
            return None
        if tx.word and cue_at(toks, x) is not None:
            return None
    return np


def coordinated(toks: list[Tok], np: NP, lo: int) -> NP:
    """ "The United States and its allies accuse …", "She and her defenders argue …": the
    whole coordinated subject when it opens the sentence."""
    if np.i - 2 < lo or toks[np.i - 1].low != "and":
        return np
    first = np_before(toks, np.i - 2, lo)
    if first is None or first.i != lo or first.kind == "relative":
        return np
    kind = "name" if first.kind == "name" or np.kind == "name" else "desc"
    return NP(lo, np.j, toks[lo].start, np.end, kind, role=np.role, role_span=np.role_span)


# -ing words that are no verb: "Officials said nothing had changed".
NOT_GERUNDS = frozenset(
    "nothing something anything everything during morning evening according including".split()
)
SUBORDINATORS = frozenset("after when before while since until once".split())


def inverted_speaker(toks: list[Tok], np: NP) -> bool:
    """ "…, said Kirill Semyonov" yes; "…, noted the rule in the interview" and "…,
    pledged her vote" no: after an inverted cue comes a name, a pronoun or a source."""
    if toks[np.i].low in lx.POSSESSIVES:
        return False
    return np.kind in ("name", "pronoun") or source_head(toks[np.j])


def source_head(t: Tok) -> bool:
    low = t.low
    return low in lx.SOURCE_NOUNS or low.rstrip("s") in lx.SOURCE_NOUNS or low in _QUANTIFIERS


# "…, while another says …", "others argue": a quantifier stands for people already named.
_QUANTIFIERS = frozenset("another others some many most both one".split())


def participle_cut(toks: list[Tok], m: int, n: int, inq: list[bool]) -> int:
    """Last content index before ", adding …" / ", citing …" (or the sentence end)."""
    for q in range(m + 1, n - 1):
        if toks[q].text == "," and not inq[q] and toks[q + 1].low in lx.PARTICIPLES:
            return q - 1
        if (
            toks[q].text == ","
            and not inq[q]
            and toks[q + 1].low in ("but", "and", "while")
            and any(cue_at(toks, x) is not None for x in range(q + 2, min(n, q + 6)))
        ):
            return q - 1  # ", but he said that …": the next frame starts here
        if toks[q].text == "," and toks[q + 1].low == "according":
            return q - 1
        if toks[q].text == "," and q + 2 < n and toks[q + 2].low in ("charge", "accusation"):
            return q - 1  # "…, a charge Iran denies": the denial is not the speaker's
    return n - 1
