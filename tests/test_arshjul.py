"""The årshjul's geometry: January at the top, clockwise, overlapping events on separate rings."""
from datetime import date

from generator import arshjul


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
