"""Events in the site: time shapes, upcoming and past, municipalities, the årshjul, open data, pages."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import ROOT, TESTS, run_cli
from generator.content.dates import parse_now, zone

PROGRAMME = TESTS / "sites" / "programme"


def build_programme(tmp_path, now="2015-10-01T12:00"):
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(PROGRAMME / "content"), "--output", str(output), "--now", now,
                  "--assets", str(PROGRAMME / "assets"))
    assert run.code == 0, run.err
    return output


def build_programme_with(tmp_path, files: dict[str, str], now="2015-10-01T12:00"):
    """The programme fixture with `files` (path in content/ -> text) added or replaced, built without
    the search index: (run, output folder, content folder)."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(PROGRAMME / "content", content)
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                  "--assets", str(PROGRAMME / "assets"), "--no-search")
    return run, output, content


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_upcoming_and_past_follow_now(tmp_path):
    page = (build_programme(tmp_path) / "evenemang/index.html").read_text()
    upcoming, past = section(page, "kommande"), section(page, "tidigare")
    assert upcoming.index("Scoutingtur") < upcoming.index("Workshop om kreativ") < upcoming.index("Kalasturné")
    assert "Sommarkontoret" in past and "Lärresa till Halland" in past
    assert past.index("Sommarkontoret") < past.index("Lärresa till Halland")  # latest first
    later = (build_programme(tmp_path / "later", "2015-10-14T12:00") / "evenemang/index.html").read_text()
    assert "Scoutingtur" in section(later, "tidigare")
    assert "Workshop om kreativ" in section(later, "kommande"), "an all-day event lasts until the day is over"


def test_municipality_pages_have_their_events_and_read_well_when_empty(tmp_path):
    output = build_programme(tmp_path)
    harjedalen = (output / "kommuner/harjedalen/index.html").read_text()
    assert "Kalasturné" in harjedalen  # in all municipalities
    assert "Inga tidigare evenemang i Härjedalen." in harjedalen
    bracke = (output / "kommuner/bracke/index.html").read_text()
    assert "Turné med stopp" in bracke
    stromsund = (output / "kommuner/stromsund/index.html").read_text()
    assert "Inställd idéverkstad" in stromsund and "Inställt" in stromsund


def test_a_cancelled_event_stays_visible_as_cancelled(tmp_path):
    page = (build_programme(tmp_path) / "evenemang/2016/installt/index.html").read_text()
    assert "Inställt: evenemanget blir inte av." in page
    assert '"eventStatus": "https://schema.org/EventCancelled"' in page


def test_event_page_markup(tmp_path):
    page = (build_programme(tmp_path) / "evenemang/2015/scouting/index.html").read_text()
    assert 'class="h-event event"' in page and 'class="p-name"' in page
    assert '<time class="dt-start" datetime="2015-10-13T08:00:00+02:00">13 oktober 2015 kl. 08.00–19.30</time>' in page
    assert '<data class="dt-end" value="2015-10-13T19:30:00+02:00"></data>' in page
    assert 'class="p-location"' in page and 'class="e-content"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert data["@type"] == "Event" and data["startDate"] == "2015-10-13T08:00:00+02:00"
    assert data["location"]["address"]["addressLocality"] == "Östersund"
    assert '<td>17.30–19.30</td>' in page and "valfritt" in page
    assert 'href="/evenemang/2015/scouting.ics" download' in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "dates=20151013T060000Z%2F20151013T173000Z" in page


def test_documentation_has_the_six_questions_in_order(tmp_path):
    page = (build_programme(tmp_path) / "evenemang/2015/larresa/index.html").read_text()
    headings = re.findall(r"<h3>(\w+ ?\w*) –", page)
    assert headings == ["Gjort", "Lärt", "Aktiviteter"]
    assert "<strong>mycket</strong>" in page


