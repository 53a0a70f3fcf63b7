"""The demands of a place as plain Dutch questions, and their FML items behind the scenes.

An employer describes the work ("Moet er getild worden? Hoe zwaar?"); the
matcher needs the belasting on FML items. Each question here answers exactly
one item, with the contract's semantics:

- ``ORD``: the answer is the most limited FML level at which the work can still
  be done (lifting about 5 kg: ``IV.13 = 2``). "Nee" is absent: the work makes no
  demand on the item, which the contract treats as a pass, so "nee" and "weet
  ik niet" are the same answer and are offered as one.
- ``COND`` (``I.8``, ``II.12``): the conditions the workplace DOES meet, as a
  group of checkboxes. Nothing ticked means unknown (absent); "geen van deze"
  is an empty list, which says the workplace meets none of them.
- ``CAT`` (``III.1``): the exposures present; "nee" is an empty list.
- ``BIN``: ``true`` when the work involves the aspect, ``false`` for "nee",
  absent for "weet ik niet".

Every level or code of an asked item has an answer, so a place posted through
the API can be edited here without losing a demand. Codes the questions do not
offer ("overige voorwaarden") and items they do not ask about are kept by
:func:`merge_demands`.

Each question also carries its follow-up, "Kan dit worden aangepast als dat nodig
is?" (contract v1.1): its words and what it offers (``adjust_text``,
``adjust_options``) stay with the question they follow up, so one entry in
:data:`GROUPS` says everything the employer is asked about an item. Turning the
follow-up answers into the place's ``adjustments`` is :mod:`service.web.adjust_questions`.

Pure data and functions: no web imports, so the mapping is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

ORD, COND, CAT, BIN = "ORD", "COND", "CAT", "BIN"
NONE_OF_THESE = "geen"
# A follow-up's "yes, that can be taken away" (CAT and BIN).
YES = "ja"
# The value of the "no / don't know" answer of a select: the form's empty option.
BLANK = ""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    # The demand this answer stores; None for an ORD/BIN/CAT answer that stores nothing.
    demand: Any = None


@dataclass(frozen=True)
class Question:
    key: str
    item: str
    type: str
    text: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    blank_label: str = "Weet ik niet"
    # COND only: the codes kept from a stored place but not offered here.
    hidden_codes: tuple[int, ...] = field(default=())
    # The follow-up "can this be adjusted if needed?", in the employer's words.
    adjust_text: str = ""

    @property
    def field(self) -> str:
        """The form field's name (and id)."""
        return f"q_{self.key}"

    @property
    def adjust_field(self) -> str:
        """The follow-up's form field."""
        return f"a_{self.key}"

    @property
    def adjust_options(self) -> tuple[Option, ...]:
        """What the follow-up offers. ORD: the answers lighter than the heaviest (the
        heaviest work can never be what it is made lighter to); COND: the conditions
        the workplace could offer; CAT and BIN: "ja", taking the exposure away."""
        if self.type == ORD:
            heaviest = min(o.demand for o in self.options)
            return tuple(o for o in self.options if o.demand != heaviest)
        if self.type == COND:
            return self.options
        return (Option(YES, "Ja", [] if self.type == CAT else False),)

    @property
    def multiple(self) -> bool:
        return self.type == COND

    def label_of(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return self.blank_label


@dataclass(frozen=True)
class Group:
    title: str
    questions: tuple[Question, ...]


def _ord(key: str, item: str, text: str, hint: str, *levels: tuple[int, str],
         blank: str = "Nee, of weet ik niet", adjust: str = "") -> Question:
    """An ORD question: one answer per level, lightest work first."""
    options = tuple(Option(f"{item_level}", label, item_level) for item_level, label in levels)
    return Question(key, item, ORD, text, hint, options, blank,
                    adjust_text=adjust or "Kan dit zo nodig lichter worden gemaakt? Tot hoever dan?")


def _bin(key: str, item: str, text: str, hint: str = "", adjust: str = "") -> Question:
    return Question(key, item, BIN, text, hint, (Option("ja", "Ja", True), Option("nee", "Nee", False)),
                    adjust_text=adjust or "Kan dat zo nodig uit het werk worden gehaald?")


def _cond(key: str, item: str, text: str, hint: str, codes: tuple[tuple[int, str], ...],
          hidden: tuple[int, ...], adjust: str = "") -> Question:
    options = tuple(Option(str(code), label, code) for code, label in codes)
    return Question(key, item, COND, text, hint, options, "Niet ingevuld", hidden, adjust)


GROUPS: tuple[Group, ...] = (
    Group("Tillen en dragen", (
        _ord("tillen", "IV.13", "Moet er getild worden? Hoe zwaar?",
             "Denk aan het zwaarste dat regelmatig opgetild wordt.",
             (3, "Af en toe lichte dingen, tot ongeveer 2 kilo"),
             (2, "Tot ongeveer 5 kilo, ook vaker per uur"),
             (1, "Tot ongeveer 10 kilo, een paar keer per uur"),
             (0, "Ongeveer 15 kilo of zwaarder"),
             adjust="Kan het tillen zo nodig lichter? Tot hoe zwaar dan?"),
        _ord("dragen", "IV.14", "Moet er iets gedragen worden terwijl iemand loopt? Hoe zwaar?",
             "Bijvoorbeeld dozen of kratten wegbrengen.",
             (3, "Lichte dingen, tot ongeveer 2 kilo"),
             (2, "Tot ongeveer 5 kilo, een minuut achter elkaar"),
             (1, "Tot ongeveer 10 kilo, een paar minuten achter elkaar"),
             (0, "Ongeveer 15 kilo of zwaarder, tot vier minuten achter elkaar"),
             adjust="Kan het dragen zo nodig lichter? Tot hoe zwaar dan?"),
    )),
    Group("Lopen, staan en zitten", (
        _ord("lopen_achtereen", "IV.16", "Hoe lang loopt iemand achter elkaar?", "",
             (3, "Korter dan 5 minuten"),
             (2, "Ongeveer een kwartier"),
             (1, "Ongeveer een half uur"),
             (0, "Een uur of langer"),
             adjust="Kan dat zo nodig korter, bijvoorbeeld met een plek om tussendoor te zitten? Tot hoe lang dan?"),
        _ord("lopen_totaal", "IV.17", "Hoeveel loopt iemand op een werkdag bij elkaar?", "",
             (3, "Minder dan een half uur"),
             (2, "Ongeveer een uur"),
             (1, "Ongeveer vier uur"),
             (0, "Het grootste deel van de dag"),
             adjust="Kan er zo nodig minder gelopen worden? Hoeveel dan?"),
        _ord("staan_achtereen", "V.3", "Hoe lang staat iemand achter elkaar stil op één plek?",
             "Bijvoorbeeld achter een balie, kassa of werkbank.",
             (3, "Korter dan 5 minuten"),
             (2, "Ongeveer een kwartier"),
             (1, "Ongeveer een half uur"),
             (0, "Een uur of langer"),
             adjust="Kan dat zo nodig korter, bijvoorbeeld met een stoel of een zit-sta-bureau? Tot hoe lang dan?"),
        _ord("staan_totaal", "V.4", "Hoeveel staat iemand op een werkdag bij elkaar?", "",
             (3, "Minder dan een half uur"),
             (2, "Ongeveer een uur"),
             (1, "Ongeveer vier uur"),
             (0, "Het grootste deel van de dag"),
             adjust="Kan er zo nodig minder gestaan worden? Hoeveel dan?"),
        _ord("zitten_achtereen", "V.1", "Hoe lang zit iemand achter elkaar zonder op te staan?", "",
             (3, "Korter dan een kwartier"),
             (2, "Ongeveer een half uur"),
             (1, "Ongeveer een uur"),
             (0, "Twee uur of langer"),
             adjust="Kan iemand zo nodig vaker opstaan, bijvoorbeeld met een zit-sta-bureau? "
                    "Hoe lang zit iemand dan achter elkaar?"),
        _ord("zitten_totaal", "V.2", "Hoeveel zit iemand op een werkdag bij elkaar?", "",
             (3, "Minder dan vier uur"),
             (2, "Ongeveer vier uur"),
             (1, "Het grootste deel van de dag"),
             (0, "Vrijwel de hele werkdag"),
             adjust="Kan er zo nodig minder gezeten worden? Hoeveel dan?"),
    )),
    Group("Bewegen", (
        _ord("bukken", "IV.10", "Moet er vaak gebukt worden?",
             "Bijvoorbeeld om iets van een lage plank of de vloer te pakken.",
             (3, "Af en toe, tot ongeveer 50 keer per uur"),
             (2, "Regelmatig, ongeveer 150 keer per uur"),
             (1, "Vaak, ongeveer 300 keer per uur"),
             (0, "Heel vaak, ongeveer 600 keer per uur"),
             adjust="Kan er zo nodig minder gebukt worden, bijvoorbeeld door spullen hoger te zetten? Hoe vaak dan?"),
        _ord("knielen", "IV.20", "Moet er geknield of gehurkt worden?", "",
             (3, "Heel af en toe, minder dan twee keer per uur"),
             (2, "Hooguit twee keer per uur"),
             (1, "Hooguit vijf keer per uur"),
             (0, "Ongeveer tien keer per uur of vaker"),
             adjust="Kan er zo nodig minder geknield of gehurkt worden? Hoe vaak dan?"),
        _ord("trappen", "IV.18", "Moet er trap gelopen worden?", "",
             (3, "Alleen een opstapje of klein trapje"),
             (2, "Eén trap op óf af"),
             (1, "Eén trap op en weer af"),
             (0, "Twee trappen of meer in één keer, op en af"),
             adjust="Kan het werk zo nodig met minder traplopen, bijvoorbeeld met een lift of een plek beneden? "
                    "Hoeveel dan?"),
        _ord("klimmen", "IV.19", "Moet er geklommen worden?", "",
             (3, "Nauwelijks; er is geen opstap nodig"),
             (2, "Een opstapje"),
             (1, "Een huishoudtrap, tot ongeveer 3 meter"),
             (0, "Een ladder, tot ongeveer 5 meter"),
             adjust="Kan het werk zo nodig met minder klimmen? Hoeveel dan?"),
        _ord("reiken", "IV.8", "Moet er vaak gereikt worden, bijvoorbeeld naar schappen of een band?", "",
             (2, "Regelmatig, ongeveer 300 keer per uur"),
             (1, "Vaak, ongeveer 600 keer per uur"),
             (0, "Heel vaak, ongeveer 1200 keer per uur"),
             adjust="Kan er zo nodig minder gereikt worden, bijvoorbeeld door de werkplek anders in te richten? "
                    "Hoe vaak dan?"),
        _ord("boven_schouder", "V.7", "Wordt er boven schouderhoogte gewerkt?",
             "Bijvoorbeeld vakken vullen op een hoge plank.",
             (2, "Nauwelijks"),
             (1, "Steeds ongeveer een minuut achter elkaar"),
             (0, "Steeds twee minuten achter elkaar, vaker per uur"),
             adjust="Kan er zo nodig minder boven schouderhoogte gewerkt worden? Hoeveel dan?"),
        _ord("toetsenbord", "IV.4", "Hoeveel uur per dag wordt er met toetsenbord en muis gewerkt?", "",
             (3, "Minder dan een half uur"),
             (2, "Ongeveer een uur"),
             (1, "Ongeveer vier uur"),
             (0, "Het grootste deel van de dag"),
             adjust="Kan er zo nodig minder met toetsenbord en muis gewerkt worden? Hoeveel dan?"),
    )),
    Group("De werkplek en het contact", (
        _cond("werkplek", "I.8", "Is het een rustige werkplek zonder veel onderbrekingen? Vink aan wat klopt.",
              "Laat alles leeg als u het niet weet. Wat u niet aanvinkt, geldt als: klopt niet.",
              ((1, "Weinig afleiding door wat anderen doen"),
               (2, "Voorspelbaar werk: de taken en omstandigheden wisselen weinig"),
               (3, "Weinig storingen en onderbrekingen"),
               (4, "Weinig deadlines of drukke pieken"),
               (5, "Geen hoog werktempo nodig"),
               (6, "Geen bijzonder risico voor de eigen veiligheid")),
              hidden=(7,),
              adjust="Kan de werkplek zo nodig rustiger worden, bijvoorbeeld een stille kamer of vaste taken? "
                     "Vink aan wat u dan kunt bieden."),
        _cond("contact", "II.12", "Hoe is het contact met anderen? Vink aan wat klopt.",
              "Laat alles leeg als u het niet weet. Wat u niet aanvinkt, geldt als: klopt niet.",
              ((1, "Weinig of geen rechtstreeks contact met klanten"),
               (2, "Weinig of geen contact met patiënten of mensen die hulp nodig hebben"),
               (3, "Er is altijd een collega of leidinggevende om op terug te vallen (geen functie alleen)"),
               (4, "Direct contact met collega's is niet nodig"),
               (5, "Geen leidinggevende taken")),
              hidden=(6,),
              adjust="Kan het contact met anderen zo nodig worden aangepast? Vink aan wat u dan kunt bieden."),
    )),
    Group("De omgeving", (
        Question("temperatuur", "III.1", CAT, "Wordt er gewerkt in grote hitte of strenge kou?",
                 "Hitte: boven 35 °C. Strenge kou: onder −15 °C, bijvoorbeeld in een vriescel.",
                 (Option("nee", "Nee", []), Option("hitte", "Ja, in hitte", [1]),
                  Option("kou", "Ja, in strenge kou", [2]), Option("beide", "Ja, in hitte én in kou", [1, 2])),
                 adjust_text="Kan iemand zo nodig werken zonder hitte of kou?"),
        _bin("stof", "III.5", "Komen er stof, rook, gassen of dampen vrij?",
             adjust="Kan iemand zo nodig werken zonder stof, rook, gassen of dampen?"),
        _bin("lawaai", "III.6", "Is het lawaaiig op de werkplek?", "Bijvoorbeeld door machines of harde muziek.",
             adjust="Kan iemand zo nodig op een plek zonder lawaai werken?"),
        _bin("trillingen", "III.7", "Wordt er gewerkt met trillend gereedschap of op een trillende machine?",
             adjust="Kan het werk zo nodig zonder trillend gereedschap of trillende machine?"),
        _bin("rijden", "II.11", "Moet iemand voor het werk een voertuig besturen?",
             "Bijvoorbeeld een bestelbus, heftruck of auto van de zaak.",
             adjust="Kan het werk zo nodig zonder dat iemand zelf rijdt?"),
    )),
)

QUESTIONS: tuple[Question, ...] = tuple(q for g in GROUPS for q in g.questions)
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}
BY_ITEM: dict[str, Question] = {q.item: q for q in QUESTIONS}
ASKED_ITEMS = frozenset(BY_ITEM)

