"""Rule families on hand-written Spanish and English sentences, traps included."""
import pytest

from extractors import extract_document
from pipeline.text.sections import split_paragraphs


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
    """A chair word right after a name (neg.chair.near_after) and a place of meeting are no membership."""
    text = "La CRM sobre migración se reunió en México; Guatemala ejerció la Presidencia Pro-Témpore."
    assert memberships(text) == set()


# ---------------------------------------------------------------- events

def found_events(rows: dict) -> list[dict]:
    """Every event the rules found, whatever the event model decided (events and
    event_candidates, in id order): what the title and dating rules are tested on."""
    return sorted(rows["events"] + rows["event_candidates"], key=lambda e: e["event_id"])


def events(text: str, lang: str = "es") -> list[tuple]:
    return event_fields(text, lang, ("kind", "title", "year"))


def event_fields(text: str, lang: str, fields: tuple[str, ...]) -> list[tuple]:
    """The events of a text as tuples of the named fields."""
    return [tuple(r[f] for f in fields) for r in found_events(extract(text, lang))]


def test_list_of_titled_events_with_years():
    text = ("Seminarios/Talleres llevados a cabo: Tráfico de Migrantes (1998), Derechos Humanos de los "
            "Migrantes (1998); Taller sobre la Convención de Palermo y sus Protocolos (2004).")
    assert events(text) == [("seminar", "Tráfico de Migrantes", 1998),
                            ("seminar", "Derechos Humanos de los Migrantes", 1998),
                            ("workshop", "Taller sobre la Convención de Palermo y sus Protocolos", 2004)]


def test_titled_english_event_with_date_and_place():
    text = "IOM organized the Regional Conference on Public Health and Trafficking (19 to 21 March 2003, Budapest)."
    assert event_fields(text, "en", ("title", "year", "date_start", "date_end", "location")) == [
        ("Regional Conference on Public Health and Trafficking", 2003, "2003-03-19", "2003-03-21", "Budapest")]


