"""Calendar files: RFC 5545 form, every time shape, summer and winter time, cancelled events."""
from __future__ import annotations

from datetime import date, datetime, timezone

import icalendar
import pytest

from conftest import TESTS

PROGRAMME = TESTS / "sites" / "programme"


@pytest.fixture(scope="module")
def calendars(tmp_path_factory):
    from conftest import run_cli

    output = tmp_path_factory.mktemp("ical") / "public"
    run = run_cli("build", "--content", str(PROGRAMME / "content"), "--output", str(output),
                  "--now", "2015-10-01T12:00", "--assets", str(PROGRAMME / "assets"))
    assert run.code == 0, run.err
    # An event's own file by its id ("scouting"); a list's calendar by its folder ("kommuner/berg").
    return {(p.stem if p.stem != "kalender" else p.parent.relative_to(output).as_posix()): p.read_bytes()
            for p in output.rglob("*.ics")}


def events_of(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_every_calendar_parses_and_has_the_required_properties(calendars):
    assert len(calendars) == 8 + 1 + 2 + 8  # events; all; two focus areas; eight municipalities
    for name, data in calendars.items():
        calendar = icalendar.Calendar.from_ical(data)
        assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
        assert calendar["X-WR-CALNAME"]
        for vevent in calendar.walk("VEVENT"):
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL", "STATUS", "DESCRIPTION"):
                assert prop in vevent, (name, prop)
            assert str(vevent["URL"]).startswith("https://example.org/evenemang/")


def test_lines_end_with_crlf_and_are_folded_at_75_octets(calendars):
    for data in calendars.values():
        assert data.endswith(b"\r\n")
        lines = data.split(b"\r\n")
        assert b"\n" not in b"".join(lines), "a bare LF"
        assert all(len(line) <= 75 for line in lines)


def test_a_vtimezone_accompanies_every_tzid(calendars):
    for data in calendars.values():
        if b"TZID=" in data:
            assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm" in data


def test_timed_event_in_summer_time(calendars):
    (vevent,) = events_of(calendars["scouting"])
    assert b"DTSTART;TZID=Europe/Stockholm:20151013T080000" in calendars["scouting"]
    start = vevent.decoded("DTSTART")
    assert start.utcoffset().total_seconds() == 2 * 3600
    assert start.astimezone(timezone.utc) == datetime(2015, 10, 13, 6, 0, tzinfo=timezone.utc)
    assert vevent.decoded("DTEND").astimezone(timezone.utc) == datetime(2015, 10, 13, 17, 30, tzinfo=timezone.utc)
    assert vevent["LOCATION"] == "Designcentrum, Storgatan 1, Östersund"
    description = str(vevent["DESCRIPTION"])
    assert "08.00–09.00 Frukostmöte" in description and "17.30–19.30 Middag (valfritt)" in description
    assert [str(c) for c in vevent["CATEGORIES"].cats] == ["möte", "Kreativa byråkrater"]


def test_timed_event_in_winter_time(calendars):
    first, second = events_of(calendars["stopp"])
    assert first.decoded("DTSTART").utcoffset().total_seconds() == 3600
    assert first.decoded("DTSTART").astimezone(timezone.utc) == datetime(2015, 12, 1, 8, 0, tzinfo=timezone.utc)


def test_all_day_events_end_the_day_after_their_last_day(calendars):
    (trip,) = events_of(calendars["larresa"])  # 24–26 juni
    assert trip.decoded("DTSTART") == date(2015, 6, 24)
    assert trip.decoded("DTEND") == date(2015, 6, 27)
    assert b"DTSTART;VALUE=DATE:20150624" in calendars["larresa"]
    (one_day,) = events_of(calendars["workshop"])  # 14 oktober
    assert (one_day.decoded("DTSTART"), one_day.decoded("DTEND")) == (date(2015, 10, 14), date(2015, 10, 15))
    (weeks,) = events_of(calendars["sommarkontor"])  # 22 juni–30 juli
    assert (weeks.decoded("DTSTART"), weeks.decoded("DTEND")) == (date(2015, 6, 22), date(2015, 7, 31))


def test_a_month_only_event_is_a_tentative_whole_month(calendars):
    (tour,) = events_of(calendars["turne"])
    assert (tour.decoded("DTSTART"), tour.decoded("DTEND")) == (date(2015, 11, 1), date(2015, 12, 1))
    assert tour["STATUS"] == "TENTATIVE"
    assert "Bara månaden är bestämd: november 2015." in str(tour["DESCRIPTION"])


def test_a_tour_is_one_vevent_per_stop_with_stable_uids(calendars):
    stops = events_of(calendars["stopp"])
    assert [str(v["UID"]) for v in stops] == ["stopp-1@example.org", "stopp-2@example.org"]
    assert [str(v["LOCATION"]) for v in stops] == ["Folkets hus, Bräcke", "Ragunda"]


def test_a_cancelled_event_stays_with_status_cancelled(calendars):
    (cancelled,) = events_of(calendars["installt"])
    assert cancelled["STATUS"] == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("INSTÄLLT: ")
    (postponed,) = events_of(calendars["uppskjuten"])
    assert postponed["STATUS"] == "TENTATIVE"


def test_uids_are_unique_in_a_calendar_and_the_same_in_every_calendar(calendars):
    for data in calendars.values():
        uids = [str(v["UID"]) for v in events_of(data)]
        assert len(uids) == len(set(uids))
    every = [str(v["UID"]) for v in events_of(calendars["evenemang"])]
    own = [str(v["UID"]) for name, data in calendars.items() if "/" not in name and name != "evenemang"
           for v in events_of(data)]
    assert sorted(every) == sorted(own)  # the same UID for an event in every calendar it is in


def test_list_calendars_have_the_events_of_their_list(calendars):
    names = lambda data: sorted(str(v["SUMMARY"]) for v in events_of(data))  # noqa: E731
    assert names(calendars["kommuner/bracke"]) == ["Kalasturné", "Turné med stopp", "Turné med stopp"]
    assert names(calendars["program/kreativa-byrakrater"]) == ["Scoutingtur & samtal", "Workshop om kreativ byråkrati"]
    assert "X-WR-CALNAME:Programtest: Kreativa byråkrater" in calendars["program/kreativa-byrakrater"].decode()
    assert names(calendars["kommuner/harjedalen"]) == ["Kalasturné"]


def test_sequence_grows_with_updated():
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from generator.dates import Moment
    from generator.ical import sequence

    def event(updated):
        return SimpleNamespace(updated=Moment(updated, True) if updated else None)

    assert sequence(event(None)) == 0
    first = sequence(event(datetime(2015, 10, 1, 12, 0, tzinfo=timezone.utc)))
    later = sequence(event(datetime(2015, 10, 1, 12, 1, tzinfo=timezone.utc)))
    assert 0 < first < later


def test_text_is_escaped(calendars):
    assert b"SUMMARY:Scoutingtur & samtal" in calendars["scouting"]
    assert b"LOCATION:Designcentrum\\, Storgatan 1\\, \xc3\x96stersund" in calendars["scouting"]
