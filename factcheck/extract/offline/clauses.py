"""Stage 4a, clauses: a sentence cut into the propositions a fact-checker checks one by one.

A sentence's dependency tree is split at the heads of its own propositions (GUIDELINE.md
§2): coordinated clauses and verb phrases, adverbial clauses of time, cause and contrast
("after …", "while …"), non-restrictive relative clauses, descriptive appositions, "with"
absolutes, and the content of every attribution frame. Each `Unit` is the tokens whose
nearest such head is its head, minus the attribution's own words ("the ministry said");
its span runs from its first to its last token, so a quote stays one verbatim substring.
Noun lists are never split: a `conj` splits only between predicates.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.cuts import coordinated
from factcheck.extract.offline.frame import Frame
from factcheck.extract.offline.parse import sentence_of
from factcheck.extract.offline.remnants import FINITE, bare_attribution, lone_cue, source_remnant
from factcheck.extract.offline.unit import (
    MIN_TOKENS,
    PREDICATE_POS,
    RELATIVIZERS_SPLIT,
    SPLIT_MARKERS,
    SUBJECTS,
    Unit,
    has_subject,
    is_predicate,
    trim,
)

BREAKS = frozenset({",", ";", "(", "—", "–", ":"})


def _comma_before(token: Token) -> bool:
    """Whether the phrase `token` heads is set off by a comma (or dash, colon, bracket):
    the parser attaches that comma either inside the phrase or before it."""
    left = token.left_edge
    if left.text in BREAKS:
        return True
    return left.i > sentence_of(left).start and left.nbor(-1).text in BREAKS


def _after_cc(token: Token) -> bool:
    """Whether a coordinating conjunction opens the phrase `token` heads."""
    left = token.left_edge
    if left.dep_ == "cc":
        return True
    return left.i > sentence_of(left).start and left.nbor(-1).dep_ == "cc"


def _marker(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ in ("mark", "case") and child.i < token.i:
            return child.lower_
    return None


def split_role(token: Token) -> str | None:
    """The kind of proposition `token` heads inside its sentence, or None if it stays in
    its head's claim."""
    dep = token.dep_
    if dep == "conj" and is_predicate(token) and is_predicate(token.head):
        return "conj"
    if (
        dep == "conj"
        and token.pos_ == "VERB"
        and token.tag_ in FINITE | {"VBN"}
        and token.head.pos_ == "ADJ"
        and _after_cc(token)
    ):
        return "conj"  # "was found [guilty] of the bombing and sentenced to 27 years"
    if dep == "conj" and is_predicate(token) and has_subject(token) and _after_cc(token):
        # "… near posts 542 and 543 and other 15 shells fell …": a clause with its own
        # subject after "and", even where the parser hangs it from a noun.
        return "conj"
    if dep == "parataxis" and is_predicate(token):
        return "parataxis"
    if dep in ("advcl", "xcomp", "acl", "conj") and token.tag_ == "VBG" and _comma_before(token):
        # ", wounding 238", ", setting several of them on fire": a participle after a
        # comma adds its own event.
        if _marker(token) in (None, *SPLIT_MARKERS):
            return "advcl"
    if dep == "advcl" and is_predicate(token):
        marker = _marker(token)
        if marker == "as" and not has_subject(token):
            return None  # "described it as a step": a complement, not a clause
        if marker in SPLIT_MARKERS or (marker is None and _comma_before(token)):
            return "advcl"
        return None
    if dep == "acl:relcl":
        rel = next((c for c in token.children if c.lower_ in RELATIVIZERS_SPLIT), None)
        if rel is not None or _comma_before(token):
            return "relcl"
        if (
            token.tag_ in FINITE
            and any(c.lower_ == "that" and c.dep_ in SUBJECTS for c in token.children)
            and sum(1 for t in token.subtree if not t.is_punct) >= 4
        ):
            return "relcl"  # "a surge of violence that began after the election"
        return None
    if dep == "acl" and token.tag_ in ("VBN", "VBG") and _comma_before(token):
        return "relcl"
    if dep == "appos" and _comma_before(token) and token.i > token.head.i:
        sub = list(token.subtree)
        # A second name ("Kim, KCNA,") identifies; a description asserts something.
        if len(sub) >= 2 and not all(t.pos_ in ("PROPN", "PUNCT", "DET") for t in sub):
            if not _identifies(token) and _describes(sub):
                return "appos"
        return None
    if dep in ("obl", "advcl", "nmod") and _marker(token) == "with" and _comma_before(token):
        return "with"
    return None