Answers = Mapping[str, "str | list[str]"]


class AnswerRefused(ValueError):
    """Answers that are not among a question's options; ``problems`` is question key -> Dutch reason."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value if v]


def one_choice(raw: Any, options: Sequence[Any]) -> tuple[Any, str | None]:
    """The option a single-choice answer names, or the Dutch reason it names none."""
    if not isinstance(raw, str):
        return None, "kies één antwoord"
    option = next((o for o in options if o.value == raw), None)
    return (option, None) if option is not None else (None, "kies een van de genoemde antwoorden")


def demands_from_answers(answers: Answers) -> dict[str, Any]:
    """The demands the answers describe; unanswered questions (and "weet ik niet") give none.

    Raises :class:`AnswerRefused` naming every question with an answer it does not offer.
    """
    problems: dict[str, str] = {}
    demands: dict[str, Any] = {}
    unknown = [k for k in answers if k not in BY_KEY]
    for key in unknown:
        problems[key] = "onbekende vraag"
    for q in QUESTIONS:
        raw = answers.get(q.key)
        if q.multiple:
            chosen = as_list(raw)
            if not chosen:
                continue
            offered = {o.value: o.demand for o in q.options}
            bad = [v for v in chosen if v != NONE_OF_THESE and v not in offered]
            if bad:
                problems[q.key] = "kies alleen uit de genoemde mogelijkheden"
                continue
            if NONE_OF_THESE in chosen:
                if len(chosen) > 1:
                    problems[q.key] = "kies 'geen van deze' óf wat klopt, niet allebei"
                    continue
                demands[q.item] = []
                continue
            demands[q.item] = sorted({offered[v] for v in chosen})
        else:
            if raw is None or raw == BLANK:
                continue
            option, problem = one_choice(raw, q.options)
            if problem:
                problems[q.key] = problem
                continue
            if option.demand is not None:
                demands[q.item] = list(option.demand) if isinstance(option.demand, list) else option.demand
    if problems:
        raise AnswerRefused(problems)
    return demands


def answers_from_demands(demands: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The answers that describe stored demands, to pre-fill the form when editing.

    Items the questions do not ask about are left out (see :func:`merge_demands`);
    a COND answer lists only the codes the question offers.
    """
    answers: dict[str, str | list[str]] = {}
    for q in QUESTIONS:
        if q.item not in demands:
            answers[q.key] = [] if q.multiple else BLANK
            continue
        value = demands[q.item]
        if q.multiple:
            offered = {o.demand: o.value for o in q.options}
            codes = [offered[c] for c in value if c in offered]
            # An empty list, or only hidden codes: the workplace meets none of the asked conditions.
            answers[q.key] = codes or [NONE_OF_THESE]
            continue
        match = next((o.value for o in q.options if _same(o.demand, value)), None)
        answers[q.key] = match if match is not None else BLANK
    return answers


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    # True == 1 in Python: a BIN answer must never match an ORD level, nor the reverse.
    return type(a) is type(b) and a == b


