"""Rule families on hand-written Spanish and English sentences, traps included."""
import pytest

from extractors import extract_document
from pipeline.sections import split_paragraphs
from extractors.nlp import pipeline_for
from extractors.processes import names_in, process_mentions


def paragraphs_of(text: str, lang: str) -> list[dict]:
    """The pipeline's own paragraph split, all in one language and section."""
    return [{"char_start": p.start, "char_end": p.end, "lang": lang, "kind": p.kind, "section_id": "s001",
             "paragraph_id": f"p{n}"} for n, p in enumerate(split_paragraphs(text, set()))]


def extract(text: str, lang: str = "es", year: int | None = 2003) -> dict:
    return extract_document("t", text, paragraphs_of(text, lang), lambda _: 1, year)


def processes_in(text: str, lang: str = "es") -> set[str]:
    return {r["process_id"] for r in extract(text, lang)["process_mentions"]}


# ---------------------------------------------------------------- processes

@pytest.mark.parametrize("text, lang, expected", [
    ("La Conferencia Regional sobre Migración (CRM), también llamada Proceso de Puebla.", "es", {"rcm"}),
    ("El PROCESO DE PUEBLA se reunió.", "es", {"rcm"}),
    ("The Puebla Process and the South American Conference on Migration met.", "en", {"rcm", "sacm"}),
    ("The Bali Process, the Colombo Process and the 5+5 Dialogue.", "en",
     {"bali_process", "colombo_process", "dialogue_5plus5"}),
    ("El Diálogo sobre Migración para el África Meridional (MIDSA) y el Proceso de Söderköping.", "es",
     {"midsa", "soderkoping_process"}),
])
def test_registry_names(text, lang, expected):
    assert processes_in(text, lang) == expected


def test_acronym_alone_needs_context():
    assert processes_in("La CRM aprobó su presupuesto de viajes.", "es") == set()
    assert processes_in("La CRM discutió la migración irregular en la región.", "es") == {"rcm"}


def test_organisations_are_not_processes():
    assert processes_in("La OIM, el ACNUR, la OEA, el MERCOSUR y el SICA participaron en temas migratorios.") == set()


def test_discovered_process():
    rows = extract("The Bamako Process on migration was launched by the governments.", "en")
    assert {r["process_id"] for r in rows["process_mentions"]} == {"discovered.bamako_process"}
    assert rows["processes"][0]["source"] == "discovered"
    # a common word is a topic, not a process
    assert processes_in("Los Procesos de Convergencia Regional y el Proceso de Integración.") == set()


# ---------------------------------------------------------------- memberships

def memberships(text: str, lang: str = "es") -> set[tuple]:
    return {(r["process_id"], r["member_id"], r["role"]) for r in extract(text, lang)["memberships"]}


def test_prose_member_and_observer_lists_es():
    text = ("La Conferencia Regional sobre Migración se reúne cada año. Los países miembros son: Belice, Canadá, "
            "Trinidad y Tobago y República Dominicana. Los países observadores son: Argentina y Perú.")
    assert memberships(text) == {("rcm", "BLZ", "member"), ("rcm", "CAN", "member"), ("rcm", "TTO", "member"),
                                 ("rcm", "DOM", "member"), ("rcm", "ARG", "observer"), ("rcm", "PER", "observer")}


def test_list_after_colon_and_organisations():
    text = ("La CRM es un foro sobre migración.\nLas organizaciones observadoras son:\n"
            "• Organización Internacional para las Migraciones (OIM)\n• CEPAL/CELADE")
    assert memberships(text) == {("rcm", "iom", "observer"), ("rcm", "eclac", "observer"),
                                 ("rcm", "celade", "observer")}


def test_english_predicate_list_and_region():
    text = ("The South American Conference on Migration is a regional forum. All South American countries, "
            "plus Guyana and Suriname, are members.")
    members = {m for p, m, r in memberships(text, "en") if r == "member" and p == "sacm"}
    assert {"ARG", "BRA", "GUY", "SUR", "VEN"} <= members and len(members) == 12


