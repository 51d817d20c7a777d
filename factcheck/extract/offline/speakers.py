"""Stage 5, sources: who a frame's source phrase names, resolved across the article.

Per article, a registry of the people and bodies met so far turns every source phrase
into a `SourceRef` (GUIDELINE.md §4):

- "Title, Name" and "Name, title" give the name, the title its role; "pathologist Mohd
  Shah Mahmood" gives the name with the role "pathologist";
- a pronoun ("he", "it") is the last person or body of the right kind that spoke or was
  introduced; a description ("the pathologist", "the embassy") the last one whose role
  or name holds that word; a surname ("Basya") the full name met before;
- a document ("the embassy's statement", "a report by the UN") speaks for its author;
- the type follows the institution (rules/sources.json), a country or capital speaking
  for itself is official, and a type once given holds for later mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.mentions import (
    SKIP_IN_NAME,
    clean,
    document_author,
    is_document,
    looks_person,
    name_after,
    name_before_verb,
    name_run,
    name_text,
    np_tokens,
    role_after,
    surname_match,
    words,
)
from factcheck.extract.offline.parse import ParsedParagraph, sentence_of
from factcheck.extract.offline.sourcetypes import (
    NP_GLUE,
    aliases,
    institution_words,
    roles,
    states,
    titles,
    type_of,
)
from factcheck.schema import SourceRef, SourceType

# "the Korean Central News Agency (KCNA)": a name, then its initials in brackets.
ACRONYM_INTRO = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+(?:(?:of|the|for|and|on|in)\s+)*)+)\(([A-Z]{2,8})\)"
)
ACRONYM_GLUE = frozenset({"of", "the", "for", "and", "on", "in"})


def acronyms(text: str) -> dict[str, str]:
    """The short forms an article introduces for its bodies, mapped to their full name,
    where the initials of the name's words spell the short form."""
    out: dict[str, str] = {}
    for m in ACRONYM_INTRO.finditer(text):
        words = m.group(1).split()
        short = m.group(2)
        # The shortest tail of the capitalised run whose initials spell the short form.
        for k in range(len(words) - 1, -1, -1):
            tail = words[k:]
            if tail[0].lower() in ACRONYM_GLUE:
                continue
            initials = "".join(w[0] for w in tail if w.lower() not in ACRONYM_GLUE)
            if initials.upper() == short or initials.upper() == short.rstrip("S"):
                out.setdefault(short, " ".join(tail))
                break
    return out


def _issuer(document: Token) -> Token | None:
    """The subject of the verb that issues `document`: "the MEA issued a statement"."""
    verb = document.head
    if document.dep_ != "obj" or rules.lemma(verb.text) not in rules.words("issuing"):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    return subject


PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
# words.json: what a body issues in its own name, and the words that give a gender.
ISSUED = rules.words("issued_documents")
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
FEMALE_WORDS = rules.words("female_words")
MALE_WORDS = rules.words("male_words")
BODY_PRONOUNS = frozenset({"it", "they", "them"})


@dataclass(slots=True)
class Known:
    """A source the article has named: its name, role, type and the words that find it."""

    name: str
    role: str | None
    type: SourceType
    named: bool
    person: bool
    words: set[str] = field(default_factory=set)
    gender: str | None = None  # "f" or "m" once a title or a pronoun has said so
    spoke: bool = False
    guessed: bool = False  # the type is the default, not read off a title or an institution


@dataclass(slots=True)
class Mention:
    text: str
    start: int
    end: int
    name: str
    role: str | None
    named: bool
    person: bool


FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})


