"""Example payloads for the OpenAPI document: the contract's own examples, extended.

Kept valid: tests/service/test_openapi.py validates every example against its model.
"""

from __future__ import annotations

CANDIDATE = {
    "id": "c-0042",
    "home": {"postcode": "6511"},
    "max_travel_km": 25,
    "capacity": {"IV.13": 2, "V.3": 1, "VI.2": 3, "VI.3": 3, "VI.1": [2], "I.8": [4], "III.6": 1},
    "education": {"level": "mbo-3", "field": "zorg en welzijn"},
    "experience": [
        {"title": "Gastvrouw vakantiepark", "years": 6,
         "description": "Ontvangst van gasten, rondleidingen over het terrein"}
    ],
    "skills": ["gastvrijheid", "klantcontact", "kassa"],
    "wishes": {"kinds": ["detachering", "vacature"], "hours_per_week": 24,
               "text": "Graag met mensen werken, niet meer fysiek zwaar"},
    # Contract v1.1: the own employer (its places are spoor 1), the work before
    # sickness (the 65% rule) and the bedrijfsarts' build-up prognosis.
    "employer_id": "e-07",
    "former_work": {"title": "Gastvrouw vakantiepark", "hours_per_week": 32, "hourly_wage": 15.80},
    "hours_outlook": {"hours_per_week": 28, "from": "2027-03-01"},
    "sick_since": "2024-09-02",
    "first_year_evaluation": None,
    "spoor2_started": None,
}

CANDIDATE_PATCH = {"capacity": {"IV.13": 2, "V.3": 2}, "spoor2_started": "2025-03-03"}

PLACEMENT = {
    "id": "p-0107",
    "employer_id": "e-12",
    "kind": "werkervaringsplek",
    "title": "Receptiemedewerker",
    "description": "Je ontvangt gasten en beantwoordt de telefoon.",
    "location": {"postcode": "6512"},
    "hours_per_week": 24,
    "hours_per_day": 6,
    "evening": False,
    "night": False,
    "education_level": "mbo-2",
    "skills": ["klantcontact", "telefoon"],
    "demands": {"IV.13": 2, "V.3": 1, "I.8": [1, 3, 4], "III.6": True},
    "positions": 1,
    "status": "open",
    # Contract v1.1: the ESCO occupation, pay, a start with fewer hours, and what the
    # employer can adjust when asked (only ever lighter than the demands).
    "occupation": "http://data.europa.eu/esco/occupation/f7b04542-d8c7-42db-8475-e63b507cce82",
    "hourly_wage": {"min": 14.20, "max": 16.90},
    "start_hours_per_week": 12,
    "adjustments": {"I.8": [1, 3, 4, 6], "hours_per_day": 4},
}

SUGGESTIONS = {
    "candidate_id": "c-0042",
    "suggestions": [
        {
            # The own employer's place (spoor 1) comes first, whatever it scores.
            "placement_id": "p-0031",
            "rank": 1,
            "score": 0.64,
            "verdict": "pass",
            "distance_km": 2.1,
            "items": [],
            "components": {"semantic": 0.62, "occupation": 0.7, "wishes": 1.0, "education": 1.0, "distance": 0.9},
            "explanation": "Bij de eigen werkgever (spoor 1); sluit aan bij je ervaring als gastvrouw vakantiepark; "
                           "ongeveer 68% van het oude loon; binnen de belastbaarheid.",
            "spoor": 1,
            "conditions": [],
            "earnings": {"ratio": 0.68, "text": "ongeveer 68% van het oude loon"},
        },
        {
            "placement_id": "p-0107",
            "rank": 2,
            "score": 0.83,
            "verdict": "adjust",
            "distance_km": 0.8,
            "items": [
                {"item": "IV.13", "verdict": "signal", "capacity": 2, "demand": 2,
                 "reason": "Tillen: ongeveer 5 kg (t/m 50×/u), precies wat het werk vraagt (op de grens)"},
                {"item": "V.3", "verdict": "signal", "capacity": 1, "demand": 1,
                 "reason": "Staan: ongeveer ½ uur, precies wat het werk vraagt (op de grens)"},
                {"item": "III.6", "verdict": "signal", "capacity": 1, "demand": True,
                 "reason": "Geluidsbelasting: beperkt en het werk vraagt dit; de toelichting van de bedrijfsarts "
                           "bekijken"},
            ],
            "components": {"semantic": 0.85, "occupation": 0.98, "wishes": 1.0, "education": 1.0, "distance": 0.97},
            "explanation": "Je ervaring als gastvrouw vakantiepark sluit aan; een werkervaringsplek, zoals je wenst; "
                           "ongeveer 74% van het oude loon; past als de werkgever de werkdag beperkt tot 4 uur"
                           ", nu 6; start met 12 uur per week en bouw op naar 24; binnen de belastbaarheid met "
                           "deze aanpassingen, let op: tillen, staan, geluidsbelasting.",
            "spoor": 2,
            "conditions": [
                {"kind": "aanpassing", "item": "VI.2", "from": 6, "to": 4,
                 "reason": "Past als de werkgever de werkdag beperkt tot 4 uur, nu 6"},
                {"kind": "opbouw", "item": "VI.3", "from": 24, "to": 12,
                 "reason": "Start met 12 uur per week en bouw op naar 24; de bedrijfsarts verwacht 28 uur per "
                           "week vanaf 1 maart 2027"},
            ],
            "earnings": {"ratio": 0.74, "text": "ongeveer 74% van het oude loon"},
        },
    ],
}

