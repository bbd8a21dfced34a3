"""The build as an editor and a host see it: what is held back, determinism, atomicity, entry points."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, TESTS, run_cli, write
from test_sites import files_under

BLOG = TESTS / "sites" / "blog" / "content"
BLOG_ASSETS = str(TESTS / "sites" / "blog" / "assets")  # the images its posts show


def test_a_folder_with_only_site_yaml_and_posts_builds(minimal_site, build):
    run, output = build(minimal_site)
    assert run.code == 0, run.err
    for page in ("index.html", "blogg/index.html", "404.html", "sitemap.xml", "robots.txt"):
        assert (output / page).is_file(), page
    assert "Inga inlägg ännu." in (output / "blogg/index.html").read_text()


def test_drafts_and_future_posts_are_held_back_and_counted(build):
    run, output = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-03-01T12:00")
    assert run.code == 0
    assert "Väntar: 1 utkast, 1 med framtida datum." in run.out
    assert not (output / "blogg/2016/utkast").exists()
    assert not (output / "blogg/2016/framtid").exists()


def test_drafts_are_shown_and_marked_with_the_option(build):
    run, output = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-03-01T12:00", "--drafts")
    assert "Väntar: 1 med framtida datum." in run.out
    page = (output / "blogg/2016/utkast/index.html").read_text()
    assert "Utkast: syns bara i förhandsvisningen." in page


def test_a_future_post_appears_when_its_time_has_come(build):
    before, output = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-06-01T08:59")
    assert not (output / "blogg/2016/framtid").exists()
    after, output = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-06-01T09:00")
    assert (output / "blogg/2016/framtid/index.html").is_file()
    assert after.out.splitlines()[0].endswith("Väntar: 1 utkast.") and re.search(r"Väntande med framtida datum +0\n", after.out)


def test_the_same_content_gives_the_same_bytes(build, tmp_path):
    _, first = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-03-01T12:00", output=tmp_path / "a")
    _, second = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-03-01T12:00", output=tmp_path / "b")
    assert files_under(first) == files_under(second)


def test_base_url_option_overrides_site_yaml(build):
    run, output = build(BLOG, "--assets", BLOG_ASSETS, "--now", "2016-03-01T12:00", "--base-url", "https://preview.example.net/")
    page = (output / "om/index.html").read_text()
    assert '<link rel="canonical" href="https://preview.example.net/om/">' in page
    assert 'href="/blogg/2015/vinter/"' in page


@pytest.mark.parametrize("base_url, problem", [
    ("ftp://x", "ska vara en hel adress som börjar med https://"),
    ("javascript:alert(1)", "ska vara en hel adress som börjar med https://"),
    ("https://x.se/?q=1", "ska vara webbplatsens adress utan ? och # (t.ex. https://example.org/innovation/)"),
    ("https://x.se/#om", "ska vara webbplatsens adress utan ? och # (t.ex. https://example.org/innovation/)"),
])
def test_a_base_url_option_that_is_no_site_address_is_refused(build, base_url, problem):
    run, output = build(BLOG, "--now", "2016-03-01T12:00", "--base-url", base_url)
    assert (run.code, run.out) == (2, "")
    assert run.err == f"--base-url: {base_url!r} {problem}\n"
    assert not output.exists()


def test_a_failed_build_leaves_the_previous_site_untouched(build, tmp_path):
    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "T"\nbase_url: "https://example.org/"\n')
    write(content / "posts/a.md", '---\ntitle: "A"\ndate: 2015-01-01\n---\nText\n')
    run, output = build(content)
    assert run.code == 0
    before = files_under(output)
    write(content / "posts/b.md", '---\ntitle: "B"\ndate: 2015-02-30\n---\n')
    run, _ = build(content)
    assert run.code == 1
    assert files_under(output) == before
    assert not any(p.name.startswith(".public") for p in tmp_path.iterdir())


def test_a_build_replaces_the_whole_previous_site(build, tmp_path):
    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "T"\nbase_url: "https://example.org/"\n')
    post = write(content / "posts/a.md", '---\ntitle: "A"\ndate: 2015-01-01\n---\nText\n')
    _, output = build(content)
    assert (output / "blogg/2015/a/index.html").exists()
    post.rename(content / "posts/b.md")
    build(content)
    assert not (output / "blogg/2015/a").exists()
    assert (output / "blogg/2015/b/index.html").exists()


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_site_whole(tmp_path):
    """SIGKILL at several moments of a large build: public/ is still the previous site, byte for byte,
    and the next build succeeds.

    Each round changes the site's title (every page changes), builds the expected new site into a
    folder of its own to learn how long a build takes here, then starts the real build (with its
    cache, as editors and CI run it) and kills it with its workers at a different fraction of that
    time: while reading, rendering and writing. The kill moments follow the machine's speed, so a
    slow CI machine is killed at the same stages as a fast one.
    """
    content = tmp_path / "content"
    write(content / "posts/a.md", '---\ntitle: "Gammal"\ndate: 2015-01-01\n---\nText\n')
    for number in range(400):
        write(content / f"posts/p{number:04}.md",
              f'---\ntitle: "P{number}"\ndate: 2015-02-01\ntags: [t{number % 20}]\n---\n' + "Ord och mening. " * 250)
    output = tmp_path / "public"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--output", str(output),
               "--now", "2016-01-01T12:00"]

    def set_title(title: str) -> None:
        write(content / "site.yaml", f'title: "{title}"\nbase_url: "https://example.org/"\n')

    def expected_site(name: str) -> dict:
        done = subprocess.run(command[:6] + [str(tmp_path / name)] + command[7:] + ["--no-cache"], capture_output=True)
        assert done.returncode == 0, done.stderr
        return files_under(tmp_path / name)

    def timed_build() -> float:
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return time.monotonic() - started

    set_title("Före")
    seconds = timed_build()
    previous = files_under(output)
    killed_while_writing = 0
    for round_, fraction in enumerate((0.1, 0.3, 0.5, 0.7, 0.9)):
        set_title(f"Runda {round_}")
        expected = expected_site(f"expected-{round_}")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(seconds * fraction)
        swapped = process.poll() is not None
        if not swapped:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            killed_while_writing += (tmp_path / ".public.staging.unfinished").exists()
        site = files_under(output)
        # The whole previous site, or (killed after the swap, while it exited) the whole new one.
        assert site == previous or site == expected, f"killed at {fraction:.0%}: a mixed site"
        swapped |= site == expected and site != previous
        took = timed_build()  # the next build succeeds
        assert files_under(output) == expected, f"the build after a kill at {fraction:.0%}"
        seconds = seconds if swapped else took  # how long a whole build takes here (not one with nothing to do)
        # Nothing half-done is left; the previous site may stay in .public.staging as the next build's start.
        assert not (tmp_path / ".public.staging.unfinished").exists() and not (tmp_path / ".public.old").exists()
        previous = expected
    assert killed_while_writing, "no kill landed while the new site was being written"


def test_the_output_folder_must_not_hold_the_content(build, tmp_path):
    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "T"\nbase_url: "https://example.org/"\n')
    (content / "posts").mkdir()
    run, _ = build(content, output=tmp_path)
    assert run.code == 1
    assert "innehåller" in run.err and "Traceback" not in run.err
    assert (content / "site.yaml").exists()


def test_a_missing_content_folder(tmp_path):
    run = run_cli("build", "--content", str(tmp_path / "finns-inte"), "--output", str(tmp_path / "out"))
    assert run.code == 1 and "innehållsmappen finns inte" in run.err


def test_entry_points_build_py_and_python_m_generator(tmp_path, minimal_site):
    for entry in ([str(ROOT / "build.py")], ["-m", "generator"]):
        output = tmp_path / ("out-" + entry[-1].replace("/", "_"))
        done = subprocess.run([sys.executable, *entry, "build", "--content", str(minimal_site),
                               "--output", str(output), "--now", "2015-09-01T12:00"],
                              capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert (output / "index.html").is_file()


def test_plain_python_build_py_builds_content_into_public(tmp_path, minimal_site):
    (tmp_path / "content").exists()
    done = subprocess.run([sys.executable, str(ROOT / "build.py")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "public/index.html").is_file()


def test_broken_content_through_the_real_command_has_no_traceback(tmp_path):
    case = TESTS / "invalid" / "many-at-once"
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", "content",
                           "--output", str(tmp_path / "out")], capture_output=True, text=True, cwd=case)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0].startswith("content/posts/")


def test_ids_in_a_posts_raw_html_do_not_take_the_pages_own(build, minimal_site):
    write(minimal_site / "posts/2015-01-01-idn.md",
          '---\ntitle: "Id"\ndate: 2015-01-01\n---\n<p id="innehall">A</p>\n\n<p id="sok-sidhuvud">B</p>\n')
    run, output = build(minimal_site, "--no-search")
    assert run.code == 0, run.err
    page = (output / "blogg/2015/idn/index.html").read_text()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and {"innehall", "user-content-innehall", "user-content-sok-sidhuvud"} <= set(ids)
    assert 'href="#innehall"' in page  # the skip link still leads to the page's content


def test_c_cpp_and_c_sharp_are_three_tags(build, minimal_site):
    write(minimal_site / "posts/2015-01-01-sprak.md",
          '---\ntitle: "Språk"\ndate: 2015-01-01\ntags: [C, C++, "C#", c]\n---\nText.\n')
    run, output = build(minimal_site, "--no-search")
    assert run.code == 0, run.err
    tags = sorted(p.name for p in (output / "blogg/taggar").iterdir() if p.is_dir())
    assert tags == ["c", "c-plus-plus", "c-sharp"]
    assert "Taggat C++" in (output / "blogg/taggar/c-plus-plus/index.html").read_text()


def test_a_post_with_the_most_tags_allowed_builds_quickly_and_one_more_is_an_error(build, minimal_site):
    from generator.content.models import MAX_TAGS

    names = ", ".join(f"tagg{i}" for i in range(MAX_TAGS))
    write(minimal_site / "posts/2015-01-01-taggar.md",
          f'---\ntitle: "Taggar"\ndate: 2015-01-01\ntags: [{names}]\n---\nText.\n')
    started = time.monotonic()
    run, output = build(minimal_site, "--no-search", "--no-cache")
    assert run.code == 0, run.err
    assert time.monotonic() - started < 60  # at 500 tags it took minutes: feedgen's categories were quadratic
    rss = (output / "blogg/taggar/tagg7/rss.xml").read_text()
    assert rss.count("<category") == MAX_TAGS
    write(minimal_site / "posts/2015-01-02-fler.md",
          f'---\ntitle: "Fler"\ndate: 2015-01-02\ntags: [{names}, en-till]\n---\nText.\n')
    started = time.monotonic()
    run, _ = build(minimal_site, "--no-search", "--no-cache")
    assert run.code == 1 and time.monotonic() - started < 10
    assert f"tags: högst {MAX_TAGS} taggar per inlägg, här finns {MAX_TAGS + 1}" in run.err


def test_a_copied_post_or_event_that_kept_its_old_year_builds_with_a_warning(build, tmp_path):
    """Copying an old file to start a new one (as the guide suggests) and forgetting its date published
    it among that year's, without a word: the file name and folder say the year it was meant for."""
    from conftest import write

    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "T"\nbase_url: "https://example.org/"\n')
    write(content / "posts/2026/2026-11-02-kopia.md", '---\ntitle: "Kopia"\ndate: 2025-02-11\n---\nText.\n')
    write(content / "posts/2026/2026-11-03-rätt.md", '---\ntitle: "Rätt"\ndate: 2026-11-05\n---\nText.\n')
    write(content / "events/2027/2027-03-11-kopierad.yaml",
          'title: "Kopierad"\nkind: "möte"\nstatus: "held"\nstart: "2015-09-24 09.00"\n')
    write(content / "events/2016/2016-11-01-turne.yaml", 'title: "Turné"\nkind: "turné"\nmonth: "2015-11"\n')
    run, output = build(content, "--now", "2026-12-01T12:00", "--no-search", "--no-cache")
    assert run.code == 0, run.err
    said = run.out + run.err
    assert ("content/posts/2026/2026-11-02-kopia.md:3: varning: inlägget har date 2025-02-11, men filnamnet börjar "
            "med 2026-11-02 och filen ligger i mappen 2026; det publiceras bland inläggen från 2025, med 2025 i "
            "adressen. Är filen en kopia av en äldre, ändra date") in said
    assert ("content/events/2027/2027-03-11-kopierad.yaml:4: varning: evenemanget har start 2015-09-24, men "
            "filnamnet börjar med 2027-03-11 och filen ligger i mappen 2027; det publiceras bland evenemangen "
            "från 2015, med 2015 i adressen") in said
    assert "rätt.md" not in said, "a date a few days after the file name's is no copy"
    assert "ändra date; annars byt namn på filen" in said
    assert ("content/events/2016/2016-11-01-turne.yaml:3: varning: evenemanget har month 2015-11, men "
            "filnamnet börjar med 2016-11-01") in said, "the field the event is dated by, at its line"
    assert (output / "blogg/2025/kopia/index.html").is_file()
