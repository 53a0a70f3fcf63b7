"""The five practice stories of the domain notes (spoor2.md) as named demo candidates,
and the places their own employers post (their spoor 1).

The stories' build-up prognosis counts from ``REFERENCE_DATE``, so the committed
``data/demo/candidates.jsonl`` never changes; :func:`as_of` moves it to the day a
demo runs.
"""

from __future__ import annotations

from datetime import date, timedelta

from matching.contract.models import Candidate
from matching.demo.draws import REFERENCE_DATE

# Story 2's bedrijfsarts expects 24 hours a week about three months from now.
_STORY_2_OUTLOOK_WEEKS = 13

# The stories' own employers, by the names a demo shows for them (all invented).
STORY_EMPLOYERS = {
    "e-story-1": "Apotheek De Eem, Amersfoort",
    "e-story-2": "Accountantskantoor Van Rijn & Partners, Utrecht",
    "e-story-3": "Stichting Basisonderwijs IJsselland, Zwolle",
    "e-story-4": "Ziekenhuis Nijmegen-Zuid",
    "e-story-5": "Vakantiepark De Veluwse Heide, Putten",
}


def story_candidates(today: date | None = None) -> list[dict]:
    """The five practice stories as named demo candidates "c-story-1" .. "c-story-5".

    ``today``: the day story 2's build-up prognosis counts from (default
    ``REFERENCE_DATE``, as committed in ``data/demo/candidates.jsonl``).
    """
    outlook_from = (today or REFERENCE_DATE) + timedelta(weeks=_STORY_2_OUTLOOK_WEEKS)
    return [
        {
            # Long sickness, hip operation planned, good prognosis: spoor 2 is a safety net.
            "id": "c-story-1",
            "home": {"postcode": "3824"},
            "max_travel_km": 20,
            "capacity": {"IV.16": 2, "IV.17": 2, "V.4": 2, "V.3": 1, "IV.18": 2, "IV.19": 2, "IV.20": 2,
                         "VI.2": 2, "VI.3": 2},
            "education": {"level": "mbo-4", "field": "apothekersassistent"},
            "experience": [
                {"title": "Apothekersassistent", "years": 12,
                 "description": "Recepten controleren en medicijnen meegeven; patiënten adviseren aan de balie; "
                                "voorraad en bestellingen beheren."},
                {"title": "Verkoopmedewerker drogisterij", "years": 3,
                 "description": "Klanten adviseren; afrekenen aan de kassa; schappen vullen."},
            ],
            "skills": ["medicijnkennis", "klantcontact", "nauwkeurigheid", "kassa", "voorraadbeheer",
                       "MS Office"],
            "wishes": {"kinds": ["detachering", "werkervaringsplek"], "hours_per_week": 24,
                       "text": "Ik wil na mijn operatie zo snel mogelijk terug naar mijn eigen werk in de apotheek. "
                               "Tot die tijd graag tijdelijk aan de slag, het liefst zittend werk met klantcontact.",
                       "sectors": ["zorg", "retail"]},
            "employer_id": "e-story-1",
            "former_work": {"title": "Apothekersassistent", "hours_per_week": 32, "hourly_wage": 18.40},
        },
        {
            # Burn-out in the second sickness year: build up hours, no stimuli at first.
            "id": "c-story-2",
            "home": {"postcode": "3511"},
            "max_travel_km": 15,
            "capacity": {"VI.2": 3, "VI.3": 3, "VI.1": [1, 2], "I.8": [1, 3, 4], "III.6": 1, "I.1": 1,
                         "I.2": 1},
            "education": {"level": "hbo", "field": "bedrijfseconomie"},
            "experience": [
                {"title": "Financieel administratief medewerker", "years": 9,
                 "description": "De crediteuren- en debiteurenadministratie bijhouden; meewerken aan de "
                                "maandafsluiting en de jaarrekening op een druk accountantskantoor."},
                {"title": "Administratief medewerker", "years": 4,
                 "description": "Facturen inboeken en controleren; post en e-mail verwerken."},
            ],
            "skills": ["boekhouden", "Exact Online", "Excel", "nauwkeurigheid", "cijfermatig inzicht",
                       "AFAS"],
            "wishes": {"kinds": ["werkervaringsplek", "detachering"], "hours_per_week": 16,
                       "text": "Rustig opbouwen in uren, eerst een paar ochtenden per week op een rustige plek "
                               "zonder veel prikkels, onderbrekingen of deadlines. Later weer administratief "
                               "werk op een gewoon kantoor.",
                       "sectors": ["administratie", "overheid"]},
            "employer_id": "e-story-2",
            "former_work": {"title": "Financieel administratief medewerker", "hours_per_week": 36,
                            "hourly_wage": 22.60},
            "hours_outlook": {"hours_per_week": 24, "from": outlook_from.isoformat()},
        },
        {
            # Recovers well and is curious about other work; ends up choosing her old job again.
            "id": "c-story-3",
            "home": {"postcode": "8021"},
            "max_travel_km": 35,
            "capacity": {"VI.3": 2, "II.8": 1},
            "education": {"level": "hbo", "field": "pabo"},
            "experience": [
                {"title": "Leerkracht basisonderwijs", "years": 15,
                 "description": "Lesgeven aan groep 5 en 6; de voortgang van leerlingen volgen en bespreken; "
                                "oudergesprekken voeren."},
                {"title": "Onderwijsassistent", "years": 2,
                 "description": "Kleine groepen leerlingen begeleiden bij lezen en rekenen."},
            ],
            "skills": ["didactiek", "klassenmanagement", "oudercontact", "plannen", "creativiteit", "coachen",
                       "presenteren"],
            "wishes": {"kinds": ["vacature", "detachering", "werkervaringsplek"], "hours_per_week": 28,
                       "text": "Ik ben nieuwsgierig naar ander werk dat past bij mijn sterke kanten: uitleggen, "
                               "organiseren en mensen begeleiden. Terug naar het onderwijs sluit ik niet uit.",
                       "sectors": ["onderwijs", "overheid", "zorg"]},
            "employer_id": "e-story-3",
            "former_work": {"title": "Leerkracht basisonderwijs", "hours_per_week": 32, "hourly_wage": 28.40},
        },
        {
            # Pedagogical worker who cannot return to her own ward; internal places in the hospital.
            "id": "c-story-4",
            "home": {"postcode": "6511"},
            "max_travel_km": 25,
            "capacity": {"IV.13": 2, "IV.14": 2, "IV.10": 2, "IV.9": 1, "V.6": 1, "IV.20": 1,
                         "VI.1": [2]},
            "education": {"level": "mbo-4", "field": "pedagogisch werk"},
            "experience": [
                {"title": "Pedagogisch medewerker kinderafdeling", "years": 11,
                 "description": "Kinderen en ouders voorbereiden op een onderzoek of operatie; spel en afleiding "
                                "bieden aan opgenomen kinderen; overleggen met verpleegkundigen en artsen."},
                {"title": "Pedagogisch medewerker kinderopvang", "years": 5,
                 "description": "Kinderen verzorgen en begeleiden in de groep; ouders te woord staan."},
            ],
            "skills": ["pedagogiek", "spelbegeleiding", "gesprekstechnieken", "oudercontact", "observeren",
                       "samenwerken"],
            "wishes": {"kinds": ["werkervaringsplek", "detachering"], "hours_per_week": 28,
                       "text": "Graag een werkervaringsplek op een andere afdeling in het ziekenhuis, met kinderen "
                               "of ouders. Niet meer tillen en veel bukken.",
                       "sectors": ["zorg", "onderwijs"]},
            "employer_id": "e-story-4",
            "former_work": {"title": "Pedagogisch medewerker kinderafdeling", "hours_per_week": 28,
                            "hourly_wage": 22.10},
        },
        {
            # Hostess and site guide at a holiday park with knee problems: moves to the reception desk.
            "id": "c-story-5",
            "home": {"postcode": "3881"},
            "max_travel_km": 25,
            "capacity": {"IV.16": 2, "IV.17": 2, "IV.18": 3, "IV.19": 2, "IV.20": 3, "V.5": 1, "V.4": 2},
            "education": {"level": "mbo-3", "field": "toerisme en recreatie"},
            "experience": [
                {"title": "Gastvrouw vakantiepark", "years": 8,
                 "description": "Gasten welkom heten en rondleiden over het park; activiteiten en excursies "
                                "organiseren; controlerondes lopen over het terrein."},
                {"title": "Medewerker bediening", "years": 3,
                 "description": "Bestellingen opnemen en uitserveren; afrekenen aan tafel."},
            ],
            "skills": ["gastvrijheid", "klantcontact", "organiseren", "reserveringssysteem", "Duits", "Engels",
                       "kassa"],
            "wishes": {"kinds": ["vacature", "detachering"], "hours_per_week": 28,
                       "text": "Ik houd van organiseren en het contact met gasten. Niet meer over het terrein "
                               "lopen, knielen of traplopen; liefst aan de receptie.",
                       "sectors": ["recreatie", "horeca"]},
            "employer_id": "e-story-5",
            "former_work": {"title": "Gastvrouw vakantiepark", "hours_per_week": 32, "hourly_wage": 15.80},
        },
    ]


