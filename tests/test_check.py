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
