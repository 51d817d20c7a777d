"""Reading a source's noun phrase: its tokens, the name inside it, the role around it.

Read along the tokens where the small parser is unreliable (the dependencies inside names
and appositions), with the tree where it is not.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.parse import sentence_of
from factcheck.extract.offline.sourcetypes import (
    NP_GLUE,
    institution_words,
    roles,
    states,
    titles,
    type_of,
)
from factcheck.schema import SourceType

PARTICLES = frozenset("de da del della di van von der den al el bin ibn la le du dos das".split())
NP_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART"})
DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday".split())
SKIP_IN_NAME = frozenset({"the", "a", "an", "'s", "’s"})


def _action_of(noun: Token, after: Token) -> bool:
    """ "the approval of Ayatollah Ali Khamenei": a lower-case noun that is neither a
    role nor an institution does not head the name that follows its "of"."""
    if noun.pos_ == "PROPN" or noun.text[:1].isupper():
        return False
    if noun.lower_ in roles() or noun.lower_ in institution_words():
        return False
    return after.pos_ == "PROPN" and after.text[:1].isupper()


def np_tokens(head: Token) -> list[Token]:
    """The noun phrase around a source head, read off the tokens rather than the tree:
    a small parser mislabels dependencies inside names ("Education Minister Syed Altaf
    Bukhari") far more often than it misplaces their edges."""
    doc, sent = head.doc, sentence_of(head)
    i = j = head.i
    while i - 1 >= sent.start:
        prev = doc[i - 1]
        if doc[i].pos_ == "DET" and prev.pos_ in ("NOUN", "PROPN"):
            break  # "an accusation | the government denies": a new noun phrase begins
        if prev.text == ")" and i - 3 >= sent.start and doc[i - 3].text == "(":
            if doc[i - 2].text.isupper() and i - 4 >= sent.start and doc[i - 4].pos_ == "PROPN":
                i -= 3  # "International Atomic Energy Agency (IAEA) officials"
                continue
        capital = prev.text[:1].isupper() and prev.i > sent.start and prev.pos_ != "PRON"
        # "managing director", "acting president": a participle inside a title.
        capital = capital or (prev.tag_ in ("VBG", "VBN") and doc[i].pos_ == "NOUN")
        # A title or occupation word, whatever its tag ("pathologist Mohd Shah Mahmood",
        # tagged a verb by the small parser).
        capital = capital or (prev.lower_ in roles() and doc[i].pos_ == "PROPN")
        if (
            prev.pos_ in NP_POS
            or capital
            or prev.text in ("-", ".")
            and prev.i - 1 >= sent.start
            and (
                doc[prev.i - 1].pos_ == "PROPN"
                # "secretary-general", "vice-president": a hyphenated title
                or prev.text == "-"
                and not prev.whitespace_
                and doc[prev.i - 1].pos_ == "NOUN"
            )
        ):
            if prev.pos_ == "PART" and prev.lower_ not in ("'s", "’s"):
                break
            i -= 1
        elif (
            prev.lower_ in NP_GLUE
            and i - 2 >= sent.start
            and doc[i - 2].pos_ in ("NOUN", "PROPN")
            and not _action_of(doc[i - 2], doc[i])
        ):
            i -= 1
        elif prev.lower_ in PARTICLES and i - 2 >= sent.start and doc[i - 2].text[:1].isupper():
            i -= 1  # "Jan de Vries"
        else:
            break
    while j + 1 < sent.end:
        nxt = doc[j + 1]
        if _cue_before_clause(nxt, sent.end):
            break  # "the military admits they …": the cue the parser took for a noun
        if nxt.lower_ in rules.words("relative_pronouns"):
            break  # "Ouattara who said …": a relative clause, however it was tagged
        if (
            nxt.pos_ in ("PROPN", "NOUN", "NUM")
            or nxt.text == "-"
            or (nxt.pos_ == "PART" and nxt.lower_ in ("'s", "’s"))
        ):
            j += 1
        elif (
            nxt.lower_ in NP_GLUE
            and j + 2 < sent.end
            and doc[j + 2].pos_ in ("DET", "PROPN", "NOUN", "ADJ")
        ):
            j += 1
        elif nxt.lower_ == "in" and j + 2 < sent.end and doc[j + 2].pos_ == "PROPN":
            j += 1  # "the Iranian embassy in Russia", never "… in an interview"
        elif nxt.pos_ in ("DET", "ADJ") and doc[j].lower_ in NP_GLUE:
            j += 1
        else:
            break
    toks = [doc[k] for k in range(i, j + 1)]
    while toks and (toks[-1].lower_ in NP_GLUE or toks[-1].pos_ in ("DET", "ADP", "PART")):
        toks.pop()
    while toks and toks[0].pos_ in ("ADP", "PART"):
        toks.pop(0)
    return toks or [head]


@cache
def _cue_forms() -> frozenset[str]:
    return frozenset(rules.forms("speech") | rules.forms("belief"))


def _cue_before_clause(token: Token, end: int) -> bool:
    if token.tag_ not in ("VBZ", "VBD", "VBP", "NNS") or token.i + 1 >= end:
        return False
    if token.lower_ not in _cue_forms():
        return False
    return (
        token.nbor(1).pos_ in ("DET", "PRON", "PROPN", "NOUN", "NUM")
        or token.nbor(1).lower_ == "that"
    )


def name_after(last: Token) -> list[Token] | None:
    """A name a few words after a title, behind a comma ("a spokesman for the presidency
    in an interview, Abdulkadir Mohamed Osman")."""
    doc, sent = last.doc, sentence_of(last)
    i = last.i + 1
    limit = min(sent.end, i + 6)
    while i < limit and doc[i].text != ",":
        if doc[i].pos_ in ("VERB", "AUX") or doc[i].is_punct:
            return None
        i += 1
    if i >= limit - 0 or doc[i].text != ",":
        return None
    run: list[Token] = []
    j = i + 1
    while j < sent.end and doc[j].pos_ == "PROPN":
        run.append(doc[j])
        j += 1
    return run if len(run) >= 2 else None


def name_before_verb(title: Token) -> list[Token] | None:
    """The name that closes a long title right before its verb: "Vice chairman of the
    Elman Peace Organization in Mogadishu Ali Yasin Gedi said", "A paramedic working
    for the Lifeline ambulance service, Ali Muse Sheikh, reported"."""
    verb = title.head
    if title.dep_ not in ("nsubj", "nsubj:pass") or verb.i <= title.i:
        return None
    doc = title.doc
    k = verb.i - 1
    while k > title.i and (doc[k].text == "," or doc[k].pos_ in ("AUX", "ADV")):
        k -= 1
    run: list[Token] = []
    while k > title.i and doc[k].pos_ == "PROPN":
        run.insert(0, doc[k])
        k -= 1
    if len(run) > 2 and doc[k].pos_ == "ADP":
        run = run[1:]  # "… in Mogadishu Ali Yasin Gedi": the place is the title's
    if len(run) < 2 or any(t.lower_ in institution_words() for t in run):
        return None
    return run


def role_after(last: Token) -> str | None:
    """ "Kirill Semyonov, an expert at the Russian Council on International Affairs, …":
    the description after a name and a comma, read along the tokens up to the next comma
    (the parser attaches such appositions anywhere)."""
    doc, sent = last.doc, sentence_of(last)
    i = last.i + 1
    if i >= sent.end or doc[i].text != ",":
        return None
    i += 1
    if i >= sent.end:
        return None
    first = doc[i]
    if not (
        first.pos_ in ("DET", "ADJ")
        or first.lower_ in rules.role_words()
        or first.text[:1].isupper()
        and first.pos_ in ("NOUN", "PROPN")
    ):
        return None
    j = i
    while (
        j < sent.end
        and doc[j].text not in (",", ";", ":", "(", ")", '"', "“", "”")
        and doc[j].pos_ not in ("VERB", "AUX")
    ):
        j += 1
    words = doc[i:j]
    if not 1 <= len(words) <= 14 or not any(t.pos_ in ("NOUN", "PROPN") for t in words):
        return None
    return clean(words.text)


def words(toks: list[Token]) -> str:
    """The tokens as the article spells them ("al-Megrahi", not "al - Megrahi"), without
    a leading article or determiner."""
    out = list(toks)
    while out and out[0].lower_ in SKIP_IN_NAME:
        out.pop(0)
    return clean("".join(t.text_with_ws for t in out))


def name_run(propn: list[Token], head: Token) -> list[Token]:
    """The run of adjacent proper nouns that holds the head, else the last one ("Aviation
    Safety Council managing director Thomas Wang" is Thomas Wang); "Ban Ki-moon" and
    "Al-Maeena" are one name although the tokenizer splits at the hyphen."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for t in propn:
        gap = t.doc[cur[-1].i + 1 : t.i] if cur else None
        joined = bool(cur) and (
            t.i == cur[-1].i + 1
            or (t.i == cur[-1].i + 2 and t.doc[t.i - 1].text in ("-", "‐"))
            # "Jan de Vries", "Abdelbaset al-Megrahi": a particle inside a name.
            or (
                gap is not None
                and 0 < len(gap) <= 2
                and all(g.lower_ in PARTICLES or g.text in ("-", "‐") for g in gap)
            )
        )
        if cur and not joined:
            runs.append(cur)
            cur = []
        cur.append(t)
    if cur:
        runs.append(cur)
    for run in runs:
        if run[0].i <= head.i <= run[-1].i:
            return run
    return runs[-1] if runs else []


def name_text(run: list[Token]) -> str:
    doc = run[0].doc
    return doc[run[0].i : run[-1].i + 1].text


def is_document(head: Token) -> bool:
    nouns = rules.words("document_nouns")
    return rules.lemma(head.text) in nouns or head.lower_ in nouns


def document_author(head: Token) -> Token | None:
    """The author of a document named as the source: 'the embassy's statement', 'a report
    by the UN'; a day's possessive ("Monday's statement") names no one."""
    if rules.lemma(head.text) not in rules.words(
        "document_nouns"
    ) and head.lower_ not in rules.words("document_nouns"):
        return None
    for child in head.children:
        if child.dep_ == "nmod" and any(g.lower_ in ("by", "from", "of") for g in child.children):
            return child
    for child in head.children:
        # "a statement issued by the Blue House", "the report released by the ministry"
        # (not "a communiqué sent by e-mail": the agent is named or an institution)
        if child.dep_ in ("acl", "acl:relcl") and child.tag_ == "VBN":
            agent = next(
                (
                    g
                    for g in child.children
                    if g.dep_ in ("obl", "obl:agent")
                    and g.pos_ in ("PROPN", "NOUN")
                    and any(c.lower_ == "by" for c in g.children)
                    and (
                        any(t.pos_ == "PROPN" for t in g.subtree) or g.lower_ in institution_words()
                    )
                ),
                None,
            )
            if agent is not None:
                return agent
    for child in head.children:
        if child.dep_ in ("nmod:poss", "poss") and child.pos_ in ("PROPN", "NOUN", "PRON"):
            if child.lower_ not in DAYS and child.ent_type_ not in ("DATE", "TIME"):
                return child
    for child in head.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child
    return None


def looks_person(run: list[Token], toks: list[Token]) -> bool:
    words = [t.lower_ for t in toks]
    if type_of(words) in (SourceType.media, SourceType.organization) and len(run) == 1:
        return False
    if " ".join(t.lower_ for t in run) in states():
        return False
    if any(t.lower_ in institution_words() for t in run):
        return False
    ent = run[-1].ent_type_
    if ent:
        return ent in ("PER", "PERSON")
    return len(run) >= 2 or any(t.lower_.rstrip(".") in titles() for t in toks)


def surname_match(full: str, short: str) -> bool:
    a, b = full.split(), short.split()
    return bool(a and b) and (a[-1] == b[-1] and (len(a) == 1 or len(b) == 1))


def clean(text: str) -> str:
    return " ".join(text.replace(" 's", "'s").replace(" ,", ",").split()).strip(" ,;:")
