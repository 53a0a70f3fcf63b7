"""The words that name each FML aspect, in Dutch titles and descriptions and in ESCO's
English skill labels: the data behind :mod:`matching.ranking.aspects`.

Term syntax is described in :mod:`matching.ranking.aspects`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Aspect:
    """One FML item's vocabulary: what names the aspect in Dutch and in ESCO English."""

    item_id: str
    phrase: str  # Dutch, for explanations: "beroepsmatig rijden"
    nl: tuple[str, ...]  # Dutch terms, in titles and descriptions
    en: tuple[str, ...]  # English terms, in ESCO skill labels
    nl_title: tuple[str, ...] = ()  # Dutch terms that count in titles only (too common in prose)
    exclude: tuple[str, ...] = ()  # tokens that never count ("loopbaan" is no walking)
    # Dutch words that name the aspect itself (knielen, tillen, nachtdienst), as
    # opposed to work that involves it (hovenier, kinderopvang). Only these make a
    # refusal in a wish text avoid the aspect: refusing daycare is not refusing
    # to kneel (the refused word itself is still matched, see wish_text).
    names: tuple[str, ...] = ()


_TELEPHONE_NL = (
    "*telefo*", "callcent*", "*callcent*", "call-cent*", "call center|centre", "contactcent*",
    "*contactcenter", "klantenservice*", "*klantenservice", "customer service|care|support",
    "telemarket*", "telesales", "helpdesk*", "*helpdesk", "servicedesk*", "*servicedesk", "headset*",
)
_TELEPHONE_EN = (
    "telephone*", "phone", "phones", "answer ... call|calls|telephone*|phone|phones",
    "make ... call|calls", "call centre|center", "telemarketing", "telesales",
)
_PAINTER_NL = (
    "schilder", "huisschilder*", "gevelschilder*", "onderhoudsschilder*", "bouwschilder*",
    "afwerkingsschilder*", "*schilderwerk*",
)
_HEAVY_NL = (
    "sjouw*", "*sjouwen", "verhuiz*", "*verhuizer", "laden", "laad", "laadt", "lossen", "bouwvakker*", "*bouwvakker",
    "opperman*", "stratenmak*", "*stratenmaker", "straatmak*", "metsel*", "*metselaar", "steigerbouw*",
    "dakdekk*", "*dakdekker", "sloopwerk*", "*sloper", "magazijn*", "*magazijn*", "orderpick*",
    "*orderpicker", "vakkenvul*", "*vakkenvuller", "dozen", "kratten", "pakketten", "bagage*",
    "*bagage*", "afvalinzamel*", "vuilnis*", "*belader", "fysiek|lichamelijk ... zwaar|zware|belastend*|inspannend*",
    "fysieke|lichamelijke ... arbeid|inspanning*|belasting|werkzaamheden|werk",
    "zwaar|zware ... werk|tilwerk|lasten|dozen|materialen|materiaal|gewicht*|spullen|goederen|voorwerpen",
    "zwaar ... tillen|sjouwen|dragen|fysiek|lichamelijk",
)
_HEAVY_EN = (
    "heavy ... weights|weight|loads|load|objects|items|goods|materials|boxes|lifting",
    "manual handling", "loading", "unload*",
    "load ... cargo|goods|trucks|vehicles|luggage|baggage|pallets|containers|materials|freight|shipments",
    "stack*", "move ... heavy|furniture|goods|patients|loads|boxes|objects", "palletis*", "palletiz*",
    "baggage", "luggage",
)
_WALKING_NL = (
    "lopen", "rondlopen", "rondloopt", "wandel*", "rondleid*", "*rondleider", "gids", "*gids",
    "postbode*", "surveil*", "*surveillant", "over het terrein", "orderpick*", "*orderpicker",
    "vakkenvul*", "*vakkenvuller", "serveer*", "*serveerster", "ober", "kelner*", "parkeercontrol*",
    "parkeerwacht*", "veel ... lopen|wandelen",
)
_WALKING_EN = (
    "walk*", "patrol*", "guide ... tour|tours|visitors|groups|tourists", "tour", "tours", "on foot",
    "pick ... orders", "order picking", "serve ... food|drinks|customers|tables|meals|beverages",
    "wait ... tables",
)
_SITTING_NL = (
    "zittend*", "bureauwerk*", "bureaubaan*", "kantoor*", "beeldschermwerk*",
    "achter ... computer|bureau|beeldscherm|scherm|pc|laptop", "administrat*", "*administratie*",
    "*administrateur", "secretaresse*", "*secretaresse", "secretariaat*", "*secretariaat*", "boekhoud*", "*boekhouder", "typist*", "programmeur*",
    "developer*", "*developer", "telefonist*", "data-entry", "dataentry", "meldkamer*",
    "centralist*", "controlekamer*",
) + _TELEPHONE_NL
_SITTING_EN = (
    "sit", "sitting", "seated", "desk", "desks", "office", "clerical", "administrative", "data entry",
    "software", "programming", "call centre|center",
)
_STANDING_NL = (
    "staand*", "veel|lang|langdurig|urenlang ... staan", "staan ... achter ... toonbank|balie|machine|band",
    "staan|staat|sta ... hele|gehele ... dag|werkdag|dienst", "hele|gehele ... dag|werkdag|dienst ... staan|staat",
    "kapper*", "*kapper", "kapsalon*", "kok", "*kok", "keuken*", "*keuken*", "afwas*", "bakker*",
    "*bakker", "slager*", "*slager", "barista*", "bar", "barmedewerk*", "*barmedewerker", "ober",
    "serveer*", "kelner*", "verkoopmedewerk*", "vakkenvul*", "*vakkenvuller", "productiemedewerk*",
    "*productiemedewerker", "productiewerk*", "lopende band", "lopendeband*", "inpak*", "*inpakker",
    "orderpick*", "machineoperator*", "procesoperator*", "machinebedien*", "lasser*", "*lasser",
    "timmerm*", "*timmerman", "schoonmaak*", "*schoonmaker", "operatieassistent*",
) + _PAINTER_NL
_STANDING_EN = (
    "standing", "stand ... long|periods|hours", "cook", "cooks", "cooking", "food preparation",
    "prepare ... food|meals|dishes|ingredients", "hair", "hairdress*", "production line",
    "assembly line", "bartend*", "serve ... food|drinks|customers|beverages|meals",
)
_STANDING_TITLE = ("winkel*", "*winkel", "beveilig*", "steward*", "gastvrouw*", "gastheer*")
_KNEELING_NL = (
    "kniel*", "geknield", "knielend*", "hurk*", "gehurkt", "hurkend*", "*tegelzet*", "vloerlegg*",
    "vloerenlegg*", "*vloerlegger", "*vloerenlegger", "tapijtlegg*", "stratenmak*", "straatmak*",
    "*stratenmaker", "hovenier*", "*hovenier", "tuinier*", "*tuinman", "tuinonderhoud*",
    "groenvoorzien*", "loodgiet*", "kinderopvang*", "kinderdagverblijf*", "*kinderdagverblijf",
    "peuter*", "kleuter*", "vakkenvul*", "*vakkenvuller",
)
_KNEELING_EN = (
    "kneel*", "squat*", "crouch*", "lay ... tile|tiles|floor|floors|flooring|carpet|carpets|paving|bricks|pavement",
    "tiling", "flooring", "paving", "gardening", "childcare", "toddler*",
)
_BENDING_NL = (
    "buk*", "voorover*", "gebogen", "buigen", "hovenier*", "*hovenier", "tuinier*", "groenvoorzien*",
    "oogst*", "pluk*", "*plukker", "*plukken", "tuinbouw*", "*kwekerij", "kweker*", "vakkenvul*",
    "*vakkenvuller", "bedden ... opmaken", "housekeep*", "kinderopvang*", "kinderdagverblijf*",
    "stratenmak*", "*stratenmaker", "tegelzet*", "*tegelzetter", "metsel*", "*metselaar",
)
_BENDING_EN = (
    "stoop*", "bend ... over|down", "bent ... posture|over", "harvest*",
    "pick ... crops|fruit|vegetables|produce", "weeding", "planting", "make ... beds", "housekeeping",
    "gardening",
)