def units(sentence: Span, frames: list[Frame], *, whole: bool = False) -> list[Unit]:
    """The propositions of one sentence, in text order, each with its frame (or None).

    `whole`: what a frame attributes stays one claim (the convention of quotation and
    attribution corpora such as PolNeAR and GGT), however many propositions it holds.
    """
    doc = sentence.doc
    lo, hi = sentence.start, sentence.end
    frame_tokens: set[int] = set()
    content_heads: dict[int, Frame] = {}
    tops: dict[int, int] = {}  # id(frame) -> its content's top, for frames in this sentence
    here = [f for f in frames if f.content[0] < hi and lo < f.content[1]]
    # Frames whose cue is in this sentence, their content perhaps in the next.
    cued_here = [f for f in frames if f.cue.doc is doc and lo <= f.cue.i < hi]
    for frame in here:
        frame_tokens |= frame.frame_tokens
        head = _content_root(doc, frame.content)
        if head is not None and lo <= head.i < hi:
            content_heads[head.i] = frame
            tops[id(frame)] = head.i
    heads: dict[int, str] = {}
    for token in sentence:
        if token.i in content_heads:
            heads[token.i] = "content"
        elif token.dep_ == "ROOT" or token.head.i < lo or token.head.i >= hi:
            heads[token.i] = "root"
        else:
            role = split_role(token)
            if (
                role is not None
                and whole
                and any(f.content[0] <= token.i < f.content[1] for f in frames)
            ):
                role = None
            if role in SHORT_ROLES and _words(token) <= SHORT_WORDS and not _counts(token):
                role = None  # "involving ECOWAS", "with whom" (SHORT_WORDS)
            if role is not None and _characterised(token, frames):
                role = None  # "called the talks a 'very good start'" is one characterisation
            if role is not None:
                heads[token.i] = role
    members: dict[int, list[Token]] = {h: [] for h in heads}
    roots = tops
    for top in tops.values():
        heads.setdefault(top, "content")
        members.setdefault(top, [])
    for token in sentence:
        owner = token
        content = _innermost(token.i, frames)
        while owner.i not in heads and owner.head.i != owner.i and lo <= owner.head.i < hi:
            if content is not None and not (
                content.content[0] <= owner.head.i < content.content[1]
            ):
                # A content span can have several tops ("described [the closure] [as a
                # step]"): all of it is the content's claim.
                root = roots.get(id(content))
                if root is not None:
                    owner = doc[root]
                break
            owner = owner.head
        if owner.i in heads and token.i not in frame_tokens:
            members[owner.i].append(token)
    out: list[Unit] = []
    if _question(sentence):
        return out  # a question asserts nothing (GUIDELINE §3)
    for head_i, role in heads.items():
        toks = trim([t for t in members[head_i] if not t.is_space])
        if sum(1 for t in toks if not t.is_punct) < MIN_TOKENS:
            continue
        head = doc[head_i]
        framed = content_heads.get(head_i)
        # "the strike would continue" is what the union said, not an attribution.
        # "Mr. Bush spoke Friday in an interview with al-Hurra." frames nothing: a fact.
        lone = lone_cue(head, toks)
        cues = any(f.cue.i == head_i and f.cue.doc is doc for f in frames) or lone
        bare = cues and (framed is None or framed.cue.i == head_i) and bare_attribution(head, toks)
        bare = bare or (lone and framed is None)  # "She asked", "The interviewer asked"
        if bare or rules.lemma(head.text) in rules.words("relay"):
            continue  # the attribution itself ("said KCNA", "quoting KCNA"), no claim
        words = [t for t in toks if not t.is_punct]
        if (
            role not in ("appos", "with")
            and not any(t.pos_ in PREDICATE_POS for t in toks)
            and (
                role not in ("root", "content")
                or (len(words) < 4 and not _whole_sentence(toks, sentence))
                or any(t.text in '"“”' for t in toks)
                # "In February last year, Miliband [denied that …]": what a frame leaves
                # of its sentence when the parser lost the verb's subject
                or (role == "root" and any(f in here for f in cued_here))
            )
            and not (role == "content" and _characterised(head, frames))
        ):
            continue  # a quoted phrase ('a "terror organisation"') asserts nothing alone
        if role != "content" and source_remnant(toks, here + cued_here, lo, hi):
            continue  # "Discussing his concern in a statement, Malaysia's Prime Minister [said]"
        if _asks(toks[-1]) or _imperative(head, toks):
            continue  # questions and imperatives assert nothing (GUIDELINE §3)
        owner_frame = _owner(words, frames) or _continued(head, role, frames)
        if owner_frame is None and framed is not None and framed.cue.doc is doc:
            # The parser made the content's verb the sentence's root ("…, who said in
            # October that hatred of America [runs] deep"): the claim is the content.
            owner_frame = framed
        if owner_frame is not None and owner_frame.cue.doc is doc:
            # The claim is the content, not the words around it ("At the same time, X
            # adds, …" gives the content after the phrase).
            inside = trim(
                [t for t in toks if owner_frame.content[0] <= t.i < owner_frame.content[1]]
            )
            if sum(1 for t in inside if not t.is_punct) >= MIN_TOKENS:
                toks = inside
        out.append(
            Unit(
                head=head,
                first=toks[0],
                last=toks[-1],
                role=role,
                frame=owner_frame,
                subject=_subject(head, role) or _antecedent(head, owner_frame),
            )
        )
    out.sort(key=lambda u: u.first.i)
    if not out:
        out = _whole_or_nothing(sentence, here + cued_here)
    return sorted((piece for unit in out for piece in coordinated(unit)), key=lambda u: u.first.i)