def story_placements() -> list[dict]:
    """The places the stories' own employers post: each story's spoor 1, as the domain
    notes tell it (adapted own work at the pharmacy, a build-up place at the busy
    office, the old class, other wards of the hospital, the reception desk of the
    same holiday park). Each is within the story's reach."""
    base = {"evening": False, "night": False, "positions": 1, "status": "open"}
    return [
        {
            # Her own work, adapted until the operation: a stool at the counter, stock kept downstairs.
            **base,
            "id": "p-story-1a", "employer_id": "e-story-1", "kind": "vacature",
            "title": "Apothekersassistent",
            "description": "Apotheek De Eem in Amersfoort zoekt een apothekersassistent voor de receptbalie. Je "
                           "controleert recepten, geeft medicijnen mee en adviseert patiënten over het gebruik. "
                           "Je staat een groot deel van de dag aan de balie en haalt aanvullingen uit de "
                           "voorraad op de eerste verdieping. 24 uur per week, dagen van 5 uur. Een diploma "
                           "apothekersassistent (mbo 4) is nodig.",
            "location": {"postcode": "3811"},
            "hours_per_week": 24, "hours_per_day": 5,
            "education_level": "mbo-4",
            "skills": ["medicijnkennis", "klantcontact", "nauwkeurigheid", "kassa"],
            "demands": {"V.4": 1, "V.3": 2, "IV.17": 3, "IV.18": 1, "V.2": 1, "II.12": [3]},
            "sector": "zorg",
            "hourly_wage": {"min": 17.60, "max": 19.40},
            "adjustments": {"V.4": 2, "IV.18": 3},
        },
        {
            # A seated stopgap in the same pharmacy until she can do her own work again.
            **base,
            "id": "p-story-1b", "employer_id": "e-story-1", "kind": "werkervaringsplek",
            "title": "Medewerker herhaalservice",
            "description": "In de backoffice van Apotheek De Eem verwerk je herhaalrecepten die via de telefoon "
                           "en de website binnenkomen, je belt patiënten terug met vragen en zet bestellingen "
                           "klaar voor de bezorger. Zittend werk aan een bureau. 16 uur per week, dagen van 4 "
                           "uur; starten met 8 uur kan.",
            "location": {"postcode": "3811"},
            "hours_per_week": 16, "hours_per_day": 4,
            "education_level": "mbo-3",
            "skills": ["medicijnkennis", "klantcontact", "telefoon", "MS Office"],
            "demands": {"V.2": 1, "IV.4": 1, "V.4": 3, "IV.17": 3, "II.12": [3], "I.8": [2]},
            "sector": "zorg",
            "start_hours_per_week": 8,
        },
        {
            # Story 2 builds up at a quiet time at the busy office: a room of her own, no deadlines.
            **base,
            "id": "p-story-2a", "employer_id": "e-story-2", "kind": "werkervaringsplek",
            "title": "Financieel administratief medewerker",
            "description": "Op ons accountantskantoor in Utrecht werk je mee in de debiteuren- en "
                           "crediteurenadministratie van vaste klanten: facturen controleren, bankmutaties "
                           "verwerken en herinneringen klaarzetten in Exact Online. 24 uur per week, dagen van 6 "
                           "uur; je kunt beginnen met 12 uur en rustig opbouwen.",
            "location": {"postcode": "3521"},
            "hours_per_week": 24, "hours_per_day": 6,
            "education_level": "mbo-4",
            "skills": ["boekhouden", "Exact Online", "Excel", "nauwkeurigheid"],
            "demands": {"V.2": 1, "IV.4": 1, "I.8": [2], "II.12": [3]},
            "sector": "administratie",
            "start_hours_per_week": 12,
            "adjustments": {"I.8": [1, 2, 3, 4], "hours_per_day": 4},
        },
        {
            # Her own class again, in a week within her limit: she chooses it with new energy.
            **base,
            "id": "p-story-3a", "employer_id": "e-story-3", "kind": "vacature",
            "title": "Leerkracht basisonderwijs",
            "description": "Basisschool De Vlonder in Zwolle zoekt een leerkracht voor groep 5/6. Je geeft les, "
                           "volgt de voortgang van je leerlingen en voert gesprekken met ouders; bij lastige "
                           "gesprekken sluit de intern begeleider aan. 28 uur per week, vier dagen.",
            "location": {"postcode": "8017"},
            "hours_per_week": 28, "hours_per_day": 7,
            "education_level": "hbo",
            "skills": ["didactiek", "klassenmanagement", "oudercontact", "plannen"],
            "demands": {"II.8": 1, "V.4": 1, "II.12": [3]},
            "sector": "onderwijs",
            "hourly_wage": {"min": 24.60, "max": 31.20},
        },
        {
            # Curious about other work: a look at the school board's office.
            **base,
            "id": "p-story-3b", "employer_id": "e-story-3", "kind": "werkervaringsplek",
            "title": "Medewerker onderwijsbureau",
            "description": "Op het bestuursbureau van Stichting Basisonderwijs IJsselland in Zwolle werk je mee "
                           "aan scholingsdagen voor leerkrachten, de instroom van nieuwe leerlingen en het "
                           "organiseren van bovenschoolse projecten. Veel overleg met scholen en ouders. 16 uur "
                           "per week.",
            "location": {"postcode": "8011"},
            "hours_per_week": 16, "hours_per_day": 8,
            "education_level": "hbo",
            "skills": ["organiseren", "plannen", "presenteren", "MS Office"],
            "demands": {"V.2": 1, "IV.4": 1, "II.12": [3]},
            "sector": "onderwijs",
        },
        {
            # Another ward of her own hospital: parents lift their child onto the table themselves.
            **base,
            "id": "p-story-4a", "employer_id": "e-story-4", "kind": "werkervaringsplek",
            "title": "Pedagogisch medewerker polikliniek kindergeneeskunde",
            "description": "Op de polikliniek kindergeneeskunde van Ziekenhuis Nijmegen-Zuid bereid je kinderen "
                           "en ouders voor op een onderzoek, bied je afleiding tijdens prikken en onderzoeken en "
                           "richt je de wachtkamer kindvriendelijk in. Jonge kinderen til je soms op de "
                           "onderzoekstafel. 24 uur per week, overdag.",
            "location": {"postcode": "6525"},
            "hours_per_week": 24, "hours_per_day": 8,
            "education_level": "mbo-4",
            "skills": ["pedagogiek", "spelbegeleiding", "gesprekstechnieken", "oudercontact"],
            "demands": {"IV.13": 1, "IV.14": 3, "IV.10": 3, "IV.20": 2, "V.6": 2, "II.12": [3]},
            "sector": "zorg",
            "adjustments": {"IV.13": 2},
        },
        {
            # The place she applies for and gets: paid work on the day-care ward.
            **base,
            "id": "p-story-4b", "employer_id": "e-story-4", "kind": "vacature",
            "title": "Pedagogisch medewerker dagbehandeling kinderen",
            "description": "Op de dagbehandeling kinderen van Ziekenhuis Nijmegen-Zuid begeleid je kinderen die "
                           "een dag voor een behandeling of kleine operatie komen: je bereidt ze met hun ouders "
                           "voor, biedt spel en afleiding en overlegt met verpleegkundigen en artsen. Alleen "
                           "dagdiensten. 28 uur per week.",
            "location": {"postcode": "6525"},
            "hours_per_week": 28, "hours_per_day": 7,
            "education_level": "mbo-4",
            "skills": ["pedagogiek", "spelbegeleiding", "observeren", "samenwerken", "oudercontact"],
            "demands": {"IV.13": 2, "IV.14": 3, "IV.10": 3, "IV.20": 2, "V.6": 2, "II.12": [3]},
            "sector": "zorg",
            "hourly_wage": {"min": 19.60, "max": 24.80},
        },
        {
            # The reception desk of her own holiday park, with a sit-stand desk.
            **base,
            "id": "p-story-5a", "employer_id": "e-story-5", "kind": "vacature",
            "title": "Receptiemedewerker vakantiepark",
            "description": "Aan de receptie van Vakantiepark De Veluwse Heide in Putten check je gasten in en "
                           "uit, verwerk je reserveringen, beantwoord je vragen in het Nederlands, Duits en "
                           "Engels en geef je tips voor uitjes in de omgeving. Je staat het grootste deel van de "
                           "dienst achter de balie. 28 uur per week, vier dagen.",
            "location": {"postcode": "3881"},
            "hours_per_week": 28, "hours_per_day": 7,
            "education_level": "mbo-3",
            "skills": ["gastvrijheid", "klantcontact", "reserveringssysteem", "Duits", "Engels"],
            "demands": {"V.4": 1, "V.3": 1, "IV.16": 3, "IV.17": 3, "IV.4": 1, "II.12": [3]},
            "sector": "recreatie",
            "hourly_wage": {"min": 15.20, "max": 17.40},
            "adjustments": {"V.4": 2},
        },
        {
            # Organising from the office of the same park: what she loves, but fewer hours and lower pay.
            **base,
            "id": "p-story-5b", "employer_id": "e-story-5", "kind": "vacature",
            "title": "Medewerker activiteitenplanning",
            "description": "Vanuit het kantoor van Vakantiepark De Veluwse Heide plan je de activiteiten en "
                           "excursies voor onze gasten: je boekt gidsen en bussen, maakt het weekprogramma en "
                           "beantwoordt vragen van gasten en groepen per telefoon en e-mail. 20 uur per week.",
            "location": {"postcode": "3881"},
            "hours_per_week": 20, "hours_per_day": 5,
            "education_level": "mbo-3",
            "skills": ["organiseren", "klantcontact", "reserveringssysteem", "Duits", "plannen"],
            "demands": {"V.2": 1, "IV.4": 1, "IV.16": 3, "IV.17": 3, "II.12": [3]},
            "sector": "recreatie",
            "hourly_wage": {"min": 15.40, "max": 16.60},
        },
    ]


def as_of(candidate: Candidate, today: date) -> Candidate:
    """``candidate``, dated from ``REFERENCE_DATE`` as the stories and the generator date
    them, with its build-up prognosis moved by as many days as ``today`` lies after
    that: a demo run on ``today`` keeps "24 uur per week vanaf" a few months ahead."""
    outlook = candidate.hours_outlook
    if outlook is None:
        return candidate
    moved = outlook.model_copy(update={"from_": outlook.from_ + (today - REFERENCE_DATE)})
    return candidate.model_copy(update={"hours_outlook": moved})
