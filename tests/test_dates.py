"""Dates from content: local Swedish time, summer and winter offsets, impossible dates, Swedish names."""
from datetime import date

import pytest

from generator.content.dates import long_date, long_datetime, month_name, parse_moment, parse_now, zone

STOCKHOLM = zone("Europe/Stockholm")


@pytest.mark.parametrize("text, iso, has_time", [
    ("2015-11-02", "2015-11-02T00:00:00+01:00", False),
    ("2015-07-02", "2015-07-02T00:00:00+02:00", False),
    ("2015-03-13 13:00", "2015-03-13T13:00:00+01:00", True),  # winter time
    ("2015-07-02 10:00", "2015-07-02T10:00:00+02:00", True),  # summer time
    ("2015-07-02T10:00", "2015-07-02T10:00:00+02:00", True),
    ("2015-10-13 08.00", "2015-10-13T08:00:00+02:00", True),  # Swedish 08.00
    ("2015-07-02T08:00:00Z", "2015-07-02T10:00:00+02:00", True),  # an offset is honoured
    ("2015-12-01T10:00+0000", "2015-12-01T11:00:00+01:00", True),
    (" 2015-11-02 ", "2015-11-02T00:00:00+01:00", False),
])
def test_moments_are_local_time_in_stockholm(text, iso, has_time):
    moment = parse_moment(text, STOCKHOLM)
    assert moment.iso() == iso
    assert moment.has_time is has_time


def test_the_change_to_summer_time_is_respected():
    # 2015-03-29 02:00 the clocks went forward: 01:59 is +01:00, 03:00 is +02:00.
    assert parse_moment("2015-03-29 01:59", STOCKHOLM).iso().endswith("+01:00")
    assert parse_moment("2015-03-29 03:00", STOCKHOLM).iso().endswith("+02:00")


def test_a_time_the_clocks_skip_in_spring_is_an_error_that_names_the_gap():
    with pytest.raises(ValueError) as caught:
        parse_moment("2015-03-29 02:45", STOCKHOLM)
    assert str(caught.value) == ("'2015-03-29 02:45' finns inte i tidszonen Europe/Stockholm: klockan ställs fram "
                                 "den natten och hoppar över 02.45; menar du 03.45?")
    with pytest.raises(ValueError):
        parse_now("2015-03-29 02:00", STOCKHOLM)


def test_the_hour_that_comes_twice_in_autumn_is_the_first_unless_an_offset_says_otherwise():
    assert parse_moment("2015-10-25 02:30", STOCKHOLM).iso() == "2015-10-25T02:30:00+02:00"
    assert parse_moment("2015-10-25 02:30+01:00", STOCKHOLM).iso() == "2015-10-25T02:30:00+01:00"
    assert parse_moment("2015-10-25 03:00", STOCKHOLM).iso() == "2015-10-25T03:00:00+01:00"


@pytest.mark.parametrize("text, message", [
    ("2015-02-30", "2015-02-30 är inget datum som finns"),
    ("9999-12-31 23:00", "9999-12-31: året ska ligga mellan 1900 och 2199"),
    ("0001-01-01", "0001-01-01: året ska ligga mellan 1900 och 2199"),
    ("2015-01-01 10:00+25:00", "'2015-01-01 10:00+25:00': tidsförskjutningen +25:00 finns inte; den ligger "
                               "mellan -12:00 och +14:00, t.ex. +01:00 för svensk vintertid"),
    ("2015-01-01 10:00-1300", "'2015-01-01 10:00-1300': tidsförskjutningen -13:00 finns inte; den ligger "
                              "mellan -12:00 och +14:00, t.ex. +01:00 för svensk vintertid"),
    ("2015-13-01", "2015-13-01 är inget datum som finns"),
    ("24:e september", "'24:e september' saknar år; skriv datumet med året först, så här: ÅÅÅÅ-09-24"),
    ("24:e septemb", "'24:e septemb' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2015-11-02, "
                     "eller med tid 2015-11-02 10:00"),
    ("2015-09-24 24:00", "'2015-09-24 24:00' är ingen möjlig tid"),
    ("13/10 2015", "'13/10 2015' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2015-10-13"),
])
def test_impossible_dates_are_explained(text, message):
    with pytest.raises(ValueError) as caught:
        parse_moment(text, STOCKHOLM)
    assert str(caught.value) == message


