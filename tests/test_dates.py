"""Dates and date ranges on hand-written Spanish and English sentences."""
import json

import pytest

from extractors.dates import RULES_PATH, YEAR_DIGITS, DateMention, find_dates, load_grammar, reporting_period


def spans(text: str, lang: str | None = None, default_year: int | None = None) -> list[tuple]:
    return [(m.date_start, m.date_end, m.precision, m.is_range) for m in find_dates(text, lang, default_year)]


def one(text: str, lang: str | None = None, default_year: int | None = None) -> DateMention:
    found = find_dates(text, lang, default_year)
    assert len(found) == 1, found
    return found[0]


RULES = [json.loads(line) for line in RULES_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_rule_ids_are_unique_and_rules_have_examples():
    ids = [r["id"] for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r["description"] and r["lang"] in ("es", "en", "any")
        if r["kind"] == "rule":
            assert r["id"].startswith("date.") and r["examples"]


def test_every_rule_but_the_yearless_ones_matches_a_year():
    # find_dates(only_if_year=True) skips texts without YEAR_DIGITS on this ground
    for lang in ("es", "en", None):
        rules, _ = load_grammar().rules_by_lang[lang]
        for rule in rules:
            if "yearless" not in rule.id:
                assert "(?P<y" in rule.regex.pattern, rule.id
                for example in next(r for r in RULES if r["id"] == rule.id)["examples"]:
                    assert YEAR_DIGITS.search(example), (rule.id, example)


def test_month_gates_never_hide_a_month():
    """A rule needing a month is tried only where its month piece's literal gate opens
    (pipeline.nlp.literals): on every example, upper-cased too, the gate opens wherever
    the month piece matches."""
    from pipeline.nlp.fold import fold_keeping_offsets

    checked = 0
    for lang in ("es", "en", None):
        for rule in load_grammar().rules_by_lang[lang][0]:
            if rule.needs is None:
                continue
            for example in next(r for r in RULES if r["id"] == rule.id)["examples"]:
                for text in (example, example.upper(), f"“{example}”"):
                    folded = fold_keeping_offsets(text)
                    if rule.needs.regex.search(folded):
                        checked += 1
                        assert rule.needs.may_match(folded), (rule.id, text)
    assert checked > 100


def test_only_if_year_finds_nothing_without_a_year_and_everything_with_one():
    assert find_dates("el 12 de marzo", "es", 2004) and not find_dates("el 12 de marzo", "es", 2004, only_if_year=True)
    text = "el 12 de marzo y el 3 de abril de 2004"
    assert find_dates(text, "es", only_if_year=True) == find_dates(text, "es")


@pytest.mark.parametrize("rule,example", [(r, ex) for r in RULES if r["kind"] == "rule" for ex in r["examples"]],
                         ids=lambda x: x["id"] if isinstance(x, dict) else x)
def test_each_rule_matches_its_examples_whole(rule, example):
    lang = None if rule["lang"] == "any" else rule["lang"]
    m = one(f"Texto: {example}.", lang, default_year=2003)
    assert m.rule_id == rule["id"]
    # a rule with a group t matches a cue ("in early") that is not part of the date
    assert m.text == example if "(?P<t>" not in rule["pattern"] else example.endswith(m.text)


@pytest.mark.parametrize("sentence,expected", [
    ("La reunión se celebró el 10 de noviembre de 2003 en Ginebra.", ("2003-11-10", "2003-11-10", "day", False)),
    ("Se envió una carta el 13 de febrero 2003 a los países.", ("2003-02-13", "2003-02-13", "day", False)),
    ("El acuerdo entró en vigor el 1º de marzo de 2002.", ("2002-03-01", "2002-03-01", "day", False)),
    ("La oficina abrió en Setiembre 2001 con tres funcionarios.", ("2001-09", "2001-09", "month", False)),
    ("El estudio comenzó en septiembre de 2001.", ("2001-09", "2001-09", "month", False)),
    ("Lo aprobó el grupo en octubre 2002.", ("2002-10", "2002-10", "month", False)),
    ("Lo aprobó el grupo en octubre de 2002.", ("2002-10", "2002-10", "month", False)),
    ("The network was launched in October 2000.", ("2000-10", "2000-10", "month", False)),
    ("El taller tuvo lugar del 29-31 de octubre de 2002 en Managua.", ("2002-10-29", "2002-10-31", "day", True)),
    ("El taller tuvo lugar del 29 al 31 de octubre de 2002 en Managua.", ("2002-10-29", "2002-10-31", "day", True)),
    ("Se reunirán del 2 al 4 de septiembre de 2003.", ("2003-09-02", "2003-09-04", "day", True)),
    ("The seminar ran from 2 to 4 September 2003 in Rabat.", ("2003-09-02", "2003-09-04", "day", True)),
    ("Experts met 19 to 21 March 2003 in Vienna.", ("2003-03-19", "2003-03-21", "day", True)),
    ("A workshop (26-28 February 2002, Bangkok) was held.", ("2002-02-26", "2002-02-28", "day", True)),
    ("Los ministros se reunieron el 16 y 17 de octubre de 2002.", ("2002-10-16", "2002-10-17", "day", True)),
    ("Ministers met on 16 and 17 October 2002 in Tunis.", ("2002-10-16", "2002-10-17", "day", True)),
    ("La conferencia será del 30 de noviembre al 2 de diciembre de 2002.", ("2002-11-30", "2002-12-02", "day", True)),
    ("The course was given May 31-June 2, 2007 in Quito.", ("2007-05-31", "2007-06-02", "day", True)),
    ("El informe cubre el período noviembre 2002 – mayo 2003.", ("2002-11", "2003-05", "month", True)),
    ("The project ran November 2001 – March 2002 in Baku.", ("2001-11", "2002-03", "month", True)),
    ("Informe oral para el período junio – octubre 2002.", ("2002-06", "2002-10", "month", True)),
    ("A campaign was carried out from October to December 2001.", ("2001-10", "2001-12", "month", True)),
    ("Una campaña se realizó de octubre a diciembre de 2001.", ("2001-10", "2001-12", "month", True)),
    ("Training continued from June 2002 until May 2003.", ("2002-06", "2003-05", "month", True)),
    ("El plan rige desde enero hasta junio de 2004.", ("2004-01", "2004-06", "month", True)),
    ("Surveys were done between March 2006 and April 2008.", ("2006-03", "2008-04", "month", True)),
    ("The Work Plan was approved on March 13, 2008 by the Committee.", ("2008-03-13", "2008-03-13", "day", False)),
    ("The Work Plan was approved on 13 March 2008 by the Committee.", ("2008-03-13", "2008-03-13", "day", False)),
    ("Talks began in Manila in December 1996.", ("1996-12", "1996-12", "month", False)),
    ("The May 2002 meeting adopted a plan.", ("2002-05", "2002-05", "month", False)),
    ("Un informe del 5 de dic. de 2001 lo confirma.", ("2001-12-05", "2001-12-05", "day", False)),
    ("The report of Sep. 2003 says so.", ("2003-09", "2003-09", "month", False)),
    ("El informe de Octúbre 2002 lo dice.", ("2002-10", "2002-10", "month", False)),  # stray accent
    ("The form is dated 15/02/2008.", ("2008-02-15", "2008-02-15", "day", False)),
    ("The form is dated 2008-02-15.", ("2008-02-15", "2008-02-15", "day", False)),
])
def test_finds_date(sentence, expected):
    assert spans(sentence) == [expected]


def test_offsets_order_and_longest_match():
    text = "En el período noviembre 2002 – mayo 2003 hubo reuniones; el 8 de abril de 2003 se firmó."
    found = find_dates(text, "es")
    assert [m.text for m in found] == ["noviembre 2002 – mayo 2003", "8 de abril de 2003"]
    for m in found:
        assert text[m.start:m.end] == m.text
    assert found[0].rule_id == "date.es.month_year_range"


def test_range_backwards_across_new_year_starts_the_year_before():
    assert spans("del 30 de diciembre al 2 de enero de 2003") == [("2002-12-30", "2003-01-02", "day", True)]
    assert spans("The survey ran November – March 2002.") == [("2001-11", "2002-03", "month", True)]


@pytest.mark.parametrize("sentence", [
    "De conformidad con la Resolución 55/25 de la Asamblea General.",
    "The next meeting may be held in Geneva.",
    "May I thank the delegations for their work?",
    "May be relevant for the Member States.",
    "Delegates march on to the capital; they may march 2002 metres.",
    "Esto ocurrió en 1998 y se publicó (2002) para el período 2001-2006.",
    "El seminario se realizó en Perugia, Italia.",
    "See page 12 of 40 of document MC/INF/266.",
    "Participaron 10 de los 12 países miembros.",
    "The Plan of Action of Mar del Plata (2005) and the Mar Negro region.",
    "The 2001-2003 budget was approved.",
    "A data set 2002 and a set. of tables.",
])
def test_traps_give_no_dates(sentence):
    assert find_dates(sentence) == []


def test_yearless_date_takes_year_of_nearest_preceding_dated_mention():
    text = ("El 15 de diciembre de 2002 se pidió la información. La carta de seguimiento del "
            "13 de febrero del presente año la reiteró y el taller se realizó el 8 y 9 de mayo.")
    found = find_dates(text, "es")
    assert [m.text for m in found] == ["15 de diciembre de 2002", "13 de febrero del presente año", "8 y 9 de mayo"]
    assert [(m.date_start, m.date_end) for m in found] == [
        ("2002-12-15", "2002-12-15"), ("2002-02-13", "2002-02-13"), ("2002-05-08", "2002-05-09")]


def test_yearless_date_uses_default_year_or_is_skipped():
    assert spans("Para el 26 de mayo se ha programado una reunión.", "es", 2003) == [
        ("2003-05-26", "2003-05-26", "day", False)]
    assert find_dates("Para el 26 de mayo se ha programado una reunión.", "es") == []
    assert spans("A presentation on April 17 was given.", "en", 2008) == [("2008-04-17", "2008-04-17", "day", False)]
    assert find_dates("A presentation on April 17 was given.", "en") == []
    # A dated mention earlier in the text beats default_year.
    assert spans("In March 2006 and on April 17 this year.", "en", 2008)[-1] == ("2006-04-17", "2006-04-17", "day", False)
    assert one("Nos vemos el 3 de junio de este año.", "es", 2004).text == "3 de junio de este año"


def test_yearless_date_falls_inside_the_period_the_report_covers():
    # bug: "26 de mayo" in a report on November 2002 – May 2003 took 2002 from the paragraph
    # before (about October 2002); the period holds only May 2003
    intro = "El informe se concentra en el período que abarca desde noviembre 2002 – mayo 2003."
    period = reporting_period(intro, find_dates(intro, "es"))
    assert period == ("2002-11", "2003-05")
    assert spans("Para el 26 de mayo se ha programado una reunión.", "es", 2002) == [
        ("2002-05-26", "2002-05-26", "day", False)]
    found = find_dates("Para el 26 de mayo se ha programado una reunión.", "es", 2002, period)
    assert [(m.date_start, m.precision) for m in found] == [("2003-05-26", "day")]
    found = find_dates("Se firmó el 13 de febrero del presente año.", "es", 2002, period)
    assert [m.date_start for m in found] == ["2003-02-13"]
    # a year stated in the same text still wins, and a date the period holds in no year or
    # in two keeps the inherited year
    assert find_dates("En 2001 se reunió el 26 de mayo.", "es", 2002, period)[-1].date_start == "2001-05-26"
    assert find_dates("Se reunió el 26 de julio.", "es", 2002, period)[0].date_start == "2002-07-26"
    assert find_dates("Se reunió el 26 de julio.", "es", 2002, ("2001-01", "2003-12"))[0].date_start == "2002-07-26"
    # a range that no period cue introduces is not the report's period
    plain = "Las reuniones se celebraron de noviembre 2002 a mayo 2003."
    assert reporting_period(plain, find_dates(plain, "es")) is None
    campaign = "IOM ran the campaign covering November 2002 – February 2003 in Albania."
    assert reporting_period(campaign, find_dates(campaign, "en")) is None
    report = "This report covers the period from November 2002 to May 2003."
    assert reporting_period(report, find_dates(report, "en")) == ("2002-11", "2003-05")


def test_yearless_date_takes_a_bare_year_stated_before_it():
    text = "During 2005 the office ran two courses. The ministers met May 31-June 2 in Lima."
    assert spans(text, "en", 2008) == [("2005-05-31", "2005-06-02", "day", True)]
    assert spans("Durante el primer trimestre de 2003 se realizó el taller del 8 y 9 de mayo.", "es", 2002) == [
        ("2003-05-08", "2003-05-09", "day", True)]


@pytest.mark.parametrize("sentence,lang,expected", [
    ("In March, the specialist gave a talk.", "en", [("2008-03", "2008-03", "month", False)]),
    ("The report was presented in early April to the authorities.", "en", [("2008-04", "2008-04", "month", False)]),
    ("A finales de mayo se reunió la red.", "es", [("2008-05", "2008-05", "month", False)]),
    ("En marzo 2003 se reunió la red.", "es", [("2003-03", "2003-03", "month", False)]),
    # traps: a verb, a month without a cue, a month with a day (another rule), a name
    ("The meeting may be held in May or June.", "en", [("2008-05", "2008-05", "month", False)]),
    ("The March meeting was postponed.", "en", []),
    ("Delegates may march in protest.", "en", []),
    ("Se reunieron en marzo 15 delegados.", "es", []),
])
def test_a_month_alone_needs_a_time_cue_and_a_known_year(sentence, lang, expected):
    assert spans(sentence, lang, 2008) == expected
    assert find_dates(sentence, lang) == [] or expected[0][0][:4] != "2008"


def test_language_selects_rules():
    assert find_dates("10 de noviembre de 2003", "en") == []
    assert find_dates("10 November 2003", "es") == []
    assert spans("10 November 2003; 11 de noviembre de 2003") == [
        ("2003-11-10", "2003-11-10", "day", False), ("2003-11-11", "2003-11-11", "day", False)]
    with pytest.raises(ValueError):
        find_dates("10 November 2003", "fr")


def test_impossible_day_falls_back_to_month():
    assert spans("el 31 de junio de 2002") == [("2002-06", "2002-06", "month", False)]


RELATIVE = [r for r in RULES if r["kind"] == "relative"]


@pytest.mark.parametrize("rule, example", [(r, e) for r in RELATIVE for e in r["examples"]],
                         ids=lambda x: x["id"] if isinstance(x, dict) and "id" in x else "")
def test_relative_date_rule_reads_its_example_against_the_document_date(rule, example):
    from extractors.dates import relative_dates

    found = [(d.date_start, d.rule_id) for d in relative_dates(example["text"], rule["lang"], example["doc_date"])]
    assert (example["date"], rule["id"]) in found, found


@pytest.mark.parametrize("rule, example", [(r, e) for r in RELATIVE for e in r.get("counterexamples", [])],
                         ids=lambda x: x["id"] if isinstance(x, dict) and "id" in x else "")
def test_relative_date_rule_ignores_its_counterexample(rule, example):
    from extractors.dates import relative_dates

    found = relative_dates(example["text"], rule["lang"], example.get("doc_date", "2019-06-13"))
    assert rule["id"] not in [d.rule_id for d in found]


def test_a_date_said_from_now_takes_the_document_year_not_the_year_above():
    text = "Se recordó la reunión de Lisboa en 2018. Madrid acogerá un seminario el próximo 12 de septiembre."
    assert [d.date_start for d in find_dates(text, "es", 2018, None, 2019)] == ["2019-09-12"]
    assert [d.date_start for d in find_dates(text, "es", 2018)] == ["2018-09-12"]  # without the document's date