def test_table_participants_column():
    text = ("Process\tGovernment Participants\tMain Areas\n"
            "Bali Process (2002)\tAustralia, Indonesia and New Zealand\tSmuggling\n"
            "Budapest Group (1991)\tBosnia and Herzegovina, Serbia and Montenegro\tIrregular migration")
    assert memberships(text, "en") == {("bali_process", "AUS", "member"), ("bali_process", "IDN", "member"),
                                       ("bali_process", "NZL", "member"), ("budapest_process", "BIH", "member"),
                                       ("budapest_process", "SCG", "member")}


def test_hosts_and_chairs_are_not_members():
    text = "La CRM sobre migración se reunió en México; Guatemala ejerció la Presidencia Pro-Témpore."
    assert memberships(text) == set()


# ---------------------------------------------------------------- events

def events(text: str, lang: str = "es") -> list[tuple]:
    return [(r["kind"], r["title"], r["year"]) for r in extract(text, lang)["events"]]


def test_list_of_titled_events_with_years():
    text = ("Seminarios/Talleres llevados a cabo: Tráfico de Migrantes (1998), Derechos Humanos de los "
            "Migrantes (1998); Taller sobre la Convención de Palermo y sus Protocolos (2004).")
    assert events(text) == [("seminar", "Tráfico de Migrantes", 1998),
                            ("seminar", "Derechos Humanos de los Migrantes", 1998),
                            ("workshop", "Taller sobre la Convención de Palermo y sus Protocolos", 2004)]


def test_titled_english_event_with_date_and_place():
    rows = extract("IOM organized the Regional Conference on Public Health and Trafficking "
                   "(19 to 21 March 2003, Budapest).", "en")["events"]
    assert [(r["title"], r["year"], r["date_start"], r["date_end"], r["location"]) for r in rows] == [
        ("Regional Conference on Public Health and Trafficking", 2003, "2003-03-19", "2003-03-21", "Budapest")]


def test_dated_meeting_with_place():
    rows = extract("Al concluir la reunión del GRCM, realizada del 29-31 de octubre de 2002 en Antigua, "
                   "Guatemala, se hizo una ceremonia.")["events"]
    assert [(r["kind"], r["title"], r["date_start"], r["date_end"], r["location"]) for r in rows] == [
        ("meeting", "Reunión del GRCM", "2002-10-29", "2002-10-31", "Antigua")]


def test_bodies_and_process_names_are_not_events():
    text = ("El Grupo Regional de Consulta sobre Migración es el órgano técnico. La Conferencia Regional sobre "
            "Migración se reúne. La Reunión Anual de los Viceministros decide.")
    assert events(text) == []


# ---------------------------------------------------------------- dates through the stage

def test_dates_rows_and_traps():
    rows = extract("La reunión fue el 10 de noviembre de 2003, según la Resolución 55/25 (página 12 de 40).")["dates"]
    assert [(r["date_start"], r["date_end"], r["precision"], r["is_range"]) for r in rows] == [
        ("2003-11-10", "2003-11-10", "day", False)]
    en = extract("Meetings may be held in May 2004; see page 12 of 40.", "en")["dates"]
    assert [(r["date_start"], r["precision"]) for r in en] == [("2004-05", "month")]


def test_quoted_titles_with_date_between():
    text = ('IOM Vienna organized a workshop for journalists in Upper Austria on "Language and Racism" on '
            '21 May 2002, which focused on awareness-raising.')
    rows = extract(text, "en")["events"]
    assert [(r["kind"], r["title"], r["year"]) for r in rows] == [("workshop", "Language and Racism", 2002)]


def test_plural_kind_with_quoted_items():
    text = ("Three major seminars have taken place: (1) “Asylum and Migration in Europe” in Riga, Latvia; "
            "(2) “Protection of Human Rights” in Vilnius. Both were well attended.")
    titles = [r["title"] for r in extract(text, "en")["events"]]
    assert titles == ["Asylum and Migration in Europe", "Protection of Human Rights"]


def test_heading_event_is_dated_by_the_paragraph_below():
    text = ("Training Course on Migration Legislation\n"
            "8. A training course on migration legislation was conducted by IOM in February 2002 for officials "
            "of the migration service, covering international standards and national practice in detail.")
    rows = extract(text, "en")["events"]
    assert ("Training Course on Migration Legislation", 2002) in [(r["title"], r["year"]) for r in rows]
