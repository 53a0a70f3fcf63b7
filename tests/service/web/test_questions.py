"""The demand questions: each answer stores the FML demand the contract means, and back."""

from __future__ import annotations

import pytest

from matching.contract.models import Placement
from matching.reference.fml import COND, ORD, WORK_TIME_ITEMS, load_catalogue
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
