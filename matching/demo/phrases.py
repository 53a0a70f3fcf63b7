"""The Dutch wording of the demo world: sentence templates for place
descriptions, the cue sentences that state a place's FML demands, candidates'
wish texts, and the small helpers that write Dutch lists and numbers."""

from __future__ import annotations

from typing import Any, Mapping, Sequence


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
