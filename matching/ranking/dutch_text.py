"""Light Dutch text handling shared by the aspect lexicon and the wish parser.

Folding, tokens with their character spans, a crude stemmer and the scope of a
negation ("niet meer tillen", "zonder veel prikkels, onderbrekingen of
deadlines"). Deliberately rule-based and dependency-free: it runs over thousands
of place descriptions and its behaviour has to be explainable to a coach.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# One pass over the folded text: word tokens (the hyphen joins "data-entry" into
# one token, an apostrophe ends one: "taxi's" -> "taxi", "s"); punctuation that
# ends a clause outright; and commas, kept apart because a comma also separates
# the items of a list ("prikkels, onderbrekingen of deadlines").
_SCAN = re.compile(
    r"(?P<tok>[a-z0-9]+(?:-[a-z0-9]+)*)"
    r"|(?P<brk>[.;:!?()\[\]\n\u2022]|(?<=\s)[-\u2013\u2014](?=\s))"
    r"|(?P<comma>,)"
)

STOPWORDS = frozenset("""
de het een der den des van voor in op bij met te of en aan uit om tot naar over onder door
als dan dat die dit deze wat wie waar hoe zo ook nog al wel niet geen meer veel weinig
ik je jij u we wij ze zij hij mij me mijn jouw uw ons onze hun haar zich zelf
is ben bent zijn was waren wordt worden werd heb hebt heeft hebben had kan kun kunt kunnen
mag mogen moet moeten wil wilt willen zou zouden zal zullen ga gaat gaan doe doet doen
er hier daar dus maar want omdat toch even eens graag liefst liever heel erg echt
alleen enkel nooit zonder waarbij tijdens
""".split())

# Words too general to say what someone wants to avoid ("geen administratief werk"
# is about the administration, not about work as such).
GENERIC = frozenset("""
werk werken baan banen functie functies plek plekken plaats plaatsen dingen iets mensen
dag dagen uur uren week weken keer soort soorten taak taken beetje lang langer
fulltime parttime tijd tijdelijk
""".split())

NEGATORS = frozenset({"niet", "geen", "zonder", "nooit"})
# A negator followed by one of these is no refusal: "niet alleen ... maar ook",
# "avondwerk is geen probleem", "sluit ik niet uit". "Niet erg" is one only at the
# end of its clause ("dat is niet erg"); "niet erg zwaar" refuses heavy work.
_NOT_A_REFUSAL = frozenset({"alleen", "enkel", "uitsluitend", "zomaar", "probleem", "bezwaar", "uit"})
# A comma or a conjunction followed by one of these starts a new statement, so the
# negation stops there: "niet meer fysiek zwaar, graag met mensen", "geen
# nachtdiensten, wel avonden", "niet tillen en ik wil ...".
_CLAUSE_OPENERS = frozenset("""
maar graag liefst liever wel ook ik je jij u we wij ze zij hij het dat die dit want omdat
lijkt lijken wil wilt willen vind vindt zou zouden kan kunnen mag moet is ben zijn heb heeft
hebben me mij mijn voorkeur verder daarnaast later eerst
""".split())
# Predicates that say what is refused is not required ("rijbewijs is niet nodig"):
# the refused thing stands before the negator.
_PREDICATES = frozenset({"nodig", "vereist", "verplicht", "noodzakelijk", "mogelijk", "toegestaan", "gevraagd"})
# After these particles right behind the negator the refused content starts.
_PARTICLES = frozenset({"meer", "te", "zo", "veel", "al", "echt", "graag", "heel", "erg", "langer"})
# A list item after a comma is at most this many tokens ("onderbrekingen of deadlines").
_MAX_LIST_ITEM = 4


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:  # "İ" lowercases to two characters; keep one per input
        low = ch
    if low.isascii():
        return low
    base = [c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c)]
    return base[0].lower() if base else " "


def fold(text: str) -> str:
    """Lowercase without diacritics, one output character per input character.

    Keeping the length lets a span found in the folded text cut the original text
    (the wish parser returns the original wording minus the refused parts).
    """
    if text.isascii():
        return text.lower()
    return "".join(c.lower() if c.isascii() else _fold_char(c) for c in text)


class Token(NamedTuple):
    text: str  # folded
    start: int
    end: int
    clause: int  # index of the hard clause (between . ; : ! ? or a line break)
    after_comma: bool  # the token is the first one after a comma


def tokenize(text: str) -> list[Token]:
    """Folded tokens with spans in ``text``, their clause numbers and comma marks."""
    out: list[Token] = []
    clause = 0
    pending_break = pending_comma = False
    for m in _SCAN.finditer(fold(text)):
        kind = m.lastgroup
        if kind == "tok":
            if pending_break:
                clause += 1
            out.append(Token(m.group(), m.start(), m.end(), clause, pending_comma and not pending_break))
            pending_break = pending_comma = False
        elif kind == "brk":
            pending_break = True
        else:
            pending_comma = True
    return out


def tokens(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


_VOWEL_PAIRS = re.compile(r"(aa|ee|oo|uu)")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """A crude Dutch stem: inflection off, long vowels and doubled consonants folded.

    Only ever compared with other stems made the same way, so collisions matter and
    exact linguistics do not: "tillen", "tilt" -> "til"; "lopen", "loopt" -> "lop";
    "bukken" -> "buk"; "zware", "zwaar" -> "zwar"; "rijden", "rijdt" -> "rijd";
    "prikkels" -> "prikkel"; "onderbrekingen" -> "onderbrek".
    """
    t = token.replace("-", "")
    if len(t) <= 3:
        return t
    for suffix in ("ingen", "heden", "ing", "heid", "tjes", "tje", "jes", "en", "es", "s", "e"):
        if t.endswith(suffix) and len(t) - len(suffix) >= 3:
            t = t[: -len(suffix)]
            break
    else:
        # A verb's third person: "rijdt", "loopt", "werkt"; not "nacht", "dienst".
        if len(t) >= 4 and t.endswith("t") and t[-2] not in "tshc":
            t = t[:-1]
    if len(t) >= 4 and t[-1] == t[-2] and t[-1] not in "aeiou":
        t = t[:-1]
    if t.endswith("v"):
        t = t[:-1] + "f"
    elif t.endswith("z"):
        t = t[:-1] + "s"
    return _VOWEL_PAIRS.sub(lambda m: m.group()[0], t)


def content_words(words: list[str]) -> list[str]:
    """Words that carry meaning: no stopwords, no generic nouns, no numbers."""
    return [w for w in words if w not in STOPWORDS and w not in GENERIC and len(w) >= 3 and not w.isdigit()]


@dataclass(frozen=True)
class NegationScope:
    """A refusal: the negator and the tokens it covers (``first``..``last``, inclusive)."""

    negator: int  # token index of "niet", "geen", ...
    first: int  # first token of the refused content
    last: int  # last token of the refused content
    start: int  # character span in the text, negator included
    end: int


def _is_new_statement(toks: list[Token], i: int) -> bool:
    """True when token ``i`` (after a comma or "en"/"of") begins a new statement."""
    if i >= len(toks):
        return True
    if toks[i].text in _CLAUSE_OPENERS:
        return True
    if toks[i].after_comma:
        # A comma continues the refusal only for a short list item ("..., knielen of
        # traplopen") that itself reads like one: no opener word anywhere in it.
        j = i
        while j < len(toks) and toks[j].clause == toks[i].clause and (j == i or not toks[j].after_comma):
            if toks[j].text in _CLAUSE_OPENERS:
                return True
            j += 1
        return j - i > _MAX_LIST_ITEM
    return False


def negation_scopes(text: str, toks: list[Token] | None = None) -> list[NegationScope]:
    """The refusals in ``text``, in order.

    A negator covers what follows it up to the end of the clause: a hard break
    (. ; : ! ? line break), "maar", or a comma or "en"/"of" that starts a new
    statement (see :func:`_is_new_statement`). When nothing with content follows
    ("tillen wil ik niet meer", "de trap kan ik niet meer op") it covers the content
    before it in the same clause instead. "Niet alleen", "geen probleem", "sluit
    ik niet uit" are no refusals.
    """
    toks = tokenize(text) if toks is None else toks
    scopes: list[NegationScope] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if tok.text not in NEGATORS:
            i += 1
            continue
        nxt = toks[i + 1].text if i + 1 < n and toks[i + 1].clause == tok.clause else ""
        clause_ends = i + 2 >= n or toks[i + 2].clause != tok.clause or toks[i + 2].after_comma
        if nxt in _NOT_A_REFUSAL or (nxt == "erg" and clause_ends):
            i += 2
            continue
        j = i + 1
        while j < n and toks[j].clause == tok.clause and toks[j].text in _PARTICLES:
            j += 1
        first = j
        last = i
        while j < n and toks[j].clause == tok.clause:
            t = toks[j]
            if t.text == "maar" or (t.text in NEGATORS and j > first):
                break
            if t.after_comma and j > first and _is_new_statement(toks, j):
                break
            if t.text in ("en", "of") and j > first and _is_new_statement(toks, j + 1):
                break
            last = j
            j += 1
        forward = [w for w in content_words([toks[k].text for k in range(first, last + 1)]) if w not in _PREDICATES]
        if last >= first and forward:
            scopes.append(NegationScope(i, first, last, tok.start, toks[last].end))
        else:
            # Nothing refused after the negator: the content sits before it, back to
            # the start of the clause or the previous refusal.
            floor = scopes[-1].last + 1 if scopes and toks[scopes[-1].last].clause == tok.clause else 0
            k = i - 1
            while k >= floor and toks[k].clause == tok.clause and not toks[k + 1].after_comma:
                k -= 1
            back = k + 1
            tail_end = toks[last if last >= first else first - 1].end
            if back < i and content_words([toks[m].text for m in range(back, i)]):
                scopes.append(NegationScope(i, back, i - 1, toks[back].start, tail_end))
        i = max(j, i + 1)
    return scopes


def affirmed_mask(toks: list[Token], scopes: list[NegationScope]) -> list[bool]:
    """Per token: False inside a refusal (negator included), True otherwise."""
    keep = [True] * len(toks)
    for s in scopes:
        lo, hi = min(s.negator, s.first), max(s.negator, s.last)
        for k in range(lo, hi + 1):
            keep[k] = False
    return keep