class Registry:
    """The sources of one article, in the order they were met."""

    def __init__(self) -> None:
        self.known: list[Known] = []
        self.last_person: Known | None = None
        self.last_body: Known | None = None
        self.last_speaker: Known | None = None
        self.recent: list[Known] = []  # least recently met first
        self.last_speaker_person: Known | None = None
        self.last_speaker_body: Known | None = None
        self.acronyms: dict[str, str] = {}  # "KCNA" -> "Korean Central News Agency"
        # Documents whose author the article names, in order: "the report by the UN",
        # "the MEA issued a statement" (paragraph, token, lemma, its paragraph, author).
        self.documents: list[tuple[int, int, str, ParsedParagraph, Token]] = []

    # --- learning who is who ------------------------------------------------------------

    def scan(self, paragraphs: list[ParsedParagraph]) -> None:
        """Meet every named person and body of the article once, in order, with the role
        their introduction gives ("Prime Minister Najib Razak", "Thomas Wang, the
        director of …"), so that a later "Wang said" has a type."""
        if paragraphs:
            self.acronyms = acronyms(paragraphs[0].document_text)
        for para in paragraphs:
            for t in para.doc:
                if t.pos_ in ("NOUN", "PROPN") and is_document(t):
                    author = document_author(t) or _issuer(t)
                    if author is not None:
                        self.documents.append((para.index, t.i, rules.lemma(t.text), para, author))
                if t.pos_ != "PROPN":
                    continue
                nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
                if nxt is not None and (nxt.pos_ == "PROPN" or nxt.text in ("-", "‐")):
                    continue  # the name's last token stands for it
                m = self._mention(para, t)
                # A title or a description says it is a person; so does acting as one.
                acts = t.dep_ in ("nsubj", "nsubj:pass", "appos") or t.head.dep_ in (
                    "nsubj",
                    "appos",
                )
                if m.person and (m.role or (acts and len(m.name.split()) > 1)):
                    self._remember(m)
        self.last_person = self.last_body = None
        self.recent.clear()

    def introduce(self, para: ParsedParagraph, head: Token) -> None:
        """Remember a named person or body met as a subject, even one who says nothing."""
        if head.pos_ == "PROPN":
            self._remember(self._mention(para, head))

    def _remember(self, m: Mention) -> Known:
        key = m.name.lower()
        if len(m.name.split()) == 1:
            for k in reversed(self.known):
                parts = k.name.lower().split()
                if k.person and len(parts) > 1 and key in (parts[-1], parts[0]):
                    self._touch(k)  # "Mayberry, still in Iraq, testified": met again
                    return k
        for k in self.known:
            # "Mohd Shah" after "pathologist Mohd Shah Mahmood": the given names alone.
            given = m.person and k.person and k.name.lower().startswith(key + " ") and " " in key
            if (
                k.name.lower() == key
                or given
                or (m.person and k.person and surname_match(k.name, m.name))
            ):
                if m.role and not k.role:
                    k.role = m.role
                if k.gender is None:
                    # "Ms Maliwal", "Mr Wang": a later mention's title says the gender.
                    said = {w.lower() for w in m.text.split()}
                    k.gender = "f" if said & FEMALE_WORDS else "m" if said & MALE_WORDS else None
                better = type_of([*(m.role or "").split(), *m.name.split()]) or type_of(
                    m.text.split()
                )
                if better is not None and (k.type is SourceType.unknown or k.guessed):
                    k.type, k.guessed = better, False
                self._touch(k)
                return k
        type_ = type_of([*(m.role or "").split(), *m.name.split()]) or type_of(m.text.split())
        if type_ is None:
            # No institution or title in sight: in the news, a named person or body that
            # speaks is most often a state's; an unnamed one is unknown (GUIDELINE §4).
            # A named person with no title or institution in sight is, in the news, most
            # often someone who saw or lived the event; a named body most often a state's.
            type_ = (
                (SourceType.witness if m.person else SourceType.official)
                if m.named
                else SourceType.unknown
            )
            guessed = True
        else:
            guessed = False
        words = {w.lower() for w in [*m.name.split(), *(m.role or "").split(), *m.text.split()]}
        known = Known(
            name=m.name,
            role=m.role,
            type=type_,
            named=m.named,
            person=m.person,
            words=words,
            gender="f" if words & FEMALE_WORDS else "m" if words & MALE_WORDS else None,
            guessed=guessed,
        )
        self.known.append(known)
        self._touch(known)
        return known

    def _touch(self, k: Known) -> None:
        if k.person:
            self.last_person = k
        else:
            self.last_body = k
        if k in self.recent:
            self.recent.remove(k)
        self.recent.append(k)

    # --- resolving a frame's source ------------------------------------------------------

    def resolve(
        self, para: ParsedParagraph, head: Token, cue: str | None, speaker: Known | None = None
    ) -> SourceRef:
        """The SourceRef a frame's source head names; `speaker` is who speaks around it (a
        quotation's speaker, for an "I" or "we" inside the quotation)."""
        low = head.lower_
        known: Known | None = None
        m: Mention | None = None
        relative = low in rules.words("relative_pronouns")
        if relative and head.head.dep_ in ("acl:relcl", "advcl:relcl"):
            # "Alassane Ouattara, who said …": the relative clause's antecedent speaks (the
            # noun before "who" where the parser hangs the clause from a verb).
            antecedent = head.head.head
            k = head.i - 1
            while k > 0 and head.doc[k].is_punct:
                k -= 1
            before = head.doc[k]
            if before.dep_ == "appos" and before.head.pos_ == "PROPN":
                before = before.head  # "Ali Khamenei, Iran's Supreme Leader, who said …"
            if antecedent.pos_ not in ("NOUN", "PROPN") or (
                low == "who" and before.pos_ == "PROPN" and antecedent.pos_ != "PROPN"
            ):
                # "the approval of Khamenei, who said …": a person's "who" takes the name
                # right before it, not the noun the parser hung the clause from.
                antecedent = before
            if antecedent.pos_ in ("NOUN", "PROPN") and antecedent.i != head.i:
                head, low = antecedent, antecedent.lower_
        author = document_author(head)
        if author is not None and author.pos_ == "PRON":
            head, low = author, author.lower_  # "his responses described …": his
            low = {"his": "he", "her": "she", "its": "it", "their": "they"}.get(low, low)
        if low in FIRST_PERSON:
            known = speaker or self.last_speaker
        elif head.pos_ == "PRON" or low in PERSON_PRONOUNS | BODY_PRONOUNS:
            known = self._pronoun(low)
        else:
            m = self._mention(para, head)
            earlier = self._document(para, head)
            if earlier is not None:
                # "the report said", after "the UN released a report": the UN.
                known = self._remember(self._mention(earlier[0], earlier[1]))
            elif head.lower_ in ISSUED and document_author(head) is None:
                # "The statement said", "a rebel communiqué said": the body that issues
                # statements in this story, when one has spoken.
                known = self.last_speaker_body or self.last_body
            if known is None and not m.named:
                known = self._describe(m)
        if known is None:
            m = m or self._mention(para, head)
            known = self._remember(m)
        self._touch(known)
        known.spoke = True
        self.last_speaker = known
        if known.person:
            self.last_speaker_person = known
        else:
            self.last_speaker_body = known
        start, end = para.start(head), para.end(head)
        mention = para.document_text[start:end]
        if m is not None:
            start, end, mention = m.start, m.end, m.text
        return SourceRef(
            name=known.name,
            type=known.type,
            named=known.named,
            role=known.role,
            cue=cue,
            mention=mention,
            mention_start=start,
            mention_end=end,
        )

    def _document(self, para: ParsedParagraph, head: Token) -> tuple[ParsedParagraph, Token] | None:
        """The author of the last document of this kind met before `head`, when `head`
        is a document whose author this phrase does not name."""
        if not is_document(head) or document_author(head) is not None:
            return None
        lemma = rules.lemma(head.text)
        here = (para.index, head.i)
        found = [
            (p, author)
            for index, i, kind, p, author in self.documents
            if kind == lemma and (index, i) < here
        ]
        return found[-1] if found else None

    def _pronoun(self, low: str) -> Known | None:
        if low in PERSON_PRONOUNS:
            # The last person of that gender (as far as we know it), a speaker first.
            gender = PRONOUN_GENDER[low]
            fits = [k for k in reversed(self.recent) if k.person and k.gender in (None, gender)]
            found = fits[0] if fits else None
            speaker = self.last_speaker_person
            if speaker is not None and speaker in fits[:3] and speaker.gender == gender:
                # "She said …" after "… addressed Narendra Modi": the one who has been
                # speaking, when the pronoun fits them, before a person merely mentioned.
                found = speaker
            if found is not None and found.gender is None:
                found.gender = gender
            return found
        if low in ("they", "them"):
            return self.last_speaker or self.last_body or self.last_person
        return self.last_speaker_body or self.last_body or self.last_speaker

    def _describe(self, m: Mention) -> Known | None:
        """'the pathologist', 'the expert', 'the embassy': the most recently met named
        source whose role or name holds that word, or, for a person, whose type it names
        ("the expert" after "Iranist Nikita Smagin")."""
        words = [w.lower() for w in m.text.split() if w.lower() not in SKIP_IN_NAME]
        if not words:
            return None
        head = words[-1]
        wanted = roles().get(head) if m.person or head in roles() else None
        if len(words) > 1:
            # "the Education Minister": one whose role holds every word, before any
            # minister at all.
            for k in reversed(self.recent):
                if k.named and all(w in k.words for w in words):
                    return k
        if head in titles():
            # A title names one office: "the president" is whoever was called President
            # (Mamnoon Hussain), before a chief minister who spoke since.
            for k in reversed(self.recent):
                if k.named and head in k.words:
                    return k
        for k in reversed(self.recent):
            if k.named and head in k.words:
                return k
            if k.named and k.person and wanted is not None and k.type is wanted and k.spoke:
                return k  # "the expert": the last expert who spoke
        singular = head[:-1] if head.endswith("s") and len(head) > 3 else head
        for k in reversed(self.known):
            if k.named and (head in k.words or singular in k.words):
                return k  # ("Rebels say …" above the story of "a rebel group, the ONLF")
        return None

    def _mention(self, para: ParsedParagraph, head: Token) -> Mention:
        owner = document_author(head)
        if owner is not None:
            head = owner
        role: str | None = None
        while (
            head.dep_ in ("flat", "compound")
            and head.head.pos_ == "PROPN"
            and head.head.i < head.i
            # (not across a comma or a determiner: "Al-Shabab, a group the United States
            # believes …" are two names, however the parser joins them)
            and not any(t.text == "," or t.pos_ == "DET" for t in head.doc[head.head.i : head.i])
        ):
            head = head.head  # the first token of a name carries its relations
        appos = next((c for c in head.children if c.dep_ == "appos"), None)
        if (
            appos is None
            and head.pos_ == "NOUN"
            and head.lower_ not in institution_words()
            and not is_document(head)
        ):
            # "the spokesman for the presidency, Abdulkadir Mohamed Osman": the name may
            # hang from the last noun of the title.
            appos = next(
                (
                    t
                    for t in head.subtree
                    if t.dep_ == "appos" and t.pos_ == "PROPN" and t.i > head.i
                ),
                None,
            )
        is_title = head.lower_.rstrip(".") in titles() or head.lower_ in roles()
        if appos is not None and (head.pos_ != "PROPN" or is_title) and appos.pos_ == "PROPN":
            # "the Kremlin spokesman, Dmitry Peskov, said": the name speaks, the title is its role.
            role = words(np_tokens(head))
            head = appos
        elif appos is not None:
            role = clean(" ".join(t.text for t in appos.subtree))
        elif (
            head.dep_ == "appos"
            and head.head.i < head.i
            and (head.head.pos_ == "NOUN" or head.head.lower_ in titles() | set(roles()))
        ):
            # Met as the apposition: "Russia's Foreign Minister, Sergey Lavrov".
            role = words(np_tokens(head.head))
        toks = np_tokens(head)
        first, last = toks[0], toks[-1]
        start, end = para.span_chars(first, last)
        text = para.document_text[start:end]  # (Doc.text rebuilds the whole text per call)
        glue = next((k for k, t in enumerate(toks) if t.lower_ in NP_GLUE and k > 0), len(toks))
        left, right = toks[:glue], toks[glue:]
        title_words = titles()
        # Capitalised words that are not titles: the parser's tags are not trusted for names.
        # A name follows its title: capitalised words before the last title word are the
        # title's own ("the Education Minister", "Outgoing Chief Minister of KP").
        last_title = max(
            (k for k, t in enumerate(left) if t.lower_.rstrip(".") in title_words), default=-1
        )
        candidates = [
            t
            for t in left[last_title + 1 :]
            # (At a sentence's start every word is capitalised: there the tag decides,
            # though "Rory" in "Rory Mayberry, a former manager, …" may be tagged a verb.)
            if (t.pos_ in ("PROPN", "NOUN", "ADJ", "VERB", "X") or t.i > sentence_of(t).start)
            and t.text[:1].isupper()
            and t.lower_.rstrip(".") not in title_words
            and t.lower_ not in roles()
        ]
        run = name_run(candidates, head)
        institution = institution_words()
        # "Ethiopian government spokesman Shimelis Kemal" is a person with a role; "the
        # Kemal Foundation" is a body: an institution word after the name makes it one.
        body_words = [t for t in left if t.lower_ in institution and run and t.i > run[-1].i]
        person = (
            bool(run)
            and not any(t.lower_ in institution for t in run)
            and (" ".join(t.lower_ for t in run) not in states())
            and not body_words
            and looks_person(run, toks)
        )
        if person and role is None:
            role = role_after(run[-1])
        if person:
            name = name_text(run)
            extra = words([t for t in left if t.i < run[0].i]) + (
                " " + words(right) if right else ""
            )
            titled = any(
                w.lower().rstrip(".") in roles() or w.lower().rstrip(".") in title_words
                for w in extra.split()
            )
            # "Kenyan cabinet minister William Ruto, a leader of …": the title before the
            # name says whom the person speaks for, before any description after it.
            role = (extra.strip() or None) if titled else role or (extra.strip() or None)
            if titled and role is not None and type_of(role.split()) is None:
                # "Lt. Col. Rumi Nielson-Green, a spokeswoman for the U.S. military": a
                # rank that names no institution; the description after the name does.
                described = role_after(run[-1])
                if described:
                    role = f"{role}, {described}"
            named = True
        else:
            name = words(toks) or head.text
            # "the Education Minister" is a title without a name: a description.
            named = any(t.pos_ == "PROPN" for t in toks) and not is_title
            # "the mayor", "a spokeswoman": unnamed, but a person a pronoun can refer to.
            person = not named and (head.lower_ in roles() or is_title)
            after = name_after(toks[-1]) if head.lower_ in roles() else None
            if after is None and (head.lower_ in roles() or is_title):
                after = name_before_verb(head)
                if after is not None:
                    name = words(list(head.doc[toks[0].i : after[0].i])) or name
            if after is not None:
                # "a spokesman for the presidency in an interview, Abdulkadir Mohamed Osman"
                role, name, named, person = name, name_text(after), True, True
        name = aliases().get(name.lower(), name)
        name = self.acronyms.get(name, name)
        return Mention(text, start, end, name, role, named, person)
