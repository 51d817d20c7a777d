"""Who a source mention refers to, and what kind of source it is.

A registry of the people and bodies an article names ("Kirill Semyonov, an expert at
…"), so that a later "Semyonov", "he" or "the expert" resolves to the nearest compatible
antecedent, with its role and type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.places import STATES
from factcheck.extract.offline.tokens import NP, Tok, tokenize

ORG_WORDS = frozenset(
    """federation council republic union ministry department committee party forces force
    service agency office court assembly parliament government administration corporation
    company inc corp ltd llc bank university institute center centre foundation association
    guard police army navy commission organization organisation news times post journal press
    house kremlin pentagon senate congress duma group network channel tv radio daily weekly
    campaign media embassy security state states nations league school college hospital
    church club team fund board bureau authority authorities affairs command unit division
    international national federal local""".split()
)
_BIGRAM_TYPES = {
    "press service": "official",
    "press secretary": "official",
    "press office": "official",
    "white house": "official",
    "state department": "official",
    "news agency": "media",
    "think tank": "expert",
    "security council": "official",
    "official figures": "official",
    "official data": "official",
    "official statistics": "official",
    "law enforcement": "official",
    "diplomatic source": "official",
    "air force": "official",
    "joint chiefs": "official",
    "air defence": "official",
    "air defense": "official",
    "coast guard": "official",
    "national guard": "official",
    "diplomatic sources": "official",
    "central bank": "official",
    "united nations": "organization",
    "un refugee": "organization",
    "un agency": "organization",
    "un human": "organization",
    "un secretary": "organization",
    "un security council": "organization",
    "red cross": "organization",
}
_DEMONYM = re.compile(r"(?:an|ian|ese|ish|ern|i|ic|ean|ch)$")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_SUBJECT_FORM = {"him": "he", "her": "she", "them": "they", "his": "he", "their": "they"}
# Descriptions that refer back to an official already named ("the diplomat", "the minister").
_PERSON_ROLES = frozenset("diplomat minister spokesman spokeswoman spokesperson envoy".split())
_BY_AUTHOR = re.compile(r"(\w+) by (.+)$")
NAME_PARTICLES = frozenset("de van von der den da di du la le al bin ibn dos das del y".split())


@dataclass(slots=True)
class Entity:
    name: str
    role: str | None
    type: str
    named: bool
    person: bool
    plural: bool = False
    keys: set[str] = field(default_factory=set)
    first: int = 0
    last_source: int = -1
    he: int = 0  # pronoun evidence for "he"/"she" resolution
    she: int = 0


@dataclass(slots=True)
class Resolved:
    name: str
    type: str
    named: bool
    role: str | None
    mention: tuple[int, int]
    entity: Entity | None


def source_type(*texts: str | None) -> str:
    """The contract's source type from a role, a name and a mention, role first."""
    for text in texts:
        if not text:
            continue
        low = text.lower()
        if low.strip() in STATES:
            return "official"  # "Ukraine says", "Moscow denied": the state speaks
        for bigram, kind in _BIGRAM_TYPES.items():
            if bigram in low:
                return kind
        words = [_POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(text)]
        # The head of "expert at the Council" is "expert": look before the first preposition.
        head_zone: list[str] = []
        for w in words:
            if w in ("of", "at", "for", "in", "with", "from", "on") and head_zone:
                break
            head_zone.append(w)
        for zone in (head_zone[::-1], words):
            for w in zone:
                for kind, keys in lx.TYPE_KEYWORDS:
                    if w in keys:
                        return kind
    return "unknown"


def _is_plural(word: str) -> bool:
    w = word.lower()
    return (
        w.endswith("s")
        and not w.endswith("ss")
        and not w.endswith("us")
        and w not in {"news", "times", "forces", "affairs", "states", "nations", "politics"}
    ) or w in {"people", "police", "media", "staff", "authorities", "data"}


