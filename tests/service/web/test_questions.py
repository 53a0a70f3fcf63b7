"""The demand questions: each answer stores the FML demand the contract means, and back."""

from __future__ import annotations

import pytest

from matching.contract.models import Placement
from matching.reference.fml import COND, ORD, WORK_TIME_ITEMS, load_catalogue
from service.web import adjust_questions as aq
from service.web import questions as qs
from tests.conftest import placement_json


def test_every_question_asks_a_real_item_of_the_right_type_once():
    fml = load_catalogue()
    items = [q.item for q in qs.QUESTIONS]
    assert len(items) == len(set(items))
    assert len({q.key for q in qs.QUESTIONS}) == len(qs.QUESTIONS)
    for q in qs.QUESTIONS:
        assert q.item in fml and q.item not in WORK_TIME_ITEMS, q.item
        assert fml[q.item].type == q.type, q.item
        if q.type == ORD:
            # Every level has an answer: a place posted through the API never loses a demand when edited.
            assert sorted(o.demand for o in q.options) == list(range(fml[q.item].max_level + 1)), q.item
        if q.type == COND:
            offered = {o.demand for o in q.options}
            assert offered | set(q.hidden_codes) == set(fml[q.item].codes), q.item


def test_no_item_number_is_shown_to_the_employer():
    for q in qs.QUESTIONS:
        shown = " ".join([q.text, q.hint, q.blank_label, *(o.label for o in q.options)])
        assert q.item not in shown
        assert "FML" not in shown and "belastbaarheid" not in shown


@pytest.mark.parametrize("answers, demands", [
    ({"tillen": "3"}, {"IV.13": 3}),        # now and then up to 2 kg: the most limited level that can still do it
    ({"tillen": "2"}, {"IV.13": 2}),        # about 5 kg
    ({"tillen": "1"}, {"IV.13": 1}),        # about 10 kg
    ({"tillen": "0"}, {"IV.13": 0}),        # 15 kg or more: only the norm
    ({"tillen": ""}, {}),                    # no / don't know: no demand, the item passes
    ({"dragen": "2"}, {"IV.14": 2}),
    ({"lopen_achtereen": "1"}, {"IV.16": 1}),
    ({"lopen_totaal": "0"}, {"IV.17": 0}),
    ({"staan_achtereen": "1"}, {"V.3": 1}),  # standing half an hour at a stretch
    ({"staan_totaal": "2"}, {"V.4": 2}),
    ({"zitten_achtereen": "0"}, {"V.1": 0}),
    ({"zitten_totaal": "1"}, {"V.2": 1}),
    ({"bukken": "3"}, {"IV.10": 3}),
    ({"knielen": "2"}, {"IV.20": 2}),
    ({"trappen": "1"}, {"IV.18": 1}),
    ({"klimmen": "0"}, {"IV.19": 0}),
    ({"reiken": "2"}, {"IV.8": 2}),
    ({"boven_schouder": "1"}, {"V.7": 1}),
    ({"toetsenbord": "0"}, {"IV.4": 0}),    # the greater part of the day
    ({"werkplek": ["1", "3"]}, {"I.8": [1, 3]}),   # conditions the workplace DOES meet
    ({"werkplek": ["5", "4", "2"]}, {"I.8": [2, 4, 5]}),
    ({"werkplek": ["geen"]}, {"I.8": []}),   # meets none: stated, not unknown
    ({"werkplek": []}, {}),                  # nothing ticked: unknown
    ({"contact": ["1"]}, {"II.12": [1]}),
    ({"contact": ["3", "5"]}, {"II.12": [3, 5]}),
    ({"temperatuur": "hitte"}, {"III.1": [1]}),  # exposures present
    ({"temperatuur": "kou"}, {"III.1": [2]}),
    ({"temperatuur": "beide"}, {"III.1": [1, 2]}),
    ({"temperatuur": "nee"}, {"III.1": []}),
    ({"stof": "ja"}, {"III.5": True}),       # BIN true: the work involves it
    ({"lawaai": "ja"}, {"III.6": True}),
    ({"trillingen": "nee"}, {"III.7": False}),
    ({"rijden": "ja"}, {"II.11": True}),
    ({"rijden": ""}, {}),
])
def test_each_answer_maps_to_its_demand(answers, demands):
    assert qs.demands_from_answers(answers) == demands
    # The contract takes what the questions produce.
    Placement.model_validate(placement_json(demands=demands))


