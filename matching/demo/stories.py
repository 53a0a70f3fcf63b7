"""The five practice stories of the domain notes (spoor2.md) as named demo candidates."""

from __future__ import annotations


def story_candidates() -> list[dict]:
    """The five practice stories as named demo candidates "c-story-1" .. "c-story-5"."""
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
        },
    ]
