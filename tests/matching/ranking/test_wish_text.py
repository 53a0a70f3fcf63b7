"""The wish parser: what a candidate wants, what they refuse, and places that hit a refusal."""

from __future__ import annotations

import numpy as np
import pytest

from matching.ranking.dutch_text import fold, stem
from matching.ranking.wish_text import TEXT_HIT, TITLE_HIT, PlaceWords, negated_hits, parse_wishes

STORY_1 = ("Ik wil na mijn operatie zo snel mogelijk terug naar mijn eigen werk in de apotheek. Tot die tijd "
           "graag tijdelijk aan de slag, het liefst zittend werk met klantcontact.")
STORY_2 = ("Rustig opbouwen in uren, eerst een paar ochtenden per week op een rustige plek zonder veel prikkels, "
           "onderbrekingen of deadlines. Later weer administratief werk op een gewoon kantoor.")
STORY_3 = ("Ik ben nieuwsgierig naar ander werk dat past bij mijn sterke kanten: uitleggen, organiseren en mensen "
           "begeleiden. Terug naar het onderwijs sluit ik niet uit.")
STORY_4 = ("Graag een werkervaringsplek op een andere afdeling in het ziekenhuis, met kinderen of ouders. "
           "Niet meer tillen en veel bukken.")
STORY_5 = ("Ik houd van organiseren en het contact met gasten. Niet meer over het terrein lopen, knielen of "
           "traplopen; liefst aan de receptie.")


def test_wish_and_refusal_in_one_sentence():
    w = parse_wishes("Graag met mensen werken, niet meer fysiek zwaar")
    assert w.positive == "Graag met mensen werken"
    assert w.negated == ("fysiek zwaar",)
    assert set(w.avoid_aspects) == {"IV.13", "IV.14"}


def test_a_pure_wish_is_left_alone():
    w = parse_wishes("liefst aan de receptie")
    assert w.positive == "liefst aan de receptie"
    assert w.negated == () and w.avoid_aspects == ()


def test_no_more_professional_driving():
    w = parse_wishes("Ik mag niet meer beroepsmatig rijden")
    assert w.negated == ("beroepsmatig rijden",)
    assert w.avoid_aspects == ("II.11",)
    assert w.positive == ""  # "Ik mag" wishes nothing


def test_a_list_after_zonder_stays_refused_until_the_full_stop():
    w = parse_wishes(STORY_2)
    assert w.negated == ("prikkels, onderbrekingen of deadlines",)
    assert w.avoid_aspects == ("I.8",)
    assert w.positive == ("Rustig opbouwen in uren, eerst een paar ochtenden per week op een rustige plek. "
                          "Later weer administratief werk op een gewoon kantoor.")


def test_a_text_without_refusal_keeps_its_wording():
    w = parse_wishes(STORY_1)
    assert w.positive == STORY_1
    assert w.negated == () and w.avoid_aspects == ()


def test_niet_uitsluiten_is_no_refusal():
    w = parse_wishes(STORY_3)
    assert w.negated == ()
    assert w.positive == STORY_3


def test_en_between_refused_activities_keeps_the_refusal():
    w = parse_wishes(STORY_4)
    assert w.negated == ("tillen en veel bukken",)
    assert {"IV.13", "IV.9", "IV.10", "V.6"} <= set(w.avoid_aspects)
    assert "ziekenhuis" in w.positive and "tillen" not in w.positive


def test_a_semicolon_ends_the_refusal():
    w = parse_wishes(STORY_5)
    assert w.negated == ("over het terrein lopen, knielen of traplopen",)
    assert {"IV.16", "IV.17", "IV.18", "IV.20", "V.5"} <= set(w.avoid_aspects)
    assert "receptie" in w.positive and "knielen" not in w.positive