def _every_answer():
    for q in qs.QUESTIONS:
        if q.multiple:
            yield q, [qs.NONE_OF_THESE]
            for o in q.options:
                yield q, [o.value]
            yield q, [o.value for o in q.options]
        else:
            for o in q.options:
                yield q, o.value
        yield q, [] if q.multiple else ""


def test_round_trip_answers_demands_answers():
    for q, answer in _every_answer():
        demands = qs.demands_from_answers({q.key: answer})
        back = qs.answers_from_demands(demands)
        assert back[q.key] == answer, (q.key, answer, demands)
        assert qs.demands_from_answers(back) == demands
    # All questions at once.
    full = {q.key: ([q.options[0].value] if q.multiple else q.options[-1].value) for q in qs.QUESTIONS}
    assert qs.answers_from_demands(qs.demands_from_answers(full)) == full


@pytest.mark.parametrize("answers", [
    {"tillen": "4"}, {"tillen": "zwaar"}, {"lawaai": "misschien"}, {"werkplek": ["9"]},
    {"werkplek": ["geen", "1"]}, {"temperatuur": "lauw"}, {"onbekend": "ja"},
])
def test_an_unknown_answer_is_refused(answers):
    with pytest.raises(qs.AnswerRefused) as refused:
        qs.demands_from_answers(answers)
    assert set(refused.value.problems) == set(answers)


def test_an_edit_keeps_what_the_questions_do_not_ask():
    stored = {"IV.12": 1, "III.8": [1], "I.8": [1, 7], "IV.13": 2, "III.6": True}
    answers = qs.answers_from_demands(stored)
    assert answers["werkplek"] == ["1"] and answers["tillen"] == "2" and answers["lawaai"] == "ja"
    assert qs.merge_demands(stored, answers) == stored
    # Change the asked ones: the hidden I.8 code and the unasked items stay.
    answers.update(tillen="", werkplek=["3"], lawaai="nee")
    assert qs.merge_demands(stored, answers) == {"IV.12": 1, "III.8": [1], "I.8": [3, 7], "III.6": False}


def test_summary_speaks_dutch_without_item_ids():
    summary = qs.demand_summary({"IV.13": 2, "I.8": [1, 3], "III.6": True, "IV.12": 1})
    text = " ".join(a + " " + b for a, b in summary)
    assert "Tot ongeveer 5 kilo" in text and "Weinig storingen" in text
    assert "IV." not in text and "I.8" not in text
    assert len(summary) == 3


# -- the follow-ups: "Kan dit worden aangepast als dat nodig is?" (contract v1.1) --------

def test_no_follow_up_shows_an_item_number_or_offers_the_heaviest_work():
    fml = load_catalogue()
    for q in qs.QUESTIONS:
        shown = " ".join([q.adjust_text, *(o.label for o in q.adjust_options)])
        assert q.adjust_text and q.item not in shown and "FML" not in shown, q.key
        if q.type == ORD:
            # Made lighter to the heaviest level is no adjustment at all.
            assert 0 not in {o.demand for o in q.adjust_options}, q.key
            assert {o.demand for o in q.adjust_options} == set(range(1, fml[q.item].max_level + 1)), q.key


@pytest.mark.parametrize("demands, answers, adjustments", [
    ({"IV.13": 1}, {"a_tillen": "2"}, {"IV.13": 2}),            # 10 kg now, about 5 kg if needed
    ({"IV.13": 0}, {"a_tillen": "3"}, {"IV.13": 3}),
    ({"I.8": [1, 3]}, {"a_werkplek": ["4", "2"]}, {"I.8": [1, 2, 3, 4]}),  # a quiet room: conditions added
    ({"I.8": [1, 3]}, {"a_werkplek": ["1"]}, {}),               # already met: nothing to adjust
    ({}, {"a_werkplek": ["3"]}, {"I.8": [3]}),                   # unknown now, offered if needed
    ({"III.6": True}, {"a_lawaai": "ja"}, {"III.6": False}),    # a place without noise
    ({"III.6": False}, {"a_lawaai": "ja"}, {}),                  # no noise to take away
    ({}, {"a_rijden": "ja"}, {}),
    ({"III.1": [1, 2]}, {"a_temperatuur": "ja"}, {"III.1": []}),
    ({"III.1": []}, {"a_temperatuur": "ja"}, {}),
    ({"IV.13": 1}, {"a_tillen": ""}, {}),
])
def test_each_follow_up_gives_an_adjustment_the_contract_takes(demands, answers, adjustments):
    assert aq.adjustments_from_answers(demands, answers) == adjustments
    Placement.model_validate(placement_json(demands=demands, adjustments=adjustments))