def test_swedish_formatting():
    assert long_date(parse_moment("2015-11-02", STOCKHOLM)) == "2 november 2015"
    assert long_date(date(2015, 3, 13)) == "13 mars 2015"
    assert long_datetime(parse_moment("2015-10-13 08:00", STOCKHOLM)) == "13 oktober 2015 kl. 08.00"
    assert long_datetime(parse_moment("2015-10-13", STOCKHOLM)) == "13 oktober 2015"
    assert [month_name(m) for m in (1, 6, 12)] == ["januari", "juni", "december"]


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_long_date_writes_every_day_as_babels_pattern_does(locale):
    from datetime import timedelta

    from babel.dates import format_date

    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)] + [date(1999, 12, 31), date(2100, 2, 28)]
    assert [long_date(day, locale) for day in days] == [format_date(day, "d MMMM y", locale=locale) for day in days]


def test_now_option_is_local_time():
    assert parse_now("2015-09-01T12:00", STOCKHOLM).isoformat() == "2015-09-01T12:00:00+02:00"
    assert parse_now("2015-09-01", STOCKHOLM).isoformat() == "2015-09-01T00:00:00+02:00"


def test_unknown_zone():
    with pytest.raises(ValueError, match="okänd tidszon"):
        zone("Europe/Stockolm")


def test_spans_in_swedish():
    from datetime import date

    from generator.content.dates import day_span, month_span, time_span

    assert day_span(date(2015, 10, 14), date(2015, 10, 14)) == "14 oktober 2015"
    assert day_span(date(2015, 6, 24), date(2015, 6, 26)) == "24–26 juni 2015"
    assert day_span(date(2015, 6, 22), date(2015, 7, 30)) == "22 juni–30 juli 2015"
    assert day_span(date(2015, 12, 30), date(2016, 1, 2)) == "30 december 2015–2 januari 2016"
    assert month_span(date(2015, 11, 1)) == "november 2015"
    start = parse_moment("2015-10-13 08:00", STOCKHOLM).value
    end = parse_moment("2015-10-13 19:30", STOCKHOLM).value
    assert time_span(start, end) == "13 oktober 2015 kl. 08.00–19.30"
    later = parse_moment("2015-10-14 12:00", STOCKHOLM).value
    assert time_span(start, later) == "13 oktober 2015 kl. 08.00 – 14 oktober 2015 kl. 12.00"


@pytest.mark.parametrize("written", ["2026-12-01 08:00-09:30", "2026-12-01 08.00–09.30", "2026-11-05 10:00 - 12:00"])
def test_a_time_span_written_where_one_moment_goes_is_an_error_not_an_offset(written):
    """'08:00-09:30' was read as 08:00 at UTC-09:30: the post came out at 18.30 without a word."""
    with pytest.raises(ValueError, match="ser ut som ett tidsintervall; här skrivs en tid, när det börjar"):
        parse_moment(written, STOCKHOLM)


def test_an_iso_offset_after_the_time_is_still_an_offset():
    assert parse_moment("2015-11-02T10:00-05:00", STOCKHOLM).value.hour == 16
    assert parse_moment("2015-11-02 10:00-05:00", STOCKHOLM).value.hour == 16  # earlier: no span