def merge_demands(stored: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """New demands after an edit: the answered items from the answers, everything else kept.

    Items the questions do not ask about (set through the API) stay as stored, and
    so do a COND item's codes the questions do not offer: the employer never saw
    them, so cannot have meant to remove them.
    """
    new = demands_from_answers(answers)
    merged = {k: v for k, v in stored.items() if k not in ASKED_ITEMS}
    for q in QUESTIONS:
        if q.item in new:
            value = new[q.item]
            if q.multiple and q.item in stored:
                kept = [c for c in stored[q.item] if c in q.hidden_codes]
                value = sorted(set(value) | set(kept))
            merged[q.item] = value
        elif q.multiple and q.item in stored and [c for c in stored[q.item] if c in q.hidden_codes]:
            # Nothing ticked, but hidden codes were stored: keep them rather than forget what was known.
            merged[q.item] = sorted(c for c in stored[q.item] if c in q.hidden_codes)
    return merged


def demand_summary(demands: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(question, answer) in plain Dutch for the asked items that carry a demand; no item ids."""
    answers = answers_from_demands(demands)
    out: list[tuple[str, str]] = []
    for q in QUESTIONS:
        if q.item not in demands:
            continue
        value = answers[q.key]
        if q.multiple:
            chosen = value if isinstance(value, list) else [value]
            text = "geen van deze" if chosen == [NONE_OF_THESE] else "; ".join(
                q.label_of(v) for v in chosen)
        else:
            text = q.label_of(value) if value else "-"
        out.append((q.text, text))
    return out