# A split-off clause of four words or fewer ("involving ECOWAS", "with whom", "the
# situation normalises") is too little to check alone: it stays in its head's claim.
# Measured on the guideline's dev set, from 2 to 6 words: 4 keeps most of the precision
# gained with the least recall lost.
SHORT_ROLES = frozenset({"advcl", "relcl", "appos", "with", "parataxis"})
SHORT_WORDS = 4


def _words(token: Token) -> int:
    return sum(1 for t in token.subtree if not t.is_punct)


def _counts(token: Token) -> bool:
    """A short clause with a number in it ("killing 74 people", "which began in 1950")
    is checkable alone."""
    return any(t.like_num for t in token.subtree)


def _whole_or_nothing(sentence: Span, here: list[Frame]) -> list[Unit]:
    """A sentence whose only frame framed too little to be a claim ("Al-Shabab, a group
    …, claimed the attack": "the attack" alone asserts nothing) is not lost: it stays one
    claim in the article's voice. A sentence that frames what follows it ("The ministry
    said in a statement:") gives none."""
    lo, hi = sentence.start, sentence.end
    if any(not (lo <= f.content[0] and f.content[1] <= hi) for f in here):
        return []
    toks = trim([t for t in sentence if not t.is_space])
    words = [t for t in toks if not t.is_punct]
    if len(words) < 4 or not any(t.pos_ in PREDICATE_POS for t in toks) or _question(sentence):
        return []
    root = next((t for t in sentence if t.dep_ == "ROOT"), toks[0])
    return [Unit(head=root, first=toks[0], last=toks[-1], role="root", frame=None)]


def _asks(last: Token) -> bool:
    """Whether a question mark closes the unit: '"Do I assault everyone?" after …'."""
    doc = last.doc
    i = last.i + 1
    while i < len(doc) and doc[i].text in "\"”’')":
        i += 1
    return i < len(doc) and doc[i].text == "?"