@pytest.mark.parametrize("demands, answers, words", [
    ({"IV.13": 2}, {"a_tillen": "2"}, "kies iets lichters"),     # the same as now
    ({"IV.13": 2}, {"a_tillen": "1"}, "kies iets lichters"),     # heavier than now
    ({}, {"a_tillen": "2"}, "beantwoord eerst de vraag zelf"),  # no lifting asked: nothing to make lighter
    ({"IV.13": 1}, {"a_tillen": "0"}, "kies een van de genoemde antwoorden"),
    ({"I.8": []}, {"a_werkplek": ["9"]}, "kies alleen uit de genoemde mogelijkheden"),
    ({"III.6": True}, {"a_lawaai": "misschien"}, "kies een van de genoemde antwoorden"),
])
def test_a_follow_up_that_would_not_make_the_work_lighter_is_refused(demands, answers, words):
    with pytest.raises(aq.AdjustRefused) as refused:
        aq.adjustments_from_answers(demands, answers)
    (reason,) = refused.value.problems.values()
    assert words in reason


def test_every_follow_up_with_every_answer_is_valid_or_refused_never_heavier():
    # Property: whatever the employer answers, the form stores a lighter adjustment or refuses.
    for q, answer in _every_answer():
        demands = qs.demands_from_answers({q.key: answer})
        for option in (*q.adjust_options, qs.Option("", "")):
            given = [option.value] if q.multiple and option.value else option.value
            try:
                adjustments = aq.adjustments_from_answers(demands, {q.adjust_field: given})
            except aq.AdjustRefused:
                continue
            Placement.model_validate(placement_json(demands=demands, adjustments=adjustments))
            # And it reads back as the same answer when the form is opened again.
            if adjustments:
                assert aq.adjust_answers_from(adjustments, demands)[q.adjust_field] == given, (q.key, given)


def test_an_edit_keeps_the_adjustments_the_follow_ups_do_not_ask():
    demands = {"IV.12": 1, "I.8": [1], "III.1": [1, 2], "IV.13": 1}
    stored = {"IV.12": 2, "I.8": [1, 3, 7], "III.1": [1], "IV.13": 3, "hours_per_day": 4}
    answers = aq.adjust_answers_from(stored, demands)
    assert answers["a_werkplek"] == ["3"] and answers["a_tillen"] == "3" and answers["a_temperatuur"] == "ja"
    merged = aq.merge_adjustments(stored, demands, answers)
    # Unasked item and hidden code kept, one exposure of two taken away kept as it was; the
    # work times are the form's own fields, not the questions'.
    assert merged == {"IV.12": 2, "I.8": [1, 3, 7], "III.1": [1], "IV.13": 3}
    answers.update(a_tillen="", a_werkplek=[], a_temperatuur="")
    assert aq.merge_adjustments(stored, demands, answers) == {"IV.12": 2, "I.8": [1, 7]}


def test_adjustment_summary_speaks_dutch_without_item_ids():
    summary = aq.adjustment_summary({"IV.13": 1, "I.8": [1], "III.6": True},
                                    {"IV.13": 3, "I.8": [1, 3], "III.6": False})
    text = " ".join(a + " " + b for a, b in summary)
    assert "Kan het tillen zo nodig lichter?" in text and "Af en toe lichte dingen" in text
    assert "Weinig storingen en onderbrekingen" in text and "zonder lawaai" in text
    assert "IV." not in text and "I.8" not in text and "III.6" not in text
