"""The aspect lexicon: how central a limited FML aspect is to a place."""

from __future__ import annotations

import numpy as np
import pytest

from matching.ranking.aspects import (
    ASPECT_ORDER,
    ASPECTS,
    ROLE_TITLE_SCORE,
    SKILLS_MAX,
    TEXT_FIRST,
    TEXT_MAX,
    AspectEvidence,
    aspect_phrase,
    aspects_named,
    centralities,
    centrality,
    mentions,
    skill_aspects,
    title_scores,
)
from matching.reference.fml import load_catalogue


def test_lexicon_covers_at_least_fifteen_real_fml_items():
    catalogue = load_catalogue()
    assert len(ASPECTS) >= 15
    for item_id, aspect in ASPECTS.items():
        assert item_id in catalogue, item_id
        assert aspect.item_id == item_id
        assert aspect.nl and aspect.en and aspect.names and aspect.phrase
    assert ASPECT_ORDER == tuple(ASPECTS)


@pytest.mark.parametrize("title", ["Vrachtwagenchauffeur internationaal", "Koerier", "Heftruckchauffeur",
                                   "Pakketbezorger", "Taxichauffeur", "Buschauffeur (m/v)"])
def test_driving_is_central_to_driving_work(title):
    assert centrality("II.11", title, "") == pytest.approx(1.0)


@pytest.mark.parametrize("title", ["Receptionist", "Administratief medewerker", "Klantenservice medewerker",
                                   "Planner", "Rijksambtenaar", "Zijdeschilder"])
def test_driving_is_not_central_to_desk_work_or_lookalike_words(title):
    assert centrality("II.11", title, "") == 0.0


def test_speaking_is_central_to_the_phone_but_not_to_driving():
    assert centrality("II.3", "Callcenter medewerker", "") == pytest.approx(1.0)
    assert centrality("II.3", "Klantenservice medewerker", "") == pytest.approx(1.0)
    assert centrality("II.3", "Vrachtwagenchauffeur internationaal", "") == 0.0


@pytest.mark.parametrize("title", ["Planner", "Rijksambtenaar", "Zijdeschilder", "Loopbaanadviseur",
                                   "Klimaatadviseur", "Taxidermist", "Beleidsmedewerker politiek"])
def test_no_aspect_at_all_in_lookalike_titles(title):
    assert title_scores(title) == {}


def test_a_house_painter_is_not_a_silk_painter():
    assert title_scores("Huisschilder")["V.7"] == 1.0
    assert "V.7" not in title_scores("Zijdeschilder")


def test_a_role_title_names_only_the_domain():
    # A call-centre manager does not phone all day; a teacher does speak.
    assert title_scores("Manager callcenter")["II.3"] == pytest.approx(ROLE_TITLE_SCORE)
    assert title_scores("Docent verpleegkunde")["II.3"] == 1.0
    assert title_scores("Docent verpleegkunde")["II.6"] == pytest.approx(ROLE_TITLE_SCORE)
    # A hands-on role keeps its own compound: a ceiling fitter works overhead.
    assert title_scores("Plafondmonteur")["V.7"] == 1.0
    assert title_scores("Monteur mobiele telefoons")["II.3"] == pytest.approx(ROLE_TITLE_SCORE)
    # A shop's sales specialist does serve customers; the goods are only the domain.
    assert title_scores("Verkoopspecialist audioapparatuur")["II.12"] == 1.0
    assert title_scores("Verkoopspecialist audioapparatuur")["II.2"] == pytest.approx(ROLE_TITLE_SCORE)


def test_skill_labels_alone_give_a_moderate_centrality():
    skills = ["drive vehicles", "operate forklift", "store goods", "pick orders"]
    c = centrality("II.11", "Magazijnmedewerker", "", skills)
    assert 0.3 <= c <= SKILLS_MAX + 1e-6
    assert c == pytest.approx(SKILLS_MAX)  # half the skills: past the full share


def test_skill_share_scales_the_score():
    one_of_twenty = ["drive vehicles"] + [f"unrelated skill {i}" for i in range(19)]
    c = centrality("II.11", "Medewerker", "", one_of_twenty)
    assert 0.0 < c < 0.25