def _imperative(head: Token, tokens: list[Token]) -> bool:
    """A command opening its unit: "Allow the leaders the opportunity …", "Let them go"."""
    first = next((t for t in tokens if t.text not in '"“‘'), None)
    if first is None or first.i != head.i or head.tag_ != "VB":
        return False
    starts = first.i == sentence_of(first).start or first.nbor(-1).text in '"“‘:'
    return starts and not has_subject(head) and not any(c.dep_ == "aux" for c in head.children)


def _whole_sentence(tokens: list[Token], sentence: Span) -> bool:
    """A short unit that is its whole sentence, capital to full stop ("Problems persist.",
    "This defies logic."): the parser often tags such a verb a noun, but it asserts."""
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    last = [t for t in sentence if not t.is_space and t.text not in "\"”’')"]
    return (
        len(words) >= 2
        and [t.i for t in words] == [t.i for t in tokens if not t.is_punct]
        and words[0].text[:1].isupper()
        and bool(last)
        and last[-1].text == "."
    )


def _describes(sub: list[Token]) -> bool:
    """A descriptive apposition opens with a determiner, a possessive or a number ("a
    stateless minority of Muslims", "the estranged half-brother of …", "Iran's top
    diplomat", "25") and is no list: "a brutal, horrible death" and "the Arab League,
    the United Nations and the EU" are a noun's adjectives and a list's items."""
    words = [t for t in sub if not t.is_punct] or sub
    first = words[0]
    opens = (
        first.pos_ in ("DET", "NUM")
        or first.tag_ == "PRP$"
        or any(t.tag_ == "POS" for t in words[:4])
    )
    listed = any(t.dep_ == "conj" and t.pos_ == "PROPN" for t in sub)
    return opens and not listed


def _identifies(appos: Token) -> bool:
    """An apposition that only says who someone is ("the Israeli economic minister", "a
    former pilot", "the National Assembly") is a source's role, not a claim."""
    if appos.pos_ == "PROPN" or appos.text[:1].isupper() and appos.pos_ != "NUM":
        return True
    word = appos.lower_
    return word in rules.role_words() or word in rules.institution_words()


def _question(sentence: Span) -> bool:
    last = [t for t in sentence if not t.is_space and t.text not in ('"', "”", "’", "'", ")")]
    return bool(last) and last[-1].text == "?"


def _content_root(doc: Span | object, content: tuple[int, int]) -> Token | None:
    """The top of a content span: of the tokens whose head lies outside it, the predicate
    with the most of the span below it (a misattached subject is not the top)."""
    i, j = content
    d = getattr(doc, "doc", doc)
    tops = [t for t in d[i:j] if not (i <= t.head.i < j) or t.head.i == t.i]  # type: ignore[index]
    if not tops:
        return None
    verbs = [t for t in tops if t.pos_ in PREDICATE_POS]
    pool = verbs or tops
    best: Token = max(pool, key=lambda t: sum(1 for x in t.subtree if i <= x.i < j))
    return best


def _characterised(head: Token, frames: list[Frame]) -> bool:
    """The content of "described X as Y", "accused X of Y": a claim without a verb."""
    frame = _innermost(head.i, frames)
    if frame is None:
        return False
    # "testified to [fraud, coercion]": a frame whose pattern says its content is a noun
    return frame.kind in ("characterize", "accuse") or bool(
        rules.frame_spec(frame.name).get("verbless_content")
    )


def _innermost(i: int, frames: list[Frame]) -> Frame | None:
    best: Frame | None = None
    for frame in frames:
        a, b = frame.content
        if a <= i < b and (best is None or b - a < best.content[1] - best.content[0]):
            best = frame
    return best


def _continued(head: Token, role: str, frames: list[Frame]) -> Frame | None:
    """ "X said A, and B": a clause coordinated with the speech verb (or with its content)
    goes on with the speaker's account, unless it has a cue of its own."""
    if role != "conj":
        return None
    anchor = head.head
    for frame in frames:
        if frame.cue.doc is not head.doc:
            continue
        i, j = frame.content
        if anchor.i == frame.cue.i or i <= anchor.i < j:
            if has_subject(head) or anchor.i != frame.cue.i:
                return frame
    return None


