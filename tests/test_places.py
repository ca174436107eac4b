"""Event places from the gazetteer (issue 29): a location is a known place, never a
capitalised word that merely follows 'in'."""
import pytest

from extractors.event_dating import Located, place_after, place_in_sentence
from extractors.places import known_place


@pytest.mark.parametrize("capture, place", [
    ("Persons", None),            # 'Trafficking in Persons'
    ("March", None),              # a town somewhere, and a month
    ("OAS", None),                # an organisation, not the town of Oas
    ("Kampala ahead", "Kampala"),
    ("MIGRACIONES Quito", "Quito"),
    ("La Paz", "La Paz"),
    ("Santiago de Chile", "Santiago de Chile"),
    ("Trinidad and Tobago", "Trinidad and Tobago"),
    ("Bali", "Bali"),             # an island: data/places_extra.jsonl
    ("Ginebra", "Ginebra"),
])
def test_known_place(capture, place):
    assert known_place(capture) == place


def test_a_capitalised_word_after_in_is_no_place():
    text = "the Regional Conference on Trafficking in Persons, held in Kampala on 3 May 2019"
    end = text.index(",")
    assert place_after(text, end, []) == Located("Kampala", "location.after_title")
    assert place_after("the Second Conference on Smuggling in Persons.", 42, []) is None


@pytest.mark.parametrize("text, place", [
    ("El 9 y 10 de junio de 2007 se celebró en la ciudad de Asunción, la Séptima Conferencia "
     "Sudamericana sobre Migraciones.", ("Asunción", "location.locative")),
    ("Nairobi Hosts 5th Meeting of the Regional Consultative Process on Migration", ("Nairobi", "location.host")),
    ("VIII CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES Montevideo, Uruguay, 17 y 18 de Septiembre de 2008", ("Montevideo", "location.dateline")),
    ("The UAE hosted the inaugural Ministerial Consultation of the Colombo Process in Abu Dhabi on 21 and "
     "22 January 2008.", ("Abu Dhabi", "location.locative")),
    ("La VII Conferencia Regional sobre Migración se reunió en la Antigua Guatemala, Guatemala, en 2002.",
     ("Antigua Guatemala", "location.locative")),
    ("The Second Regional Conference on Trafficking in Persons was a success.", None),
])
def test_the_place_of_an_event_in_its_sentence(text, place):
    start = min(i for i in (text.find("Conf"), text.find("CONF"), text.find("Meeting"), text.find("Consultation"))
                if i >= 0)
    assert place_in_sentence(text, start, start + 20) == (Located(*place) if place else None)


def test_a_city_set_off_after_a_title_before_its_country():
    text = "18th Inter-American Conference, Guayaquil, Ecuador, June 4-7, 2007"
    assert place_after(text, text.index(","), []) == Located("Guayaquil", "location.city_set_off")
    text = "At the Conference, Peru, Chile and Bolivia agreed on a plan."
    assert place_after(text, text.index(","), []) is None


@pytest.mark.parametrize("text, date", [
    ("DOHA, 3rd March, 2022 (QNA) -- The Sixth Ministerial Consultation will open", "2022-03-03"),
    ("VIII CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES Montevideo, Uruguay, 17 y 18 de Septiembre de 2008 DECLARACIÓN",
     "2008-09-17"),
    ("“Migrar con derechos” - Lima, Perú –12 de octubre de 2024", "2024-10-12"),
    ("Noticias. Actualizado 21/04/2009 a las 10:00", "2009-04-21"),
    ("WEDNESDAY, 23 MARCH 2016. Ministers met", "2016-03-23"),
    ("The meeting was held in Lima, 3 May 2019, and adopted a plan.", None),  # an event's date, not the text's
    ("LIMA, 3 mar 2016 (Andina) – Los viceministros se reunieron ayer.", "2016-03-03"),  # an abbreviation, no period
    ("Palabras del Ministro\n\nBienvenidos a esta reunión.\n\nMuchas gracias.\n\nAsunción, 8 de mayo de 2018\n",
     "2018-05-08"),  # a speech signed off with place and date on its last line
    ("Informe anual\n\nEl taller se celebró en Quito, 8 de mayo de 2018, con diez países. Fin del informe.\n", None),
])
def test_a_dateline_or_update_stamp_dates_the_document(text, date):
    from pipeline.text.docinfo import document_date

    assert document_date(text) == date


def test_a_masthead_month_and_year_gives_the_year_only():
    from pipeline.text.docinfo import document_date, document_year

    text = "MIGRATION NEWS | Issue 7 | March 2014\nNews from the processes\n\nThe workshop took place on 3-4 March."
    assert (document_date(text), document_year(text, None)) == (None, 2014)
    assert document_year("Informe de actividades del año\n\nEn marzo de 2014 se celebró un taller en Lima, con la OIM "
                         "y doce países de la región andina y del Cono Sur.", None) is None  # a sentence, no masthead


def test_a_table_row_gives_its_own_place_and_a_year_first_timeline():
    from tests.test_extractors import event_fields

    text = ("Cuadro 1. Reuniones de la CRM\n\n"
            "1999 | IV Conferencia Regional sobre Migración | 27-29 enero | San Salvador, El Salvador\n"
            "2000 | V Conferencia Regional sobre Migración | 23-24 marzo | Washington, Estados Unidos\n\n"
            "2001\tVI CRM\t15-16 marzo\tSan José, Costa Rica\n2002\tVII CRM\t20-21 mayo\tAntigua, Guatemala\n\n"
            "2003 | VIII CRM | 15-16 mayo | Cancún, México\n")
    rows = event_fields(text, "es", ("title", "year", "location"))
    assert ("V Conferencia Regional sobre Migración", 2000, "Washington") in rows
    assert [r for r in rows if r[0].endswith("CRM")] == [("VI CRM", 2001, "San José"), ("VII CRM", 2002, "Antigua"),
                                                          ("VIII CRM", 2003, "Cancún")]
