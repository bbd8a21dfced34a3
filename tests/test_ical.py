"""Calendar files: RFC 5545 form, every time shape, summer and winter time, cancelled events."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from conftest import TESTS

PROGRAMME = TESTS / "sites" / "programme"


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    from conftest import run_cli

    output = tmp_path_factory.mktemp("ical") / "public"
    run = run_cli("build", "--content", str(PROGRAMME / "content"), "--output", str(output),
                  "--now", "2015-10-01T12:00", "--assets", str(PROGRAMME / "assets"))
    assert run.code == 0, run.err
    return output


@pytest.fixture(scope="module")
def calendars(output):
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

    from generator.content.dates import Moment
    from generator.outputs.ical import sequence

    def event(updated, status="planned"):
        return SimpleNamespace(updated=Moment(updated, True) if updated else None, status=status)

    assert sequence(event(None)) == 0
    assert sequence(event(None, "cancelled")) == sequence(event(None, "postponed")) == 1
    first = sequence(event(datetime(2015, 10, 1, 12, 0, tzinfo=timezone.utc)))
    later = sequence(event(datetime(2015, 10, 1, 12, 1, tzinfo=timezone.utc)))
    assert 0 < first < later
    assert sequence(event(datetime(2015, 10, 1, 12, 1, tzinfo=timezone.utc), "cancelled")) == later + 1


def test_text_is_escaped(calendars):
    assert b"SUMMARY:Scoutingtur & samtal" in calendars["scouting"]
    assert b"LOCATION:Designcentrum\\, Storgatan 1\\, \xc3\x96stersund" in calendars["scouting"]


def test_the_time_zone_is_yearly_rules_as_calendar_apps_write_them(calendars):
    """Europe/Stockholm as RRULEs from the year the events need, not 1980–2037 as multi-valued RDATEs
    (which ical.js reads only the first value of), and without icalendar's English comment."""
    timed = {name: data for name, data in calendars.items() if b"TZID=" in data}
    assert timed and all(name in timed for name in ("scouting", "stopp", "evenemang"))
    for name, data in timed.items():
        (zone,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
        assert b"RDATE" not in data and b"COMMENT" not in data, name
        rules = {(block.name, block.decoded("DTSTART"), block["RRULE"].to_ical().decode())
                 for block in zone.subcomponents}
        assert {(kind, rule) for kind, _, rule in rules} == {("DAYLIGHT", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
                                                             ("STANDARD", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10")}, name
        assert all(rule[1].year >= 2014 for rule in rules), name  # nothing older than the events need
    (zone,) = icalendar.Calendar.from_ical(calendars["scouting"]).walk("VTIMEZONE")
    assert [(b.name, b.decoded("DTSTART"), b["RRULE"].to_ical().decode(), b.decoded("TZOFFSETFROM"),
             b.decoded("TZOFFSETTO")) for b in zone.subcomponents] == [
        ("DAYLIGHT", datetime(2015, 3, 29, 2, 0), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", timedelta(hours=1),
         timedelta(hours=2)),
        ("STANDARD", datetime(2015, 10, 25, 3, 0), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", timedelta(hours=2),
         timedelta(hours=1))]


def test_an_older_rule_ends_where_the_next_begins():
    """Sweden moved the end of summer time from September to October in 1996: two STANDARD rules."""
    from zoneinfo import ZoneInfo

    from generator.outputs.timezones import vtimezone

    stockholm = ZoneInfo("Europe/Stockholm")
    text = vtimezone("Europe/Stockholm", datetime(1994, 2, 1, tzinfo=stockholm),
                     datetime(1997, 1, 1, tzinfo=stockholm)).to_ical().decode()
    assert "DTSTART:19930926T030000\r\nRRULE:FREQ=YEARLY;UNTIL=19950924T010000Z;BYDAY=-1SU;BYMONTH=9\r\n" in text
    assert "DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text
    utc = vtimezone("UTC", datetime(2015, 1, 1, tzinfo=ZoneInfo("UTC")), datetime(2015, 2, 1, tzinfo=ZoneInfo("UTC")))
    assert [b.name for b in utc.subcomponents] == ["STANDARD"] and "RRULE" not in utc.subcomponents[0]


@pytest.fixture(scope="module")
def ical_js(tmp_path_factory):
    """ical.js, Mozilla's calendar library (Thunderbird, Nextcloud), installed from the pinned
    tests/js/package-lock.json: a second parser that knows nothing of Python's."""
    npm = shutil.which("npm")
    assert npm and shutil.which("node"), "npm and Node.js are needed to read the calendars with ical.js"
    folder = tmp_path_factory.mktemp("icaljs")
    for name in ("package.json", "package-lock.json", "read-ics.mjs"):
        shutil.copy(TESTS / "js" / name, folder / name)
    run = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=folder,
                         capture_output=True, text=True)
    assert run.returncode == 0, f"npm ci failed:\n{run.stdout}\n{run.stderr}"
    return folder


def test_a_second_parser_reads_the_same_times(calendars, output, ical_js):
    """Every calendar through ical.js: each event's start and end, in UTC, are those icalendar and
    zoneinfo give, for summer and winter events alike."""
    files = sorted(output.rglob("*.ics"))
    run = subprocess.run(["node", str(ical_js / "read-ics.mjs"), *map(str, files)],
                         capture_output=True, text=True, cwd=ical_js)
    assert run.returncode == 0, run.stderr
    read = json.loads(run.stdout)
    seen_offsets = set()
    for path in files:
        theirs = read[str(path)]
        ours = []
        for vevent in events_of(path.read_bytes()):
            start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
            if isinstance(start, datetime):
                seen_offsets.add(start.utcoffset())
                ours.append([str(vevent["UID"]), start.astimezone(timezone.utc).isoformat(),
                             end.astimezone(timezone.utc).isoformat()])
            else:
                ours.append([str(vevent["UID"]), start.isoformat(), end.isoformat()])
        assert theirs == ours, path
    assert seen_offsets == {timedelta(hours=1), timedelta(hours=2)}  # winter and summer events both tried


def test_subscription_calendars_say_how_often_to_fetch_them(calendars):
    for name, data in calendars.items():
        calendar = icalendar.Calendar.from_ical(data)
        if "/" in name or name == "evenemang":  # a list's calendar
            assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=12), name
            assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n" in data, name
        else:  # one event's file, downloaded once
            assert b"REFRESH-INTERVAL" not in data and b"X-PUBLISHED-TTL" not in data, name


def test_dtstamp_is_the_last_change_not_the_start(calendars):
    (cancelled,) = events_of(calendars["installt"])  # updated: 2016-03-01 09:30, winter time
    assert cancelled.decoded("DTSTAMP") == datetime(2016, 3, 1, 8, 30, tzinfo=timezone.utc)
    (scouting,) = events_of(calendars["scouting"])  # no updated: a fixed moment before every event
    assert scouting.decoded("DTSTAMP") == datetime(2015, 1, 1, tzinfo=timezone.utc)
    assert int(scouting["SEQUENCE"]) == 0
    assert int(cancelled["SEQUENCE"]) == (datetime(2016, 3, 1, 8, 30, tzinfo=timezone.utc)
                                          - datetime(2015, 1, 1, tzinfo=timezone.utc)) // timedelta(minutes=1) + 1
    (postponed,) = events_of(calendars["uppskjuten"])
    assert int(postponed["SEQUENCE"]) == 1


def test_a_month_only_event_does_not_block_the_month(calendars):
    (month_only,) = events_of(calendars["turne"])
    assert month_only["TRANSP"] == "TRANSPARENT"
    assert all("TRANSP" not in vevent for name in ("scouting", "larresa", "stopp")
               for vevent in events_of(calendars[name]))


def test_a_multi_day_programme_says_which_day_each_item_is_on(calendars):
    (trip,) = events_of(calendars["larresa"])
    lines = str(trip["DESCRIPTION"]).splitlines()
    programme = lines[lines.index("Program:") + 1:]
    assert programme[:6] == ["24 juni 2015:", "09.00 Avresa från Östersund",
                             "25 juni 2015:", "10.00–12.00 Besök på Hallands innovationskontor",
                             "26 juni 2015:", "13.00 Hemresa"]
    (one_day,) = events_of(calendars["scouting"])  # one day: no day headings
    assert "Program:\n08.00–09.00 Frukostmöte" in str(one_day["DESCRIPTION"])


def google_links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(https://calendar\.google\.com/[^"]+)"', page)]


def test_a_tour_has_one_google_calendar_link_per_stop(output):
    links = google_links((output / "evenemang/2015/stopp/index.html").read_text())
    assert len(links) == 2
    spans = [parse_qs(urlsplit(link).query)["dates"][0] for link in links]
    places = [parse_qs(urlsplit(link).query)["location"][0] for link in links]
    assert spans[0].startswith("20151201T080000Z/") and places == ["Folkets hus, Bräcke", "Ragunda"]
    assert spans[1] > spans[0]
    (one,) = google_links((output / "evenemang/2015/scouting/index.html").read_text())
    assert parse_qs(urlsplit(one).query)["dates"] == ["20151013T060000Z/20151013T173000Z"]


def test_a_cancelled_event_offers_no_google_or_outlook_link(output):
    page = (output / "evenemang/2016/installt/index.html").read_text()
    assert not google_links(page) and "outlook" not in page.lower()
    assert "Evenemanget är inställt." in page