def _owner(tokens: list[Token], frames: list[Frame]) -> Frame | None:
    """The innermost frame whose content holds most of the unit."""
    best: Frame | None = None
    for frame in frames:
        i, j = frame.content
        inside = sum(1 for t in tokens if i <= t.i < j)
        if inside * 2 > len(tokens) and (best is None or j - i < best.content[1] - best.content[0]):
            best = frame
    return best


def _antecedent(head: Token, frame: Frame | None) -> Span | None:
    """ "the talks, which he said were going well": the content of a speech verb inside a
    relative clause lacks its subject; the clause's antecedent supplies it ("the talks
    were going well")."""
    if frame is None or frame.cue.doc is not head.doc:
        return None
    if rules.frame_spec(frame.name).get("antecedent_from_tokens"):
        return _relative_antecedent(frame)  # the parse of such a clause is not to be trusted
    if has_subject(head):
        return None
    cue = frame.cue
    if not cue.dep_.endswith("relcl") or not any(
        c.lower_ in ("which", "that", "who") for c in cue.children if c.i < cue.i
    ):
        return None
    anchor = cue.head
    if anchor.pos_ not in ("NOUN", "PROPN"):
        return None
    parts = [t for t in anchor.subtree if t.i <= anchor.i]
    return head.doc[parts[0].i : anchor.i + 1] if parts else None


def _relative_antecedent(frame: Frame) -> Span | None:
    """The antecedent of a relative clause read along the tokens: the words of "a group
    [the United States believes] is …" before the speaker's phrase, else the noun phrase
    before "…, which the government insists is …"."""
    doc = frame.cue.doc
    first = min(frame.frame_tokens)
    speaker = frame.source.left_edge.i if frame.source is not None else first
    while speaker > first and doc[speaker - 1].pos_ in ("DET", "PROPN", "ADJ"):
        speaker -= 1
    if doc[first].lower_ in rules.words("relative_pronouns"):
        first += 1
    own = [t for t in doc[first:speaker] if t.pos_ in ("NOUN", "PROPN")]
    if own:
        return doc[first : own[-1].i + 1]
    k = min(frame.frame_tokens) - 1
    while k >= 0 and doc[k].text == ",":
        k -= 1
    if k < 0 or doc[k].pos_ not in ("NOUN", "PROPN"):
        return None
    i = k  # back over the noun phrase, to its determiner or possessive
    while i > 0 and doc[i].pos_ != "DET" and doc[i].tag_ != "PRP$":
        if doc[i - 1].pos_ not in ("DET", "ADJ", "NOUN", "PROPN") and doc[i - 1].tag_ != "PRP$":
            break
        i -= 1
    return doc[i : k + 1]


def _subject(head: Token, role: str) -> Span | None:
    """The subject a split-off unit lacks, for its standalone text."""
    if role in ("conj",) and not has_subject(head):
        first = head.head
        while first.dep_ in ("conj", "xcomp") and not has_subject(first):
            first = first.head  # ("was found [guilty] … and sentenced": found's subject)
        subj = next((c for c in first.children if c.dep_ in SUBJECTS), None)
        if subj is not None:
            end = subj.right_edge.i + 1
            aux = head.doc[end] if end < len(head.doc) else None
            if head.tag_ == "VBN" and aux is not None and aux.dep_ == "aux:pass":
                end += 1  # "He was found … and sentenced": "He was sentenced"
            return head.doc[subj.left_edge.i : end]
    if role in ("relcl", "appos"):
        anchor = head.head
        parts = [t for t in anchor.subtree if t.i <= anchor.i or t.dep_ in ("flat", "compound")]
        while parts and parts[0].dep_ in ("case", "punct", "cc", "mark"):
            parts = parts[1:]  # "… cracked down on trafficking, which …": not "on trafficking"
        if parts:
            return head.doc[parts[0].i : anchor.i + 1]
    return None