@pytest.mark.parametrize("text,negated", [
    ("Geen nachtdiensten, wel avonden.", ("nachtdiensten",)),
    ("Liever niet in de zorg, maar wel met mensen.", ("in de zorg",)),
    ("Niet meer in de bouw, kantoorwerk lijkt me leuk", ("in de bouw",)),
    ("Niet tillen en ik wil graag buiten werken", ("tillen",)),
    ("Avondwerk is geen probleem.", ()),
    ("Avondwerk is niet erg, nachtwerk wel.", ()),
    ("Het mag niet erg zwaar zijn", ("zwaar",)),
    ("Niet alleen achter de computer.", ()),
    ("Tillen wil ik niet meer.", ("Tillen",)),
    ("Ik kan niet meer lang staan of lopen", ("lang staan of lopen",)),
    ("Nooit meer nachtdiensten!", ("nachtdiensten",)),
])
def test_where_a_refusal_ends(text, negated):
    assert parse_wishes(text).negated == negated


def test_empty_and_missing_text():
    for text in ("", None, "   "):
        w = parse_wishes(text)
        assert w.positive == "" and w.negated == () and w.avoid_aspects == ()


TITLES = ["Vrachtwagenchauffeur internationaal", "Receptionist", "Magazijnmedewerker", "Administratief medewerker",
          "Terreinmedewerker camping", "Medewerker prikkelarme werkplek", "Callcenter medewerker"]
TEXTS = ["Je rijdt door heel Europa.", "Je ontvangt gasten. Geen zwaar tilwerk.",
         "Je tilt dozen en rijdt soms heftruck.", "", "Je loopt veel over het terrein.",
         "Een rustige plek zonder deadlines.", "Veel telefoontjes en af en toe een deadline."]


def test_refused_driving_hits_the_driver_fully_and_a_mention_half():
    hits = negated_hits(parse_wishes("Ik mag niet meer beroepsmatig rijden"), TITLES, TEXTS)
    assert hits.dtype == np.float32 and hits.shape == (len(TITLES),)
    assert hits[0] == TITLE_HIT
    assert hits[2] == TEXT_HIT
    assert hits[1] == hits[3] == hits[6] == 0.0


def test_a_place_that_itself_refuses_the_thing_is_no_hit():
    hits = negated_hits(parse_wishes("Graag met mensen werken, niet meer fysiek zwaar"), TITLES, TEXTS)
    assert hits[1] == 0.0  # "Geen zwaar tilwerk"
    assert hits[2] == TITLE_HIT  # a warehouse is heavy work by title


def test_refused_stimuli_spare_the_low_stimulus_place():
    hits = negated_hits(parse_wishes(STORY_2), TITLES, TEXTS)
    assert hits[5] == 0.0  # "prikkelarme", "zonder deadlines"
    assert hits[6] == TEXT_HIT  # "een deadline"


def test_compound_words_hit_a_refused_word():
    hits = negated_hits(parse_wishes(STORY_5), TITLES, TEXTS)
    assert hits[4] == TITLE_HIT  # "Terreinmedewerker" holds "terrein"
    assert hits[3] == 0.0


def test_no_refusal_no_hits():
    assert not negated_hits(parse_wishes(STORY_1), TITLES, TEXTS).any()


def test_prepared_places_give_the_same_hits():
    places = PlaceWords(TITLES, TEXTS)
    for text in (STORY_2, STORY_4, STORY_5, "Ik mag niet meer beroepsmatig rijden"):
        w = parse_wishes(text)
        assert np.array_equal(negated_hits(w, TITLES, TEXTS, places=places), negated_hits(w, TITLES, TEXTS))
    with pytest.raises(ValueError):
        negated_hits(parse_wishes("geen tillen"), TITLES[:2], TEXTS[:2], places=places)


def test_stems_and_folding():
    assert stem("tillen") == stem("tilt") == "til"
    assert stem("lopen") == stem("loopt")
    assert stem("zware") == stem("zwaar")
    assert stem("rijden") == stem("rijdt")
    assert fold("Cliënt Café") == "client cafe"
    assert len(fold("naïef İstanbul")) == len("naïef İstanbul")