# "Kantoortijden" are hours, "kantoormachines" are repaired, not sat at.
_NOT_DESK = ("kantoortijd*", "kantooruren", "kantoormach*", "kantoorart*", "kantoormeub*")


def _a(item_id: str, phrase: str, nl: Sequence[str], en: Sequence[str] = (),
       nl_title: Sequence[str] = (), exclude: Sequence[str] = ()) -> Aspect:
    return Aspect(item_id, phrase, tuple(nl), tuple(en), tuple(nl_title), tuple(exclude))


_LEXICON = (
    _a("I.1", "lang geconcentreerd werken",
       ("concentr*", "geconcentreerd*", "luchtverkeersleid*", "verkeersleid*", "meldkamer*", "centralist*",
        "controlekamer*", "data-entry", "dataentry", "data-invoer", "gegevensinvoer", "corrector*",
        "eindredact*", "vertal*", "*vertaler", "programmeur*", "*programmeur", "softwareontwikkel*",
        "developer*", "*developer", "analist*", "*analist", "accountant*", "audit*", "*auditor",
        "kwaliteitscontrol*"),
       ("concentrat*", "vigilan*", "attention", "precision", "proofread*", "data entry",
        "enter|input ... data", "programming", "audit*", "air traffic"),
       exclude=("auditie*",)),
    _a("I.7", "werken in een hoog tempo",
       ("tempo", "*tempo", "snel ... werken|schakelen", "productiewerk*", "lopende band", "lopendeband*",
        "bandwerk*", "aan de band", "productiemedewerk*", "*productiemedewerker", "productienorm*", "orderpick*", "*orderpicker", "inpak*", "*inpakker",
        "spoedeisend*", "spoedpost*", "targets"),
       ("fast-paced", "quickly", "rapid*", "production line",
        "assembly line", "pace", "tempo", "time pressure", "quota", "quotas", "meet ... targets|quotas"),
       nl_title=("kassa*", "caissi*")),
    _a("I.8", "een drukke, onvoorspelbare werkomgeving",
       ("drukke", "drukte", "*drukte", "werkdruk", "tijdsdruk*", "hectisch*", "hectiek", "prikkel*",
        "deadline*", "*deadline*", "piekbelast*", "productiepiek*", "piekmoment*", "spitsuur*",
        "onderbreking*", "storing*", "onvoorspelbaar*", "onverwacht*", "multitask*", "snel schakel*",
        "schakelen tussen", "kantoortuin*", "open kantoor", "flexplek*", "spoedeisend*", "acute", "acuut",
        "evenement*", "festival*", "meldkamer*"),
       ("deadline*", "multitask*", "stress", "stressful", "under pressure", "time pressure", "interrupt*",
        "unexpected", "unpredictab*", "changing ... circumstances|situations|conditions|priorities",
        "fast-paced", "hectic", "crowd*", "respond ... emergency|emergencies", "emergency situations",
        "emergency care"),
       nl_title=("crisis*",)),
    _a("II.1", "goed zien",
       ("kwaliteitscontrol*", "inspect*", "*inspecteur", "visueel*", "visuele", "fotogra*", "*fotograaf",
        "camera*", "*camera*", "beeldscherm*", "grafisch*", "vormgev*", "*vormgever", "tekenaar*",
        "*tekenaar", "illustrat*", "opticien*", "optiek", "fijnmechan*", "precisie*", "microsco*"),
       ("inspect*", "visual*", "visually", "photograph*", "camera*", "colour*", "color*", "microscop*",
        "monitor ... screen|screens|camera|cameras|surveillance|cctv", "surveillance", "cctv",
        "read ... drawing|drawings|blueprint|blueprints|map|maps|gauge|gauges|dials|instruments",
        "graphic*", "quality control")),
    _a("II.2", "goed horen",
       ("luister*", "geluidstechn*", "audio*", "*audio*", "akoest*", "muzi*", "*muziek*", "musicus",
        "tolk*", "notul*", "transcri*", "audiotyp*", "meldkamer*", "centralist*") + _TELEPHONE_NL,
       ("listen*", "hear", "hearing", "audio*", "sound", "sounds", "music*", "acoustic*",
        "tune ... instrument|instruments", "interpret ... language|languages|spoken", "interpreting",
        "transcri*", "radio") + _TELEPHONE_EN,
       exclude=("gehoorbescherm*",)),
    _a("II.3", "veel spreken",
       ("spreken", "spreekt", "spreekvaardig*", "*spreker", "woordvoer*", "presentat*", "presenteren",
        "voorlicht*", "voorlezen", "tolk*", "*tolk", "docent*", "*docent", "leraar*", "*leraar", "lerares*",
        "*lerares", "onderwijzer*", "reisleid*", "rondleid*", "*rondleider", "omroep*", "mondeling*",
        "gesprekken voeren", "te woord", "acquisitie*", "verkoopgesprek*", "zanger*",
        "*zanger", "logopedi*") + _TELEPHONE_NL,
       ("speak*", "spoken", "present", "presentation*", "presenting", "public speaking", "oral*",
        "verbal*", "pronounc*", "pronunciation", "interpreting", "interpret ... language|languages|spoken",
        "announce*", "broadcast*", "lecture*", "teach*", "narrat*", "sing", "singing", "recite", "voice",
        "vocal*", "debate*", "customer service", "sell ... by telephone") + _TELEPHONE_EN,
       exclude=("spreekuur*",)),
    _a("II.4", "veel schrijven",
       ("schrijf*", "schrijv*", "*schrijver", "geschreven", "redact*", "*redacteur", "journalist*",
        "copywrit*", "tekstschrijv*", "notul*", "verslaglegg*", "rapportage*", "correspondent*",
        "correspondentie*", "communicatieadvis*", "secretaresse*", "*secretaresse", "secretariaat*", "*secretariaat*"),
       ("write*", "writing", "written", "copywrit*", "*writer", "proofread*",
        "edit ... text|texts|articles|manuscripts|copy",
        "draft ... document|documents|report|reports|text|texts|letter|letters|contract|contracts|articles|minutes|correspondence",
        "correspondence", "journalis*", "minutes", "compose ... text|texts|letters|emails")),
    _a("II.6", "omgaan met emotionele problemen van anderen",
       ("hulpverlen*", "*hulpverlener", "maatschappelijk werk*", "maatschappelijke dienstverlening",
        "sociaal werk*", "*begeleider", "begeleid* ... clienten|jongeren|bewoners|kinderen|patienten|deelnemers|gezinnen|ouderen",
        "clienten|jongeren|bewoners|patienten ... begeleid*|ondersteun*", "therapeut*", "*therapeut",
        "therapie*", "psycholo*", "*psycholoog", "psychiatr*", "ggz", "pastor*", "geestelijk verzorger",
        "geestelijke verzorging", "rouw*", "uitvaart*", "verpleeg*", "*verpleegkundig*", "verzorgende*",
        "zorgmedewerk*", "*zorgmedewerker", "zorgverlen*", "thuiszorg*", "ouderenzorg*", "jeugdzorg*",
        "gehandicaptenzorg*", "jeugdhulp*", "crisisopvang*", "crisisinterventie*", "slachtoffer*",
        "trauma*", "verslav*", "daklozen*", "vrouwenopvang*", "maatschappelijke opvang", "reclass*",
        "schuldhulp*", "mantelzorg*", "hospice*", "palliatie*", "terminale", "dementie*", "psychogeriatr*",
        "gezinsvoogd*", "jeugdbescherm*"),
       ("counsel*", "emotional*", "empath*", "psycholog*", "psychiatr*", "therap*", "social work*",
        "bereave*", "grief", "trauma*", "crisis", "crises", "mental health", "vulnerable", "victim*",
        "abuse*", "addict*", "palliative", "end-of-life", "distress*",
        "care for ... patients|elderly|children|clients|residents"),
       nl_title=("begeleid*", "coach", "jobcoach*", "loopbaancoach*", "*integratiecoach", "welzijn*", "pedagog*"),
       exclude=("re:[a-z-]*(?:fysio|radio|aroma|kruiden|massage|dier|hydro|ergo|sport)[a-z-]*therap[a-z-]*",
                "dierenverpleeg*")),
    _a("II.8", "omgaan met conflicten",
       ("conflict*", "*conflict*", "klacht*", "agressie*", "agressief", "agressiev*", "*agressie",
        "handhav*", "*handhaver", "boa", "beveilig*", "*beveiliger", "bewaker*", "*bewaker", "portier*",
        "uitsmijter*", "deurwaard*", "incasso*", "*incasso", "politie*", "parkeercontrol*",
        "parkeerwacht*", "conducteur*", "kaartcontrol*", "ticketcontrol*", "penitentiair*", "gevangen*",
        "cipier*", "mediator*", "mediation*", "*mediator", "onderhandel*", "escal*", "de-escal*",
        "ombuds*", "weerbaar*",
        "lastige|moeilijke|boze|agressieve|ontevreden ... klanten|mensen|situaties|gesprekken|bezoekers"),
       ("conflict*", "complain*", "dispute*", "aggress*", "security", "enforce*", "negotiat*", "mediat*",
        "de-escalat*", "escalat*", "confront*", "restrain*", "patrol*", "debt collection",
        "collect ... debt|debts", "handle ... difficult|aggressive|challenging", "violence", "violent",
        "detain*", "arrest*", "evict*"),
       nl_title=("toezichthoud*",),
       exclude=("politiek*", "politici")),
    _a("II.11", "beroepsmatig rijden",
       ("*chauffeur*", "koerier*", "*koerier", "*bezorg*", "rijden", "rijdt", "rijd", "rijdend*", "autorijden",
        "rit", "ritten", "rijbewij*", "rijvaardig*", "*rijinstructeur", "rijles*", "rijschool*",
        "*vrachtwagen*", "vrachtauto*", "*vrachtauto", "bestelbus*", "*bestelbus", "bestelauto*",
        "bestelwagen*", "busje*", "taxi*", "*taxi", "*heftruck*", "reachtruck*", "*reachtruck",
        "touringcar*",
        "re:(?:bus|tram|metro|taxi|voertuig|vrachtwagen|vrachtauto|heftruck|shovel|trein)bestuurders?",
        "kraanmachinist*", "treinmachinist*", "machinist", "grondverzet*", "shovel*",
        "re:(?:leerlingen|personen|zorg|doelgroepen|taxi|goederen|weg|beroeps|groeps|rolstoel)vervoer"),
       ("driving", "drive ... vehicle|vehicles|truck|trucks|lorry|lorries|bus|buses|taxi|taxis|car|cars|van|vans|tram|trams|train|trains|forklift|forklifts|ambulance|ambulances|tractor|tractors|hearse|motorcycle|motorcycles|bicycle|bicycles",
        # "drive in urban areas", "drive two-wheeled vehicles"; not "drive innovation".
        ("rx:(?<![a-z0-9-])drive(?! (?:innovation|change|growth|sales|performance|improvement|business|"
         "strateg[a-z]*|digital|transformation|engagement|results|efficiency|projects?)(?![a-z0-9-]))(?![a-z0-9-])"),
        "operate|manoeuvre|maneuver|park|steer ... vehicle|vehicles|truck|trucks|forklift|forklifts|bus|buses|tram|trams|train|trains",
        "forklift*", "*forklift", "chauffeur*", "lorry", "lorries", "reach-truck*", "trucking", "taxi",
        "transport ... passengers|patients", "deliver ... mail|parcels|packages|post|goods|newspapers|food",
        "traffic ... laws|rules|regulations|signals|signs", "road transport"),
       exclude=("bezorgd", "bezorgdheid", "*onbezorgd*", "ritme*", "paardrij*", "taxiderm*")),
    _a("II.12", "veel contact met klanten",
       ("klantcontact*", "*klantcontact", "klantenservice*", "*klantenservice", "balie*", "*balie*",
        "receptie*", "*receptie*", "receptionist*", "*receptionist", "hostess*", "verkoper*", "*verkoper",
        "bezoekers", "gasten", "patient*", "*patienten", "clienten", "bewoners", "publieks*", "met publiek",
        "met mensen",
        "loket*", "*loket", "barista*", "barmedewerk*", "ober", "serveer*", "accountmanag*"),
       ("customer*", "client", "clients", "patient", "patients", "guest*", "visitor*", "passenger*",
        "sell", "selling", "sales", "greet*", "welcome ... guests|visitors|customers", "reception",
        "members of the public", "general public"),
       nl_title=("klant*", "gastvrouw*", "gastheer*", "*gastvrouw", "*gastheer", "verkoop*", "winkel*",
                 "*winkel", "kassa*", "caissi*")),
    _a("III.1", "werken in hitte of kou",
       ("koel*", "*koelcel*", "vries*", "*vries*", "koud*", "kou", "hitte*", "oven*", "*oven", "gieterij*",
        "smelterij*", "*smelterij", "buitenwerk*", "buitenlucht", "weer en wind", "weersomstandighed*"),
       ("cold", "freez*", "refrigerat*", "heat", "hot", "furnace*", "oven*", "outdoor*", "weather",
        "extreme ... temperatures|conditions|weather", "cold storage"),
       exclude=("koelkast*", "*wovens", "*woven")),
    _a("III.5", "stof, rook, gassen of dampen",
       ("stof", "stoffen", "stoffig*", "fijnstof*", "houtstof*", "meelstof*", "steenstof*", "kwartsstof*",
        "stofmasker*", "rook", "*rook", "rookgas*", "damp*", "*damp*", "gassen", "oplosmiddel*", "chemica*",
        "chemisch*", "lasser*", "*lasser", "lassen", "laswerk*", "*spuiter", "spuitwerk*", "spuitcabine*", "schuren",
        "schuurwerk*", "houtbewerk*", "timmerfabriek*", "meubelmak*", "zaagsel", "slijp*", "sloop*",
        "*sloper", "asbest*", "stukad*", "stucad*", "bakker*", "*bakker"),
       ("dust*", "fume*", "smoke", "vapour*", "vapor*", "gases", "chemical*", "solvent*", "weld*",
        "spray*", "sanding", "asbestos", "hazardous ... substance|substances|material|materials|chemicals",
        "respirat*", "demolition", "demolish*", "grinding"),
       nl_title=("schoonmaak*", "*schoonmaker", "*schoonmaak*"),
       exclude=("rookvrij*",)),
    _a("III.6", "lawaai",
       ("lawaai*", "*lawaai", "geluidsbelast*", "geluidsoverlast*", "geluidsniveau*", "gehoorbescherm*",
        "oorbescherm*", "oordop*", "rumoer*", "herrie", "productiehal*", "machinehal*", "machinebedien*",
        "bouwplaats*", "slijp*", "zagen", "zaagwerk*", "*zagerij", "sloop*", "kinderopvang*",
        "kinderdagverblijf*", "*kinderdagverblijf", "bso", "buitenschoolse", "evenement*", "festival*",
        "concert*", "kantoortuin*", "metaalbewerk*"),
       ("noise", "noisy", "loud*", "hearing protection", "ear protection", "power tools", "pneumatic",
        "jackhammer*", "grinding", "drilling", "sawing", "demolition")),
    _a("III.7", "trillingen",
       ("tril*", "drilboor*", "*boorhamer", "breekhamer*", "bouwmachine*", "grondverzet*", "graafmachine*",
        "shovel*"),
       ("vibrat*", "jackhammer*", "pneumatic", "power tools", "hand-arm", "whole-body",
        "heavy ... machinery|equipment", "earthmoving", "excavator*", "compactor*"),
       exclude=("trilogie*",)),
    _a("IV.4", "veel werken met toetsenbord en muis",
       ("computer*", "beeldscherm*", "toetsenbord*", "typen", "typt", "typist*", "*typist*", "typewerk*",
        "typvaardig*", "data-entry", "dataentry", "data-invoer", "gegevensinvoer", "gegevens|data invoer*",
        "administratief", "administratieve", "administratie*", "*administratie*", "*administrateur",
        "secretaresse*", "*secretaresse", "secretariaat*", "*secretariaat*", "boekhoud*", "*boekhouder", "programmeur*", "programmeren", "softwareontwikkel*",
        "developer*", "*developer", "ict*", "it-*", "helpdesk*", "servicedesk*", "callcent*", "*callcent*",
        "klantenservice*", "excel", "*office*", "notul*", "transcri*", "tekstverwerk*", "cad", "cad-*"),
       ("computer*", "keyboard*", "typing", "touch typing", "data entry", "enter|input ... data", "software",
        "database*", "spreadsheet*", "word processing", "ict", "programming", "coding", "email*", "e-mail*",
        "clerical", "administrative", "office ... software|equipment|systems|administration"),
       exclude=("officier*", "officer*", "*officer")),
    _a("IV.9", "bukken", _BENDING_NL, _BENDING_EN, nl_title=("schoonmaak*", "*schoonmaker")),
    _a("IV.10", "vaak bukken", _BENDING_NL, _BENDING_EN, nl_title=("schoonmaak*", "*schoonmaker")),
    _a("IV.12", "duwen en trekken",
       ("duw", "duwen", "*duwen", "trekwerk*", "rolcontainer*", "*rolcontainer*", "palletwagen*",
        "*palletwagen*", "pompwagen*", "steekwagen*", "kar", "karren", "rolstoel*"),
       ("push", "pushing", "pull", "pulling", "trolley*", "cart", "carts", "wheelchair*",
        "pallet ... truck|trucks|jack|jacks")),
    _a("IV.13", "zwaar tillen",
       ("tillen", "*tillen", "getild", "tilwerk*", "tilt") + _HEAVY_NL,
       ("lift ... heavy|weights|weight|loads|objects|patients|items|boxes|goods|materials", "lifting")
       + _HEAVY_EN,
       exclude=("tilburg*",)),
    _a("IV.14", "zwaar dragen",
       ("dragen ... zware|lasten|dozen|kratten|materiaal|materialen|spullen|goederen",
        "zware|dozen|kratten|materialen|lasten ... dragen|sjouwen") + _HEAVY_NL,
       ("carry ... heavy|loads|objects|goods|boxes|materials|items|weights|patients|luggage|baggage|equipment|trays",
        "carrying") + _HEAVY_EN),
    _a("IV.16", "lopen", _WALKING_NL, _WALKING_EN, nl_title=("terrein*",),
       exclude=("loopbaan*", "loopafstand*", "tourism*")),
    _a("IV.17", "veel lopen tijdens het werk", _WALKING_NL, _WALKING_EN, nl_title=("terrein*",),
       exclude=("loopbaan*", "loopafstand*", "tourism*")),
    _a("IV.18", "traplopen",
       ("traplop*", "trappenlop*", "trap", "trappen", "trappenhuis*", "*trappenhuis"),
       ("stairs", "stairway*", "stairwell*")),
    _a("IV.19", "klimmen",
       ("klim*", "ladder*", "*ladder", "steiger*", "*steiger*", "hoogwerker*", "*hoogwerker", "op hoogte|hoogten",
        "valbeveilig*", "dakdekk*", "*dakdekker", "daken", "dakwerk*",
        "*dakwerk", "glazenwas*", "*glazenwasser", "boomverzorg*", "*boomverzorger", "windturbine*")
       + _PAINTER_NL,
       ("climb*", "ladder*", "scaffold*", "at height|heights", "roof*", "rope access",
        "aerial ... platform|platforms|lift|lifts", "cherry picker"),
       exclude=("klimaat*", "klimato*")),
    _a("IV.20", "knielen of hurken", _KNEELING_NL, _KNEELING_EN, nl_title=("pedagogisch*",)),
    _a("V.1", "lang achter elkaar zitten", _SITTING_NL, _SITTING_EN,
       exclude=_NOT_DESK),
    _a("V.2", "veel zitten", _SITTING_NL, _SITTING_EN,
       exclude=_NOT_DESK),
    _a("V.3", "lang achter elkaar staan", _STANDING_NL, _STANDING_EN, nl_title=_STANDING_TITLE,
       exclude=("cookie*", "*keukens", "keukenverkop*")),
    _a("V.4", "veel staan", _STANDING_NL, _STANDING_EN, nl_title=_STANDING_TITLE,
       exclude=("cookie*", "*keukens", "keukenverkop*")),
    _a("V.5", "geknield of gehurkt werken", _KNEELING_NL, _KNEELING_EN, nl_title=("pedagogisch*",)),
    _a("V.6", "gebogen of gedraaid werken", _BENDING_NL + ("getordeerd*", "gedraaid*"), _BENDING_EN,
       nl_title=("schoonmaak*", "*schoonmaker")),
    _a("V.7", "werken boven schouderhoogte",
       ("plafond*", "*plafond*", "stukad*", "stucad*", "*stukadoor", "*stucadoor", "behang*", "*behanger",
        "glazenwas*", "*glazenwasser", "vakkenvul*", "*vakkenvuller", "kapper*", "*kapper", "kapsalon*",
        "boven ... schouder*|hoofd|schouderhoogte", "bovenhands") + _PAINTER_NL,
       ("above ... shoulder|shoulders|head", "ceiling*", "plaster*", "wallpaper*",
        "paint ... wall|walls|ceiling|ceilings|surfaces|buildings|houses", "hang ... wallpaper",
        "stock ... shelves|shelf", "shelving", "window cleaning", "clean ... windows", "hairdress*",
        "cut ... hair")),
    _a("VI.1", "avond- of nachtwerk",
       ("avond*", "nacht*", "*nachtdienst*", "*nachtwerk", "*nachtportier", "slaapdienst*", "slaapwacht*",
        "onregelmatig*", "ploegendienst*", "*ploegendienst*", "volcontinu*", "late ... dienst|diensten"),
       ("night*", "evening*", "shift work", "shifts", "irregular ... hours|shifts", "24-hour",
        "late ... shift|shifts|hours"),
       exclude=("avondschool*",)),
)