FEEDBACK_NOT_RELEVANT = {"placement_id": "p-0107", "code": "not_relevant", "why": "reistijd",
                         "note": "Busverbinding valt 's avonds weg"}
FEEDBACK_INTRODUCED = {
    "placement_id": "p-0107",
    "code": "introduced",
    "motivation": "Zes jaar ervaring met het ontvangen van gasten; zoekt een rustige baliefunctie.",
    "signal_motivations": {
        "IV.13": "Tillen beperkt zich tot post en kleine pakjes; de zware leveringen doet de facilitaire dienst.",
        "V.3": "Staan wisselt af met zitten achter de balie; besproken met de kandidaat en passend bij het advies.",
        "III.6": "Rustige receptie aan de achterzijde van het gebouw; geen lawaai van de werkvloer.",
    },
}

EMPLOYER_INTRODUCTION = {
    "id": "int-3f9c2a7b1e4d",
    "placement_id": "p-0107",
    "placement_title": "Receptiemedewerker",
    "introduced_at": "2025-03-04T09:30:00Z",
    "candidate": {
        "pseudonym": "Kandidaat 7F3A2C",
        "experience": [{"title": "Gastvrouw vakantiepark", "years": 6,
                        "description": "Ontvangst van gasten, rondleidingen over het terrein"}],
        "education": {"level": "mbo-3", "field": "zorg en welzijn"},
        "skills": ["gastvrijheid", "klantcontact", "kassa"],
    },
    "motivation": "Zes jaar ervaring met het ontvangen van gasten; zoekt een rustige baliefunctie.",
    "why_it_fits": "Werkervaring als gastvrouw vakantiepark (6 jaar); brengt klantcontact mee; "
                   "opleiding mbo-3 zorg en welzijn (gevraagd: mbo-2); zoekt bewust een werkervaringsplek.",
    "adjustments": ["Werkdagen van hoogstens 4 uur", "Start met 12 uur per week en bouw op naar 24"],
    "decision": None,
    "decision_note": "",
    "decided_at": None,
}

TIMELINE = {
    "candidate_id": "c-0042",
    "on": "2025-06-02",
    "sick_since": "2024-09-02",
    "first_year_evaluation": None,
    "spoor2_started": None,
    "week_of_sickness": 40,
    "spoor2_earliest": "2024-10-21",
    "spoor2_deadline": "2025-08-31",
    "status": "due",
    "warnings": [{
        "level": "warning", "code": "spoor2_due",
        "message": "Week 40 van ziekte: spoor 2 kan sinds week 8 starten en moet uiterlijk 31 augustus 2025 "
                   "gestart zijn (nog 12 weken). Hoe eerder spoor 2 start, hoe groter de kans op passend werk.",
    }],
}

ERROR = {
    "detail": "input refused, nothing written",
    "problems": ["capacity.IV.13: level 5 is out of range 0..3", "home.postcode: unknown postcode '1000'"],
}

FEEDBACK = {
    "id": 17, "placement_id": "p-0107", "code": "not_relevant", "why": "reistijd",
    "note": "Busverbinding valt 's avonds weg", "created_at": "2025-03-04T09:30:00Z", "created_by": "Coach Anna",
    "undone_at": None, "introduction": None,
}

DOSSIER_EVENT = {
    "id": 3, "at": "2025-03-04T09:30:00Z", "kind": "capacity_changed", "actor": "Coach Anna", "actor_role": "coach",
    "summary": "Belastbaarheid gewijzigd: V.3", "data": {"items": {"V.3": {"before": 1, "after": 2}}},
}
