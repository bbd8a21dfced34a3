"""The årshjul's geometry: January at the top, clockwise, overlapping events on separate rings."""
from datetime import date

from generator.outputs import arshjul


def test_days_map_clockwise_from_the_top():
    assert arshjul._degrees(2015, date(2015, 1, 1)) == 0
    assert round(arshjul._degrees(2015, date(2015, 7, 2)), 1) == round(182 / 365 * 360, 1)
    x, y = arshjul._point(100, 0)
    assert (x, y) == (arshjul.CENTRE, arshjul.CENTRE - 100)  # top
    x, y = arshjul._point(100, 90)
    assert (x, y) == (arshjul.CENTRE + 100, arshjul.CENTRE)  # right: a quarter of the year later


def test_twelve_sectors_with_swedish_month_names():
    wheel = arshjul.wheel(2015, (), None)
    assert [s.name for s in wheel.sectors] == ["jan", "feb", "mar", "apr", "maj", "jun",
                                                "jul", "aug", "sep", "okt", "nov", "dec"]
    assert wheel.marks == () and wheel.today is None


def test_today_is_marked_only_in_its_year():
    assert arshjul.wheel(2015, (), date(2015, 3, 1)).today is not None
    assert arshjul.wheel(2016, (), date(2015, 3, 1)).today is None


def build(tmp_path, now):
    from conftest import TESTS, run_cli

    programme = TESTS / "sites" / "programme"
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(programme / "content"), "--output", str(output), "--now", now,
                  "--assets", str(programme / "assets"))
    assert run.code == 0, run.err
    return output


def test_in_december_the_wheel_opens_on_the_year_with_the_next_events(tmp_path):
    """On 20 December 2015 every 2015 event is over and 2016 has the next: /arshjul/ shows 2016."""
    december = build(tmp_path / "december", "2015-12-20T12:00")
    page = (december / "arshjul/index.html").read_text()
    assert "<h1>Årshjul 2016</h1>" in page
    october = build(tmp_path / "october", "2015-10-01T12:00")  # 2015 still has events to come
    assert "<h1>Årshjul 2015</h1>" in (october / "arshjul/index.html").read_text()


def test_other_years_lists_every_year_and_not_the_page_itself(tmp_path):
    import re

    output = build(tmp_path, "2015-10-01T12:00")
    for path, year in (("arshjul/index.html", 2015), ("arshjul/2015/index.html", 2015), ("arshjul/2016/index.html", 2016)):
        page = (output / path).read_text()
        nav = page[page.index('aria-label="Årshjul för andra år"'):]
        nav = nav[:nav.index("</nav>")]
        assert re.findall(r"Årshjul (\d{4})", nav) == ["2016", "2015"], path
        assert f'<span aria-current="page">Årshjul {year}</span>' in nav, path
        own = "/" + path.removesuffix("index.html")
        assert f'href="{own}"' not in nav and f">Årshjul {year}</a>" not in nav, path


def test_marks_are_numbered_like_the_list_and_a_tour_is_one_mark_per_stop(tmp_path):
    import re

    output = build(tmp_path, "2015-10-01T12:00")
    page = (output / "arshjul/2015/index.html").read_text()
    svg = page[page.index("<svg"):page.index("</svg>")]
    listed = re.findall(r'<span class="number-badge[^"]*" aria-hidden="true">(\d+)</span> <span><a href="([^"]+)">', page)
    assert [int(number) for number, _ in listed] == list(range(1, len(listed) + 1))
    number_of = {href: number for number, href in listed}
    marks = re.findall(r'<a href="([^"]+)" aria-label="(\d+)\. ', svg)
    assert all(number_of[href] == number for href, number in marks)
    stops = [href for href in (h for h, _ in marks) if href.endswith("/stopp/")]
    assert len(stops) == 2  # two stops, two marks with the same number
    assert 'class="mark month"' in svg  # the month-only tour: a dashed arc, not a firm period
    assert "Teckenförklaring" in page and "prickad" in page


def test_a_tour_has_a_mark_for_each_stop():
    from types import SimpleNamespace

    from generator.content.dates import Moment

    def day(d):
        from datetime import datetime, timezone

        return Moment(datetime(2015, d.month, d.day, 9, tzinfo=timezone.utc), True)

    stops = tuple(SimpleNamespace(start=day(d), end=None) for d in (date(2015, 3, 2), date(2015, 9, 14)))
    when = SimpleNamespace(shape="tour", first_day=date(2015, 3, 2), last_day=date(2015, 9, 14),
                           has_time=True, start=stops[0].start.value, end=stops[1].start.value)
    tour = SimpleNamespace(id="tur", title="Tur", stops=stops, when=when, cancelled=False)
    wheel = arshjul.wheel(2015, (tour,), None)
    assert [(m.kind, m.path, m.number) for m in wheel.marks] == [("stop", None, 1), ("stop", None, 1)]