def test_dated_meeting_with_place():
    text = ("Al concluir la reunión del GRCM, realizada del 29-31 de octubre de 2002 en Antigua, "
            "Guatemala, se hizo una ceremonia.")
    assert event_fields(text, "es", ("kind", "title", "date_start", "date_end", "location")) == [
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
    assert event_fields(text, "en", ("kind", "title", "year")) == [("workshop", "Language and Racism", 2002)]


def test_plural_kind_with_quoted_items():
    text = ("Three major seminars have taken place: (1) “Asylum and Migration in Europe” in Riga, Latvia; "
            "(2) “Protection of Human Rights” in Vilnius. Both were well attended.")
    titles = [r["title"] for r in found_events(extract(text, "en"))]
    assert titles == ["Asylum and Migration in Europe", "Protection of Human Rights"]


def test_heading_event_is_dated_by_the_paragraph_below():
    text = ("Training Course on Migration Legislation\n"
            "8. A training course on migration legislation was conducted by IOM in February 2002 for officials "
            "of the migration service, covering international standards and national practice in detail.")
    assert ("Training Course on Migration Legislation", 2002) in event_fields(text, "en", ("title", "year"))


# ---------------------------------------------------------------- events: merging, sessions, items

def test_untitled_dated_mention_merges_into_the_titled_event_before_it():
    text = ("(i) A four-day “Human Rights Course for the Prosecutors of Almaty”, jointly organized by OSCE and "
            "IOM. IOM gave a one-day course on migrants’ rights and prevention of trafficking (October 2001).")
    assert event_fields(text, "en", ("title", "year", "date_start")) == [
        ("Human Rights Course for the Prosecutors of Almaty", 2001, "2001-10")]


def test_anaphora_and_roles_are_not_new_events():
    en = ("In February 2007, IOM took part in the annual meeting on border management in Quito. That meeting "
          "was organized by the Permanent Council. The Council serves as a forum for Andean States in 2007.")
    assert [(r["title"], r["year"], r["location"]) for r in found_events(extract(en, "en"))] == [
        ("Meeting on border management", 2007, "Quito")]  # the place phrase closes the title (issue 29)
    es = "Para el 26 de mayo de 2003 se ha programado una reunión de esta red. Los países la aprobaron."
    assert events(es) == []


def test_meeting_of_a_body_named_by_a_demonstrative_or_possessive():
    # a demonstrative before a capitalised name points at a body, not back at an event; the
    # body's full name is taken from the heading that named it
    es = ("E.  Actividades de la Red de Funcionarios de Enlace de Protección Consular:\n\n"
          "Nota: Para el 26 de mayo de 2003 se ha programado una reunión de esta Red de Funcionarios de Enlace.\n\n"
          "La Red de funcionarios de enlace recomendó esta actividad durante su reunión del 28 de octubre 2002.")
    assert events(es) == [
        ("meeting", "Reunión de la Red de Funcionarios de Enlace de Protección Consular", 2003),
        ("meeting", "Reunión de la Red de Funcionarios de Enlace de Protección Consular", 2002)]
    en = ("DDSE serves as the Technical Secretariat of the Inter-American Conference of Ministers of Labor "
          "(IACML), which held its 15th meeting in September 2007 in Trinidad and Tobago.")
    # the Conference holds meetings: a body, not an event itself
    assert events(en, "en") == [("meeting", "15th meeting of the IACML", 2007)]
    assert events("It held its annual meeting in May 2002.", "en") == []


def test_meetings_of_two_bodies_on_one_day_stay_two():
    es = ("A.  Red de Funcionarios de Enlace de Protección Consular:\n\n"
          "Para el 26 de mayo de 2003 se ha programado una reunión de esta Red de Funcionarios de Enlace.\n\n"
          "B.  Red de Funcionarios de Enlace para el Combate al Tráfico de Migrantes:\n\n"
          "Para el 26 de mayo de 2003 se ha programado una reunión de esta Red de Funcionarios de Enlace.")
    assert [t for _, t, _ in events(es)] == [
        "Reunión de la Red de Funcionarios de Enlace de Protección Consular",
        "Reunión de la Red de Funcionarios de Enlace para el Combate al Tráfico de Migrantes"]


def test_in_the_course_of_is_not_a_course():
    assert events("Durante el curso del GRCM de mayo 2003 se presentará el informe.") == []
    assert events("In the course of May 2003 the report on the Course on Asylum was presented.", "en") == [
        ("course", "Course on Asylum", 2003)]


def test_undated_event_takes_the_year_of_the_sentence_that_introduces_its_kind():
    en = ("An information campaign, carried out from October to December 2001, included workshops and radio "
          "broadcasts. A workshop for journalists entitled “Migrants make news” dealt with migrants’ rights.")
    assert ("workshop", "Migrants make news", 2001) in events(en, "en")
    # a sentence that names another kind dates nothing
    en = ("A campaign was carried out in November 2001. A workshop for journalists entitled “Migrants make "
          "news” dealt with migrants’ rights.")
    assert ("workshop", "Migrants make news", None) in events(en, "en")


def test_undated_event_takes_the_one_year_its_section_heading_states():
    def rows(heading: str) -> list[tuple]:
        text = heading + "\n\n• Online course on “Migration and Human Rights”\n"
        paragraphs = paragraphs_of(text, "en")
        assert paragraphs[0]["kind"] == "heading"
        return [(r["title"], r["year"]) for r in found_events(extract_document("t", text, paragraphs, lambda _: 1, None))]

    assert rows("Actions Planned for 2008:") == [("Migration and Human Rights", 2008)]
    assert rows("Actions Planned for 2008-2009:") == [("Migration and Human Rights", None)]


def test_kind_word_naming_a_body_is_not_an_event():
    text = "The course was held at the Border Management Training Centre, established by IOM in 2002."
    assert events(text, "en") == []


def test_ordinal_before_a_process_name_is_a_session_of_it():
    text = "The Plan of Action was submitted at the Third South American Conference on Migration in Quito."
    assert event_fields(text, "en", ("kind", "title", "process_id")) == [
        ("conference", "Third South American Conference on Migration", "sacm")]


def test_year_in_a_parenthesis_with_a_place():
    text = "Durante la VI Reunión de la CRM (San José, marzo 2001), los Viceministros aprobaron el plan."
    assert event_fields(text, "es", ("title", "year", "date_start", "location")) == [
        ("VI Reunión de la CRM", 2001, "2001-03", "San José")]


def test_quote_past_a_comma_titles_something_else():
    text = ("Commissioner Meléndez took part as a speaker at the Seventh Andean Region Course on Human Rights, "
            "on November 2007, in Lima, Peru, on “The Human Rights of Migrants in the Andean Region.”")
    assert event_fields(text, "en", ("title", "year", "location")) == [
        ("Seventh Andean Region Course on Human Rights", 2007, "Lima")]


def test_entitled_title_without_quotes():
    text = ("IOM and the League undertook a regional conference. The Conference, entitled Arab Migration in a "
            "Globalized World (2 to 4 September 2003, Cairo), provided a forum.")
    assert event_fields(text, "en", ("title", "date_start", "location")) == [
        ("Arab Migration in a Globalized World", "2003-09-02", "Cairo")]


def test_list_introduced_by_including_with_dates_and_places():
    text = ("IOM has arranged a series of meetings, including Irregular Migration in Asia (December 1997, Manila); "
            "and Migrant Trafficking in South East Asia (October 2000, Jakarta).")
    assert event_fields(text, "en", ("title", "date_start", "location")) == [
        ("Irregular Migration in Asia", "1997-12", "Manila"), ("Migrant Trafficking in South East Asia", "2000-10",
                                                              "Jakarta")]


def test_enumerated_item_headed_by_an_event_takes_the_date_it_was_held():
    text = ("(2)  Taller para desarrollar un plan de trabajo regional contra la trata:   En la reunión de octubre "
            "de 2002 se propuso un taller. El taller, que se realizó el 8 y 9 de mayo de 2003, tuvo éxito.")
    assert event_fields(text, "es", ("title", "date_start", "rule_id")) == [
        ("Taller para desarrollar un plan de trabajo regional contra la trata", "2003-05-08", "event.item_heading")]


def test_year_of_a_convention_inside_a_title_is_not_the_event_year():
    text = ("La OIM integra el Comité de la Campaña Mundial por la Ratificación de la Convención de 1990 sobre la "
            "Protección de los Trabajadores Migratorios.")
    assert events(text) == [("campaign", "Campaña Mundial por la Ratificación de la Convención de 1990 sobre la "
                                         "Protección de los Trabajadores Migratorios", None)]


def test_earlier_date_of_another_name_does_not_date_the_event():
    text = ("Durante el GRCM de octubre 2002 los países acordaron una propuesta que se discutiría durante la "
            "VIII Reunión de la CRM.")
    assert [(r["title"], r["year"]) for r in found_events(extract(text))] == [("VIII Reunión de la CRM", None)]


def test_same_occasion_takes_the_date_of_the_sentence_before():
    text = ("In November 2001, IOM delivered a statement to the Third Committee. On the same occasion, IOM and ILO "
            "co-sponsored a panel discussion on \"Migration, Xenophobia and Human Rights\".")
    assert ("Migration, Xenophobia and Human Rights", 2001) in event_fields(text, "en", ("title", "year"))


def test_coordinated_titles_are_two_events():
    en = "The Seminar on Migration and Development and the Seminar on Trafficking in Persons were held in 2002."
    assert events(en, "en") == [("seminar", "Seminar on Migration and Development", 2002),
                                ("seminar", "Seminar on Trafficking in Persons", 2002)]
    # one kind word: one title, whatever its "and"
    assert events("The Seminar on Migration and Development was held in 2002.", "en") == [
        ("seminar", "Seminar on Migration and Development", 2002)]


def test_an_elided_ordinal_title_takes_the_modifiers_of_the_one_before():
    en = ("The forum followed the decisions taken at the 16th Ibero-American Summit in Montevideo in November 2006, "
          "and the 17th Summit held in Santiago, Chile, in November 2007.")
    assert ("summit", "17th Ibero-American Summit", 2007) in events(en, "en")
    # a lone "<ordinal> <Kind>" with nothing to borrow from stays as it is
    assert events("The 17th Summit was held in Santiago in November 2007.", "en") == [
        ("summit", "17th Summit", 2007)]


def test_differently_numbered_titles_are_different_events():
    en = ("In its work on labour migration, the ILO followed what the XIII Inter-American Conference of Ministers "
          "of Labor had adopted as a plan of action for the region.\n\n"
          "IOM attended the 18th Inter-American Conference (4 to 6 June 2007, Lima).")
    titles = [t for _, t, _ in events(en, "en")]
    assert titles == ["XIII Inter-American Conference of Ministers of Labor", "18th Inter-American Conference"]


def test_a_standing_body_is_not_an_event_but_its_numbered_session_is():
    en = "The ILO acts at the request of the International Labour Conference on labour migration."
    assert events(en, "en") == []
    en = "The 96th International Labour Conference (June 2007) adopted conclusions on labour migration."
    assert events(en, "en") == [("conference", "96th International Labour Conference", 2007)]


def test_heading_event_is_dated_further_down_its_block_unless_a_paragraph_naming_it_is_undated():
    text = ("Activities of the IOM 50th Anniversary Campaign and the Belgian Information Campaign\n\n"
            "6. The theme of the IOM 50th Anniversary campaign was the human rights of migrants.\n\n"
            "7. An information campaign, carried out from October to December 2001, reached schools.\n\n"
            "IOM Austria\n\n"
            "Campaign for People in Need of International Protection\n\n"
            "11. IOM Vienna is implementing this awareness-raising campaign with UNHCR.\n\n"
            "12. Fact sheets were produced, and a meeting with journalists took place on 21 May 2002.\n")
    found = {t: y for _, t, y in events(text, "en")}
    assert found["IOM 50th Anniversary Campaign"] is None
    assert found["Belgian Information Campaign"] == 2001
    assert found["Campaign for People in Need of International Protection"] == 2002


def test_undated_repeats_of_one_event_are_one():
    en = ("The Plan was submitted at the Third South American Conference on Migration in Quito. The aims "
          "were set for the Plan of Action adopted at the Third South American Conference.")
    assert events(en, "en") == [("conference", "Third South American Conference on Migration", None)]


def test_a_kind_word_for_what_something_offers_is_not_an_event():
    en = "The Conference, entitled Arab Migration in a Globalized World (2 to 4 September 2003, Cairo), provided a forum for Arab countries."
    assert events(en, "en") == [("conference", "Arab Migration in a Globalized World", 2003)]
    assert events("La Conferencia ofrece un foro para el diálogo desde 2003.") == []


def test_a_title_set_off_by_commas_and_dated_by_its_clause():
    en = ("IOM prepared the Conclusions of the Forum, Education for Migration, which was jointly organized by "
          "IOM and the Organization of Iberoamerican States in August 2001.")
    assert events(en, "en") == [("forum", "Education for Migration", 2001)]
    # without a clause saying when it was held the comma does not set off a title
    assert events("The Forum, Education for Migration, discussed school curricula.", "en") == []


def test_a_process_named_with_its_dates_is_a_session_one_per_date():
    en = ("IOM organized the Labour Migration Ministerial Consultations for Countries of Origin in Asia "
          "(1 to 2 April 2003, Colombo), hosted by the Government of Sri Lanka.")
    assert event_fields(en, "en", ("title", "year", "location", "process_id")) == [
        ("Labour Migration Ministerial Consultations for Countries of Origin in Asia", 2003, "Colombo",
         "colombo_process")]
    en = ("Participants at the Bali Ministerial Conference on People Smuggling, Trafficking in Persons and Related "
          "Transnational Crime, convened on 26 to 28 February 2002 and on 28 to 30 April 2003 respectively, "
          "recognized the value of IOM.")
    assert event_fields(en, "en", ("date_start", "date_end")) == [("2002-02-26", "2002-02-28"),
                                                                  ("2003-04-28", "2003-04-30")]


def test_the_next_session_and_a_bare_year_after_a_held_verb():
    en = ("With the support of IOM, the second Western Mediterranean meeting was organized in Morocco in 2003. "
          "IOM will also assist in the preparations for the next Ministerial Consultation, which will be held "
          "in Bali in 2004.")
    assert events(en, "en") == [("meeting", "Second Western Mediterranean meeting", 2003),
                                ("consultation", "next Ministerial Consultation", 2004)]
    # a year that no held-verb ties to the mention dates nothing
    assert events("The regional meeting on border management discussed the 2003 report.", "en") == []


def test_a_meeting_heading_is_an_event_when_the_text_under_it_dates_it():
    text = ("Regional Ministerial Meeting on “Cooperation Dialogue on Migration in the Western Mediterranean”\n\n"
            "52. Representatives of ten Governments participated in a ministerial meeting held on 16 and 17 "
            "October 2002 in Tunis.\n\n"
            "Regional Meeting on Border Management\n\n"
            "53. This initiative aims to launch a platform for regular consultations.\n")
    assert events(text, "en") == [
        ("meeting", "Regional Ministerial Meeting on Cooperation Dialogue on Migration in the Western Mediterranean",
         2002)]


def test_a_title_cased_title_after_a_kind_word_and_a_colon():
    en = ("IOM contributes staff to teach the compulsory course: A World in Motion and its Impact on Women: "
          "The Feminization of International Migration. Within this course, one session focuses on asylum.")
    assert events(en, "en") == [
        ("course", "A World in Motion and its Impact on Women: The Feminization of International Migration", None)]
    assert events("The workshop: participants discussed the draft plan in May 2002.", "en") == []


def test_a_date_held_by_an_earlier_event_does_not_date_a_later_one():
    es = ("Tras la Mesa Redonda sobre gestión de la migración regional, celebrada en junio de 2002, este documento "
          "sirve de documento de trabajo para la reunión sobre actualización de los acontecimientos regionales.")
    assert events(es) == [("round_table", "Mesa Redonda sobre gestión de la migración regional", 2002)]
    # without a held-verb the earlier date is the sentence's, and dates the later mention
    en = "18th Inter-American Conference, Guayaquil, June 4-7, 2007: recommendations from the Seminar on Migration and Vulnerability"
    assert ("seminar", "Seminar on Migration and Vulnerability", 2007) in events(en, "en")


def test_an_abbreviation_does_not_end_the_sentence():
    # bug: "Dr." ended the sentence, so "In March" no longer dated the meeting after it
    en = ("In March, Dr. Norberto Liwski participated in the follow-up meeting on the project to promote "
          "children's rights in the provinces of Misiones and Formosa.")
    assert [(k, y) for k, _, y in events(en, "en")] == [("meeting", 2003)]


def test_a_year_before_a_title_or_closing_a_title_line():
    en = "The Department met prior to the 2007 OAS General Assembly."
    assert events(en, "en") == [("meeting", "OAS General Assembly", 2007)]
    assert event_fields("The 1996 CIS Conference in Geneva adopted a Programme of Action.", "en",
                        ("title", "year", "process_id")) == [("CIS Conference", 1996, "cis_conference")]
    assert events("1. Youth Consultation for General Assembly (GA) 2008\n\nThe DEC explores the idea.\n", "en") == [
        ("consultation", "Youth Consultation for General Assembly", 2008)]
    # a body without a year stays a body
    assert events("The OAS General Assembly adopted resolutions on migrant workers.", "en") == []


def test_names_and_adjectives_before_a_kind_word_belong_to_the_title():
    en = "The Secretariat participated in the Caribbean regional seminar held November 5-8, 2007 in the Cayman Islands."
    assert events(en, "en") == [("seminar", "Caribbean regional seminar", 2007)]
    en = "In 2002, IOM lectured at the Centre for Refugee Studies' Summer Course at York University."
    assert events(en, "en") == [("course", "Centre for Refugee Studies' Summer Course at York University", 2002)]
    en = "The XVII World Congress on Safety and Health at Work was held in September 2005 in Orlando."
    assert events(en, "en") == [("conference", "XVII World Congress on Safety and Health at Work", 2005)]


def test_a_repeat_named_by_its_place_is_the_event_held_there():
    es = ("México participó en la “Conferencia Hemisférica Sobre Migración Internacional: Derechos Humanos y Trata "
          "de Personas en las Américas”, que se realizó en Santiago, Chile, del 20-22 de noviembre 2002.\n\n"
          "Aunque la Conferencia Hemisférica en Santiago representó un esfuerzo significativo, no fue el único.")
    assert event_fields(es, "es", ("title", "year", "location")) == [
        ("Conferencia Hemisférica Sobre Migración Internacional", 2002, "Santiago")]


def test_a_conference_named_after_its_members_is_a_body_unless_numbered_or_dated():
    en = ("IOM briefed the Conference of African Ministers of Finance on remittances. The 15th Conference of "
          "Ministers of Labour (May 2007) adopted a plan.")
    assert events(en, "en") == [("conference", "15th Conference of Ministers of Labour", 2007)]


def test_an_elided_title_far_from_the_full_one_in_the_document():
    en = ("The Secretariat prepared input for the Fifth Summit.\n\n"
          "Migration was on the agenda of the Fourth Summit of the Americas, and of its follow-up.\n")
    assert [t for _, t, _ in events(en, "en")] == ["Fifth Summit of the Americas", "Fourth Summit of the Americas"]
    en = ("The Second Meeting of National Authorities on Trafficking in Persons, Buenos Aires, March 25-27, 2009, "
          "reviewed the recommendations of the First Meeting (Isla de Margarita, Venezuela, 2006).")
    assert events(en, "en") == [
        ("meeting", "Second Meeting of National Authorities on Trafficking in Persons", 2009),
        ("meeting", "First Meeting of National Authorities on Trafficking in Persons", 2006)]


def test_the_sentence_before_dates_only_through_a_kind_word_that_is_no_event_or_name():
    es = ("El Taller Regional sobre Protección de Niños tuvo lugar en San José los días 1 y 2 de diciembre de 2005. "
          "El taller dio seguimiento a las recomendaciones del Taller sobre Retorno de Menores Migrantes.")
    assert ("workshop", "Taller sobre Retorno de Menores Migrantes", None) in events(es)
    en = ("The Summits Secretariat participated in a meeting on 5 November 2007. The partnerships add input to "
          "the Seminar on Border Management.")
    assert ("seminar", "Seminar on Border Management", None) in events(en, "en")


# ---------------------------------------------------------------- events: review findings (stop 13)

def test_spanish_ordinals_number_sessions():
    es = ("La Primera Reunión de la Red de Funcionarios de Enlace se realizó en mayo de 2003. La Segunda Reunión "
          "de la Red de Funcionarios de Enlace se realizó el 20 de mayo de 2003.")
    assert [t for _, t, _ in events(es)] == ["Primera Reunión de la Red de Funcionarios de Enlace",
                                             "Segunda Reunión de la Red de Funcionarios de Enlace"]
    assert events("La OIM participó en la Segunda Reunión de la Red de Funcionarios de Enlace.") == [
        ("meeting", "Segunda Reunión de la Red de Funcionarios de Enlace", None)]


def test_the_body_before_a_possessive_is_its_whole_name_and_not_a_country():
    es = "La Red de Funcionarios de Enlace celebró su reunión anual el 3 de mayo de 2003."
    assert events(es) == [("meeting", "Reunión de la Red de Funcionarios de Enlace", 2003)]
    en = "In May 2003, Mexico hosted its first regional meeting on migration."
    assert events(en, "en") == [("meeting", "First regional meeting on migration", 2003)]
    # an event's own sessions are no new event
    en = "The Regional Seminar on Migration Law held its closing session on 3 May 2003 in Lima."
    assert events(en, "en") == [("seminar", "Regional Seminar on Migration Law", 2003)]


def test_a_full_name_is_taken_only_when_it_continues_the_reference():
    es = ("Red de Protección Consular\n\n"
          "La Red de funcionarios de enlace recomendó esta actividad durante su reunión del 26 de mayo de 2003.")
    assert events(es) == [("meeting", "Reunión de la Red", 2003)]


def test_a_quoted_title_is_not_split_on_its_and():
    text = "IOM supported the campaign “Youth Campaign and the Health Campaign” in Lima."
    assert event_fields(text, "en", ("title",)) == [("Youth Campaign and the Health Campaign",)]


def test_a_label_letter_ends_a_sentence_an_initial_does_not():
    en = "See the list in Annex A. The workshop on border management was held in May 2003."
    assert events(en, "en") == [("workshop", "Workshop on border management", 2003)]
    assert events("In May 2003, J. Smith gave a course on asylum law.", "en") == [
        ("course", "Course on asylum law", 2003)]


def test_what_looks_like_a_role_or_an_idiom_may_be_an_event():
    en = "In May 2003, IOM provided a training course for border officials of Kazakhstan."
    assert events(en, "en") == [("course", "Training course for border officials of Kazakhstan", 2003)]
    es = "La OIM participó en el Curso de Capacitación sobre Derechos Humanos, realizado en mayo de 2003."
    assert events(es) == [("course", "Curso de Capacitación sobre Derechos Humanos", 2003)]
    assert events("Un taller de capacitación fue organizado.") == []


def test_an_organisation_between_commas_is_no_title():
    en = "After the workshop, IOM Colombia, which conducted it in March 2003, published a report."
    assert events(en, "en") == []


def test_a_sentence_without_its_full_stop_is_no_heading():
    text = ("IOM will also hold a Seminar on Migration Law (see Annex 2)\n\n"
            "On 3 May 2003, the Government of Peru signed an agreement with IOM.\n")
    # not dated as a heading by the date below it; the document's one year is only a fallback
    assert event_fields(text, "en", ("kind", "title", "year_rule_id")) == [
        ("seminar", "Seminar on Migration Law", "year.document_sole_year")]


def test_a_heading_year_after_since_dates_nothing():
    def rows(heading: str) -> list[tuple]:
        text = heading + "\n\n• A Seminar on Labour Migration is planned with the ministries.\n"
        paragraphs = paragraphs_of(text, "en")
        return [(r["title"], r["year"]) for r in found_events(extract_document("t", text, paragraphs, lambda _: 1, None))]

    assert rows("Activities in 2009:") == [("Seminar on Labour Migration", 2009)]
    assert rows("Cooperation since 1996:") == [("Seminar on Labour Migration", None)]


def test_a_city_before_its_country_is_the_location_not_part_of_the_title():
    en = "SEGIB hosted the Ibero-American Meeting on Migration and Development in Madrid, Spain, on July 18-19, 2006."
    rows = found_events(extract(en, "en"))
    assert [(r["title"], r["location"], en[r["char_start"]:r["char_end"]]) for r in rows] == [
        ("Ibero-American Meeting on Migration and Development", "Madrid",
         "Ibero-American Meeting on Migration and Development")]
    # "in Persons" is no place: no country follows
    assert events("The Workshop on Trafficking in Persons was held in 2003.", "en") == [
        ("workshop", "Workshop on Trafficking in Persons", 2003)]


def test_a_numbered_title_is_one_event_dated_where_its_year_is_stated():
    es = ("VI Conferencia Sudamericana sobre Migraciones (Asunción, 2006)\n\n"
          "Entre la V y la VI Conferencia, en 2005, los coordinadores mantuvieron reuniones técnicas.\n")
    assert [(t, y) for _, t, y in events(es)] == [("VI Conferencia Sudamericana sobre Migraciones", 2006)]
    es = ("Para el primer semestre de 2009 se prevé un taller en Lima.\n\n"
          "Se llevará a cabo en Buenos Aires, del 10 al 14 de noviembre, el II Curso Regional sobre Derecho "
          "Internacional de la Migración.\n\n"
          "10 al 14 de noviembre de 2008 – II Curso Regional sobre Derecho Internacional de la Migración (Buenos Aires)\n")
    rows = [(r["title"], r["date_start"]) for r in found_events(extract(es, year=None))]
    assert rows == [("II Curso Regional sobre Derecho Internacional de la Migración", "2008-11-10")]


def test_an_agenda_line_opened_by_a_year_dates_its_event():
    es = "2009 – IX Conferencia Sudamericana sobre Migraciones (Quito, Ecuador; fecha por confirmar)"
    assert events(es) == [("conference", "IX Conferencia Sudamericana sobre Migraciones", 2009)]


def test_an_upper_case_heading_of_kinds_is_no_event():
    assert events("REDES, TALLERES Y CAPACITACIÓN\n\nLa Red se reunió en Quito.\n") == []


def test_a_date_in_the_other_language_with_its_year_is_found():
    text = "Documento de trabajo, 17 November 2005. La reunión del Proceso de Puebla se celebró en marzo."
    rows = extract(text, "es", year=2005)["dates"]
    assert ("2005-11-17", "day") in {(r["date_iso"], r["precision"]) for r in rows}
    # but a year-less English month in Spanish text is no date of its own ('March' alone)
    assert not any(r["text"] == "March" for r in extract("El informe de March, un autor.", "es")["dates"])


def test_the_year_a_membership_holds_for():
    founding = extract("La Conferencia Sudamericana sobre Migraciones fue creada en Lima en el año 2000 por "
                       "Bolivia, Chile y Perú.", "es", year=2003)["memberships"]
    assert {(r["member_id"], r["year"], r["basis"]) for r in founding} == {
        ("BOL", 2000, "founding"), ("CHL", 2000, "founding"), ("PER", 2000, "founding")}
    stated = extract("Los países miembros de la Conferencia Regional sobre Migración, creada en 1996, son: "
                     "Belice y Canadá.", "es", year=2003)["memberships"]
    assert {r["year"] for r in stated} == {2003}  # the cover's year, not the founding year in the sentence
    rows = extract("La Quinta Conferencia Sudamericana sobre Migraciones se celebró en La Paz en noviembre de 2004 "
                   "con la participación de Bolivia y Chile.", "es", year=None)
    events = {e["event_id"]: e for e in rows["events"]}
    participants = rows["memberships"]
    assert {r["role"] for r in participants} == {"participant"} and {r["year"] for r in participants} == {2004}
    assert all(r["event_id"] in events and events[r["event_id"]]["year"] == 2004 for r in participants)


def test_table_with_member_and_observer_columns():
    text = ("Process\tMembers\tObservers\tSecretariat\n"
            "Almaty Process\tKazakhstan; Tajikistan\tTurkmenistan\tIOM\n"
            "Migration Dialogue for Southern Africa\tall SADC Member States\tn/a\tSADC Secretariat")
    assert memberships(text, "en") == {("almaty_process", "KAZ", "member"), ("almaty_process", "TJK", "member"),
                                       ("almaty_process", "TKM", "observer")}


def test_a_paragraph_longer_than_spacys_default_limit_is_read():
    """bug: a paragraph over spaCy's max_length (1,000,000 characters: one unbroken line)
    failed its document; the rule pipeline has no parser or NER whose memory the limit guards."""
    from extractors.context import pipeline_for

    doc = pipeline_for("en")("The Bali Process met. " + "x" * 1_000_001)
    assert "Bali Process" in [s.text for s in doc.spans["processes"]]


def test_a_timeline_of_numbered_sessions_gives_one_event_each():
    text = ("The South American Conference on Migration (CSM) has been meeting yearly since 2000: II CSM in Santiago de "
            "Chile (2001); III CSM in Quito (2002); IV CSM in Asunción, Paraguay (2003), V in La Paz, "
            "Bolivia (2004); 7th in Caracas, Venezuela (2007).")
    found = event_fields(text, "en", ("kind", "title", "year", "location", "rule_id"))
    assert [f[:4] for f in found] == [("conference", "II CSM", 2001, "Santiago de Chile"),
                                      ("conference", "III CSM", 2002, "Quito"),
                                      ("conference", "IV CSM", 2003, "Asunción"),
                                      ("conference", "V CSM", 2004, "La Paz"),
                                      ("conference", "7th CSM", 2007, "Caracas")]
    assert {f[4] for f in found} == {"event.timeline"}


def test_two_numbered_items_or_no_process_acronym_are_no_timeline():
    two = ("The South American Conference on Migration (CSM) met twice: II CSM in Santiago de Chile (2001); "
           "III CSM in Quito, Ecuador (2002).")
    assert not [f for f in event_fields(two, "en", ("rule_id",)) if f[0] == "event.timeline"]
    unnamed = "Chapters: II XYZ in Lima (2001); III XYZ in Quito (2002); IV XYZ in La Paz (2003)."
    assert not [f for f in event_fields(unnamed, "en", ("rule_id",)) if f[0] == "event.timeline"]


def test_a_timeline_one_session_per_line():
    text = ("Historia de la Conferencia Sudamericana sobre Migraciones (CSM)\n\nI CSM – 2000 – Buenos Aires\n\n"
            "II CSM – 2001 – Santiago\n\nIII CSM – 2002 – Quito\n\nLa CSM sigue reuniéndose.")
    found = event_fields(text, "es", ("title", "year", "location", "rule_id"))
    assert found == [("I CSM", 2000, "Buenos Aires", "event.timeline"), ("II CSM", 2001, "Santiago", "event.timeline"),
                     ("III CSM", 2002, "Quito", "event.timeline")]


@pytest.mark.parametrize("text, lang, year", [
    ("La XXVIII Conferencia Regional de Migración (CRM), foro que reúne a gobiernos y organizaciones de la "
     "región, tuvo lugar hace poco en Panamá, país que había asumido la presidencia a lo largo del año "
     "2023.", "es", 2023),
    ("Ten governments came; held in the year 2000, the I South American Conference on "
     "Migration in Buenos Aires agreed to invite Guyana.", "en", 2000),
    # the year is another event's, in its parentheses; the held verb is that event's
    ("IOM also organized the Second Technical Consultative Meeting (Paraguay, 2003) in preparation for the "
     "Fourth South American Conference on Migration, with the participation of ten countries.", "en", None),
])
def test_a_numbered_session_said_to_be_held_takes_the_one_year_of_its_sentence(text, lang, year):
    found = {f[0]: f[1] for f in event_fields(text, lang, ("title", "year"))}
    session = next(t for t in found if "South American" in t or "XXVIII" in t)
    assert found[session] == year


@pytest.mark.parametrize("text, title, location, location_rule_id", [
    ("Uganda hosted the 8th Regional Consultative Process meeting on migration in Kampala ahead of the summit on "
     "5 May 2019.", "8th Regional Consultative Process meeting on migration", "Kampala", "location.after_title"),
    ("Delegates praised the Fourth Senior Officials' Meeting of the Colombo Process Colombo, Sri Lanka held on 8 July 2016.",
     "Fourth Senior Officials' Meeting of the Colombo Process", "Colombo", "location.title_dateline"),
    ("The Ministers met at the Meeting in Budapest on 6 October 2016.", "Meeting in Budapest", "Budapest",
     "location.locative"),
    ("SEGIB hosted the Ibero-American Meeting on Migration and Development in Madrid, Spain, on July 18-19, 2006.",
     "Ibero-American Meeting on Migration and Development", "Madrid", "location.after_title"),
    ("The Regional Workshop on Return Migration (Dakar, March 2012) trained officials.",
     "Regional Workshop on Return Migration", "Dakar", "location.parens"),
    ("Accra Hosts 3rd Regional Forum on Labour Mobility, 4 May 2015", "3rd Regional Forum on Labour Mobility", "Accra",
     "location.host"),
])
def test_a_place_closes_a_title(text, title, location, location_rule_id):
    """The place and the id of the rule that read it reach the row (issue 29: every gazetteer
    decision has an id)."""
    assert event_fields(text, "en", ("title", "location", "location_rule_id")) == [(title, location, location_rule_id)]


def test_a_sentence_opening_preposition_is_no_body_name():
    text = "During its 4th meeting of the steering committee, held on 3 March 2015, the group adopted a plan."
    assert event_fields(text, "en", ("title", "year")) == [("4th meeting of the steering committee", 2015)]


def test_an_untitled_meeting_named_by_its_adjective():
    text = ("En mayo de 2014 se celebró una reunión exploratoria con la Comisión de la Unión Africana (AUC) y los "
            "países principales implicados.")
    assert events(text) == [("meeting", "Reunión exploratoria", 2014)]


def test_one_numbered_session_written_two_ways_is_one_event():
    text = ("La Octava Reunión de la Conferencia Regional sobre Migración que tuvo lugar en Tegucigalpa el 4 y 5 de "
            "junio de 2003, adoptó un plan.\n\nLo acordado en la VIII Conferencia Regional sobre Migración pasará "
            "a la XI Reunión Intersesional de la Conferencia Regional sobre Migración.")
    found = [(title, year) for _, title, year in events(text)]
    assert ("Octava Reunión de la Conferencia Regional sobre Migración", 2003) in found
    assert not any(title.startswith("VIII") for title, _ in found)
    assert any(title.startswith("XI Reunión Intersesional") for title, _ in found)


def test_two_numbered_sessions_sharing_their_body_are_two_events():
    text = ("Our minister will address the 2nd Senior Official Meeting and the 3rd Ministerial Meeting of "
            "the Colombo Process, to be held in Colombo, Sri Lanka on 12th and 13th August 2016.")
    assert events(text, "en") == [("meeting", "2nd Senior Official Meeting of the Colombo Process", 2016),
                                  ("meeting", "3rd Ministerial Meeting of the Colombo Process", 2016)]
    # a title whose own complement comes before the 'and' stays one
    assert [t for _, t, _ in events("The Fourth Conference of Ministers and the Heads of Delegation met in 2004.",
                                    "en")] == ["Fourth Conference of Ministers and the Heads of Delegation"]


def test_an_untitled_session_dated_after_a_held_verb_past_a_long_predicate():
    text = ("The first meeting of the Core Group was prepared and chaired by the Labour Ministry of the "
            "Kingdom of Sweden and took place in Warsaw on 14 October 2012.")
    assert event_fields(text, "en", ("title", "year", "year_rule_id", "location")) == [
        ("First meeting of the Core Group", 2012, "year.held_verb", "Warsaw")]
    # another kind word between them takes the date
    text = ("A workshop for journalists was organised by the Ministry of Labour with several partners, and "
            "the Regional Seminar on Labour Migration took place in Lima on 3 May 2004.")
    assert [(t, y) for _, t, y in events(text, "en")] == [("Regional Seminar on Labour Migration", 2004)]
    text = ("Otro fue un taller sobre Políticas de Retorno Voluntario, dedicado a la reintegración de quienes "
            "regresan a sus comunidades, con funcionarios de nueve países, realizado en julio de 2011.")
    assert [(t, y) for _, t, y in events(text)] == [("Taller sobre Políticas de Retorno Voluntario", 2011)]
    # a meeting that only says when something else happened takes no date from far
    text = ("Since the ECLAC session in Uruguay, a number of activities have taken place that involved support "
            "for preparations for the exchange of information of the governments of the region on their "
            "programmes, held in September 2006.")
    assert not [t for _, t, _ in events(text, "en") if t.startswith("ECLAC")]


def test_a_title_goes_on_past_an_acronym_in_parentheses_and_a_hyphenated_adjective():
    text = ("As announced, the Sixth Abu Dhabi Dialogue (ADD) Ministerial Consultation is to open in Dubai on "
            "10 February 2024.")
    assert ("consultation", "Sixth Abu Dhabi Dialogue (ADD) Ministerial Consultation", 2024) in events(text, "en")
    text = "Senior-level MIDSA meeting, Maseru Lesotho, 3-5 June 2013\n\nThe meeting was opened."
    assert [t for _, t, _ in events(text, "en")] == ["Senior-level MIDSA meeting"]
    # a place in parentheses is no acronym: the title starts after it
    assert [t for _, t, _ in events("IOM (Geneva) Seminar on Migration was held in 2005.", "en")] == [
        "Seminar on Migration"]


def test_an_undated_title_takes_date_and_place_of_its_one_dated_descriptor():
    text = ("The Rabat Process was launched by a ministerial conference on 10 July 2006 in Madrid, Spain.\n\n"
            "Many states have since endorsed the Action Plan of the Ministerial Conference of the "
            "Rabat Process.")
    assert event_fields(text, "en", ("title", "year", "location")) == [
        ("Ministerial Conference of the Rabat Process", 2006, "Madrid")]


def test_a_bare_number_before_a_process_name_is_no_session():
    text = "2 Conferencia Sudamericana sobre Migraciones\n\n05/03/2018 La CSM aprobó su informe."
    assert not [t for _, t, _ in events(text)]
    assert [t for _, t, _ in events("La XII Conferencia Regional sobre Migración se celebró en Panamá en mayo de 2007.")] == [
        "XII Conferencia Regional sobre Migración"]


def test_a_quoted_name_right_before_its_kind_word_is_the_title():
    text = "The process was launched at the “Partnerships for Return” ministerial meeting in Rabat in May 2012."
    assert event_fields(text, "en", ("title", "year")) == [("Partnerships for Return", 2012)]
    # a quoted name of a body, then a verb phrase before the kind word: no title of an event
    text = "IOM assisted the “Union of Returned Workers” in organizing seminars on rights in 2003."
    assert "Union of Returned Workers" not in [t for t, in event_fields(text, "en", ("title",))]


def test_a_news_item_is_about_the_numbered_session_it_names_first():
    """A text written from its own date ('ayer') is about the session it names first, which
    takes the document's year when nothing else dates it; a history (no such words) is not."""
    news = ("ACCRA, 14 mar 2019 (GNA) – Los ministros acordaron ayer un plan común.\n\n"
            "La III Reunión Ministerial del Proceso de Rabat, celebrada en un hotel del centro, reunió a 20 países.\n\n"
            "La reunión anterior se celebró en Dakar en 2015.\n")
    rows = found_events(extract_document("t", news, paragraphs_of(news, "es"), lambda _: 1, 2019, doc_date="2019-03-14"))
    assert [(r["title"], r["year"], r["year_rule_id"]) for r in rows] == [
        ("III Reunión Ministerial del Proceso de Rabat", 2019, "year.news_lead")]
    history = news.replace("acordaron ayer", "acordaron entonces")
    rows = found_events(extract_document("t", history, paragraphs_of(history, "es"), lambda _: 1, 2019,
                                         doc_date="2019-03-14"))
    assert [r["year_rule_id"] for r in rows] != ["year.news_lead"]


def test_a_row_lists_every_place_the_document_states_it():
    """A membership stated twice and an event mentioned twice: each row's mention_spans
    gives both places (its own first), which the review page highlights and links."""
    text = ("Los Estados miembros de la Conferencia Regional sobre Migración son Belice, Canadá y Costa Rica.\n\n"
            "El Seminario sobre Migración y Salud (2004) se celebró en Antigua.\n\n"
            "En la Conferencia Regional sobre Migración, los Estados miembros son Belice, Canadá y Costa Rica.\n\n"
            "El Seminario sobre Migración y Salud (2004) reunió a los países miembros.")
    rows = extract(text)
    belize = [r for r in rows["memberships"] + rows["membership_candidates"] if r["member_id"] == "BLZ"]
    assert len(belize) == 1
    spans = [tuple(map(int, s.split("-"))) for s in belize[0]["mention_spans"]]
    assert spans[0] == (belize[0]["char_start"], belize[0]["char_end"]) and len(spans) == 2
    assert [text[a:b] for a, b in spans] == ["Belice", "Belice"]
    seminar = [r for r in found_events(rows) if r["title"].startswith("Seminario sobre Migración y Salud")]
    assert len(seminar) == 1
    spans = [tuple(map(int, s.split("-"))) for s in seminar[0]["mention_spans"]]
    assert len(spans) == 2 and spans[0] == (seminar[0]["char_start"], seminar[0]["char_end"])
    assert all(text[a:b].startswith("Seminario sobre Migración y Salud") for a, b in spans)