def test_related_posts_and_focus_areas(tmp_path):
    output = build_programme(tmp_path)
    workshop = (output / "evenemang/2015/workshop/index.html").read_text()
    assert "Efter workshoppen" in section(workshop, "inlagg")
    area = (output / "program/kreativa-byrakrater/index.html").read_text()
    assert area.index("<h3>Pågår</h3>") < area.index("<h3>Föreslagna</h3>") < area.index("<h3>Genomförda</h3>")
    assert "Återkommande idéverkstad</strong> (2017)" in area
    assert "Scoutingtur" in area and "Efter workshoppen" in area
    person = (output / "personer/anna-ostlund/index.html").read_text()
    assert "Lärresa till Halland" in person and 'class="h-card person"' in person


def test_the_arshjul_is_an_svg_with_a_link_per_event_and_the_same_list(tmp_path):
    page = (build_programme(tmp_path) / "arshjul/2015/index.html").read_text()
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<path class=\"sector") == 12
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    assert len(links) == 7 and len(set(links)) == 6  # the six events of 2015; the tour's two stops two marks
    assert ("/evenemang/2015/larresa/", "2. Lärresa till Halland, 24–26 juni 2015") in links
    listing = section(page, "lista")
    assert all(href in listing for href, _ in links)
    assert "<script" not in page.replace('<script type="application/ld+json">', "")
    current = (build_programme(tmp_path / "now") / "arshjul/index.html").read_text()
    assert "<h1>Årshjul 2015</h1>" in current and 'class="today"' in current


