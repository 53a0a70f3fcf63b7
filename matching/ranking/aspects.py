"""How central a limited FML aspect is to a piece of work.

A *signal* is a limit the work touches without exceeding it. Whether that matters
depends on how central the aspect is: a candidate who may no longer drive
professionally (II.11) can live with a shop job that involves the odd errand by
van, but "Vrachtwagenchauffeur internationaal" should not be a top suggestion.
This module says, per place and FML item, how central the aspect is, from three
witnesses of decreasing weight:

1. the title (the employer naming the work): 1.0 when it names the aspect;
2. the ESCO skills of the place's occupation (English labels of its essential
   skills): the share of skills that touch the aspect, up to 0.7;
3. the description: 0.4 for one mention, more for repeated mentions, up to 0.6.
   A mention inside a refusal ("geen zwaar tilwerk", "rijbewijs niet nodig")
   does not count.

The witnesses are combined as a noisy-or, ``1 - prod(1 - s_i)``, not a max: they
are largely independent (the employer's title, ESCO's profile of the occupation,
the employer's prose), so agreement between two weak witnesses should say more
than either alone, while a naming title already gives 1.0 and nothing can push a
score past 1.

The lexicon (:data:`ASPECTS`, its words in ``aspect_lexicon``) matches folded (lowercase, no diacritics) tokens,
never substrings of running text, so "Rijksambtenaar" is not about "rijden" and
"Zijdeschilder" is not a house painter. Term syntax, per token:

- ``word``: the word itself, or with a plural ``-s``/``-en``;
- ``word*``: a word that starts with ``word`` (not when the rest says the thing is
  absent: "prikkelarm", "stofvrij", "zorgeloos");
- ``*word``: a word that ends with ``word`` (a Dutch compound whose head it is:
  "vrachtwagenchauffeur", "thuiszorg"), or with a plural;
- ``*word*``: a word that contains ``word``;
- ``a|b``: either; ``re:...``: a raw regular expression for one token;
  ``rx:...``: a raw regular expression over the space-joined tokens;
- several space-separated parts form a phrase of consecutive tokens; ``...``
  between parts allows up to three tokens in between ("drive ... vehicle*").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from matching.ranking.aspect_lexicon import LEXICON as _LEXICON
from matching.ranking.aspect_lexicon import Aspect
from matching.ranking.dutch_text import affirmed_mask, negation_scopes, tokenize

# Weights of the witnesses (see the module docstring).
TITLE_SCORE = 1.0
SKILLS_MAX = 0.7
# A quarter of an occupation's essential skills touching the aspect makes it as
# central as skills can say: an occupation has ~10-30 essential skills and those
# of its core activity rarely reach a third.
SKILLS_FULL_SHARE = 0.25
TEXT_FIRST = 0.4
TEXT_EACH_MORE = 0.1
TEXT_MAX = 0.6

_W = "[a-z0-9-]"
# The rest of a compound that says the thing is absent: "prikkelarm", "stofvrije".
_ABSENT = "(?!(?:arm|arme|vrij|vrije|loos|loze)(?![a-z0-9-]))"
_GAP = "(?: [a-z0-9-]+){0,3}"


def _token_pattern(term: str) -> str:
    if term.startswith("re:"):
        return term[3:]
    if "|" in term:
        return "(?:" + "|".join(_token_pattern(t) for t in term.split("|")) + ")"
    lead, trail = term.startswith("*"), term.endswith("*") and len(term) > 1
    core = re.escape(term.strip("*"))
    pattern = (_W + "*" if lead else "") + core
    return pattern + (_ABSENT + _W + "*" if trail else "(?:s|en)?")


def _phrase_pattern(term: str) -> str:
    out: list[str] = []
    gap = False
    for part in term.split():
        if part == "...":
            gap = True
            continue
        if out:
            out.append(_GAP + " " if gap else " ")
        out.append(_token_pattern(part))
        gap = False
    return "(?<![a-z0-9-])" + "".join(out) + "(?![a-z0-9-])"


@dataclass(frozen=True)
class _Matcher:
    token: re.Pattern | None  # fullmatch on one token
    phrase: re.Pattern | None  # search in the joined tokens
    exclude: re.Pattern | None
    # Fullmatch on a token that can open one of the phrases: a text without such a
    # token skips the phrase search (most texts, for most aspects). None with
    # ``phrase`` set: a raw phrase, always searched.
    starts: re.Pattern | None


def _first_part(term: str) -> str:
    return next(p for p in term.split() if p != "...")


def _matcher(terms: Sequence[str], exclude: Sequence[str]) -> _Matcher:
    single = [_token_pattern(t) for t in terms if " " not in t.strip() and not t.startswith("rx:")]
    raw = [t[3:] for t in terms if t.startswith("rx:")]
    multi = [t for t in terms if " " in t.strip() and not t.startswith("rx:")]
    phrases = [_phrase_pattern(t) for t in multi] + raw

    def alternation(patterns: Sequence[str]) -> re.Pattern | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    return _Matcher(
        token=alternation(single),
        phrase=alternation(phrases),
        exclude=alternation([_token_pattern(t) for t in exclude]),
        starts=None if raw else alternation([_token_pattern(_first_part(t)) for t in multi]),
    )


# --- the lexicon --------------------------------------------------------------------
# Shared vocabularies: an activity that is central to more than one item.
#: FML item id -> its vocabulary. Items not in here have no textual signature
#: (hours, handedness, "overige beperkingen ...") and are never central.
ASPECTS: dict[str, Aspect] = {a.item_id: a for a in _LEXICON}
#: The lexicon's items in a fixed order: the columns of :class:`AspectEvidence`.
ASPECT_ORDER: tuple[str, ...] = tuple(ASPECTS)
_ORDER = ASPECT_ORDER
_INDEX: dict[str, int] = {item: i for i, item in enumerate(_ORDER)}
_N = len(_ORDER)

# A title that names a role overseeing, teaching, selling or designing something
# ("Manager callcenter", "Docent verpleegkunde", "Beveiligingsadviseur",
# "Verkoopspecialist audioapparatuur") names the domain, not the activity the
# person does all day; such a title counts like one mention in a description.
# Per role: the patterns, the aspects the role itself does (a teacher speaks), and
# whether the role's own compound still names the activity ("plafondmonteur"
# works on ceilings; a "beveiligingsingenieur" does not guard anything). A word
# takes the first role it matches.
ROLE_TITLE_SCORE = 0.4


@dataclass(frozen=True)
class _Role:
    patterns: tuple[str, ...]
    does: tuple[str, ...] = ()
    hands_on: bool = False


_ROLES = (
    # Before the managers: an account manager's work is the customer contact itself.
    _Role(("accountmanager*",), does=("II.3", "II.12")),
    _Role(("manager*", "*manager", "directeur*", "*directeur", "bedrijfsleider*", "teamleider*",
           "leidinggevende*", "*leidinggevende", "coordinator*", "*coordinator", "supervisor*", "*supervisor",
           "hoofd", "opzichter*", "*opzichter", "voorman", "voorvrouw")),
    _Role(("docent*", "*docent", "leraar*", "*leraar", "lerares*", "*lerares", "instructeur*", "*instructeur",
           "trainer*", "*trainer", "opleider*"), does=("II.3",)),
    # Before the generic "*specialist": a "verkoopspecialist" serves customers in a shop.
    _Role(("verkoopspecialist*", "import-export*", "groothandelaar*", "*groothandelaar", "vertegenwoordiger*",
           "*vertegenwoordiger", "verhuurmedewerker*"), does=("II.3", "II.12")),
    _Role(("ingenieur*", "*ingenieur", "engineer*", "adviseur*", "*adviseur", "consultant*", "*consultant",
           "beleidsmedewerker*", "*beleidsmedewerker", "onderzoeker*", "*onderzoeker", "wetenschapper*",
           "*wetenschapper", "architect*", "*architect", "ontwerper*", "*ontwerper", "specialist*",
           "*specialist", "planner*", "*planner", "dispatcher*", "tester*", "*tester")),
    _Role(("analist*", "*analist", "auditor*", "*auditor", "auditeur*", "*auditeur"), does=("I.1", "IV.4")),
    _Role(("inspecteur*", "*inspecteur", "controleur*", "*controleur"), does=("II.1",)),
    _Role(("monteur*", "*monteur", "reparateur*", "*reparateur", "technicus*", "*technicus"), hands_on=True),
)


@dataclass(frozen=True)
class _Compiled:
    nl: tuple[_Matcher, ...]
    nl_title: tuple[_Matcher, ...]
    en: tuple[_Matcher, ...]
    names: tuple[_Matcher, ...]
    roles: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    return _Compiled(
        nl=tuple(_matcher(a.nl, a.exclude) for a in _LEXICON),
        nl_title=tuple(_matcher(a.nl_title, a.exclude) for a in _LEXICON),
        en=tuple(_matcher(a.en, a.exclude) for a in _LEXICON),
        names=tuple(_matcher(a.names, a.exclude) for a in _LEXICON),
        roles=tuple(re.compile("|".join(f"(?:{_token_pattern(p)})" for p in r.patterns)) for r in _ROLES),
    )


def _token_hits(matchers: tuple[_Matcher, ...], token: str) -> tuple[int, ...]:
    return tuple(
        i for i, m in enumerate(matchers)
        if m.token is not None and m.token.fullmatch(token) and not (m.exclude and m.exclude.fullmatch(token))
    )


# Token -> aspect indices, per vocabulary. Titles and descriptions share most of
# their words, so after the first few hundred places almost every token is known.
@lru_cache(maxsize=200_000)
def _nl_hits(token: str) -> tuple[int, ...]:
    return _token_hits(_compiled().nl, token)


@lru_cache(maxsize=100_000)
def _nl_title_hits(token: str) -> tuple[int, ...]:
    return tuple(sorted(set(_nl_hits(token)) | set(_token_hits(_compiled().nl_title, token))))


@lru_cache(maxsize=100_000)
def _en_hits(token: str) -> tuple[int, ...]:
    return _token_hits(_compiled().en, token)


@lru_cache(maxsize=100_000)
def _role(token: str) -> _Role | None:
    for role, pattern in zip(_ROLES, _compiled().roles):
        if pattern.fullmatch(token):
            return role
    return None


@lru_cache(maxsize=200_000)
def _phrase_openers(token: str, title: bool) -> tuple[int, ...]:
    """Aspects with a phrase that ``token`` may open (title: title-only ones too)."""
    c = _compiled()
    out = []
    for i in range(_N):
        for m in (c.nl[i], c.nl_title[i]) if title else (c.nl[i],):
            if m.phrase is not None and (m.starts is None or m.starts.fullmatch(token)):
                out.append(i)
                break
    return tuple(out)


def _phrase_counts(words: Sequence[str], joined: str, title: bool) -> dict[int, int]:
    """Phrase matches per aspect, tried only where a word can open one of its phrases."""
    c = _compiled()
    at: dict[int, list[int]] = {}
    offset = 0
    for w in words:
        for i in _phrase_openers(w, title):
            at.setdefault(i, []).append(offset)
        offset += len(w) + 1  # words are joined by one space
    out: dict[int, int] = {}
    for i, positions in at.items():
        for m in (c.nl[i], c.nl_title[i]) if title else (c.nl[i],):
            if m.phrase is None:
                continue
            if m.starts is None:
                n = len(m.phrase.findall(joined))
            else:
                n = sum(1 for pos in positions if m.phrase.match(joined, pos))
            if n:
                out[i] = out.get(i, 0) + n
    return out


def _joined(toks, keep) -> tuple[list[str], str]:
    """Affirmed tokens; refused ones become "#" and clause breaks "|", so that no
    phrase runs through a refusal or across a full stop."""
    words: list[str] = []
    clause = toks[0].clause if toks else 0
    for t, k in zip(toks, keep):
        if t.clause != clause:
            words.append("|")
            clause = t.clause
        words.append(t.text if k else "#")
    return words, " ".join(words)


def _affirmed(text: str) -> tuple[list[str], str]:
    toks = tokenize(text)
    return _joined(toks, affirmed_mask(toks, negation_scopes(text, toks)))


@lru_cache(maxsize=50_000)
def _scan_text(text: str) -> tuple[tuple[int, int], ...]:
    """Sparse (aspect index, number of affirmed mentions) for a Dutch description."""
    if not text:
        return ()
    words, joined = _affirmed(text)
    counts = np.zeros(_N, dtype=np.int32)
    for w in words:
        if w not in ("#", "|"):
            for i in _nl_hits(w):
                counts[i] += 1
    for i, n in _phrase_counts(words, joined, title=False).items():
        counts[i] += n
    return tuple((int(i), int(counts[i])) for i in np.flatnonzero(counts))


@lru_cache(maxsize=50_000)
def _scan_title(text: str) -> tuple[tuple[int, float], ...]:
    """Sparse (aspect index, title score) for a Dutch title: 1.0 where it names the
    aspect, :data:`ROLE_TITLE_SCORE` where a role word makes it the domain only."""
    if not text:
        return ()
    words, joined = _affirmed(text)
    roles = [(k, _role(w)) for k, w in enumerate(words) if w not in ("#", "|")]
    roles = [(k, r) for k, r in roles if r is not None]
    does = {_INDEX[item] for _, r in roles for item in r.does}
    desk = any(not r.hands_on for _, r in roles)
    hands_on_at = {k for k, r in roles if r.hands_on}

    def score(i: int, k: int | None) -> float:
        if i in does:
            return TITLE_SCORE
        if desk or (hands_on_at and k not in hands_on_at):
            return ROLE_TITLE_SCORE
        return TITLE_SCORE

    best = np.zeros(_N, dtype=np.float32)
    for k, w in enumerate(words):
        if w not in ("#", "|"):
            for i in _nl_title_hits(w):
                best[i] = max(best[i], score(i, k))
    for i in _phrase_counts(words, joined, title=True):
        best[i] = max(best[i], score(i, None))
    return tuple((int(i), float(best[i])) for i in np.flatnonzero(best))


def mentions(text: str) -> dict[str, int]:
    """FML item -> number of affirmed mentions of its aspect in a Dutch description."""
    return {_ORDER[i]: n for i, n in _scan_text(text or "")}


def title_scores(title: str) -> dict[str, float]:
    """FML item -> how strongly a Dutch title names its aspect (1.0, or 0.4 for a role's domain)."""
    return {_ORDER[i]: s for i, s in _scan_title(title or "")}


@lru_cache(maxsize=20_000)
def _name_hits(token: str) -> tuple[int, ...]:
    return _token_hits(_compiled().names, token)


def aspects_named(text: str) -> tuple[str, ...]:
    """FML items that a short Dutch phrase names by the aspect's own words.

    For a phrase that is itself the content of a refusal ("beroepsmatig rijden"),
    so without negation handling; see :attr:`Aspect.names` for which words count.
    """
    words = [t.text for t in tokenize(text or "")]
    joined = " ".join(words)
    found = {i for w in words for i in _name_hits(w)}
    for i, m in enumerate(_compiled().names):
        if i not in found and m.phrase is not None and m.phrase.search(joined):
            found.add(i)
    return tuple(_ORDER[i] for i in sorted(found))


@lru_cache(maxsize=100_000)
def _scan_skill(label: str) -> tuple[int, ...]:
    words = [t.text for t in tokenize(label)]
    hit = {i for w in words for i in _en_hits(w)}
    joined = " ".join(words)
    for i, m in enumerate(_compiled().en):
        if i not in hit and m.phrase is not None and m.phrase.search(joined):
            hit.add(i)
    return tuple(sorted(hit))


def skill_aspects(label: str) -> tuple[str, ...]:
    """FML items an English ESCO skill label touches ("operate forklift" -> II.11)."""
    return tuple(_ORDER[i] for i in _scan_skill(label or ""))


def _text_score(count: np.ndarray) -> np.ndarray:
    return np.where(count > 0, np.minimum(TEXT_MAX, TEXT_FIRST + TEXT_EACH_MORE * (count - 1)), 0.0)


def _skills_score(share: np.ndarray) -> np.ndarray:
    return SKILLS_MAX * np.minimum(1.0, share / SKILLS_FULL_SHARE)


@dataclass(frozen=True)
class AspectEvidence:
    """What the three witnesses say, for every place and every aspect in the lexicon.

    Built once per set of places (it does all the text work) and then read per
    candidate for the few items that signal.
    """

    title: np.ndarray  # (n_places, n_aspects) float32: 1.0 names it, 0.4 a role's domain, 0 not
    text: np.ndarray  # (n_places, n_aspects) int32: affirmed mentions in the description
    skill_share: np.ndarray  # (n_places, n_aspects) float32: share of skills touching it

    @classmethod
    def build(cls, titles: Sequence[str], texts: Sequence[str],
              skills_per_place: Sequence[Sequence[str]] | None = None) -> AspectEvidence:
        n = len(titles)
        if len(texts) != n or (skills_per_place is not None and len(skills_per_place) != n):
            raise ValueError("titles, texts and skills_per_place must have one entry per place")
        title = np.zeros((n, _N), dtype=np.float32)
        text = np.zeros((n, _N), dtype=np.int32)
        share = np.zeros((n, _N), dtype=np.float32)
        for p in range(n):
            for i, sc in _scan_title(titles[p] or ""):
                title[p, i] = sc
            for i, c in _scan_text(texts[p] or ""):
                text[p, i] = c
            labels = skills_per_place[p] if skills_per_place is not None else ()
            if labels:
                for label in labels:
                    for i in _scan_skill(label):
                        share[p, i] += 1.0
                share[p] /= len(labels)
        return cls(title, text, share)

    def columns(self, item_ids: Sequence[str]) -> np.ndarray:
        """Centrality (n_places, len(item_ids)); 0 for items outside the lexicon."""
        out = np.zeros((self.title.shape[0], len(item_ids)), dtype=np.float32)
        for j, item in enumerate(item_ids):
            i = _INDEX.get(item)
            if i is None:
                continue
            s = _skills_score(self.skill_share[:, i])
            d = _text_score(self.text[:, i])
            out[:, j] = 1.0 - (1.0 - self.title[:, i]) * (1.0 - s) * (1.0 - d)
        return np.clip(out, 0.0, 1.0)


def centrality(item_id: str, title: str, text: str, skill_labels_en: Sequence[str] = ()) -> float:
    """How central the aspect of FML item ``item_id`` is to one place, in [0, 1].

    See the module docstring for the witnesses and why they combine as a noisy-or.
    """
    if item_id not in _INDEX:
        return 0.0
    ev = AspectEvidence.build([title or ""], [text or ""], [tuple(skill_labels_en)])
    return float(ev.columns([item_id])[0, 0])


def centralities(item_ids: Sequence[str], titles: Sequence[str], texts: Sequence[str],
                 skills_per_place: Sequence[Sequence[str]] | None = None) -> np.ndarray:
    """Centrality of each item for each place: float32 (n_places, len(item_ids)).

    Each title, description and skill label is analysed once (and memoised, since
    places share titles and occupations), whatever the number of items.
    """
    return AspectEvidence.build(titles, texts, skills_per_place).columns(item_ids)


def aspect_phrase(item_id: str) -> str:
    """A Dutch phrase for the aspect, for explanations ("beroepsmatig rijden")."""
    aspect = ASPECTS.get(item_id)
    if aspect is not None:
        return aspect.phrase
    from matching.reference.fml import load_catalogue  # only for items outside the lexicon

    catalogue = load_catalogue()
    if item_id in catalogue:
        return catalogue[item_id].name.lower()
    raise KeyError(f"unknown FML item {item_id!r}")