class Registry:
    """People and bodies of one article, in order of appearance."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[Entity] = []
        self.by_name: dict[str, Entity] = {}
        self.by_key: dict[str, list[Entity]] = {}
        # "Wang" for "Wang Wenbin": family name first, matched only when it is unambiguous
        self.by_first: dict[str, list[Entity]] = {}
        self._toks: dict[tuple[int, int], list[Tok]] = {}

    def toks(self, s: int, e: int) -> list[Tok]:
        """Tokens of text[s:e], computed once per span (sentences are scanned twice)."""
        got = self._toks.get((s, e))
        if got is None:
            got = self._toks[(s, e)] = tokenize(self.text, s, e)
        return got

    # ------------------------------------------------------------ registration
    def scan(self, spans: list[tuple[int, int]]) -> None:
        """Register every person named in the sentences, with the role the article gives."""
        for s, e in spans:
            toks = self.toks(s, e)
            k = 0
            while k < len(toks):
                if not (toks[k].cap and toks[k].word) or toks[k].low in lx.STOP_WORDS:
                    k += 1
                    continue
                m = k
                while m + 1 < len(toks) and (
                    (toks[m + 1].cap and toks[m + 1].word and toks[m + 1].low not in lx.STOP_WORDS)
                    or (toks[m + 1].low in NAME_PARTICLES and m + 2 < len(toks) and toks[m + 2].cap)
                    or (toks[m + 1].text == "." and toks[m].text in lx.HONORIFICS | lx.TITLES)
                ):
                    m += 1
                self._register_run(toks, k, m)
                k = m + 1
        self._genders(spans)

    def _genders(self, spans: list[tuple[int, int]]) -> None:
        """Which persons "he" and "she" can mean, from the pronouns near each lone mention."""
        for n, (s, e) in enumerate(spans):
            toks = self.toks(s, e)
            people = {id(ent): ent for t in toks if t.cap for ent in self.by_key.get(t.low, [])}
            if len(people) != 1:
                continue
            ent = next(iter(people.values()))
            nxt = spans[n + 1] if n + 1 < len(spans) else (e, e)
            words = [t.low for t in toks] + [t.low for t in self.toks(*nxt)[:12]]
            ent.he += sum(w in ("he", "his", "him", "mr") for w in words)
            ent.she += sum(w in ("she", "her", "hers", "mrs", "ms") for w in words)

    def _register_run(self, toks: list[Tok], k: int, m: int) -> None:
        name_toks = _name_tail(toks, k, m)
        # "The Saudis", "A Reuters reporter": a capitalised determiner is no first name
        while name_toks and toks[name_toks[0]].low in lx.DETERMINERS:
            name_toks = name_toks[1:]
        if len(name_toks) < 2:
            return
        a = name_toks[0]
        name = " ".join(toks[x].text for x in name_toks)
        role_parts: list[str] = []
        # Titles before the name, through "of the": "Secretary of the Security Council of …"
        b = a - 1
        while b >= 0 and (
            toks[b].cap
            or toks[b].low in ("of", "the", "for")
            or toks[b].low in lx.SOURCE_NOUNS
            or (toks[b].text == "." and b > 0 and toks[b - 1].text in lx.TITLES)
        ):
            if toks[b].low in lx.STOP_WORDS - {"of", "the", "for"} and not toks[b].cap:
                break
            b -= 1
        b += 1
        while b < a and toks[b].low in ("of", "the", "for"):
            b += 1
        if b < a:
            role_parts.append(self.text[toks[b].start : toks[a - 1].end])
        end = name_toks[-1]
        if end + 2 < len(toks) and toks[end + 1].text == ",":
            q = end + 2
            while q < len(toks) and toks[q].text not in (",", ".", ";", "(", ")"):
                q += 1
            first = toks[end + 2]
            if q - end - 2 <= 14 and (
                first.low in ("a", "an", "the")
                or first.text in lx.TITLES
                or first.low in lx.SOURCE_NOUNS
                or any(t.low in lx.SOURCE_NOUNS for t in toks[end + 2 : q])
            ):
                rs = end + 2 + (1 if first.low in ("a", "an", "the") else 0)
                role_parts.append(self.text[toks[rs].start : toks[q - 1].end])
        # "state Sen. Laura Brooks, a Democrat from Albany": the title says what she is.
        typed = [r for r in role_parts if source_type(r) != "unknown"]
        pick = typed or role_parts
        role = pick[-1] if pick else None
        self._add(name, role, toks[a].start, person=True)

    def _add(self, name: str, role: str | None, pos: int, *, person: bool) -> Entity:
        key = name.lower()
        ent = self.by_name.get(key)
        if ent is not None:
            if role and not ent.role:
                ent.role = role
                ent.type = source_type(role, name)
            return ent
        ent = Entity(
            name=name,
            role=role,
            type=source_type(role, name),
            named=True,
            person=person,
            first=pos,
        )
        ent.keys = {w.lower() for w in name.split() if w[:1].isupper()}
        self.entities.append(ent)
        self.by_name[key] = ent
        if person:
            parts = name.split()
            self.by_key.setdefault(parts[-1].lower(), []).append(ent)
            if len(parts) >= 2:
                self.by_first.setdefault(parts[0].lower(), []).append(ent)
        return ent

    # ------------------------------------------------------------ resolution
    def resolve(self, toks: list[Tok], np: NP, pos: int) -> Resolved:
        """The source a mention stands for, resolved to the nearest compatible antecedent."""
        mention = (np.start, np.end)
        text = self.text[np.start : np.end]
        if np.kind == "relative" and np.antecedent is not None:
            inner = self.resolve(toks, np.antecedent, pos)
            inner.mention = mention
            return inner
        if np.kind == "pronoun":
            ent = self._pronoun(text.lower(), pos)
            if ent is not None:
                return self._use(ent, mention, pos)
            return Resolved(text, "unknown", False, None, mention, None)
        words = [t for t in toks[np.i : np.j + 1] if t.word]
        if np.kind == "desc":
            ent = self._description(words, pos)
            if ent is not None:
                return self._use(ent, mention, pos)
            desc = _strip_det(text)
            kind = source_type(np.role, desc)
            named = False
            res = Resolved(desc, kind, named, np.role, mention, None)
            return res
        return self._name(toks, np, text, mention, pos)

    def _by_first(self, key: str) -> list[Entity]:
        found = self.by_first.get(key, [])
        return found if len(found) == 1 else []

    def _use(self, ent: Entity, mention: tuple[int, int], pos: int) -> Resolved:
        ent.last_source = pos
        return Resolved(ent.name, ent.type, ent.named, ent.role, mention, ent)

    def _pronoun(self, pron: str, pos: int) -> Entity | None:
        pron = _SUBJECT_FORM.get(pron, pron)  # "according to her" is "she"
        if pron == "he":
            return self._latest(lambda e: e.person and e.he >= e.she, pos)
        if pron == "she":
            return self._latest(lambda e: e.person and e.she >= e.he, pos)
        if pron == "they":
            return self._latest(lambda e: e.plural or not e.person, pos, sources_only=True)
        if pron == "it":
            return self._latest(lambda e: not e.person and not e.plural, pos, sources_only=True)
        return None

    def _latest(self, ok: object, pos: int, sources_only: bool = False) -> Entity | None:
        pred = ok if callable(ok) else (lambda e: True)
        best: Entity | None = None
        for e in self.entities:
            if e.last_source >= 0 and e.last_source <= pos and pred(e):
                if best is None or e.last_source > best.last_source:
                    best = e
        if best is not None or sources_only:
            return best
        for e in self.entities:
            if e.first <= pos and pred(e) and (best is None or e.first > best.first):
                best = e
        return best

    def _description(self, words: list[Tok], pos: int) -> Entity | None:
        if not words or words[0].low != "the" or len(words) > 4:
            return None
        head = words[-1].low
        if head in ("source", "sources", "report", "statement", "media", "study", "poll"):
            return None
        head_type = source_type(head)

        def compatible(e: Entity) -> bool:
            if e.role and head in e.role.lower():
                return True
            if head in _PERSON_ROLES and e.person and e.type == "official":
                return True  # "Spokeswoman Maria Zakharova said …" then "the diplomat noted"
            if not e.named and head in e.name.lower().split():
                return True  # "a U.S. official said …" then "The official, who …, said"
            return head_type == "expert" and e.type == "expert" and e.person

        return self._latest(compatible, pos, sources_only=True) or self._latest(compatible, pos)

    def _name(
        self, toks: list[Tok], np: NP, text: str, mention: tuple[int, int], pos: int
    ) -> Resolved:
        name_idx = _name_tail(toks, np.i, np.j)
        role = np.role
        a = name_idx[0] if name_idx else -1
        if a - 2 >= np.i and toks[a - 1].low in ("for", "of", "on") and toks[a - 2].cap:
            # "the Syrian Observatory for Human Rights": one body's name, not a person's
            name_idx = []
        if len(name_idx) < 2:
            # "economist Paul Remy of BNP Paribas", "Sen. Ted Cruz of Texas": the person
            # comes before the affiliation.
            cut = next(
                (x for x in range(np.i + 2, np.j) if toks[x].low in ("of", "at", "from")), None
            )
            inner = _name_tail(toks, np.i, cut - 1) if cut is not None else []
            if len(inner) >= 2:
                name_idx = inner
        if len(name_idx) == 1 and name_idx[0] > np.i:
            known = self.by_key.get(toks[name_idx[0]].low) or self._by_first(toks[name_idx[0]].low)
            before = toks[name_idx[0] - 1]
            if not known or before.low in lx.NP_PREPS or before.low in lx.DETERMINERS:
                name_idx = []  # "the Iranian embassy in Russia" is a body, not a person
        if name_idx and name_idx[0] > np.i:
            prefix = _strip_det(self.text[toks[np.i].start : toks[name_idx[0] - 1].end])
            if prefix and not role:
                role = prefix
        if len(name_idx) >= 1:
            name = " ".join(toks[x].text for x in name_idx)
            ent = self.by_name.get(name.lower())
            if ent is None and len(name_idx) == 1:
                cands = [e for e in self.by_key.get(name.lower(), []) if e.first <= pos]
                cands = cands or self.by_key.get(name.lower(), [])
                ent = cands[-1] if cands else None
                if ent is None:
                    firsts = self._by_first(name.lower())
                    ent = firsts[0] if firsts else None
            if ent is None and len(name_idx) >= 2:
                ent = self._add(name, role, np.start, person=True)
            if ent is not None:
                if role and not ent.role:
                    ent.role = role
                    ent.type = source_type(role, ent.name)
                return self._use(ent, mention, pos)
        # A body or an unnamed description with capitals: "the Iranian embassy in Russia".
        desc = _strip_det(text)
        by = _BY_AUTHOR.match(desc)
        if by and by.group(1).lower() in lx.EVIDENCE_NOUNS:
            # "a report by the National Audit Office": the Office asserts what it found
            desc, role = _strip_det(by.group(2)), role or by.group(1)
        words = [t for t in toks[np.i : np.j + 1] if t.word]
        first = words[0].low if words else ""
        head = words[-1].text if words else ""
        # "Critics argue …": a common noun capitalised only because it opens the sentence
        common = len(words) == 1 and words[0].low in lx.SOURCE_NOUNS
        plural = _is_plural(head) and (common or not head[:1].isupper())
        named = desc.lower() in STATES or (
            not common
            and first not in lx.INDEFINITE
            and not plural
            and any(t.cap and not _DEMONYM.search(t.low) for t in words if t.low != "the")
        )
        ent = self.by_name.get(desc.lower())
        if ent is None:
            # A lone unknown surname ("Smith said") is a person until shown otherwise.
            person = len(words) == 1 and len(name_idx) == 1 and source_type(desc) == "unknown"
            ent = self._add(desc, role, np.start, person=person)
            ent.named = named
            ent.plural = plural
            self._acronym(np, ent)
        return self._use(ent, mention, pos)

    def _acronym(self, np: NP, ent: Entity) -> None:
        """ "The Joint Chiefs of Staff (JCS) said …", then "the JCS said": one source."""
        if np.role_span is None:
            return
        inner = self.text[np.role_span[0] : np.role_span[1]].strip("() ")
        if inner.isupper() and inner.isalpha() and 2 <= len(inner) <= 8:
            self.by_name.setdefault(inner.lower(), ent)


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def _name_tail(toks: list[Tok], k: int, m: int) -> list[int]:
    """Indices of the personal name at the end of toks[k..m] ("Vladimir Putin")."""
    out: list[int] = []
    x = m
    while x >= k and len(out) < 4:
        t = toks[x]
        if t.text == "." and x > k and toks[x - 1].text in lx.HONORIFICS | lx.TITLES:
            break
        if t.text == "." and x > k and len(toks[x - 1].text) == 1:  # initial "J."
            x -= 1
            continue
        if t.low in NAME_PARTICLES and out and x > k and toks[x - 1].cap:
            out.append(x)  # "Jan de Vries", "Ursula von der Leyen"
            x -= 1
            continue
        if not (t.word and t.cap):
            break
        low = t.low
        if (
            low in ORG_WORDS
            or low in lx.SOURCE_NOUNS
            or t.text in lx.TITLES
            or t.text.isupper()
            and len(t.text) > 1
            or low in lx.STOP_WORDS
            or (_DEMONYM.search(low) and low.endswith(("ian", "ese", "ish")))
        ):
            break
        out.append(x)
        x -= 1
    return out[::-1]