@pytest.mark.parametrize("label,item", [
    ("drive vehicles", "II.11"), ("operate forklift", "II.11"), ("drive in urban areas", "II.11"),
    ("answer incoming calls", "II.3"), ("speak different languages", "II.3"), ("lift heavy weights", "IV.13"),
    ("work at heights", "IV.19"), ("tolerate stress", "I.8"), ("perform clerical duties", "IV.4"),
])
def test_skill_labels_touch_their_aspect(label, item):
    assert item in skill_aspects(label)


@pytest.mark.parametrize("label,item", [
    ("drive innovation", "II.11"), ("repair vehicles", "II.11"), ("carry out inspections", "IV.14"),
    ("maintain vehicle", "II.11"),
])
def test_skill_labels_that_only_look_alike(label, item):
    assert item not in skill_aspects(label)


def test_the_description_counts_least_and_more_when_repeated():
    once = centrality("II.11", "Medewerker logistiek", "Je hebt rijbewijs B.")
    thrice = centrality("II.11", "Medewerker logistiek",
                        "Je rijdt met de bestelbus naar klanten. Rijbewijs B is nodig. Veel ritten per dag.")
    assert once == pytest.approx(TEXT_FIRST)
    assert TEXT_FIRST < thrice <= TEXT_MAX + 1e-6


def test_a_refused_mention_in_the_description_does_not_count():
    assert centrality("II.11", "Receptionist", "Rijbewijs is niet nodig.") == 0.0
    assert centrality("IV.13", "Receptionist", "Geen zwaar tilwerk.") == 0.0
    assert mentions("Een rustige werkplek zonder deadlines, in een prikkelarme omgeving.") == {}


def test_witnesses_combine_as_noisy_or():
    skills = ["drive vehicles", "deliver parcels", "load cargo", "plan routes"]
    text = "Je rijdt dagelijks door de regio."
    both = centrality("II.11", "Medewerker", text, skills)
    assert both == pytest.approx(1 - (1 - SKILLS_MAX) * (1 - TEXT_FIRST), abs=1e-5)
    assert both > max(centrality("II.11", "Medewerker", text), centrality("II.11", "Medewerker", "", skills))
    assert centrality("II.11", "Koerier", text, skills) == pytest.approx(1.0)


def test_centralities_is_one_matrix_and_agrees_with_centrality():
    titles = ["Vrachtwagenchauffeur", "Callcenter medewerker", "Magazijnmedewerker", "Receptionist"]
    texts = ["Je rijdt door Europa.", "", "Je tilt dozen.", "Je ontvangt gasten."]
    skills = [["drive trucks"], ["answer incoming calls"], ["operate forklift", "stack goods"], []]
    items = ["II.11", "II.3", "IV.13", "VI.2"]
    m = centralities(items, titles, texts, skills)
    assert m.shape == (4, 4) and m.dtype == np.float32
    assert ((m >= 0) & (m <= 1)).all()
    for p in range(4):
        for j, item in enumerate(items):
            assert m[p, j] == pytest.approx(centrality(item, titles[p], texts[p], skills[p]), abs=1e-6)
    assert (m[:, 3] == 0).all()  # hours per day: no textual signature


def test_evidence_is_built_once_and_read_per_item():
    ev = AspectEvidence.build(["Koerier", "Receptionist"], ["", ""])
    assert ev.title.shape == (2, len(ASPECT_ORDER))
    assert ev.columns(["II.11"])[:, 0].tolist() == [1.0, 0.0]
    with pytest.raises(ValueError):
        AspectEvidence.build(["a"], ["b", "c"])


def test_diacritics_and_case_are_folded():
    assert centrality("II.12", "RÉCEPTIONIST", "") == 1.0
    assert "II.12" in mentions("Contact met patiënten en cliënten.")


def test_a_refused_occupation_is_not_a_refused_activity():
    assert aspects_named("knielen of traplopen") == ("IV.18", "IV.20", "V.5")
    assert aspects_named("in de kinderopvang") == ()  # daycare, not kneeling as such
    assert "IV.20" in mentions("Medewerker kinderopvang")  # though it is central to daycare work
    assert aspects_named("beroepsmatig rijden") == ("II.11",)


def test_aspect_phrases_are_dutch_and_fall_back_to_the_fml_name():
    assert aspect_phrase("II.11") == "beroepsmatig rijden"
    assert aspect_phrase("II.3") == "veel spreken"
    assert aspect_phrase("IV.13") == "zwaar tillen"
    assert aspect_phrase("VI.2") == "uren per dag"
    with pytest.raises(KeyError):
        aspect_phrase("IX.99")