def test_open_data(tmp_path):
    output = build_programme(tmp_path)
    data = json.loads((output / "events.json").read_text())
    assert len(data["events"]) == 8
    scouting = next(e for e in data["events"] if e["id"] == "scouting")
    assert scouting["start"] == "2015-10-13T08:00:00+02:00" and scouting["municipalities"] == ["Östersund"]
    rows = list(csv.DictReader(io.StringIO((output / "events.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [e["id"] for e in data["events"]]
    assert (output / "events.csv").read_bytes().count(b"\r\n") == 9
    turne = next(r for r in rows if r["id"] == "turne")
    assert turne["municipalities"].split("; ")[0] == "Berg" and turne["start"] == ""


@pytest.mark.parametrize("year, shape", [(2015, "timed"), (2015, "days"), (2015, "month"), (2015, "tour")])
def test_every_time_shape_is_present_in_the_fixture(tmp_path, year, shape):
    data = json.loads((build_programme(tmp_path) / "events.json").read_text())
    assert shape in {e["shape"] for e in data["events"] if e["first_day"].startswith(str(year))}


def test_every_seed_event_is_in_the_real_content():
    names = {p.name for p in (ROOT / "content" / "events").rglob("*.yaml")}
    for expected in ("2015-11-01-kalasturne.yaml", "2015-10-14-kreativa-byrakrater.yaml",
                     "2015-10-13-charles-landry.yaml", "2015-09-24-ideverkstad-hallbarhet.yaml",
                     "2015-09-13-larresa-cleveland.yaml", "2015-06-22-sommarkontoret.yaml",
                     "2015-06-24-larresa-halland-danmark.yaml", "2015-06-02-motesplats-lycksele.yaml",
                     "2015-05-21-workshop-infor-larresan.yaml", "2015-03-13-ideverkstad-cirkular-ekonomi.yaml"):
        assert expected in names


def test_a_registration_deadline_with_a_time_shows_the_time(tmp_path):
    """`deadline: "2015-10-07 12:00"` was shown as "7 oktober 2015": a reader would register in the
    afternoon, too late. A time written is shown; a date alone stays a date."""
    workshop = (PROGRAMME / "content/events/2015/2015-10-14-workshop.yaml").read_text(encoding="utf-8")
    run, output, _ = build_programme_with(tmp_path, {"events/2015/2015-10-14-workshop.yaml": workshop.replace(
        'deadline: "2015-10-07"', 'deadline: "2015-10-07 12:00"')})
    assert run.code == 0, run.err
    page = next(output.glob("evenemang/2015/*workshop*/index.html")).read_text(encoding="utf-8")
    shown = '<time datetime="2015-10-07T12:00:00+02:00">7 oktober 2015 kl. 12.00</time>'
    assert f"Sista anmälningsdag: <strong>{shown}</strong>" in page
    assert f"Sista dag: {shown}" in page
    by_day = build_programme(tmp_path / "by-day")
    page = next(by_day.glob("evenemang/2015/*workshop*/index.html")).read_text(encoding="utf-8")
    assert 'Sista dag: <time datetime="2015-10-07">7 oktober 2015</time>' in page


def test_a_tour_whose_stops_have_dates_only_builds(tmp_path):
    """The guide lets a tour's stops have dates without times; the event page called a filter as a
    function for them, and every build stopped with "'days' is undefined", blamed on the templates."""
    run, output, _ = build_programme_with(tmp_path, {"events/2015/2015-11-20-vinterturne.yaml": (
        'title: "Vinterturné"\nkind: "turné"\nstops:\n  - start: "2015-11-20"\n    place: {municipality: "Berg"}\n'
        '  - start: "2015-11-22"\n    end: "2015-11-23"\n    place: {municipality: "Åre"}\n')})
    assert run.code == 0, run.err
    page = (output / "evenemang/2015/vinterturne/index.html").read_text(encoding="utf-8")
    assert "<td>20 november 2015</td>" in page
    assert "<td>22–23 november 2015</td>" in page


def test_a_copied_event_that_is_held_before_its_day_or_closes_registration_after_it_is_a_warning(tmp_path):
    """A copy of an old event keeps `status: "held"` and its registration: the coming event was shown
    as Genomfört, and a deadline after the start, without a word. A cancelled event offered
    "Anmäl dig här" among its facts."""
    run, output, content = build_programme_with(tmp_path, {
        "events/2015/2015-11-25-kopia.yaml":
            'title: "Kopia av en idéverkstad"\nkind: "idéverkstad"\nstatus: "held"\nstart: "2015-11-25"\n'
            'registration:\n  url: "https://example.org/anmalan"\n  deadline: "2015-11-30"\n',
        "events/2015/2015-11-26-avbruten.yaml":
            'title: "Inställd workshop"\nkind: "workshop"\nstatus: "cancelled"\nstart: "2015-11-26"\n'
            'registration:\n  url: "https://example.org/anmalan"\n  deadline: "2015-11-20"\n'})
    assert run.code == 0, run.err
    copy = f"{content}/events/2015/2015-11-25-kopia.yaml"
    assert [line for line in run.err.splitlines() if line.startswith(copy)] == [
        f"{copy}:3: varning: evenemanget står som held (genomfört), men det har inte ägt rum än (25 november "
        "2015); sätt status till planned. Är filen en kopia av ett äldre evenemang, se över resten också",
        f"{copy}:7: varning: sista anmälningsdag (30 november 2015) ligger efter "
        "evenemangets första dag (25 november 2015); rätta deadline",
    ]
    cancelled = (output / "evenemang/2015/avbruten/index.html").read_text(encoding="utf-8")
    assert "Anmäl dig" not in cancelled and "example.org/anmalan" not in cancelled
    assert "Sista dag: " in cancelled


@pytest.mark.parametrize("written", ["Östersunds kommun", "östersund", "Ostersund", "ÖSTERSUNDS KOMMUN"])
def test_a_municipality_may_be_written_as_it_is_called(written):
    from generator.content import places

    assert places.municipality(written).name == "Östersund"
    assert places.municipality("Åre kommun").name == "Åre" and places.municipality("Bergs kommun").name == "Berg"
    assert places.named("Sundsvalls kommun") is None and places.named("Sveg") is None


@pytest.mark.parametrize("written", ["assets/filer/rapport.pdf", "filer/Rapport.PDF", "../../../assets/filer/rapport.pdf"])
def test_a_download_written_a_folder_or_a_capital_off_names_the_file_that_is_there(tmp_path, written):
    workshop = (PROGRAMME / "content/events/2015/2015-10-14-workshop.yaml").read_text(encoding="utf-8")
    run, _, content = build_programme_with(tmp_path, {"events/2015/2015-10-14-workshop.yaml": workshop.replace(
        'file: "filer/rapport.pdf"', f'file: "{written}"')})
    assert run.code == 1
    assert (f"{content}/events/2015/2015-10-14-workshop.yaml:16: downloads.file: filen assets/{written} finns inte "
            "(menade du 'filer/rapport.pdf'?)") in run.err.splitlines()


def test_a_list_pasted_from_word_into_an_event_description_is_a_warning_at_its_line(tmp_path):
    """Invitations are pasted from Word into an event's description as often as into posts."""
    run, _, content = build_programme_with(tmp_path, {"events/2015/2015-11-27-frukost.yaml": (
        'title: "Frukostmöte"\nkind: "möte"\nstart: "2015-11-27"\ndescription: |\n  Vi bjuder på:\n\n'
        '  •\tKaffe\n  •\tSmörgås\n\n  \tDet här stycket klistrades in med en tabb först.\n')})
    assert run.code == 0, run.err
    event = f"{content}/events/2015/2015-11-27-frukost.yaml"
    warned = [line.split(": varning: ") for line in run.err.splitlines() if line.startswith(event)]
    assert [where for where, _ in warned] == [f"{event}:7", f"{event}:10"]
    assert warned[0][1].startswith("raden börjar med •, som Markdown inte gör någon lista av")
    assert warned[1][1].startswith("raden börjar med en tabb, så Markdown visar stycket som kod")


def test_a_registration_with_nothing_left_to_show_has_no_heading(tmp_path):
    run, output, _ = build_programme_with(tmp_path, {"events/2015/2015-11-26-avbruten.yaml": (
        'title: "Inställd workshop"\nkind: "workshop"\nstatus: "cancelled"\nstart: "2015-11-26"\n'
        'registration:\n  url: "https://example.org/anmalan"\n')})
    assert run.code == 0, run.err
    assert "<dt>Anmälan</dt>" not in (output / "evenemang/2015/avbruten/index.html").read_text(encoding="utf-8")


def test_the_warning_of_a_held_event_ends_when_it_begins_also_with_the_cache(tmp_path):
    """The build that finds nothing changed repeats the last build's warnings; it may only when no
    moment that changes them has passed, and an event's start is one (a held event before it)."""
    event = ('title: "Genomförd i förväg"\nkind: "möte"\nstatus: "held"\nstart: "2015-11-25 09:00"\n'
             'end: "2015-11-25 16:00"\n')
    _, output, content = build_programme_with(tmp_path, {"events/2015/2015-11-25-forvag.yaml": event})
    cached = ["build", "--content", str(content), "--output", str(tmp_path / "cached"), "--no-search",
              "--assets", str(PROGRAMME / "assets"), "--cache-dir", str(tmp_path / "cache")]
    before = run_cli(*cached, "--now", "2015-11-25T08:00")
    assert "står som held" in before.err
    after = run_cli(*cached, "--now", "2015-11-25T10:00")
    assert after.code == 0 and "står som held" not in after.err, after.err


WORKSHOP = "events/2015/2015-10-14-workshop.yaml"


@pytest.mark.parametrize("deadline, still_open, closed", [
    ('"2015-10-07"', "2015-10-07T23:59", "2015-10-08T00:00"),  # a day without a time lasts the whole day
    ('"2015-10-07 12:00"', "2015-10-07T11:59", "2015-10-07T12:00"),
])
def test_registration_closes_at_its_deadline(tmp_path, deadline, still_open, closed):
    """After the deadline the reader is not sent to a closed form: no button, no link, and the page
    says when registration closed; the open data keep the deadline as a fact."""
    text = (PROGRAMME / "content" / WORKSHOP).read_text(encoding="utf-8").replace('"2015-10-07"', deadline)
    pages = {}
    for when in (still_open, closed):
        run, output, _ = build_programme_with(tmp_path / when[-5:].replace(":", ""), {WORKSHOP: text}, now=when)
        assert run.code == 0, run.err
        pages[when] = (output / "evenemang/2015/workshop/index.html").read_text(encoding="utf-8")
    shown = re.search(r"Sista anmälningsdag: <strong>(.*?)</strong>", pages[still_open]).group(1)
    assert re.sub("<[^>]+>", "", shown) == "7 oktober 2015" + (" kl. 12.00" if "12:00" in deadline else "")
    assert "Anmäl dig</a>" in pages[still_open] and "Anmäl dig här</a>" in pages[still_open]
    assert "https://example.org/anmalan" not in pages[closed]
    assert f"<p>Anmälan stängde <strong>{shown}</strong>.</p>" in pages[closed]
    assert f"Sista dag: {shown} (anmälan är stängd)" in pages[closed]


def test_a_cached_build_and_the_dev_server_close_registration_when_the_deadline_passes(tmp_path):
    """The deadline is a moment the pages compared the clock with (incremental/recording.py): a build
    with the cache after it makes what a build without the cache makes, and the dev server knows to
    rebuild at that moment without a save."""
    import shutil

    from test_sites import files_under

    content, cache, output = tmp_path / "content", tmp_path / "cache", tmp_path / "public"
    shutil.copytree(PROGRAMME / "content", content)
    common = ("--content", str(content), "--assets", str(PROGRAMME / "assets"), "--no-search")
    for now in ("2015-10-07T12:00", "2015-10-08T09:00"):
        run = run_cli("build", *common, "--output", str(output), "--cache-dir", str(cache), "--now", now)
        assert run.code == 0, run.err
    fresh = tmp_path / "fresh"
    assert run_cli("build", *common, "--output", str(fresh), "--no-cache", "--now", "2015-10-08T09:00").code == 0
    assert files_under(output) == files_under(fresh)
    assert "Anmälan stängde" in (output / "evenemang/2015/workshop/index.html").read_text(encoding="utf-8")

    assert _next_rebuild(content, tmp_path, "2015-10-07T12:00") <= parse_now("2015-10-08T00:00", STOCKHOLM)


STOCKHOLM = zone("Europe/Stockholm")


def _next_rebuild(content, tmp_path, now: str):
    """When the dev server, started at `now` on `content`, rebuilds next for the clock alone."""
    from generator.build.pipeline import LiveSite, Paths
    from generator.site.model import Options

    live = LiveSite(Paths(content, tmp_path / "live", assets=PROGRAMME / "assets"),
                    Options(now=parse_now(now, STOCKHOLM), search=False), clock=lambda: parse_now(now, STOCKHOLM))
    assert not live.rebuild().errors
    return live.next_change


def test_an_early_deadline_is_warned_of_only_while_the_page_says_registration_has_closed(tmp_path):
    """A deadline long before its event is a copy's only where the page says so: not for an event whose
    registration is still open (a big conference opens early), nor for one that has taken place. The
    dev server's next rebuild comes when the deadline passes, when the warning begins."""
    def event(start: str, deadline: str) -> str:
        return (f'title: "Konferens"\nkind: "konferens"\nstart: "{start}"\nregistration:\n'
                f'  url: "https://example.org/anmalan"\n  deadline: "{deadline}"\n')

    run, _, content = build_programme_with(tmp_path, {
        "events/2015/2015-03-01-forr.yaml": event("2015-03-01", "2014-08-01"),  # taken place
        "events/2016/2016-12-01-stor.yaml": event("2016-12-01", "2016-05-01")})  # registration open
    assert run.code == 0, run.err
    assert "ett halvår före" not in run.err
    assert _next_rebuild(content, tmp_path, "2016-04-30T12:00") <= parse_now("2016-05-02T00:00", STOCKHOLM)
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "later"), "--now", "2016-05-02T12:00",
                  "--assets", str(PROGRAMME / "assets"), "--no-search", "--no-cache")
    assert run.code == 0 and "2016-12-01-stor.yaml:6: varning: sista anmälningsdag (1 maj 2016) ligger mer än ett " \
        "halvår före" in run.err, run.err


def test_a_copied_event_with_last_years_deadline_and_documentation_is_warned_of(tmp_path):
    """A coming event copied from an older one keeps its deadline (the page then says registration
    has closed) and its answers after the event (shown as if it had taken place)."""
    run, _, content = build_programme_with(tmp_path, {"events/2015/2015-11-27-kopia.yaml": (
        'title: "Idéverkstad"\nkind: "idéverkstad"\nstart: "2015-11-27"\nregistration:\n'
        '  url: "https://example.org/anmalan"\n  deadline: "2014-11-20"\ndocumentation:\n'
        '  lärt: "Bjud in tidigt."\n')})
    assert run.code == 0, run.err
    event = f"{content}/events/2015/2015-11-27-kopia.yaml"
    assert f"{event}:6: varning: sista anmälningsdag (20 november 2014) ligger mer än ett halvår före evenemangets " \
           "första dag (27 november 2015), och sidan säger att anmälan har stängt; är filen en kopia av ett äldre " \
           "evenemang, rätta deadline" in run.err
    assert f"{event}:7: varning: dokumentationen efter evenemanget är ifylld, men evenemanget har inte ägt rum än " \
           "(27 november 2015), och sidan visar den; är filen en kopia av ett äldre evenemang, ta bort documentation " \
           "tills det har ägt rum" in run.err


@pytest.mark.parametrize("time_written", ["start:\n", "start: ~\n", "month:\n", "stops: []\n"])
def test_an_event_with_its_time_field_left_empty_is_told_so_without_a_traceback(tmp_path, time_written):
    run, _, content = build_programme_with(tmp_path, {
        "events/2015/2015-11-27-tom.yaml": 'title: "Tom"\nkind: "idéverkstad"\n' + time_written})
    assert run.code == 1 and "Traceback" not in run.err
    assert f"{content}/events/2015/2015-11-27-tom.yaml:1: ange tiden på ett sätt: start (och end), month eller " \
           "stops" in run.err, run.err


def test_an_event_field_written_in_swedish_is_read_as_the_field_meant_for_the_events_other_checks(tmp_path):
    """`slut:` is read as end, so that an end before the start is told in the same run; `Status: held` as the
    status, so that no warning says the event is still planned; `datum:` as start, with no word that the
    time is missing."""
    run, _, content = build_programme_with(tmp_path, {
        "events/2015/2015-03-10-slut.yaml": 'title: "D"\nkind: workshop\nstatus: held\nstart: 2015-03-10 10:00\n'
                                            'slut: 2015-03-10 09:00\n',
        "events/2015/2015-03-11-status.yaml": 'title: "A"\nkind: workshop\nStatus: held\nstart: 2015-03-11\n',
        "events/2015/2015-03-12-datum.yaml": 'title: "B"\nkind: workshop\nstatus: held\ndatum: 12 mars 2015\n'})
    assert run.code == 1
    told = sorted(line.split("/events/2015/", 1)[1] for line in run.err.splitlines() if "/events/2015/2015-03-1" in line)
    assert told == [
        "2015-03-10-slut.yaml:5: end: end (2015-03-10 09:00) ligger före start (2015-03-10 10:00)",
        "2015-03-10-slut.yaml:5: slut: okänt fält; menade du 'end'?",
        "2015-03-11-status.yaml:3: Status: okänt fält; menade du 'status'?",
        "2015-03-12-datum.yaml:4: datum: okänt fält; menade du 'start'?",
        "2015-03-12-datum.yaml:4: start: '12 mars 2015' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2015-03-12",
    ], run.err