_HEAVY_NAMES = (
    "sjouw*", "zwaar", "zware", "zwaarder", "fysiek|lichamelijk ... zwaar|zware|belastend*|inspannend*",
    "fysieke|lichamelijke ... arbeid|inspanning*|belasting|werkzaamheden|werk",
)
_NAMES: dict[str, tuple[str, ...]] = {
    "I.1": ("concentr*", "geconcentreerd*"),
    "I.7": ("tempo", "*tempo", "snel ... werken", "haast*", "productienorm*", "targets"),
    "I.8": ("druk", "drukke", "drukte", "*drukte", "werkdruk", "tijdsdruk*", "hectisch*", "hectiek", "prikkel*",
            "deadline*", "*deadline*", "productiepiek*", "piekmoment*", "piekbelast*", "onderbreking*",
            "storing*", "onvoorspelbaar*", "onverwacht*", "multitask*", "kantoortuin*", "open kantoor",
            "flexplek*", "stress*"),
    "II.1": ("zien", "gezichtsvermogen", "visueel*", "visuele"),
    "II.2": ("horen", "gehoor", "luister*"),
    "II.3": ("spreken", "praten", "presentat*", "presenteren", "*telefo*", "callcent*", "*callcent*",
             "call center|centre", "klantenservice*", "telemarket*", "bellen", "gesprekken"),
    "II.4": ("schrijf*", "schrijv*", "rapportage*", "verslag*"),
    "II.6": ("emoties", "emotioneel", "emotionele", "verdriet*", "hulpverlen*", "problematiek",
             "problemen ... anderen|mensen|clienten", "zware ... verhalen|problematiek"),
    "II.8": ("conflict*", "agressie*", "agressief", "agressiev*", "klacht*", "ruzie*", "confrontat*",
             "boze|lastige|moeilijke|agressieve ... klanten|mensen"),
    "II.11": ("rijden", "rijdt", "rijd", "autorijden", "*chauffeur*", "rijbewij*", "*vrachtwagen*", "*heftruck*",
              "bestelbus*", "busje*", "taxi*", "koerier*", "*bezorg*",
              "voertuig|voertuigen|auto|bus|vrachtwagen|heftruck ... besturen"),
    "II.12": ("klantcontact*", "klant", "klanten", "publiek", "publieks*", "bezoekers", "patienten", "clienten",
              "gasten"),
    "III.1": ("kou", "koud*", "hitte*", "warmte", "vries*", "koel*", "buiten", "buitenwerk*", "weer en wind"),
    "III.5": ("stof", "stoffig*", "rook", "damp*", "gassen", "chemica*", "oplosmiddel*"),
    "III.6": ("lawaai*", "geluid", "geluiden", "herrie", "rumoer*"),
    "III.7": ("tril*",),
    "IV.4": ("computer*", "beeldscherm*", "toetsenbord*", "typen", "typewerk*", "muis", "pc", "laptop"),
    "IV.9": ("buk*", "buigen", "voorover*", "gebogen"),
    "IV.10": ("buk*", "buigen", "voorover*", "gebogen"),
    "IV.12": ("duw", "duwen", "trekken"),
    "IV.13": ("tillen", "*tillen", "tilt", "getild", "tilwerk*") + _HEAVY_NAMES,
    "IV.14": ("dragen",) + _HEAVY_NAMES,
    "IV.16": ("lopen", "wandel*", "rondlopen", "rondleid*", "over het terrein"),
    "IV.17": ("lopen", "wandel*", "rondlopen", "rondleid*", "over het terrein"),
    "IV.18": ("traplop*", "trappenlop*", "trap", "trappen"),
    "IV.19": ("klim*", "ladder*", "steiger*", "op hoogte|hoogten", "hoogtes"),
    "IV.20": ("kniel*", "geknield", "hurk*", "gehurkt"),
    "V.1": ("zitten", "zittend*", "stilzitten"),
    "V.2": ("zitten", "zittend*", "stilzitten"),
    "V.3": ("staan", "staand*", "stilstaan"),
    "V.4": ("staan", "staand*", "stilstaan"),
    "V.5": ("kniel*", "geknield", "hurk*", "gehurkt"),
    "V.6": ("buk*", "voorover*", "gebogen", "getordeerd*", "gedraaid*"),
    "V.7": ("boven ... schouder*|hoofd|schouderhoogte", "bovenhands", "armen ... omhoog|boven"),
    "VI.1": ("avond*", "nacht*", "*nachtdienst*", "*nachtwerk", "onregelmatig*", "ploegendienst*",
             "*ploegendienst*", "volcontinu*", "late ... dienst|diensten"),
}
LEXICON = tuple(replace(a, names=_NAMES[a.item_id]) for a in _LEXICON)

