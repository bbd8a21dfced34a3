"""`check`: every kind of problem a reader would stumble on, in one run, with the exact message."""
from conftest import ROOT, TESTS, run_cli

CHECK = TESTS / "check"


def test_every_kind_of_link_and_image_problem_is_reported_once_at_its_line():
    case = CHECK / "links"
    run = run_cli("check", "--content", "content", "--assets", "assets", "--now", "2020-01-01", cwd=case)
    assert run.err == (case / "expected.txt").read_text(encoding="utf-8")
    assert run.code == 1
    assert "Traceback" not in run.err


def test_warnings_do_not_fail_unless_strict():
    case = CHECK / "warnings-only"
    run = run_cli("check", "--content", "content", "--now", "2020-01-01", cwd=case)
    assert run.code == 0
    assert run.err == ("content/events/2019-03-01-passerat.yaml:1: varning: evenemanget är fortfarande planned "
                       "fast det har passerat; sätt status till held (genomfört) eller cancelled (inställt)\n")
    assert run.out == "Kontrollen hittade 0 fel och 1 varning.\n"
    strict = run_cli("check", "--content", "content", "--now", "2020-01-01", "--strict", cwd=case)
    assert strict.code == 1
    assert strict.err.endswith("Kontrollen hittade 0 fel och 1 varning. Med --strict räknas varningar som fel.\n")


def test_check_reports_what_a_build_reports():
    case = TESTS / "invalid" / "many-at-once"
    run = run_cli("check", "--content", "content", "--now", "2020-01-01", cwd=case)
    build_errors = (case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]
    assert run.err.splitlines()[:-1] == build_errors
    assert run.code == 1


def test_the_real_content_is_clean():
    run = run_cli("check", "--content", str(ROOT / "content"), "--now", "2026-11-23T12:00", "--strict")
    assert run.code == 0, run.err
    assert run.out == "Kontrollen hittade 0 fel och 0 varningar.\n"


def test_the_build_also_prints_warnings_and_a_summary_table(tmp_path):
    case = CHECK / "warnings-only"
    run = run_cli("build", "--content", "content", "--output", str(tmp_path / "out"), "--now", "2020-01-01",
                  cwd=case)
    assert run.code == 0
    assert "2019-03-01-passerat.yaml:1: varning: evenemanget är fortfarande planned" in run.err
    for row in ("Inlägg", "Evenemang", "Sidor (HTML)", "Flöden och kalendrar", "Väntande utkast",
                "Väntande med framtida datum", "Varningar", "Tid"):
        assert row in run.out, row


def test_a_scheduled_post_s_broken_links_are_found_before_its_day(minimal_site, tmp_path):
    """A post with a future date is not built, so its links were not checked until the day it was
    published: then its build stopped, and nothing was published that day. `check` checks them
    now, as that day's build will, and says when that is; a link to another scheduled post stops no
    build and is not one of them."""
    from conftest import write

    write(minimal_site / "posts/2015-06-01-kalas.md", "---\ntitle: Kalas\ndate: 2015-06-01\n---\n## Program\n\nMat.\n")
    write(minimal_site / "posts/2027-01-10-forhandsvisning.md",
          "---\ntitle: Förhandsvisning\ndate: 2027-01-10\n---\nSnart.\n")
    write(minimal_site / "posts/2026-11-01-utkast.md", "---\ntitle: Utkast\ndate: 2026-11-01\ndraft: true\n---\nx\n")
    write(minimal_site / "posts/2027-01-15-framtida.md",
          "---\ntitle: Framtida\ndate: 2027-01-15T09:00\n---\nSe [programmet](2015-06-01-kalas.md#progam),\n"
          "[förhandsvisningen](2027-01-10-forhandsvisning.md) och [sidan](/finns-inte/).\n\n"
          "Och [utkastet](2026-11-01-utkast.md).\n")
    run = run_cli("check", "--content", str(minimal_site), "--now", "2026-12-01")
    day = "inlägget publiceras 2027-01-15; rätta det före dess, annars stoppar det bygget den dagen"
    assert run.err.splitlines() == [
        f"{minimal_site}/posts/2027-01-15-framtida.md:5: länken 2015-06-01-kalas.md#progam leder till ett ankare "
        f"som inte finns: #progam (menade du '#program'?) ({day})",
        f"{minimal_site}/posts/2027-01-15-framtida.md:6: länken /finns-inte/ leder ingenstans: /finns-inte/ "
        f"finns inte på webbplatsen ({day})",
        f"{minimal_site}/posts/2027-01-15-framtida.md:8: länken 2026-11-01-utkast.md leder till en fil som inte är "
        "publicerad (ett utkast eller ett inlägg med framtida datum) (inlägget publiceras 2027-01-15)",
        "Kontrollen hittade 3 fel och 0 varningar. Rätta felen innan ändringen slås ihop.",
    ]
    assert run.code == 1
    on_the_day = run_cli("build", "--content", str(minimal_site), "--output", str(tmp_path / "public"),
                         "--now", "2027-01-15T10:00", "--no-search")
    assert on_the_day.code == 1 and "#progam" in on_the_day.err and "/finns-inte/" in on_the_day.err


def test_a_person_s_organisation_written_as_an_id_is_a_warning_with_its_name(minimal_site):
    """Everywhere else an organisation is named by its id; a person's organisation is text, and
    'region-jamtland-harjedalen' was published as it was written on /personer/."""
    from conftest import write

    write(minimal_site / "organisations.yaml", 'region-jh:\n  name: "Region Jämtland Härjedalen"\n')
    write(minimal_site / "people.yaml", 'anna:\n  name: "Anna"\n  organisation: "region-jh"\n'
                                        'bo:\n  name: "Bo"\n  organisation: "Region Jämtland Härjedalen"\n')
    run = run_cli("check", "--content", str(minimal_site), "--now", "2026-12-01")
    assert run.err == (f"{minimal_site}/people.yaml:3: varning: organisation är texten som visas på webbplatsen, och "
                       "'region-jh' är ett id i organisations.yaml; skriv namnet: \"Region Jämtland Härjedalen\"\n")


def test_a_base_url_with_http_is_an_error_that_gives_the_https_one(minimal_site):
    """The guide says https://; http:// was published in every feed, calendar and canonical link."""
    (minimal_site / "site.yaml").write_text('title: "Minsta"\nbase_url: "http://innovation.regionjh.se"\n',
                                            encoding="utf-8")
    run = run_cli("check", "--content", str(minimal_site), "--now", "2026-12-01")
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{minimal_site}/site.yaml:2: base_url: ska börja med https://, som webbplatsen publiceras med (adressen står "
        "i flödena, kalendrarna och sökmotorernas länkar); skriv https://innovation.regionjh.se/")


def test_a_base_url_with_http_given_to_the_build_is_still_possible(minimal_site, tmp_path):
    """--base-url http://localhost/ (a local copy of the site; the dev server does the same) is not site.yaml's."""
    run = run_cli("build", "--content", str(minimal_site), "--output", str(tmp_path / "out"), "--no-search",
                  "--base-url", "http://localhost:8000/", "--now", "2026-12-01")
    assert run.code == 0 and "Traceback" not in run.err, run.err