@pytest.mark.parametrize("text, message", [
    ("3 mars 2026", "'3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("den 3:e mars 2026", "'den 3:e mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("3 feb. 2026 kl. 14.30", "'3 feb. 2026 kl. 14.30' är inte skrivet som ÅÅÅÅ-MM-DD TT:MM; skriv 2026-02-03 14:30"),
    ("3 Okt 2026, kl 9", "'3 Okt 2026, kl 9' är inte skrivet som ÅÅÅÅ-MM-DD TT:MM; skriv 2026-10-03 09:00"),
    ("3/3 2026", "'3/3 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("3/3-2026 kl 14", "'3/3-2026 kl 14' är inte skrivet som ÅÅÅÅ-MM-DD TT:MM; skriv 2026-03-03 14:00"),
    ("2026-3-3", "'2026-3-3' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("2026-03-03 kl. 14.30", "'2026-03-03 kl. 14.30' är inte skrivet som ÅÅÅÅ-MM-DD TT:MM; skriv 2026-03-03 14:30"),
    # Without a year, the day is not certain: the form is shown, the year left for the editor.
    ("3/3", "'3/3' saknar år; skriv datumet med året först, så här: ÅÅÅÅ-03-03"),
    ("3 mars", "'3 mars' saknar år; skriv datumet med året först, så här: ÅÅÅÅ-03-03"),
    # Read as a day that does not exist, or not read as one day for certain: no suggestion.
    ("30 februari 2026", "'30 februari 2026': 2026-02-30 är inget datum som finns"),
    ("3/4/2026", "'3/4/2026' är inget datum; skriv ÅÅÅÅ-MM-DD"),
    ("3 marsipan 2026", "'3 marsipan 2026' är inget datum; skriv ÅÅÅÅ-MM-DD"),
    ("2026-03-03 kl 25", "'2026-03-03 kl 25' är inget datum; skriv ÅÅÅÅ-MM-DD"),
])
def test_a_date_written_the_swedish_way_is_an_error_that_shows_it_written_right(text, message):
    with pytest.raises(ValueError) as raised:
        parse_moment(text, STOCKHOLM)
    assert str(raised.value).startswith(message)


def test_every_swedish_month_name_and_abbreviation_of_the_locale_is_read():
    from babel import Locale

    for number, name in Locale("sv").months["format"]["abbreviated"].items():
        with pytest.raises(ValueError, match=f"skriv 2026-{number:02}-05$"):
            parse_moment(f"5 {name} 2026", STOCKHOLM)
    for number, name in Locale("sv").months["stand-alone"]["wide"].items():
        with pytest.raises(ValueError, match=f"skriv 2026-{number:02}-05$"):
            parse_moment(f"5 {name} 2026", STOCKHOLM)


@pytest.mark.parametrize("text, message", [
    ("tisdag 3 mars 2026", "'tisdag 3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("Tisdag 3 mars 2026", "'Tisdag 3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("tis 3 mars 2026 kl 14", "'tis 3 mars 2026 kl 14' är inte skrivet som ÅÅÅÅ-MM-DD TT:MM; skriv 2026-03-03 14:00"),
    ("tis. 3/3 2026", "'tis. 3/3 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("tisdag, den 3 mars 2026", "'tisdag, den 3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("tisdagen den 3 mars 2026", "'tisdagen den 3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
    ("tisdag 3 mars", "'tisdag 3 mars' saknar år; skriv datumet med året först, så här: ÅÅÅÅ-03-03"),
    # The weekday and the date disagree: one of them is wrong, and which one only the editor knows.
    ("onsdag 3 mars 2026", "'onsdag 3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD, och 3 mars 2026 är en tisdag, "
                           "inte en onsdag; kontrollera vilken dag du menar och skriv den som ÅÅÅÅ-MM-DD, "
                           "t.ex. 2026-03-03"),
    ("fre 3/3 2026 kl. 9", "'fre 3/3 2026 kl. 9' är inte skrivet som ÅÅÅÅ-MM-DD TT:MM, och 3 mars 2026 är en "
                           "tisdag, inte en fredag; kontrollera vilken dag du menar och skriv den som "
                           "ÅÅÅÅ-MM-DD TT:MM, t.ex. 2026-03-03 09:00"),
    ("tisdag 30 februari 2026", "'tisdag 30 februari 2026': 2026-02-30 är inget datum som finns"),
    ("tjugonde 3 mars 2026", "'tjugonde 3 mars 2026' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2015-11-02, "
                             "eller med tid 2015-11-02 10:00"),
])
def test_a_date_written_with_its_weekday_is_read_and_the_weekday_checked(text, message):
    with pytest.raises(ValueError) as caught:
        parse_moment(text, STOCKHOLM)
    assert str(caught.value) == message
