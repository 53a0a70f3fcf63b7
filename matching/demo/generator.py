"""Synthetic Dutch demo data: Kans Creator places and spoor-2 candidates (contract v1).

Everything is drawn from a seeded :class:`numpy.random.Generator`, so a seed always
gives the same records. Records are plain dicts built directly (never pydantic
objects) and streamed chunk by chunk, so a million places can be written to JSON
Lines without holding them in memory. The random draws of a chunk are made in bulk
with numpy; Python only maps them onto the vocabularies below.

The vocabularies (sectors, job titles, task phrases, skills, typical FML demands)
are hand-written for this module. Benchmark titles (MELO) must never be added here:
they are evaluation data only.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from matching.reference.geo import load_gazetteer, normalise_place
from matching.contract.io import write_jsonl
from matching.settings import get_settings

__all__ = [
    "SECTORS",
    "SECTOR_NAMES",
    "generate_candidates",
    "generate_demo",
    "generate_placements",
    "story_candidates",
]

# Fixed, so that a seed gives the same records whatever the caller's n.
CHUNK = 20_000
# Independent streams: the places of seed 3 must not share draws with its candidates.
_PLACEMENT_STREAM = 0x5B1A
_CANDIDATE_STREAM = 0xCA4D
# Uniforms available to one candidate's Python-side picks; more than any candidate
# uses (about 75 at most), so running out is a bug, not bad luck.
_UNIFORMS_PER_CANDIDATE = 96


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """A kind of work: title, Dutch task phrases, skills and its typical FML demands.

    ``demands`` maps an FML item to the options one place draws from, uniformly:
    a tuple of levels (``ORD``; ``None`` leaves the item out), a tuple of code tuples
    (``CAT``/``COND``; ``None`` leaves it out, i.e. unknown), or a float: the share
    of places where a ``BIN`` aspect is present.
    """

    title: str
    tasks: tuple[str, ...]
    skills: tuple[str, ...]
    education: tuple[str, ...]
    demands: Mapping[str, Any]
    hours: tuple[int, ...] = (24, 32, 36, 40)
    evening: float = 0.05
    night: float = 0.0
    alt_titles: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass(frozen=True)
class Sector:
    name: str
    weight: float
    # Physically heavy sectors: candidates with a musculoskeletal limit often want out.
    physical: bool
    fields: tuple[str, ...]
    # (possessive, noun, job titles or None for all): "ons" for het-words, "onze" for
    # de-words. A distributiecentrum posts orderpickers, not a kok.
    orgs: tuple[tuple[str, str, tuple[str, ...] | None], ...]
    jobs: tuple[Job, ...]


# Screen work: sitting most of the day, keyboard, a fixed head position; rarely any
# lifting. Deadlines are common, so I.8 code 4 is usually not met.
OFFICE: dict[str, Any] = {
    "V.1": (0, 1),
    "V.2": (0, 1),
    "IV.4": (0, 0, 1),
    "V.8": (1, 2, None),
    "IV.13": (3, None),
    "I.8": ((1, 2, 3), (2, 3), (2,), (1, 2, 3, 5), None),
    "II.12": ((1, 3), (3,), None),
}

ORDERPICK: dict[str, Any] = {
    "IV.13": (0,),
    "IV.14": (0, 1),
    "IV.12": (0,),
    "IV.9": (0,),
    "IV.10": (0, 1),
    "IV.16": (0,),
    "IV.17": (0,),
    "V.4": (0,),
    "V.3": (0, 1),
    "IV.8": (0, 1),
    "V.7": (1, None),
    "III.6": 0.3,
    "I.8": ((1, 2), (2,), None),
    "II.12": ((1, 2), (1, 2, 3)),
}

INSTALL: dict[str, Any] = {
    "IV.13": (0,),
    "IV.14": (0,),
    "IV.9": (0,),
    "IV.20": (0,),
    "V.5": (0,),
    "V.6": (0,),
    "V.7": (0, 1),
    "IV.19": (0, 1),
    "IV.18": (0,),
    "IV.3": ((1, 4, 5, 6), (4, 6), None),
    "IV.6": 0.8,
    "III.4": 0.6,
    "III.5": 0.4,
    "II.11": 0.5,
    "I.8": ((1,), (2,), None),
    "II.12": ((3,), None),
}

_ADMIN_OFFICE = ("Administratief medewerker", "Financieel administratief medewerker",
                 "Medewerker salarisadministratie", "Receptiemedewerker")
_RESTAURANT = ("Medewerker bediening", "Kok", "Medewerker spoelkeuken", "Barmedewerker")

SECTORS: tuple[Sector, ...] = (
    Sector(
        name="zorg", weight=0.16, physical=True,
        fields=("zorg en welzijn", "verpleegkunde", "maatschappelijke zorg"),
        orgs=(("ons", "verpleeghuis", ("Zorgassistent", "Verzorgende IG", "Activiteitenbegeleider",
                                       "Medewerker patiëntenservice")),
              ("onze", "thuiszorgorganisatie", ("Zorgassistent", "Verzorgende IG")),
              ("ons", "ziekenhuis", ("Zorgassistent", "Medisch secretaresse", "Medewerker patiëntenservice",
                                     "Pedagogisch medewerker kinderafdeling")),
              ("ons", "revalidatiecentrum", ("Zorgassistent", "Verzorgende IG", "Activiteitenbegeleider",
                                             "Medisch secretaresse", "Medewerker patiëntenservice")),
              ("onze", "woonzorglocatie", ("Zorgassistent", "Verzorgende IG", "Activiteitenbegeleider"))),
        jobs=(
            Job("Zorgassistent",
                ("cliënten helpen bij wassen en aankleden", "maaltijden en drinken klaarzetten",
                 "bedden opmaken en kamers op orde houden", "cliënten gezelschap houden en een praatje maken",
                 "bijzonderheden doorgeven aan de verzorgenden"),
                ("persoonlijke verzorging", "hygiëne", "geduld", "samenwerken", "signaleren", "huishoudelijk werk"),
                ("mbo-1", "mbo-2", "mbo-2"),
                {"IV.13": (1, 2), "IV.14": (1, 2), "IV.12": (0, 1), "IV.9": (0, 1), "IV.10": (1, 2),
                 "IV.17": (1,), "V.4": (1, 2), "V.6": (1,), "IV.20": (1, 2), "III.8": ((2,), None, None),
                 "III.3": 0.5, "II.12": ((3,), (3, 5)), "I.8": ((6,), (2, 6), None)},
                hours=(16, 20, 24, 28, 32), evening=0.45, night=0.1,
                alt_titles=("Helpende zorg en welzijn",), weight=1.5),
            Job("Verzorgende IG",
                ("lichamelijke zorg verlenen volgens het zorgplan", "medicatie aanreiken en controleren",
                 "wonden verzorgen en andere voorbehouden handelingen uitvoeren",
                 "rapporteren in het elektronisch cliëntdossier", "contact onderhouden met familie en de huisarts"),
                ("persoonlijke verzorging", "medicatie", "rapporteren", "voorbehouden handelingen", "empathie",
                 "ECD"),
                ("mbo-3",),
                {"IV.13": (0, 1), "IV.14": (1,), "IV.12": (0,), "IV.10": (1,), "IV.9": (0,), "IV.17": (0, 1),
                 "V.4": (1,), "V.6": (0, 1), "IV.20": (1,), "III.8": ((2,),), "III.3": 0.6,
                 "II.12": ((3,), (3, 5)), "I.8": ((6,), None)},
                hours=(20, 24, 28, 32, 36), evening=0.6, night=0.25, weight=1.5),
            Job("Activiteitenbegeleider",
                ("dagactiviteiten bedenken en begeleiden", "bewoners ophalen en terugbrengen naar hun afdeling",
                 "wandelingen en uitjes organiseren", "creatieve en muzikale activiteiten voorbereiden",
                 "contact houden met familie en vrijwilligers"),
                ("activiteiten organiseren", "creativiteit", "groepsbegeleiding", "communicatie", "geduld"),
                ("mbo-3", "mbo-4"),
                {"IV.13": (2,), "IV.16": (1, 2), "IV.17": (1,), "V.4": (1, 2), "IV.20": (1, 2),
                 "II.12": ((3,), (3, 5)), "I.8": ((6,), (4, 6), None), "III.6": 0.3},
                hours=(16, 20, 24, 28, 32), evening=0.15),
            Job("Medisch secretaresse",
                ("afspraken plannen voor het spreekuur", "patiënten ontvangen aan de balie",
                 "brieven en verslagen uitwerken", "de telefoon aannemen en doorverbinden",
                 "dossiers bijwerken in het patiëntsysteem"),
                ("medische terminologie", "plannen", "klantcontact", "telefoon", "typevaardigheid", "HiX"),
                ("mbo-4",),
                {**OFFICE, "II.12": ((3,), None), "I.8": ((2,), (2, 6), None), "II.8": (0,)},
                hours=(20, 24, 28, 32, 36), alt_titles=("Poliassistent",)),
            Job("Medewerker patiëntenservice",
                ("maaltijden rondbrengen op de afdeling", "bestellingen van patiënten opnemen",
                 "de pantry schoon en op orde houden", "koffie en thee schenken", "voorraden aanvullen"),
                ("gastvrijheid", "hygiëne", "HACCP", "klantvriendelijkheid", "samenwerken"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.12": (1,), "IV.13": (2,), "IV.16": (1,), "IV.17": (1,), "V.4": (1,),
                 "III.8": ((2,), None), "II.12": ((3,),), "I.8": ((2, 6), (6,))},
                hours=(12, 16, 20, 24, 28), evening=0.35, alt_titles=("Voedingsassistent",)),
            Job("Pedagogisch medewerker kinderafdeling",
                ("kinderen en ouders voorbereiden op een onderzoek of operatie",
                 "spel en afleiding bieden aan opgenomen kinderen", "de speelkamer inrichten en bijhouden",
                 "overleggen met verpleegkundigen en artsen"),
                ("pedagogiek", "spelbegeleiding", "gesprekstechnieken", "oudercontact", "observeren"),
                ("mbo-4", "hbo"),
                {"IV.13": (1, 2), "IV.20": (1, 2), "V.5": (0, 1), "IV.17": (1, 2), "V.4": (1, 2),
                 "III.8": ((2,),), "II.12": ((3,),), "I.8": ((6,), (2, 6), None)},
                hours=(20, 24, 28, 32), evening=0.1, weight=0.4),
        ),
    ),
    Sector(
        name="logistiek", weight=0.11, physical=True,
        fields=("logistiek", "transport en logistiek"),
        orgs=(("ons", "distributiecentrum", None),
              ("ons", "transportbedrijf", ("Pakketbezorger", "Logistiek planner", "Heftruckchauffeur",
                                           "Magazijnmedewerker")),
              ("onze", "groothandel", ("Orderpicker", "Orderpicker koel- en vriesvers", "Magazijnmedewerker",
                                       "Heftruckchauffeur", "Logistiek planner")),
              ("ons", "webwinkelmagazijn", ("Orderpicker", "Magazijnmedewerker", "Heftruckchauffeur",
                                            "Pakketbezorger"))),
        jobs=(
            Job("Orderpicker",
                ("orders verzamelen met een handscanner", "rolcontainers en pallets klaarzetten voor transport",
                 "artikelen controleren op beschadiging", "de voorraad aanvullen op de locaties",
                 "emballage sorteren en afvoeren"),
                ("orderpicken", "handscanner", "nauwkeurigheid", "doorzetten", "samenwerken",
                 "elektrische pompwagen"),
                ("vmbo", "mbo-1", "mbo-2"),
                ORDERPICK, hours=(24, 32, 36, 38, 40), evening=0.35, night=0.15,
                alt_titles=("Magazijnmedewerker orderpicking",), weight=2.0),
            Job("Orderpicker koel- en vriesvers",
                ("orders verzamelen in de koel- en vriescel", "rolcontainers en pallets klaarzetten voor transport",
                 "temperaturen controleren en registreren", "de voorraad aanvullen op de locaties"),
                ("orderpicken", "handscanner", "nauwkeurigheid", "doorzetten", "HACCP"),
                ("vmbo", "mbo-1", "mbo-2"),
                {**ORDERPICK, "III.1": ((2,),), "III.2": 0.8},
                hours=(32, 36, 38, 40), evening=0.4, night=0.3, weight=0.6),
            Job("Heftruckchauffeur",
                ("vrachtwagens laden en lossen met de heftruck", "pallets in- en uitslaan in de stellingen",
                 "goederen controleren aan de hand van de vrachtbrief", "de heftruck dagelijks controleren",
                 "de ontvangst registreren in het WMS"),
                ("heftruckcertificaat", "reachtruck", "WMS", "veilig werken", "nauwkeurigheid"),
                ("vmbo", "mbo-2"),
                {"V.1": (0, 1), "V.2": (1,), "IV.15": (0,), "V.8": (1,), "III.7": 1.0, "III.6": 0.5,
                 "III.2": 0.5, "IV.13": (1, 2), "IV.18": (1, None), "I.2": (0,), "I.8": ((2,), (1, 2), None),
                 "II.12": ((1, 2),)},
                hours=(32, 36, 38, 40), evening=0.4, night=0.2, alt_titles=("Reachtruckchauffeur",)),
            Job("Magazijnmedewerker",
                ("goederen ontvangen en controleren", "pallets ompakken en labelen",
                 "de voorraad tellen en bijhouden", "retouren verwerken", "het magazijn netjes en veilig houden"),
                ("voorraadbeheer", "heftruckcertificaat", "WMS", "handscanner", "samenwerken"),
                ("vmbo", "mbo-2", "mbo-3"),
                {**ORDERPICK, "IV.13": (0, 1), "IV.16": (1,), "IV.17": (0, 1), "V.4": (0, 1)},
                hours=(24, 32, 36, 38, 40), evening=0.25, night=0.05, weight=1.5),
            Job("Pakketbezorger",
                ("pakketten bezorgen op een vaste route", "de bestelbus laden in de juiste volgorde",
                 "handtekeningen en foto's vastleggen in de app", "retourpakketten ophalen bij klanten"),
                ("rijbewijs B", "routeplanning", "klantvriendelijkheid", "zelfstandig werken",
                 "stressbestendigheid"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"II.11": 1.0, "I.2": (0,), "IV.13": (0, 1), "IV.14": (0, 1), "IV.18": (0,), "IV.16": (0, 1),
                 "IV.17": (1,), "V.1": (1,), "III.1": ((1, 2), (2,), None), "III.2": 0.5,
                 "I.8": ((1,), (1, 3), None), "II.12": ((2,),)},
                hours=(24, 32, 36, 40), evening=0.35, alt_titles=("Chauffeur bestelbus",)),
            Job("Logistiek planner",
                ("ritten en transporten plannen", "contact houden met chauffeurs en klanten",
                 "afwijkingen oplossen als een levering vertraging heeft", "planningen bijwerken in het TMS"),
                ("planning", "TMS", "Excel", "communicatie", "stressbestendigheid", "Engels"),
                ("mbo-4", "hbo"),
                {**OFFICE, "I.8": ((1,), None), "III.6": 0.2},
                hours=(32, 36, 38, 40), evening=0.15, alt_titles=("Transportplanner",), weight=0.6),
        ),
    ),
    Sector(
        name="administratie", weight=0.10, physical=False,
        fields=("economie en administratie", "bedrijfsadministratie", "secretariële beroepen"),
        orgs=(("ons", "administratiekantoor", _ADMIN_OFFICE), ("ons", "accountantskantoor", _ADMIN_OFFICE),
              ("onze", "verzekeraar", None), ("onze", "woningcorporatie", None), ("ons", "hoofdkantoor", None),
              ("ons", "advocatenkantoor", ("Administratief medewerker", "Financieel administratief medewerker",
                                           "Receptiemedewerker"))),
        jobs=(
            Job("Administratief medewerker",
                ("facturen inboeken en controleren", "post en e-mail verwerken",
                 "gegevens invoeren in het administratiesysteem", "dossiers archiveren",
                 "vragen van collega's en klanten beantwoorden"),
                ("MS Office", "Excel", "nauwkeurigheid", "typevaardigheid", "archiveren", "Exact Online"),
                ("mbo-2", "mbo-3", "mbo-4"),
                OFFICE, hours=(16, 20, 24, 32, 36), weight=2.0),
            Job("Financieel administratief medewerker",
                ("de crediteuren- en debiteurenadministratie bijhouden", "bankmutaties verwerken",
                 "herinneringen versturen", "meewerken aan de maandafsluiting", "btw-aangiftes voorbereiden"),
                ("boekhouden", "Exact Online", "AFAS", "Excel", "nauwkeurigheid", "cijfermatig inzicht"),
                ("mbo-4", "hbo"),
                {**OFFICE, "I.8": ((1, 2, 3), (2,), (1, 2), None)},
                hours=(20, 24, 32, 36, 40), alt_titles=("Boekhoudkundig medewerker",)),
            Job("Medewerker salarisadministratie",
                ("de maandelijkse salarisverwerking verzorgen", "mutaties in dienstverbanden verwerken",
                 "vragen van medewerkers over hun loonstrook beantwoorden", "loonaangiftes voorbereiden"),
                ("salarisadministratie", "AFAS", "Loket", "discretie", "nauwkeurigheid", "Excel"),
                ("mbo-4", "hbo"),
                {**OFFICE, "I.8": ((1, 2, 3), (2,), None)},
                hours=(20, 24, 32, 36), alt_titles=("Salarisadministrateur",), weight=0.6),
            Job("Receptiemedewerker",
                ("bezoekers ontvangen en aanmelden", "de telefoon aannemen en doorverbinden",
                 "vergaderruimtes reserveren en klaarzetten", "post sorteren en verdelen",
                 "toegangspassen uitgeven"),
                ("klantcontact", "telefoon", "gastvrijheid", "MS Office", "Engels", "representativiteit"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {"V.2": (1, 2), "V.4": (2, None), "IV.4": (1,), "IV.16": (2, 3), "II.8": (0,),
                 "II.12": ((3,), (3, 5)), "I.8": ((1, 2), (1, 2, 4), (2, 4, 5), (2,)), "III.6": 0.1},
                hours=(16, 20, 24, 32, 36), alt_titles=("Receptionist", "Telefoniste/receptioniste")),
            Job("Medewerker klantenservice",
                ("klanten te woord staan via telefoon, chat en e-mail", "klachten registreren en opvolgen",
                 "bestellingen en wijzigingen verwerken in het CRM-systeem", "terugbelverzoeken afhandelen"),
                ("klantcontact", "telefoon", "CRM", "typevaardigheid", "klachtenafhandeling",
                 "stressbestendigheid"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {**OFFICE, "II.8": (1,), "III.6": 0.7, "I.8": ((2,), (2, 5), None), "II.3": 1.0, "II.2": 1.0},
                hours=(20, 24, 32, 36, 40), evening=0.3, alt_titles=("Klantenservicemedewerker",),
                weight=1.5),
        ),
    ),
    Sector(
        name="ICT", weight=0.07, physical=False,
        fields=("ICT", "informatica", "applicatieontwikkeling"),
        orgs=(("ons", "softwarebedrijf", None), ("onze", "ICT-dienstverlener", None),
              ("ons", "datacenter", ("Systeembeheerder", "Servicedesk medewerker", "Werkplekondersteuner")),
              ("onze", "ICT-afdeling", None)),
        jobs=(
            Job("Servicedesk medewerker",
                ("meldingen van gebruikers aannemen en registreren", "storingen op afstand oplossen",
                 "accounts en wachtwoorden beheren", "lastige vragen doorzetten naar de tweede lijn",
                 "kennisartikelen schrijven"),
                ("ITIL", "TOPdesk", "Microsoft 365", "klantgerichtheid", "probleemoplossend vermogen",
                 "Active Directory"),
                ("mbo-4", "hbo"),
                {**OFFICE, "II.8": (1,), "I.8": ((2,), (1, 2), None), "II.3": 0.9},
                hours=(24, 32, 36, 40), evening=0.1, alt_titles=("Servicedeskmedewerker",), weight=1.5),
            Job("Applicatiebeheerder",
                ("applicaties inrichten en configureren", "wijzigingen testen en uitrollen",
                 "gebruikers ondersteunen en instrueren", "functionele ontwerpen opstellen",
                 "overleggen met leveranciers"),
                ("applicatiebeheer", "SQL", "testen", "ITIL", "documenteren", "BiSL"),
                ("mbo-4", "hbo"),
                {**OFFICE, "I.8": ((1, 2, 3), (2, 3), (2,), None)},
                hours=(24, 32, 36, 40), alt_titles=("Functioneel applicatiebeheerder",)),
            Job("Junior softwareontwikkelaar",
                ("nieuwe functies bouwen in Python of C#", "code reviewen met collega's",
                 "automatische tests schrijven", "bugs analyseren en oplossen",
                 "meedoen in sprints met het scrumteam"),
                ("Python", "C#", "Git", "SQL", "scrum", "analytisch denken"),
                ("mbo-4", "hbo", "wo"),
                {**OFFICE, "I.8": ((1, 2, 3), (1, 3, 5), (2, 3), None)},
                hours=(32, 36, 40), alt_titles=("Junior developer", "Softwareontwikkelaar")),
            Job("Systeembeheerder",
                ("servers en netwerken beheren en monitoren", "back-ups controleren",
                 "beveiligingsupdates installeren", "storingen oplossen, ook in de serverruimte",
                 "de ICT-documentatie bijhouden"),
                ("Windows Server", "Linux", "netwerkbeheer", "Azure", "security", "PowerShell"),
                ("mbo-4", "hbo"),
                {**OFFICE, "IV.13": (1, 2), "III.6": 0.2, "I.8": ((2,), (1, 2), None)},
                hours=(32, 36, 40), evening=0.15, night=0.05),
            Job("Data-analist",
                ("data verzamelen en opschonen", "dashboards bouwen in Power BI",
                 "analyses uitvoeren en toelichten aan het management", "datakwaliteit bewaken"),
                ("SQL", "Power BI", "Python", "Excel", "statistiek", "rapporteren"),
                ("hbo", "wo"),
                {**OFFICE, "I.8": ((1, 2, 3, 4), (1, 2, 3), (1, 3), None)},
                hours=(24, 32, 36, 40), weight=0.7),
            Job("Werkplekondersteuner",
                ("laptops en werkplekken installeren", "hardware vervangen bij gebruikers op locatie",
                 "printers en beeldschermen aansluiten", "vragen aan de ICT-balie beantwoorden"),
                ("hardware", "Windows", "Microsoft 365", "klantgerichtheid", "zelfstandig werken"),
                ("mbo-3", "mbo-4"),
                {"IV.13": (1,), "IV.14": (1,), "IV.16": (1,), "IV.17": (1, 2), "IV.18": (1,), "IV.20": (1,),
                 "V.5": (0, 1), "IV.9": (0, 1), "V.2": (2,), "IV.4": (1,), "II.12": ((3,), None),
                 "I.8": ((2,), None)},
                hours=(24, 32, 36, 40), alt_titles=("Medewerker ICT-support",)),
        ),
    ),
    Sector(
        name="horeca", weight=0.09, physical=True,
        fields=("horeca", "gastvrijheid", "koken en voeding"),
        orgs=(("ons", "restaurant", _RESTAURANT), ("ons", "hotel", None), ("ons", "grand café", _RESTAURANT),
              ("onze", "lunchroom", ("Medewerker bediening", "Kok", "Medewerker spoelkeuken")),
              ("ons", "congrescentrum", None),
              ("ons", "bedrijfsrestaurant", ("Medewerker bedrijfsrestaurant", "Kok", "Medewerker spoelkeuken"))),
        jobs=(
            Job("Medewerker bediening",
                ("gasten ontvangen en naar hun tafel brengen", "bestellingen opnemen en uitserveren",
                 "tafels afruimen en opnieuw dekken", "afrekenen aan tafel", "de bar aanvullen"),
                ("gastvrijheid", "klantvriendelijkheid", "kassa", "samenwerken", "Engels", "wijnkennis"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.13": (1,), "IV.14": (1,), "IV.16": (0,), "IV.17": (0,), "V.4": (0,), "V.3": (0, 1),
                 "IV.18": (0, 1, None), "IV.8": (1,), "III.6": 0.6, "I.8": ((6,), None), "II.12": ((3,),),
                 "II.8": (0,)},
                hours=(12, 16, 20, 24, 32, 38), evening=0.75, alt_titles=("Serveerster", "Bedieningsmedewerker"),
                weight=1.5),
            Job("Kok",
                ("gerechten bereiden volgens de kaart", "de mise-en-place verzorgen",
                 "ingrediënten bestellen en controleren", "werken volgens HACCP",
                 "de keuken schoonmaken na de dienst"),
                ("koken", "HACCP", "mise-en-place", "creativiteit", "stressbestendigheid", "samenwerken"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {"IV.13": (0, 1), "IV.14": (1,), "V.4": (0,), "V.3": (0,), "IV.8": (0, 1), "IV.9": (0, 1),
                 "III.1": ((1,),), "III.5": 0.6, "III.6": 0.5, "III.3": 0.5, "IV.3": ((7, 8), (8,), None),
                 "I.8": (None, (1,)), "II.12": ((1, 3),)},
                hours=(24, 32, 36, 38, 40), evening=0.8, alt_titles=("Zelfstandig werkend kok", "Leerling-kok")),
            Job("Medewerker spoelkeuken",
                ("vaat en pannen afwassen", "de vaatwasmachine bedienen", "groente snijden en voorbereiden",
                 "de keukenvloer en werkbanken schoonmaken", "afval scheiden en afvoeren"),
                ("hygiëne", "HACCP", "doorzetten", "samenwerken", "tempo"),
                ("basisonderwijs", "vmbo", "mbo-1"),
                {"IV.13": (1,), "IV.14": (1,), "V.4": (0,), "IV.10": (1,), "III.3": 0.9, "III.1": ((1,), None),
                 "III.6": 0.6, "I.8": ((1, 2), (2,), None), "II.12": ((1, 2, 3), (1, 3))},
                hours=(12, 16, 20, 24, 32), evening=0.7, alt_titles=("Keukenhulp", "Afwasser")),
            Job("Barmedewerker",
                ("drankjes bereiden en serveren", "koffie zetten met de espressomachine",
                 "de bar schoon en aangevuld houden", "fusten wisselen in de kelder", "afrekenen met gasten"),
                ("barista", "gastvrijheid", "kassa", "Engels", "klantvriendelijkheid"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.13": (0, 1), "IV.18": (1, None), "V.4": (0,), "IV.8": (0, 1), "III.6": 0.8,
                 "II.8": (0,), "I.8": (None, (6,)), "II.12": ((3,),)},
                hours=(12, 16, 20, 24, 32), evening=0.9, night=0.3, weight=0.7),
            Job("Medewerker bedrijfsrestaurant",
                ("broodjes en salades bereiden", "de lunchbuffetten aanvullen", "afrekenen aan de kassa",
                 "het restaurant schoonhouden"),
                ("gastvrijheid", "kassa", "HACCP", "klantvriendelijkheid", "samenwerken"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.13": (1, 2), "V.4": (0, 1), "IV.16": (1,), "IV.17": (1,), "III.6": 0.3,
                 "I.8": ((2,), (2, 6), None), "II.12": ((3,),)},
                hours=(16, 20, 24, 28), evening=0.05, alt_titles=("Medewerker catering",)),
        ),
    ),
    Sector(
        name="schoonmaak", weight=0.07, physical=True,
        fields=("schoonmaak", "facilitaire dienstverlening"),
        orgs=(("ons", "schoonmaakbedrijf", ("Schoonmaakmedewerker", "Glazenwasser", "Teamleider schoonmaak")),
              ("onze", "facilitaire dienst", ("Schoonmaakmedewerker", "Teamleider schoonmaak")),
              ("ons", "glazenwassersbedrijf", ("Glazenwasser",)),
              ("onze", "thuishulporganisatie", ("Huishoudelijk medewerker",))),
        jobs=(
            Job("Schoonmaakmedewerker",
                ("kantoren en sanitair schoonmaken", "vloeren stofzuigen en dweilen",
                 "prullenbakken legen en afval scheiden", "pantry's en keukens reinigen",
                 "schoonmaakmiddelen aanvullen"),
                ("schoonmaaktechnieken", "hygiëne", "zelfstandig werken", "nauwkeurigheid", "VSR-diploma"),
                ("basisonderwijs", "vmbo", "mbo-1"),
                {"IV.9": (0,), "IV.10": (0, 1), "IV.12": (0, 1), "IV.13": (1, 2), "IV.14": (1,),
                 "IV.16": (0, 1), "IV.17": (0,), "IV.18": (0, 1), "IV.20": (1,), "V.4": (0,), "V.6": (0, 1),
                 "V.7": (1,), "IV.8": (0, 1), "III.3": 0.7, "III.5": 0.3,
                 "I.8": ((1, 2), (1, 2, 3), (1, 2, 3, 4)), "II.12": ((1, 2), (1, 2, 4))},
                hours=(8, 12, 16, 20, 24, 32), evening=0.5, alt_titles=("Medewerker schoonmaak", "Schoonmaker"),
                weight=2.5),
            Job("Glazenwasser",
                ("ramen en kozijnen reinigen", "werken met een hoogwerker of ladder",
                 "gevels en zonneschermen schoonmaken", "afspraken met klanten inplannen"),
                ("glasbewassing", "hoogwerker", "VCA", "zelfstandig werken", "rijbewijs B"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.19": (0,), "V.7": (0,), "IV.7": (0,), "IV.8": (0,), "IV.13": (1,), "IV.16": (0,),
                 "IV.18": (0,), "III.1": ((2,), (1, 2)), "III.2": 0.9, "III.4": 0.7, "III.3": 0.5,
                 "I.8": ((1, 2), (2,)), "II.12": ((2,), (2, 3))},
                hours=(24, 32, 38, 40), weight=0.5),
            Job("Huishoudelijk medewerker",
                ("huishoudelijk werk doen bij cliënten thuis", "stofzuigen, dweilen en sanitair reinigen",
                 "bedden verschonen en de was doen", "signaleren hoe het met de cliënt gaat"),
                ("huishoudelijk werk", "hygiëne", "zelfstandig werken", "signaleren", "geduld"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.9": (0,), "IV.10": (1,), "IV.13": (1,), "IV.18": (0, 1), "IV.20": (1,), "IV.16": (1,),
                 "V.6": (1,), "V.7": (1,), "III.3": 0.6, "III.5": 0.3, "II.12": ((4,), (4, 5)),
                 "I.8": ((1, 2, 3), (1, 2, 3, 4))},
                hours=(8, 12, 16, 20, 24), alt_titles=("Thuishulp",)),
            Job("Teamleider schoonmaak",
                ("een team schoonmakers aansturen en inwerken", "de kwaliteit controleren met VSR-metingen",
                 "roosters maken", "contact onderhouden met de opdrachtgever", "zelf meewerken bij drukte"),
                ("leidinggeven", "VSR-diploma", "planning", "klantcontact", "kwaliteitscontrole"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {"IV.16": (1,), "IV.17": (1,), "IV.13": (2,), "IV.10": (1, 2), "V.4": (1,),
                 "II.12": ((3,),), "I.8": ((2,), None)},
                hours=(24, 32, 36, 38), evening=0.3, alt_titles=("Objectleider schoonmaak",), weight=0.5),
        ),
    ),
    Sector(
        name="onderwijs", weight=0.09, physical=False,
        fields=("onderwijs", "pedagogiek", "onderwijsondersteuning"),
        orgs=(("onze", "basisschool", ("Onderwijsassistent", "Leerkracht basisonderwijs", "Conciërge")),
              ("onze", "middelbare school", ("Docent Nederlands", "Onderwijsassistent", "Conciërge",
                                             "Medewerker leerlingenadministratie")),
              ("ons", "mbo-college", ("Docent Nederlands", "Onderwijsassistent", "Conciërge",
                                      "Medewerker leerlingenadministratie")),
              ("onze", "kinderopvangorganisatie", ("Pedagogisch medewerker kinderopvang",)),
              ("ons", "kindcentrum", ("Pedagogisch medewerker kinderopvang", "Leerkracht basisonderwijs",
                                      "Onderwijsassistent", "Conciërge"))),
        jobs=(
            Job("Onderwijsassistent",
                ("kleine groepen leerlingen begeleiden bij lezen en rekenen", "de leerkracht ondersteunen in de klas",
                 "lesmateriaal klaarzetten", "toezicht houden op het schoolplein", "observaties vastleggen"),
                ("begeleiden", "didactiek", "geduld", "samenwerken", "observeren"),
                ("mbo-4",),
                {"III.6": 0.8, "IV.20": (1,), "V.5": (1,), "IV.16": (1,), "V.4": (1,), "II.12": ((3,),),
                 "I.8": ((6,), (2, 6), None), "IV.18": (1, None)},
                hours=(16, 20, 24, 28, 32), alt_titles=("Klassenassistent",)),
            Job("Pedagogisch medewerker kinderopvang",
                ("kinderen verzorgen en begeleiden in de groep", "activiteiten voorbereiden en uitvoeren",
                 "luiers verschonen en kinderen naar bed brengen", "ouders te woord staan bij het halen en brengen",
                 "de ontwikkeling van kinderen observeren"),
                ("pedagogiek", "kinderopvang", "oudercontact", "creativiteit", "EHBO voor kinderen", "observeren"),
                ("mbo-3", "mbo-4"),
                {"IV.13": (0, 1), "IV.14": (0, 1), "IV.9": (0,), "IV.10": (1,), "IV.20": (0, 1), "V.5": (0,),
                 "V.6": (1,), "IV.17": (1,), "V.4": (1,), "III.6": 0.9, "III.8": ((2,), None),
                 "I.8": ((6,), None), "II.12": ((3,),)},
                hours=(16, 20, 24, 28, 32, 36), evening=0.05, alt_titles=("Pedagogisch medewerker",),
                weight=1.5),
            Job("Docent Nederlands",
                ("lessen Nederlands voorbereiden en geven", "toetsen maken en nakijken",
                 "leerlingen coachen als mentor", "oudergesprekken voeren", "meedenken over het lesprogramma"),
                ("didactiek", "Nederlands", "klassenmanagement", "coachen", "presenteren", "lesbevoegdheid"),
                ("hbo", "wo"),
                {"III.6": 0.6, "V.4": (1,), "IV.16": (1,), "IV.18": (1, None), "II.8": (0,),
                 "II.12": ((3,),), "I.8": ((2,), None), "II.3": 1.0},
                hours=(16, 20, 24, 32, 36), evening=0.1, alt_titles=("Leraar Nederlands",)),
            Job("Leerkracht basisonderwijs",
                ("lesgeven aan een vaste groep", "de voortgang van leerlingen volgen en bespreken",
                 "oudergesprekken voeren", "samenwerken met de intern begeleider"),
                ("didactiek", "klassenmanagement", "oudercontact", "plannen", "creativiteit", "pabo-diploma"),
                ("hbo",),
                {"III.6": 0.8, "IV.20": (1,), "V.4": (1,), "IV.16": (1,), "II.8": (0,), "I.8": ((6,), None),
                 "II.12": ((3,),)},
                hours=(20, 24, 32, 36, 40), evening=0.05, alt_titles=("Groepsleerkracht",)),
            Job("Conciërge",
                ("het gebouw openen en afsluiten", "kleine reparaties uitvoeren",
                 "lokalen inrichten voor toetsen en evenementen", "post en pakketten verwerken",
                 "toezicht houden in de pauzes"),
                ("klussen", "technisch inzicht", "zelfstandig werken", "gastvrijheid", "BHV"),
                ("vmbo", "mbo-2", "mbo-3"),
                {"IV.13": (0, 1), "IV.14": (1,), "IV.16": (0, 1), "IV.17": (0, 1), "IV.18": (0,), "IV.19": (1,),
                 "IV.20": (1,), "V.7": (1,), "II.12": ((3,), None), "I.8": ((2,), None)},
                hours=(24, 32, 36, 38), evening=0.15, alt_titles=("Facilitair medewerker school",),
                weight=0.6),
            Job("Medewerker leerlingenadministratie",
                ("leerlingen inschrijven en uitschrijven", "verzuim registreren en doorgeven",
                 "rapporten en cijferlijsten klaarzetten", "vragen van ouders en leerlingen beantwoorden"),
                ("Magister", "Somtoday", "MS Office", "nauwkeurigheid", "klantcontact"),
                ("mbo-3", "mbo-4"),
                {**OFFICE, "I.8": ((2,), (2, 3), None)},
                hours=(16, 20, 24, 32), weight=0.6),
        ),
    ),
    Sector(
        name="techniek", weight=0.10, physical=True,
        fields=("techniek", "elektrotechniek", "werktuigbouwkunde", "installatietechniek"),
        orgs=(("ons", "installatiebedrijf", ("Monteur installatietechniek", "Elektromonteur",
                                             "Tekenaar-constructeur")),
              ("onze", "metaalfabriek", ("Productiemedewerker", "Lasser", "Onderhoudsmonteur",
                                         "Tekenaar-constructeur")),
              ("ons", "productiebedrijf", ("Productiemedewerker", "Onderhoudsmonteur", "Tekenaar-constructeur")),
              ("ons", "ingenieursbureau", ("Tekenaar-constructeur",)),
              ("onze", "voedingsmiddelenfabriek", ("Productiemedewerker", "Onderhoudsmonteur")),
              ("ons", "onderhoudsbedrijf", ("Onderhoudsmonteur", "Elektromonteur", "Monteur installatietechniek"))),
        jobs=(
            Job("Monteur installatietechniek",
                ("cv-ketels en warmtepompen installeren", "leidingwerk aanleggen in nieuwbouwwoningen",
                 "storingen opsporen en verhelpen", "onderhoud uitvoeren bij klanten thuis",
                 "werkbonnen invullen op de tablet"),
                ("installatietechniek", "VCA", "storingsanalyse", "rijbewijs B", "warmtepompen",
                 "klantvriendelijkheid"),
                ("mbo-2", "mbo-3", "mbo-4"),
                INSTALL, hours=(32, 36, 38, 40), evening=0.1,
                alt_titles=("Servicemonteur", "Installatiemonteur")),
            Job("Elektromonteur",
                ("elektrische installaties aanleggen en aansluiten", "groepenkasten plaatsen en uitbreiden",
                 "installaties keuren volgens NEN 3140", "tekeningen lezen en bijwerken"),
                ("elektrotechniek", "NEN 3140", "VCA", "tekening lezen", "nauwkeurigheid"),
                ("mbo-2", "mbo-3", "mbo-4"),
                INSTALL, hours=(32, 36, 38, 40), evening=0.05, alt_titles=("Monteur elektrotechniek",)),
            Job("Productiemedewerker",
                ("machines bedienen en bijstellen", "producten controleren op kwaliteit",
                 "grondstoffen aanvoeren", "eindproducten inpakken en stapelen", "de werkplek schoonhouden"),
                ("machinebediening", "kwaliteitscontrole", "tempo", "samenwerken", "VCA", "ploegendienst"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"IV.13": (0, 1), "IV.14": (1,), "V.4": (0,), "V.3": (0,), "IV.8": (0,), "IV.10": (0, 1),
                 "IV.3": ((8,), (7, 8), None), "III.6": 0.8, "III.4": 0.7, "III.7": 0.3, "III.5": 0.3,
                 "I.8": ((1, 2), (2,), None), "II.12": ((1, 2),)},
                hours=(32, 36, 38, 40), evening=0.5, night=0.35, alt_titles=("Operator productie",),
                weight=2.0),
            Job("Onderhoudsmonteur",
                ("preventief onderhoud uitvoeren aan productielijnen", "storingen analyseren en verhelpen",
                 "onderdelen vervangen en afstellen", "onderhoud registreren in het systeem"),
                ("mechanica", "elektrotechniek", "PLC", "storingsanalyse", "VCA", "hydrauliek"),
                ("mbo-3", "mbo-4"),
                {"IV.13": (0, 1), "IV.19": (0,), "V.7": (0, 1), "V.5": (0,), "V.6": (0,), "IV.20": (0,),
                 "IV.9": (0,), "IV.18": (0,), "III.4": 0.8, "III.6": 0.7, "III.5": 0.3, "IV.6": 0.7,
                 "I.8": ((2,), None), "II.12": ((1, 3), (1, 2))},
                hours=(36, 38, 40), evening=0.4, night=0.25, alt_titles=("Technicus onderhoud",)),
            Job("Tekenaar-constructeur",
                ("technische tekeningen maken in AutoCAD of SolidWorks", "constructies doorrekenen",
                 "meedenken over ontwerpen met engineers", "tekeningen aanpassen na opmerkingen van de werkplaats"),
                ("AutoCAD", "SolidWorks", "technisch tekenen", "nauwkeurigheid", "3D-modelleren"),
                ("mbo-4", "hbo"),
                {**OFFICE, "I.8": ((1, 2, 3), (1, 3), (2,), None)},
                hours=(32, 36, 40), alt_titles=("Technisch tekenaar",), weight=0.6),
            Job("Lasser",
                ("constructies lassen volgens tekening", "werkstukken voorbereiden en hechten",
                 "lasnaden controleren en afwerken", "werken met MIG/MAG en TIG"),
                ("MIG/MAG-lassen", "TIG-lassen", "tekening lezen", "VCA", "nauwkeurigheid"),
                ("vmbo", "mbo-2", "mbo-3"),
                {"IV.13": (0, 1), "V.6": (0,), "V.7": (0, 1), "V.5": (0,), "V.8": (0,), "III.1": ((1,),),
                 "III.4": 1.0, "III.5": 0.9, "III.6": 0.8, "III.3": 0.4, "I.8": ((1, 2), None),
                 "II.12": ((1, 2),)},
                hours=(32, 36, 38, 40), evening=0.3, night=0.1, alt_titles=("Constructielasser",),
                weight=0.6),
        ),
    ),
    Sector(
        name="retail", weight=0.10, physical=True,
        fields=("handel en retail", "commercie", "detailhandel"),
        orgs=(("onze", "supermarkt", None), ("onze", "bouwmarkt", None),
              ("onze", "kledingwinkel", ("Verkoopmedewerker", "Kassamedewerker", "Assistent-filiaalmanager")),
              ("ons", "warenhuis", None), ("onze", "drogisterij", None), ("ons", "tuincentrum", None)),
        jobs=(
            Job("Verkoopmedewerker",
                ("klanten adviseren en helpen", "de winkel presentabel houden",
                 "nieuwe artikelen uitpakken en prijzen", "afrekenen aan de kassa", "de voorraad aanvullen"),
                ("klantvriendelijkheid", "verkoop", "kassa", "productkennis", "samenwerken"),
                ("vmbo", "mbo-2", "mbo-3"),
                {"IV.13": (1,), "IV.14": (1,), "V.4": (0,), "V.3": (0, 1), "IV.16": (0, 1), "IV.17": (0,),
                 "IV.10": (1,), "IV.20": (1,), "V.7": (1,), "II.8": (0,), "III.6": 0.3,
                 "I.8": ((2,), (6,), (2, 6), None), "II.12": ((3,),)},
                hours=(12, 16, 20, 24, 32, 38), evening=0.35, alt_titles=("Winkelmedewerker",), weight=2.0),
            Job("Kassamedewerker",
                ("klanten afrekenen aan de kassa", "de zelfscankassa's begeleiden",
                 "statiegeld en retouren afhandelen", "de kassa opmaken aan het eind van de dag"),
                ("kassa", "klantvriendelijkheid", "nauwkeurigheid", "omgaan met geld"),
                ("vmbo", "mbo-1", "mbo-2"),
                {"V.1": (1,), "V.2": (1, 2), "IV.3": ((8,),), "IV.8": (0, 1), "IV.13": (2,), "II.8": (0,),
                 "III.6": 0.4, "III.2": 0.3, "I.8": ((2, 6), (6,), None), "II.12": ((3,),)},
                hours=(8, 12, 16, 20, 24), evening=0.5, alt_titles=("Caissière",)),
            Job("Vakkenvuller",
                ("schappen vullen en spiegelen", "rolcontainers uitpakken", "houdbaarheidsdata controleren",
                 "lege dozen en folie afvoeren", "de afdeling netjes houden"),
                ("nauwkeurigheid", "tempo", "samenwerken", "doorzetten"),
                ("basisonderwijs", "vmbo", "mbo-1"),
                {"IV.13": (0, 1), "IV.14": (1,), "IV.9": (0,), "IV.10": (0,), "IV.20": (0, 1), "V.5": (0,),
                 "V.7": (1,), "IV.7": (0,), "IV.8": (0,), "V.4": (0,), "III.1": ((2,), None, None),
                 "I.8": ((1, 2), (2,), None), "II.12": ((2,), (2, 3))},
                hours=(8, 12, 16, 20, 24, 32), evening=0.6, alt_titles=("Medewerker vulploeg",), weight=1.5),
            Job("Assistent-filiaalmanager",
                ("het team aansturen en inroosteren", "de omzet en voorraad bewaken",
                 "klachten van klanten afhandelen", "de winkel openen en sluiten", "nieuwe medewerkers inwerken"),
                ("leidinggeven", "planning", "klantvriendelijkheid", "commercieel inzicht", "kassa", "roosteren"),
                ("mbo-3", "mbo-4", "hbo"),
                {"V.4": (0, 1), "IV.16": (0, 1), "IV.17": (0, 1), "IV.13": (1,), "II.8": (0,),
                 "I.8": (None, (6,)), "II.12": ((3,), None)},
                hours=(32, 36, 38, 40), evening=0.4, alt_titles=("Assistent-bedrijfsleider",), weight=0.6),
        ),
    ),
    Sector(
        name="overheid", weight=0.07, physical=False,
        fields=("bestuurskunde", "recht", "openbaar bestuur", "economie en administratie"),
        orgs=(("onze", "gemeente", None),
              ("onze", "provincie", ("Beleidsmedewerker", "Juridisch medewerker", "Medewerker archief")),
              ("ons", "waterschap", ("Beleidsmedewerker", "Juridisch medewerker", "Medewerker archief",
                                     "Medewerker groenvoorziening")),
              ("onze", "uitvoeringsorganisatie", ("Beleidsmedewerker", "Juridisch medewerker",
                                                  "Medewerker archief")),
              ("onze", "omgevingsdienst", ("Beleidsmedewerker", "Juridisch medewerker", "Handhaver openbare ruimte",
                                           "Medewerker archief"))),
        jobs=(
            Job("Baliemedewerker burgerzaken",
                ("paspoorten en rijbewijzen aanvragen en uitreiken", "verhuizingen en geboortes registreren",
                 "inwoners te woord staan aan de balie en telefoon", "afspraken inplannen"),
                ("klantcontact", "wet- en regelgeving", "nauwkeurigheid", "BRP", "MS Office"),
                ("mbo-3", "mbo-4"),
                {"V.2": (1,), "V.1": (1,), "IV.4": (1,), "II.8": (0,), "II.12": ((3,),),
                 "I.8": ((2,), (2, 4), (1, 2, 4)), "III.6": 0.2},
                hours=(16, 20, 24, 32, 36), evening=0.1, alt_titles=("Medewerker publiekszaken",)),
            Job("Beleidsmedewerker",
                ("beleidsnotities en raadsvoorstellen schrijven", "overleggen met inwoners en ketenpartners",
                 "beleid evalueren en bijstellen", "subsidieaanvragen beoordelen"),
                ("beleid", "schrijfvaardigheid", "analytisch denken", "samenwerken", "politieke sensitiviteit",
                 "projectmatig werken"),
                ("hbo", "wo"),
                {**OFFICE, "I.8": ((1, 2, 3), (1, 3), (1,), None)},
                hours=(24, 32, 36), evening=0.1, alt_titles=("Beleidsadviseur",)),
            Job("Handhaver openbare ruimte",
                ("surveilleren in wijken en het centrum", "inwoners aanspreken op overlast en parkeren",
                 "processen-verbaal opmaken", "samenwerken met politie en wijkteams"),
                ("BOA-certificaat", "communicatie", "de-escaleren", "rapporteren", "stressbestendigheid"),
                ("mbo-3", "mbo-4"),
                {"IV.16": (0,), "IV.17": (0,), "V.4": (1,), "III.1": ((1, 2),), "III.2": 0.9, "II.8": (0,),
                 "I.2": (0,), "I.8": ((3,), None), "II.12": ((3,),)},
                hours=(32, 36), evening=0.6, night=0.15, alt_titles=("Boa", "Medewerker toezicht en handhaving"),
                weight=0.6),
            Job("Juridisch medewerker",
                ("bezwaarschriften behandelen", "juridische adviezen opstellen", "beschikkingen controleren",
                 "hoorzittingen voorbereiden"),
                ("Awb", "juridisch schrijven", "analytisch denken", "nauwkeurigheid", "wetgeving"),
                ("hbo", "wo"),
                {**OFFICE, "I.8": ((1, 2, 3), (2, 3), None)},
                hours=(24, 32, 36), alt_titles=("Juridisch adviseur",), weight=0.7),
            Job("Medewerker archief",
                ("documenten scannen en registreren", "het digitale archief beheren",
                 "dossiers opzoeken voor collega's", "archiefdozen ordenen en vernietigen volgens selectielijsten"),
                ("archiveren", "DMS", "nauwkeurigheid", "Archiefwet", "scannen"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {"V.2": (1,), "IV.4": (1,), "IV.13": (1, 2), "IV.18": (1, None),
                 "I.8": ((1, 2, 3, 4), (1, 2, 3), (1, 2, 3, 4, 5)), "II.12": ((1, 3), (1, 3, 5)), "III.5": 0.2},
                hours=(16, 20, 24, 32), alt_titles=("Medewerker DIV", "Medewerker documentaire informatievoorziening")),
            Job("Medewerker groenvoorziening",
                ("plantsoenen en bermen maaien", "hagen snoeien en onkruid verwijderen", "bomen en planten poten",
                 "met bosmaaier en bladblazer werken", "zwerfafval opruimen"),
                ("groenonderhoud", "VCA", "machinebediening", "rijbewijs BE", "samenwerken"),
                ("vmbo", "mbo-1", "mbo-2", "mbo-3"),
                {"IV.13": (0,), "IV.14": (0,), "IV.9": (0,), "IV.10": (0, 1), "IV.16": (0,), "IV.17": (0,),
                 "IV.20": (0,), "V.5": (0,), "V.6": (0,), "V.4": (0,), "III.1": ((1, 2),), "III.2": 1.0,
                 "III.6": 0.8, "III.7": 0.8, "III.4": 0.9, "III.5": 0.4, "I.8": ((1, 2), (2,), None),
                 "II.12": ((1, 2, 3), (1, 2))},
                hours=(32, 36, 38, 40), alt_titles=("Hovenier openbaar groen",), weight=0.8),
        ),
    ),
    Sector(
        name="recreatie", weight=0.04, physical=True,
        fields=("toerisme en recreatie", "gastvrijheid", "leisure en hospitality"),
        orgs=(("ons", "vakantiepark", None), ("onze", "camping", None), ("ons", "bungalowpark", None),
              ("ons", "recreatiecentrum", None)),
        jobs=(
            Job("Receptiemedewerker vakantiepark",
                ("gasten inchecken en uitchecken", "reserveringen verwerken in het boekingssysteem",
                 "vragen van gasten beantwoorden, ook in het Duits en Engels",
                 "klachten oplossen en doorgeven aan de technische dienst",
                 "tips geven over uitjes in de omgeving"),
                ("gastvrijheid", "klantcontact", "reserveringssysteem", "Duits", "Engels", "kassa"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {"V.2": (1, 2), "V.4": (1, 2), "V.3": (1,), "IV.16": (2, 3), "IV.4": (1,), "II.8": (0,),
                 "IV.18": (None, None, 3), "II.12": ((3,),), "I.8": ((2,), (2, 6), (6,), None)},
                hours=(16, 20, 24, 28, 32), evening=0.3, alt_titles=("Receptionist camping",), weight=1.5),
            Job("Gastheer/gastvrouw vakantiepark",
                ("gasten welkom heten en rondleiden over het park", "activiteiten en excursies organiseren",
                 "controlerondes lopen over het terrein", "vragen en klachten van gasten afhandelen"),
                ("gastvrijheid", "klantcontact", "organiseren", "Duits", "Engels", "EHBO"),
                ("mbo-2", "mbo-3"),
                {"IV.16": (0,), "IV.17": (0,), "IV.18": (0, 1), "IV.20": (1,), "V.4": (1,),
                 "III.1": ((1, 2), None), "III.2": 0.6, "II.8": (0,), "II.12": ((3,),), "I.8": (None, (6,))},
                hours=(20, 24, 32, 36), evening=0.5, alt_titles=("Parkhost",)),
            Job("Medewerker animatie",
                ("sport- en spelactiviteiten voor kinderen leiden", "avondshows voorbereiden en presenteren",
                 "de miniclub begeleiden", "gasten enthousiasmeren om mee te doen"),
                ("animatie", "presenteren", "kinderen begeleiden", "Duits", "creativiteit", "enthousiasme"),
                ("mbo-2", "mbo-3", "mbo-4"),
                {"IV.16": (0,), "IV.17": (0,), "IV.20": (0, 1), "V.5": (0,), "IV.9": (0,), "III.6": 0.7,
                 "III.1": ((1,), None), "II.12": ((3,),), "I.8": (None,)},
                hours=(24, 32, 38, 40), evening=0.85, alt_titles=("Animatiemedewerker",)),
            Job("Medewerker reserveringen",
                ("telefonische en online reserveringen verwerken", "gasten adviseren over accommodaties",
                 "wijzigingen en annuleringen afhandelen", "bevestigingen en facturen versturen"),
                ("reserveringssysteem", "klantcontact", "telefoon", "Duits", "Engels", "verkoop"),
                ("mbo-3", "mbo-4"),
                {**OFFICE, "II.8": (1,), "I.8": ((2,), (1, 2), None), "III.6": 0.3},
                hours=(20, 24, 32, 36), evening=0.15),
            Job("Medewerker technische dienst recreatiepark",
                ("kleine reparaties uitvoeren in bungalows", "het zwembad en de speeltoestellen controleren",
                 "groenonderhoud doen op het park", "storingen bij gasten oplossen"),
                ("klussen", "technisch inzicht", "loodgieterswerk", "elektrotechniek", "VCA",
                 "zelfstandig werken"),
                ("vmbo", "mbo-2", "mbo-3"),
                {"IV.13": (0,), "IV.16": (0,), "IV.17": (0,), "IV.18": (0,), "IV.19": (0,), "IV.20": (0,),
                 "V.5": (0,), "V.7": (0, 1), "III.1": ((1, 2),), "III.2": 0.7, "I.8": ((2,), None),
                 "II.12": ((1,), None)},
                hours=(32, 36, 38, 40), evening=0.15, alt_titles=("Parkonderhoudsmedewerker",)),
            Job("Schoonmaker vakantiewoningen",
                ("vakantiewoningen schoonmaken tussen twee verblijven", "bedden opmaken en linnengoed verwisselen",
                 "sanitair en keukens reinigen", "de inventaris controleren"),
                ("schoonmaaktechnieken", "hygiëne", "tempo", "zelfstandig werken", "nauwkeurigheid"),
                ("basisonderwijs", "vmbo", "mbo-1"),
                {"IV.9": (0,), "IV.10": (0,), "IV.13": (1,), "IV.16": (0, 1), "IV.18": (0,), "IV.20": (0, 1),
                 "V.6": (0,), "V.7": (1,), "III.3": 0.7, "I.8": ((1, 2),), "II.12": ((1, 2), (1, 2, 4))},
                hours=(12, 16, 20, 24), evening=0.05, alt_titles=("Medewerker housekeeping",)),
        ),
    ),
)

SECTOR_NAMES: tuple[str, ...] = tuple(s.name for s in SECTORS)
_LIGHT_SECTORS = tuple(i for i, s in enumerate(SECTORS) if not s.physical)

GENERIC_SKILLS = (
    "Nederlands", "Engels", "rijbewijs B", "MS Office", "samenwerken", "betrouwbaar", "zelfstandig werken",
    "klantvriendelijkheid", "plannen", "communicatie", "BHV", "Duits",
)

# Dutch people say Den Haag; the postcode file says 's-Gravenhage.
_DISPLAY_PLACE = {"'s-Gravenhage": "Den Haag"}

# -- description phrases ------------------------------------------------------

_INTRO = (
    "{Org} in {place} zoekt een {title}.",
    "Voor {org} in {place} zoeken we een {title}.",
    "Bij {org} in {place} is plaats voor een {title}.",
    "Kom ons team in {place} versterken als {title}.",
    "{Org} in {place} heeft een plek voor een {title}.",
)
_TASKS = (
    "Je taken: {tasks}.",
    "Wat ga je doen? Onder meer {tasks}.",
    "Je werkzaamheden bestaan uit {tasks}.",
    "Als {title} ben je bezig met {tasks}.",
)
_HOURS = (
    "Het gaat om {week} uur per week, {day} uur per dag.",
    "Je werkt {week} uur per week in diensten van {day} uur.",
    "{week} uur per week, ongeveer {day} uur per dag.",
)
_EVENING = ("Je werkt ook regelmatig 's avonds.", "Avonddiensten horen bij deze functie.",
            "Het rooster bevat ook avonddiensten.")
_NIGHT = ("Je draait ook nachtdiensten.", "Je werkt in wisselende diensten, ook 's nachts.")
_DAYTIME = ("Je werkt alleen overdag.", "Geen avond- of nachtdiensten.", "Je werkt op vaste dagen, overdag.")
_KIND = {
    "vacature": (
        "Het gaat om een vaste baan met uitzicht op een contract voor onbepaalde tijd.",
        "We bieden een arbeidsovereenkomst voor een jaar, met de intentie om te verlengen.",
        "We staan open voor kandidaten die na ziekte weer aan het werk willen.",
        "Een reguliere vacature; we kijken vooral naar motivatie.",
    ),
    "detachering": (
        "Je werkt bij ons via detachering: je blijft in dienst van je eigen werkgever, zo kunnen we zonder risico kennismaken.",
        "Deze plek is bedoeld als detachering voor zes maanden, met kans op een vaste aanstelling.",
        "Via detachering kun je eerst proefdraaien in ons team.",
    ),
    "werkervaringsplek": (
        "Dit is een werkervaringsplek: je bouwt in je eigen tempo werkritme en zelfvertrouwen op, met een vaste begeleider.",
        "Op deze werkervaringsplek krijg je de ruimte om je uren rustig op te bouwen.",
        "Een werkervaringsplek om weer ervaring op te doen, met begeleiding van een ervaren collega.",
    ),
}
_ASK_EDU = (
    "Je hebt een diploma op {edu} of vergelijkbare ervaring.",
    "We vragen een opleiding op {edu}.",
    "Een opleiding op {edu} is gewenst.",
)
_ASK_NONE = ("Een diploma is niet nodig; je leert het vak bij ons.", "Ervaring is mooi meegenomen, maar niet verplicht.")
_ASK_SKILLS = ("Belangrijk voor ons: {skills}.", "Wat we zoeken: {skills}.", "Pluspunten: {skills}.")
_EDU_WORDS = {
    "basisonderwijs": "basisschoolniveau", "vmbo": "vmbo-niveau", "mbo-1": "mbo-niveau 1",
    "mbo-2": "mbo-niveau 2", "mbo-3": "mbo-niveau 3", "mbo-4": "mbo-niveau 4", "havo": "havo-niveau",
    "vwo": "vwo-niveau", "hbo": "hbo-niveau", "wo": "wo-niveau",
}


def _cues(demands: Mapping[str, Any]) -> list[str]:
    """Sentences that tell a reader what the FML demands say, so texts and demands agree."""
    cues = []
    lift = demands.get("IV.13")
    if lift == 0:
        cues.append("Je tilt regelmatig dozen of materiaal tot zo'n 15 kilo.")
    elif lift == 1:
        cues.append("Je tilt af en toe iets tot ongeveer 10 kilo.")
    if demands.get("IV.17") == 0 or demands.get("IV.16") == 0:
        cues.append("Je bent de hele dag in beweging.")
    elif demands.get("V.4") == 0:
        cues.append("Je staat het grootste deel van de dag.")
    if demands.get("V.2") in (0, 1) and demands.get("IV.4") == 0:
        cues.append("Je werkt grotendeels zittend achter de computer.")
    if demands.get("IV.19") == 0:
        cues.append("Je werkt regelmatig op een ladder of hoogwerker.")
    if demands.get("IV.18") == 0:
        cues.append("Je loopt vaak trappen op en af.")
    if demands.get("IV.20") == 0:
        cues.append("Je zit vaak op je knieën of gehurkt.")
    temp = demands.get("III.1") or ()
    if 2 in temp:
        cues.append("Je werkt in de kou of buiten, ook in de winter.")
    elif 1 in temp:
        cues.append("Het kan er flink warm worden.")
    if demands.get("III.6"):
        cues.append("Het kan er rumoerig zijn.")
    if demands.get("III.4"):
        cues.append("Je draagt persoonlijke beschermingsmiddelen.")
    if demands.get("II.11"):
        cues.append("Je rijdt zelf; een rijbewijs is nodig.")
    cond = demands.get("I.8")
    if cond is not None:
        if 1 in cond and 3 in cond:
            cues.append("Je werkt op een rustige plek zonder veel onderbrekingen.")
        if 4 in cond:
            cues.append("Er zijn weinig deadlines of piekmomenten.")
    social = demands.get("II.12")
    if social is not None and 1 in social:
        cues.append("Je hebt weinig direct klantcontact.")
    return cues


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

class _Draws:
    """Hands out one record's pre-drawn uniforms, so Python picks stay seeded."""

    __slots__ = ("_it",)

    def __init__(self, row: list[float]):
        self._it = iter(row)

    def u(self) -> float:
        return next(self._it)

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(next(self._it) * len(seq))]

    def chance(self, p: float) -> bool:
        return next(self._it) < p

    def sample(self, seq: Sequence[Any], k: int) -> list[Any]:
        """k distinct items, in random order (a partial Fisher-Yates shuffle)."""
        pool = list(seq)
        k = min(k, len(pool))
        for i in range(k):
            j = i + int(next(self._it) * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


def _join_nl(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def _nl_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")


def _lower_first(title: str) -> str:
    # Acronyms ("ICT-...", "IT-...") keep their capitals in running text.
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=4)
def _postcode_table(data_dir: Path) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """All gazetteer postcodes, their display place, and a sampling CDF by population.

    A postcode's weight is its place's population shared over the place's
    postcodes, so cities get many candidates and places, villages a few.
    """
    gaz = load_gazetteer(data_dir)
    codes = tuple(sorted(gaz.postcodes))
    population: dict[str, int] = {}
    path = data_dir / "geo" / "geonames_places_NL.csv"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                key = normalise_place(row["name"])
                pop = int(float(row["population"] or 0))
                population[key] = max(population.get(key, 0), pop)
    place_keys = [normalise_place(gaz.postcode_place.get(pc, "")) for pc in codes]
    counts: dict[str, int] = {}
    for key in place_keys:
        counts[key] = counts.get(key, 0) + 1
    # A floor keeps villages missing from GeoNames' population column in play.
    weights = np.array([max(population.get(k, 0), 1000) / counts[k] for k in place_keys], dtype=np.float64)
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    names = tuple(_DISPLAY_PLACE.get(gaz.postcode_place.get(pc, ""), gaz.postcode_place.get(pc, "")) for pc in codes)
    return codes, names, cdf


def _postcodes() -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    return _postcode_table(Path(get_settings().data_dir))


def _draw_index(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _cdf(weights: Sequence[float]) -> np.ndarray:
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return cdf / cdf[-1]


_SECTOR_CDF = _cdf([s.weight for s in SECTORS])
_JOB_CDF = tuple(_cdf([j.weight for j in s.jobs]) for s in SECTORS)


def _compile_demands(spec: Mapping[str, Any]) -> tuple[tuple[str, tuple[Any, ...] | None, float], ...]:
    """(item, options, p): options for ORD/CAT/COND picks, or None and p for a BIN item."""
    out = []
    for item, opts in spec.items():
        if isinstance(opts, float):
            out.append((item, None, opts))
        else:
            out.append((item, tuple(list(o) if isinstance(o, tuple) else o for o in opts), 0.0))
    return tuple(out)


_JOB_DEMANDS = {id(j): _compile_demands(j.demands) for s in SECTORS for j in s.jobs}


def _draw_demands(job: Job, d: _Draws) -> dict[str, Any]:
    demands: dict[str, Any] = {}
    for item, opts, p in _JOB_DEMANDS[id(job)]:
        if opts is None:
            if d.u() < p:
                demands[item] = True
        else:
            value = opts[int(d.u() * len(opts))]
            if value is not None:
                demands[item] = list(value) if isinstance(value, list) else value
    return demands


# ---------------------------------------------------------------------------
# Placements
# ---------------------------------------------------------------------------

_KINDS = ("vacature", "detachering", "werkervaringsplek")
_KIND_CDF = _cdf([0.55, 0.20, 0.25])
_STATUSES = ("open", "closed", "filled")
_STATUS_CDF = _cdf([0.88, 0.06, 0.06])
_WEP_HOURS = np.array([8, 12, 16, 16, 20, 20, 24])
# Demand combinations drawn per job and generator; plenty for the few items a job varies.
_DEMAND_VARIANTS = 256
_MAX_SKILLS = max(len(j.skills) for s in SECTORS for j in s.jobs)
_MAX_TASKS = max(len(j.tasks) for s in SECTORS for j in s.jobs)
_MAX_CUES = 16
# Template choices are drawn as integers below this and reduced modulo the number of
# templates; 60 is divisible by every list length used (1-6), so no template is favoured.
_TEMPLATE_DRAW = 60
_N_TEMPLATE_SLOTS = 7


@dataclass(frozen=True)
class _JobTable:
    """Every job of every sector, flattened so a chunk's picks are numpy lookups."""

    jobs: tuple[Job, ...]
    sector: np.ndarray
    titles: tuple[str, ...]
    titles_lower: tuple[str, ...]
    title_off: np.ndarray
    alt_n: np.ndarray
    hours: np.ndarray
    hours_off: np.ndarray
    hours_n: np.ndarray
    hours_max: np.ndarray
    education: tuple[str, ...]
    edu_off: np.ndarray
    edu_n: np.ndarray
    evening: np.ndarray
    night: np.ndarray
    skills_n: np.ndarray
    tasks_n: np.ndarray


def _flat(groups: Sequence[Sequence[Any]]) -> tuple[list[Any], np.ndarray, np.ndarray]:
    flat: list[Any] = []
    off, n = [], []
    for g in groups:
        off.append(len(flat))
        n.append(len(g))
        flat.extend(g)
    return flat, np.asarray(off), np.asarray(n)


@lru_cache(maxsize=1)
def _job_table() -> _JobTable:
    jobs = tuple(j for s in SECTORS for j in s.jobs)
    titles, title_off, _ = _flat([(j.title, *j.alt_titles) for j in jobs])
    hours, hours_off, hours_n = _flat([j.hours for j in jobs])
    education, edu_off, edu_n = _flat([j.education for j in jobs])
    return _JobTable(
        jobs=jobs,
        sector=np.asarray([i for i, s in enumerate(SECTORS) for _ in s.jobs]),
        titles=tuple(titles), titles_lower=tuple(_lower_first(t) for t in titles),
        title_off=title_off, alt_n=np.asarray([len(j.alt_titles) for j in jobs]),
        hours=np.asarray(hours), hours_off=hours_off, hours_n=hours_n,
        hours_max=np.asarray([max(j.hours) for j in jobs]),
        education=tuple(education), edu_off=edu_off, edu_n=edu_n,
        evening=np.asarray([j.evening for j in jobs]), night=np.asarray([j.night for j in jobs]),
        skills_n=np.asarray([len(j.skills) for j in jobs]), tasks_n=np.asarray([len(j.tasks) for j in jobs]),
    )


_SECTOR_JOB_OFFSET = tuple(sum(len(x.jobs) for x in SECTORS[:s]) for s in range(len(SECTORS)))


def _org_jobs() -> tuple[tuple[int, int, np.ndarray, np.ndarray], ...]:
    """Per (sector, organisation type): the job table rows it posts and their CDF."""
    out = []
    for s, sector in enumerate(SECTORS):
        titles = [j.title for j in sector.jobs]
        for o, (_, _, allowed) in enumerate(sector.orgs):
            if allowed is None:
                idx = list(range(len(sector.jobs)))
            else:
                unknown = set(allowed) - set(titles)
                if unknown:
                    raise ValueError(f"{sector.name}: organisation jobs {sorted(unknown)} are not in the sector")
                idx = [titles.index(t) for t in allowed]
            weights = [sector.jobs[i].weight for i in idx]
            out.append((s, o, _SECTOR_JOB_OFFSET[s] + np.asarray(idx), _cdf(weights)))
    return tuple(out)


_ORG_JOBS = _org_jobs()
_ORG_OFFSET = tuple(sum(len(x.orgs) for x in SECTORS[:s]) for s in range(len(SECTORS)))
_ORG_TEXT = tuple(
    (f"{poss} {noun}", _cap_first(f"{poss} {noun}")) for s in SECTORS for poss, noun, _ in s.orgs
)


def _demand_variants(
    rng: np.random.Generator,
) -> tuple[list[list[tuple[dict, tuple[str, ...], list[str]]]], np.ndarray]:
    """Per job, ``_DEMAND_VARIANTS`` demand dicts, their list-valued items and their cues."""
    table = _job_table()
    # One uniform per demand item of a job.
    width = max(len(j.demands) for j in table.jobs)
    uniforms = rng.random((len(table.jobs) * _DEMAND_VARIANTS, width)).tolist()
    variants: list[list[tuple[dict, tuple[str, ...], list[str]]]] = []
    n_cues = np.zeros((len(table.jobs), _DEMAND_VARIANTS), dtype=np.int64)
    row = 0
    for j, job in enumerate(table.jobs):
        mine = []
        for v in range(_DEMAND_VARIANTS):
            demands = _draw_demands(job, _Draws(uniforms[row]))
            row += 1
            cues = _cues(demands)[:_MAX_CUES]
            n_cues[j, v] = len(cues)
            list_items = tuple(item for item, value in demands.items() if type(value) is list)
            mine.append((demands, list_items, cues))
        variants.append(mine)
    return variants, n_cues


def _copy_demands(demands: dict, list_items: tuple[str, ...]) -> dict:
    # Fresh lists: a caller may edit one record without changing others.
    out = demands.copy()
    for item in list_items:
        out[item] = out[item].copy()
    return out


def _random_order(rng: np.random.Generator, size: int, width: int, valid: np.ndarray) -> np.ndarray:
    """Per row, a random order of 0..valid-1 first, then the invalid slots."""
    keys = rng.random((size, width))
    keys[np.arange(width)[None, :] >= valid[:, None]] = 2.0
    return np.argsort(keys, axis=1)


def _pick_flat(rng: np.random.Generator, off: np.ndarray, n: np.ndarray) -> np.ndarray:
    return off + (rng.random(len(off)) * n).astype(np.int64)


def generate_placements(n: int, seed: int = 0) -> Iterator[dict]:
    """``n`` contract-v1 placement dicts ("p-000001", ...), deterministic for ``seed``.

    Employers ("e-0001", ...) each belong to one sector, one organisation type (which
    decides the jobs they post) and one postcode; a few employers post many places,
    most post a handful.
    """
    if n < 0:
        raise ValueError(f"n: must be 0 or more, got {n}")
    return _placements(n, seed)


def _employers(n: int, rng: np.random.Generator) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    """Employer table: per sector the employer numbers and a CDF of their activity,
    and per employer its postcode and organisation type (an index into ``_ORG_JOBS``)."""
    _, _, pc_cdf = _postcodes()
    n_emp = max(len(SECTORS), math.ceil(n / 8))
    sector = _draw_index(_SECTOR_CDF, rng.random(n_emp))
    # Every sector gets at least one employer, so small data sets cover all sectors.
    sector[: len(SECTORS)] = np.arange(len(SECTORS))
    rng.shuffle(sector)
    postcode = _draw_index(pc_cdf, rng.random(n_emp))
    n_orgs = np.array([len(s.orgs) for s in SECTORS])[sector]
    org = np.asarray(_ORG_OFFSET)[sector] + (rng.random(n_emp) * n_orgs).astype(np.int64)
    activity = rng.lognormal(0.0, 1.0, n_emp)
    members, cdfs = [], []
    for s in range(len(SECTORS)):
        idx = np.flatnonzero(sector == s)
        members.append(idx)
        cdfs.append(_cdf(activity[idx]))
    return members, cdfs, postcode, org


def _placements(n: int, seed: int) -> Iterator[dict]:
    rng = np.random.default_rng([_PLACEMENT_STREAM, seed])
    codes, names, _ = _postcodes()
    table = _job_table()
    members, emp_cdfs, emp_postcode, emp_org = _employers(n, rng)
    variants, variant_cues = _demand_variants(rng)
    # Fixed minimum widths: "p-000001" is the same place whatever n (wider past 999,999).
    place_id = "p-{:06d}".format
    employer_id = "e-{:04d}".format
    kind_phrases = [_KIND[k] for k in _KINDS]
    # Hours are whole or half hours up to 60: look their Dutch text up instead of formatting.
    hours_text = {h / 2: _nl_number(h / 2) for h in range(0, 121)}
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        sector = _draw_index(_SECTOR_CDF, rng.random(size))
        emp_u = rng.random(size)
        employer = np.empty(size, dtype=np.int64)
        for s in range(len(SECTORS)):
            mask = sector == s
            if mask.any():
                employer[mask] = members[s][_draw_index(emp_cdfs[s], emp_u[mask])]
        org = emp_org[employer]
        job_u = rng.random(size)
        job = np.empty(size, dtype=np.int64)
        for o, (_, _, job_rows, cdf) in enumerate(_ORG_JOBS):
            mask = org == o
            if mask.any():
                job[mask] = job_rows[_draw_index(cdf, job_u[mask])]

        kind = _draw_index(_KIND_CDF, rng.random(size))
        status = _draw_index(_STATUS_CDF, rng.random(size))
        # A werkervaringsplek is for building up hours: fewer hours, usually one position.
        wep = kind == 2
        week = np.where(
            wep,
            np.minimum(_WEP_HOURS[(rng.random(size) * len(_WEP_HOURS)).astype(np.int64)], table.hours_max[job]),
            table.hours[_pick_flat(rng, table.hours_off[job], table.hours_n[job])],
        )
        u = rng.random(size)
        days = np.select(
            [week <= 12, week <= 24, week <= 32, week <= 36],
            [2 + (u * 2).astype(np.int64), np.where(u < 1 / 3, 3, 4), np.where(u < 2 / 3, 4, 5),
             4 + (u * 2).astype(np.int64)],
            5,
        )
        # Rounded up to half hours, so the days really cover the week.
        day = np.clip(np.ceil(week / days * 2) / 2, 1.0, 12.0)
        u = rng.random(size)
        several = np.minimum(1 + rng.geometric(0.55, size), 12)
        positions = np.where(kind == 0, np.where(u < 0.55, 1, several),
                             np.where(kind == 1, np.where(u < 0.15, 2, 1), np.where(u < 0.08, 2, 1)))
        positions[rng.random(size) < 0.03] = 0
        night = rng.random(size) < table.night[job]
        evening = (rng.random(size) < table.evening[job]) | (night & (rng.random(size) < 0.8))
        daytime_note = rng.random(size) < 0.4
        education = _pick_flat(rng, table.edu_off[job], table.edu_n[job])
        no_education = rng.random(size) < 0.1
        use_alt = (rng.random(size) < 0.3) & (table.alt_n[job] > 0)
        title = table.title_off[job] + np.where(
            use_alt, 1 + (rng.random(size) * np.maximum(table.alt_n[job], 1)).astype(np.int64), 0)
        variant = (rng.random(size) * _DEMAND_VARIANTS).astype(np.int64)
        n_skills = np.minimum(2 + (rng.random(size) * 3).astype(np.int64), table.skills_n[job])
        skill_order = _random_order(rng, size, _MAX_SKILLS, table.skills_n[job])
        n_tasks = 2 + (rng.random(size) * 2).astype(np.int64)
        task_order = _random_order(rng, size, _MAX_TASKS, table.tasks_n[job])
        cue_count = variant_cues[job, variant]
        n_cues = np.minimum(1 + (rng.random(size) * 2).astype(np.int64), cue_count)
        cue_order = _random_order(rng, size, _MAX_CUES, cue_count)
        template = rng.integers(0, _TEMPLATE_DRAW, (size, _N_TEMPLATE_SLOTS))
        pc = emp_postcode[employer]

        rows = zip(
            range(start + 1, start + size + 1), employer.tolist(), org.tolist(), job.tolist(), kind.tolist(),
            status.tolist(), week.tolist(), day.tolist(), positions.tolist(), night.tolist(), evening.tolist(),
            daytime_note.tolist(), np.where(no_education, -1, education).tolist(), title.tolist(),
            variant.tolist(), n_skills.tolist(), skill_order.tolist(), n_tasks.tolist(), task_order.tolist(),
            n_cues.tolist(), cue_order.tolist(), template.tolist(), pc.tolist(),
        )
        for (number, emp, org_i, j, kind_i, status_i, week_h, day_h, pos, is_night, is_evening, daytime,
             edu_i, title_i, var_i, nsk, sk_order, ntk, tk_order, ncue, cu_order, tmpl, pc_i) in rows:
            job_spec = table.jobs[j]
            demands, list_items, cues = variants[j][var_i]
            skills = [job_spec.skills[i] for i in sk_order[:nsk]]
            tasks = [job_spec.tasks[i] for i in tk_order[:ntk]]
            title_text = table.titles_lower[title_i]
            org_text, org_cap = _ORG_TEXT[org_i]
            kind_name = _KINDS[kind_i]
            parts = [
                _INTRO[tmpl[0] % len(_INTRO)].format(Org=org_cap, org=org_text, place=names[pc_i], title=title_text),
                _TASKS[tmpl[1] % len(_TASKS)].format(tasks=_join_nl(tasks), title=title_text),
            ]
            parts.extend(cues[i] for i in cu_order[:ncue])
            parts.append(_HOURS[tmpl[2] % len(_HOURS)].format(week=hours_text[week_h], day=hours_text[day_h]))
            if is_night:
                parts.append(_NIGHT[tmpl[3] % len(_NIGHT)])
            elif is_evening:
                parts.append(_EVENING[tmpl[3] % len(_EVENING)])
            elif daytime:
                parts.append(_DAYTIME[tmpl[3] % len(_DAYTIME)])
            phrases = kind_phrases[kind_i]
            parts.append(phrases[tmpl[4] % len(phrases)])
            edu = table.education[edu_i] if edu_i >= 0 else None
            if edu is None or edu == "basisonderwijs":
                parts.append(_ASK_NONE[tmpl[5] % len(_ASK_NONE)])
            else:
                parts.append(_ASK_EDU[tmpl[5] % len(_ASK_EDU)].format(edu=_EDU_WORDS[edu]))
            parts.append(_ASK_SKILLS[tmpl[6] % len(_ASK_SKILLS)].format(skills=_join_nl(skills)))

            record: dict[str, Any] = {
                "id": place_id(number),
                "employer_id": employer_id(emp + 1),
                "kind": kind_name,
                "title": table.titles[title_i],
                "description": " ".join(parts),
                "location": {"postcode": codes[pc_i]},
                "hours_per_week": week_h,
                "hours_per_day": int(day_h) if day_h.is_integer() else day_h,
                "evening": is_evening,
                "night": is_night,
            }
            if edu is not None:
                record["education_level"] = edu
            record["skills"] = skills
            record["demands"] = _copy_demands(demands, list_items)
            record["positions"] = pos
            record["status"] = _STATUSES[status_i]
            record["sector"] = SECTORS[table.sector[j]].name
            yield record


# ---------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------

# Limitation patterns seen in spoor-2 caseloads, with their share.
_PATTERNS = ("none", "back", "knee", "burnout", "shoulder", "wrist", "stamina", "night", "hours")
_PATTERN_CDF = _cdf([0.12, 0.22, 0.12, 0.22, 0.10, 0.06, 0.06, 0.05, 0.05])
_PHYSICAL_PATTERNS = frozenset({"back", "knee", "shoulder", "wrist", "stamina"})
# (VI.2, VI.3) pairs a bedrijfsarts writes down together.
_HOUR_LEVELS = ((2, 2), (2, 3), (3, 3), (3, 4), (1, 2), (0, 2))
_BURNOUT_HOUR_LEVELS = ((2, 2), (2, 3), (3, 3), (3, 3), (3, 4), (1, 2))
_BURNOUT_CONDITIONS = ((1, 3, 4), (1, 3), (3, 4), (1, 4, 5), (1, 2, 3, 4), (2, 4), (1, 3, 4, 5))
_WISH_HOURS = (8, 12, 16, 20, 24, 28, 32, 36, 38, 40)
_WEEK_LIMIT = (40, 40, 30, 20, 10)
# Repeats weight the common wishes; an empty list (no preference) is rare.
_KIND_WISHES = (
    ("vacature", "detachering", "werkervaringsplek"), ("vacature", "detachering", "werkervaringsplek"),
    ("vacature", "detachering", "werkervaringsplek"), ("vacature",), ("vacature",),
    ("vacature", "detachering"), ("vacature", "detachering"), ("detachering", "werkervaringsplek"),
    ("vacature", "werkervaringsplek"), (),
)

_WISH_LIMIT_TEXT = {
    "none": ("Graag weer volledig aan de slag.", "Ik wil weer gewoon meedraaien in een team."),
    "back": ("Liever geen zwaar til- en bukwerk meer.", "Ik zoek werk waarbij ik niet zwaar hoef te tillen.",
             "Afwisselend zitten en staan, zonder zwaar sjouwen."),
    "knee": ("Werk waarbij ik vooral kan zitten, zonder veel lopen of traplopen.",
             "Niet meer de hele dag op de been; liefst een vaste werkplek."),
    "burnout": ("Rustig opbouwen in een prikkelarme omgeving zonder strakke deadlines.",
                "Eerst een paar ochtenden per week, op een rustige werkplek.",
                "Een voorspelbare werkdag met duidelijke taken, niet te druk."),
    "shoulder": ("Geen werk boven schouderhoogte of met veel reiken.",
                 "Werk waarbij ik mijn schouder kan sparen."),
    "wrist": ("Niet de hele dag typen of muizen; graag afwisseling.",
              "Werk met afwisseling, niet steeds dezelfde handbewegingen."),
    "stamina": ("Werk dat niet te zwaar is, zonder hitte of stof.", "Rustig tempo, niet te veel lopen."),
    "night": ("Liever geen nachtdiensten meer.", "Graag werk overdag."),
    "hours": ("Eerst een beperkt aantal uren, daarna opbouwen.", "Ik wil mijn uren geleidelijk uitbreiden."),
}
_WISH_INTEREST_TEXT = (
    "Ik werk graag met mensen.", "Ik houd van regelen en organiseren.", "Graag iets met computers.",
    "Ik ben graag met mijn handen bezig.", "Klantcontact geeft me energie.", "Ik werk graag zelfstandig.",
    "Het liefst dicht bij huis.", "Ik sta open voor iets nieuws.", "Ik wil graag iets leren.",
)
_WISH_SECTOR_TEXT = "Het liefst in de sector {sector}."


def generate_candidates(n: int, seed: int = 0) -> Iterator[dict]:
    """``n`` contract-v1 candidate dicts ("c-000001", ...), deterministic for ``seed``."""
    if n < 0:
        raise ValueError(f"n: must be 0 or more, got {n}")
    return _candidates(n, seed)


def _candidates(n: int, seed: int) -> Iterator[dict]:
    rng = np.random.default_rng([_CANDIDATE_STREAM, seed])
    codes, names, pc_cdf = _postcodes()
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        sector_a = _draw_index(_SECTOR_CDF, rng.random(size))
        job_u = rng.random(size)
        job_a = np.empty(size, dtype=np.int64)
        for s in range(len(SECTORS)):
            mask = sector_a == s
            job_a[mask] = _draw_index(_JOB_CDF[s], job_u[mask])
        sector, job = sector_a.tolist(), job_a.tolist()
        pattern = _draw_index(_PATTERN_CDF, rng.random(size)).tolist()
        postcode = _draw_index(pc_cdf, rng.random(size)).tolist()
        travel = rng.integers(10, 51, size).tolist()
        uniforms = rng.random((size, _UNIFORMS_PER_CANDIDATE)).tolist()
        for k in range(size):
            s = sector[k]
            yield _candidate(
                number=start + k + 1, sector_index=s,
                job=SECTORS[s].jobs[job[k]],
                pattern=_PATTERNS[pattern[k]], postcode=codes[postcode[k]], place=names[postcode[k]],
                travel=travel[k], d=_Draws(uniforms[k]),
            )


def _capacity(pattern: str, d: _Draws) -> dict[str, Any]:
    cap: dict[str, Any] = {}

    def maybe(item: str, options: Sequence[Any]) -> None:
        value = d.pick(options)
        if value is not None:
            cap[item] = list(value) if isinstance(value, tuple) else value

    if pattern == "back":
        maybe("IV.13", (1, 2, 2, 3))
        maybe("IV.14", (1, 2, 2, 3))
        maybe("IV.9", (None, 1, 2))
        maybe("IV.10", (1, 2, 3))
        maybe("IV.12", (None, 1, 2))
        maybe("V.6", (None, 1, 2))
        maybe("V.1", (None, None, 1))
        maybe("V.3", (None, 1))
        maybe("IV.11", (None, 1))
    elif pattern == "knee":
        maybe("IV.16", (1, 2, 3))
        maybe("IV.17", (1, 2, 3))
        maybe("IV.18", (1, 2, 3))
        maybe("IV.20", (2, 3))
        maybe("IV.19", (1, 2, 3))
        maybe("V.5", (None, 1, 1))
        maybe("V.4", (None, 1, 2))
    elif pattern == "burnout":
        day, week = d.pick(_BURNOUT_HOUR_LEVELS)
        cap["VI.2"], cap["VI.3"] = day, week
        cap["I.8"] = list(d.pick(_BURNOUT_CONDITIONS))
        maybe("III.6", (None, 1, 1, 1))
        maybe("I.1", (None, 1))
        maybe("I.2", (None, None, 1))
        maybe("II.8", (None, None, 1))
        maybe("VI.1", (None, None, (1,), (1, 2)))
    elif pattern == "shoulder":
        maybe("V.7", (1, 2))
        maybe("IV.7", (None, 1, 2))
        maybe("IV.8", (None, 1, 2))
        maybe("IV.13", (None, 1, 2))
        maybe("IV.12", (None, 1))
        maybe("IV.6", (None, 1))
        maybe("IV.2", (1, 2, 3))
    elif pattern == "wrist":
        maybe("IV.4", (1, 2, 3))
        maybe("IV.3", ((8, 9), (7, 8, 9), (6, 8)))
        maybe("IV.8", (None, 1))
        maybe("V.8", (None, 1, 2))
        maybe("IV.2", (1, 2, 3))
    elif pattern == "stamina":
        maybe("III.1", (None, (1,), (1, 2)))
        maybe("III.5", (None, 1))
        maybe("IV.16", (1, 2))
        maybe("IV.18", (None, 1, 2))
        maybe("IV.13", (None, 1))
        maybe("V.4", (None, 1))
    elif pattern == "night":
        cap["VI.1"] = d.pick(([2], [2], [1, 2]))
    elif pattern == "hours":
        day, week = d.pick(_HOUR_LEVELS)
        if day:
            cap["VI.2"] = day
        cap["VI.3"] = week

    # Hours limits and a night limit also come on top of a physical pattern.
    if pattern not in ("burnout", "hours", "none") and d.chance(0.3):
        day, week = d.pick(_HOUR_LEVELS)
        if day:
            cap["VI.2"] = day
        cap["VI.3"] = week
    if pattern not in ("burnout", "night", "none") and d.chance(0.15):
        cap["VI.1"] = [2]
    return cap


def _experience(job: Job, years: int, d: _Draws) -> dict:
    tasks = d.sample(job.tasks, 1 + int(d.u() * 3))
    return {"title": job.title if not job.alt_titles or d.chance(0.7) else d.pick(job.alt_titles),
            "years": years, "description": _cap_first("; ".join(tasks)) + "."}


def _candidate(*, number: int, sector_index: int, job: Job, pattern: str, postcode: str,
               place: str, travel: int, d: _Draws) -> dict:
    sector = SECTORS[sector_index]
    # Home: mostly a PC4, sometimes a full postcode or just the place name, as coaches type them.
    r = d.u()
    if r < 0.75:
        home = {"postcode": postcode}
    elif r < 0.9:
        home = {"postcode": f"{postcode} {d.pick('ABCDEGHJKLMNPRTVWXZ')}{d.pick('ABCDEGHJKLMNPRTVWXZ')}"}
    else:
        home = {"place": place}
    capacity = _capacity(pattern, d)

    experience = [_experience(job, 1 + int(d.u() * 20), d)]
    other_jobs = [job]
    for p in (0.6, 0.25):
        if not d.chance(p):
            break
        other_sector = sector if d.chance(0.5) else d.pick(SECTORS)
        # Not the same job again under another title.
        fresh = [j for j in other_sector.jobs if all(j is not o for o in other_jobs)]
        if not fresh:
            break
        other = d.pick(fresh)
        other_jobs.append(other)
        experience.append(_experience(other, 1 + int(d.u() * 10), d))

    level = d.pick(job.education)
    # Primary school has no field; everything from vmbo up has a profile or study.
    education = {"level": level} if level == "basisonderwijs" else {"level": level, "field": d.pick(sector.fields)}
    skills: list[str] = []
    for j in other_jobs:
        for s in d.sample(j.skills, 2 + int(d.u() * 2)):
            if s not in skills:
                skills.append(s)
    for s in d.sample(GENERIC_SKILLS, int(d.u() * 3)):
        if s not in skills:
            skills.append(s)

    wishes: dict[str, Any] = {}
    kinds = (list(d.pick((("werkervaringsplek",), ("werkervaringsplek", "detachering"), ("detachering",))))
             if pattern == "burnout" else list(d.pick(_KIND_WISHES)))
    wishes["kinds"] = kinds
    week_limit = _WEEK_LIMIT[capacity.get("VI.3", 0)]
    fitting = [h for h in _WISH_HOURS if h <= week_limit]
    if not d.chance(0.1):
        # A few want more than the bedrijfsarts allows: the engine must still hold the limit.
        too_many = [h for h in _WISH_HOURS if h > week_limit]
        if too_many and d.chance(0.03):
            hours = d.pick(too_many)
        else:
            # Most want close to what they may work; some deliberately start small.
            hours = d.pick(fitting[-4:] if d.chance(0.6) else fitting[-7:])
        wishes["hours_per_week"] = hours
    if pattern in _PHYSICAL_PATTERNS and sector.physical and d.chance(0.6):
        wished = [SECTORS[d.pick(_LIGHT_SECTORS)].name]
    elif d.chance(0.7):
        wished = [sector.name]
    else:
        wished = []
    if wished and d.chance(0.3):
        extra = d.pick(SECTORS).name
        if extra not in wished:
            wished.append(extra)
    text = [d.pick(_WISH_LIMIT_TEXT[pattern]), d.pick(_WISH_INTEREST_TEXT)]
    if wished and d.chance(0.5):
        text.append(_WISH_SECTOR_TEXT.format(sector=wished[0]))
    wishes["text"] = " ".join(text)
    wishes["sectors"] = wished

    return {
        "id": f"c-{number:06d}",
        "home": home,
        "max_travel_km": travel if pattern != "burnout" else min(travel, 10 + int(d.u() * 21)),
        "capacity": capacity,
        "education": education,
        "experience": experience,
        "skills": skills,
        "wishes": wishes,
    }


# ---------------------------------------------------------------------------
# The five stories (domain notes, spoor2.md)
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def generate_demo(out_dir: Path, n_placements: int, n_candidates: int, seed: int = 0,
                  include_stories: bool = True) -> dict:
    """Write ``placements.jsonl`` and ``candidates.jsonl`` into ``out_dir``; return the counts."""
    out_dir = Path(out_dir)
    placements = write_jsonl(out_dir / "placements.jsonl", generate_placements(n_placements, seed))

    def candidates() -> Iterator[dict]:
        if include_stories:
            yield from story_candidates()
        yield from generate_candidates(n_candidates, seed)

    n_written = write_jsonl(out_dir / "candidates.jsonl", candidates())
    return {"placements": placements, "candidates": n_written}
