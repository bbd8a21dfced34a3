"""Files from many tools and editors' slips that must build correctly, and paths that must never be written.

The broken cases with their exact messages are in tests/invalid/*; here are the
cases that must *work* (a BOM and CRLF from Windows, a 5 MB post, YAML's
surprises kept as text) and the guards that keep every write inside the output
folder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import ROOT, run_cli, write
from generator import urls
from generator.outputs.contexts import ArchivePage
from generator.build.plan import Output, _collisions
from generator.build.write import Staging, UnsafeOutput

SITE = 'title: "Robust"\nbase_url: "https://example.org/"\n'


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    write(folder / "site.yaml", SITE)
    return folder


def test_bom_and_crlf_from_windows_build_like_any_file(content, build):
    (content / "posts").mkdir()
    (content / "posts/2015-03-01-windows.md").write_bytes(
        "\ufeff---\r\ntitle: \"Från Anteckningar\"\r\ndate: 2015-03-01\r\ntags: [windows]\r\n---\r\n"
        "Första stycket.\r\n\r\n- en\r\n- två\r\n".encode("utf-8"))
    (content / "events").mkdir()
    (content / "events/2015-03-02-mote.yaml").write_bytes(
        "\ufefftitle: \"Möte från Word\"\r\nkind: möte\r\nstart: \"2015-03-02 09:00\"\r\n"
        "end: \"2015-03-02 10:00\"\r\nplace: {municipality: Åre}\r\n".encode("utf-8"))
    run, output = build(content, "--now", "2015-03-01T12:00")
    assert run.code == 0, run.err
    page = (output / "blogg/2015/windows/index.html").read_text(encoding="utf-8")
    assert '<h1 class="p-name">Från Anteckningar</h1>' in page
    assert "<p>Första stycket.</p>\n<ul>\n<li>en</li>\n<li>två</li>\n</ul>" in page
    assert "\r" not in page and "\ufeff" not in page
    event = (output / "evenemang/2015/mote/index.html").read_text(encoding="utf-8")
    assert "Möte från Word" in event and "Åre" in event and "\ufeff" not in event


def test_words_line_break_pasted_into_a_post_is_a_space_with_a_warning(content, build):
    """Word's Shift+Enter (U+000B) and page break (U+000C) pasted into a text: XML forbids them, and
    the feed writer stopped the build with a traceback; YAML's own message was half English."""
    write(content / "posts/2015-03-01-word.md",
          '---\ntitle: "Rubrik\x0bfrån Word"\ndate: 2015-03-01\n---\n\nRad ett\x0bRad två\x0cny sida\n\nTre\ufffe.\n')
    write(content / "events/2015-03-02-mote.yaml",
          'title: "Möte\x0c"\nkind: möte\nstart: "2015-03-02 09:00"\nplace: {municipality: Åre}\n')
    run, output = build(content, "--now", "2015-03-01T12:00")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    shown = content
    line_break = "U+000B, Words radbrytning med Skift+Retur"
    for path, line, name in ((f"{shown}/events/2015-03-02-mote.yaml", 1, "U+000C, Words sidbrytning"),
                             (f"{shown}/posts/2015-03-01-word.md", 2, line_break),
                             (f"{shown}/posts/2015-03-01-word.md", 6, line_break),
                             (f"{shown}/posts/2015-03-01-word.md", 8, "U+FFFE")):
        assert f"{path}:{line}: varning: ett osynligt styrtecken ({name}) lästes som ett mellanslag; ta bort det, " \
               "eller skriv en ny rad om det var en radbrytning" in run.err, run.err
    page = (output / "blogg/2015/word/index.html").read_text(encoding="utf-8")
    assert "Rubrik från Word" in page and "<p>Rad ett Rad två ny sida</p>" in page
    assert "Rad ett Rad två" in (output / "blogg/atom.xml").read_text(encoding="utf-8")


def test_a_sentence_pasted_as_a_tag_is_a_message_not_a_traceback(content, build):
    """A tag's address is a folder name: 500 characters stopped the build with "File name too long"."""
    long = "mycket lång tagg " * 30
    write(content / "posts/2015-03-01-tagg.md",
          f'---\ntitle: "Tagg"\ndate: 2015-03-01\ntags: [kort, "{long.strip()}"]\n---\nText.\n')
    run, output = build(content, "--now", "2015-03-01T12:00")
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert run.err.splitlines()[0] == (
        f"{content}/posts/2015-03-01-tagg.md:4: tags: taggen som börjar 'mycket lång tagg mycket lång t' är "
        "för lång för en adress (509 tecken, högst 200); en tagg är ett ämne i ett eller några ord")


@pytest.mark.parametrize("people, expected", [
    ('anna:\n  name: "Anna"\n  telefon: "070-278 22 44"\n', "people.yaml:3: anna.telefon: okänt fält; menade du 'phone'?"),
    ('anna:\n  name: "Anna"\n  phon: "070-278 22 44"\n',
     "people.yaml:3: anna.phon: okänt fält; menade du 'phone'?"),
    ('anna:\n  name: "Anna"\n  fax: "1"\n',
     "people.yaml:3: anna.fax: okänt fält; kontrollera stavningen (tillåtna fält: name, role, organisation, "
     "email, phone)"),
    ('anna:\n\tname: "Anna"\n', "people.yaml:2: ogiltig YAML: tabbtecken får inte användas för indrag; "
                                 "använd mellanslag"),
])
def test_a_mistake_in_people_yaml_is_one_error_not_one_for_each_reference(content, build, people, expected):
    """A misspelt field or a tab in people.yaml also made every post naming the person 'okänd person'."""
    write(content / "people.yaml", people)
    for number in (1, 2):
        write(content / f"posts/2015-03-0{number}-av-anna.md",
              f'---\ntitle: "Av Anna {number}"\ndate: 2015-03-0{number}\nauthors: [anna]\n---\nText.\n')
    write(content / "posts/2015-03-03-av-bo.md", '---\ntitle: "Av Bo"\ndate: 2015-03-03\nauthors: [bo]\n---\n')
    run, _ = build(content, "--now", "2015-03-04T12:00")
    assert run.code == 1 and "Traceback" not in run.err, run.err
    errors = [line for line in run.err.splitlines() if line.startswith(str(content))]
    unknown = "okänd person 'bo': finns inte i"
    if "tabb" in expected:  # people.yaml unread: no reference to it can be judged
        assert errors == [f"{content}/{expected}"], run.err
    else:
        assert errors[0] == f"{content}/{expected}" and len(errors) == 2 and unknown in errors[1], run.err


def test_a_long_person_id_is_a_message_not_a_traceback(content, build):
    """A person's id is the folder of their page: 300 characters stopped the build with "File name too long"."""
    write(content / "people.yaml", f'{"a" * 300}:\n  name: "Anna"\n')
    run, _ = build(content, "--now", "2015-03-01T12:00")
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert run.err.splitlines()[0] == (f"{content}/people.yaml:1: {'a' * 30}…: ett id får vara högst 100 tecken, "
                                       "här är det 300; skriv förnamn-efternamn")


def test_a_5_mb_post_builds(content, build):
    paragraph = ("Innovation i Jämtland Härjedalen handlar om att pröva nya sätt, tillsammans. " * 12 + "\n\n")
    body = "".join(f"## Avsnitt {n}\n\n{paragraph * 4}" for n in range(1300))
    assert len(body.encode()) > 5_000_000
    write(content / "posts/2015-04-01-lang.md", f'---\ntitle: "Lång"\ndate: 2015-04-01\n---\n{body}')
    started = time.monotonic()
    run, output = build(content, "--now", "2015-05-01T12:00")
    assert run.code == 0, run.err
    assert time.monotonic() - started < 60  # seconds on a 2-core CI machine; a few here
    page = (output / "blogg/2015/lang/index.html").read_text(encoding="utf-8")
    assert page.count("<h2 id=\"avsnitt-") == 1300 and '<h2 id="avsnitt-1299">Avsnitt 1299</h2>' in page
    assert len(page.encode()) > 5_000_000


def test_yaml_surprises_stay_the_text_the_editor_wrote(content, build):
    write(content / "posts/2015-10-13-no.md",
          "---\ntitle: no\ndate: 2015-10-13\nsummary: 2015-10-13\ntags: [yes, 08.00, 1e3]\n---\nText\n")
    write(content / "events/2015-10-13-tider.yaml",
          "title: 2015-10-13\nkind: möte\nstart: 2015-10-13 08.00\nend: 2015-10-13 10.00\n"
          "place: {venue: off, municipality: Åre}\nprogramme:\n  - {time: 08.00, title: on}\n")
    run, output = build(content, "--now", "2015-10-14T12:00")
    assert run.code == 0, run.err
    post = (output / "blogg/2015/no/index.html").read_text(encoding="utf-8")
    assert '<h1 class="p-name">no</h1>' in post
    assert '<meta name="description" content="2015-10-13">' in post
    assert all(f'rel="tag" href="/blogg/taggar/{slug}/">{name}</a>' in post
               for slug, name in (("yes", "yes"), ("08-00", "08.00"), ("1e3", "1e3")))
    event = (output / "evenemang/2015/tider/index.html").read_text(encoding="utf-8")
    assert '<h1 class="p-name">2015-10-13</h1>' in event
    assert '<dd class="p-location">off, <a href="/kommuner/are/">Åre</a></dd>' in event
    assert "<tr><td>08.00</td>\n          <td>on</td></tr>" in event
    assert 'datetime="2015-10-13T08:00:00+02:00">13 oktober 2015 kl. 08.00–10.00</time>' in event


def test_a_municipality_written_no_is_a_clear_error_not_false(content, build):
    write(content / "events/2015-10-13-no.yaml",
          "title: Möte\nkind: möte\nstart: 2015-10-13\nplace: {municipality: no}\n")
    run, output = build(content)
    assert run.code == 1 and not output.exists()
    assert run.err.splitlines()[0].endswith(
        "content/events/2015-10-13-no.yaml:4: place.municipality: okänd kommun 'no'; regionens kommuner är "
        "Berg, Bräcke, Härjedalen, Krokom, Ragunda, Strömsund, Åre, Östersund. Ligger platsen i regionen, skriv "
        "kommunen den ligger i (orten kan stå i venue eller address); en plats utanför regionen skrivs som locality")


def test_a_pipe_or_other_special_file_is_reported_not_read(content, build):
    (content / "posts").mkdir()
    os.mkfifo(content / "posts/ror.md")  # reading it would wait forever
    run, output = build(content)
    assert run.code == 1 and not output.exists()
    assert run.err.splitlines()[0].endswith("content/posts/ror.md:1: det här är ingen vanlig fil; "
                                            "här hör bara textfiler hemma")


@pytest.mark.parametrize("relative", ["../x.html", "a/../../x.html", "/etc/passwd", "a//b.html", "./a.html",
                                      "a\\..\\b.html", "blogg/2015//index.html", "", "."])
def test_paths_that_leave_the_output_folder_are_refused(tmp_path, relative):
    assert urls.leaves_folder(relative)
    staging = Staging(tmp_path / "site" / "public")
    staging.start(protected=[])
    with pytest.raises(UnsafeOutput):
        staging.write(relative, b"x")
    staging.abandon()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["site"]


def test_inside_paths_are_written(tmp_path):
    for relative in ("index.html", "blogg/2015/a/index.html", "_headers", "evenemang/2015/a.ics"):
        assert not urls.leaves_folder(relative)


def test_an_output_whose_address_leaves_the_folder_is_a_content_error_naming_its_file():
    def page(path: str) -> ArchivePage:  # _collisions reads only the path of an output's context
        return ArchivePage(path=path, title="", description="")

    outputs = [Output(page("/blogg/2015//"), source="content/posts/!!.md"),
               Output(page("/../../etc/"), source="content/pages/x.md"),
               Output(page("/blogg/"))]
    assert [str(e) for e in _collisions(outputs)] == [
        "content/posts/!!.md:1: filnamnet ger ingen adress; det behöver minst en bokstav a–z eller en siffra "
        "(utöver datumet)",
        "content/pages/x.md:1: filnamnet ger ingen adress; det behöver minst en bokstav a–z eller en siffra "
        "(utöver datumet)",
    ]


def test_yaml_aliases_are_refused_so_a_small_file_cannot_expand_without_end(content, tmp_path):
    """Nine nested aliases of nine items each ("billion laughs") would be 387 million values to check."""
    levels = ['a: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    levels += [f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 9) + "]" for n in range(1, 9)]
    write(content / "events/2015-01-01-skratt.yaml",
          "skratt:\n" + "".join(f"  {line}\n" for line in levels) +
          "title: Skratt\nkind: *i\nstart: 2015-01-01\nmunicipalities: *i\n")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                           "--output", str(tmp_path / "public")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert any(line.endswith("content/events/2015-01-01-skratt.yaml:2: YAML-referenser (&namn och *namn) används "
                             "inte här; skriv ut värdet där det ska stå") for line in done.stderr.splitlines())


def test_a_broken_link_or_a_pipe_among_the_assets_is_an_error_not_a_traceback(tmp_path, minimal_site):
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets", assets)
    (assets / "bilder").mkdir(exist_ok=True)
    (assets / "bilder" / "trasig.png").symlink_to(tmp_path / "finns-inte.png")
    os.mkfifo(assets / "ror")
    run = run_cli("build", "--content", str(minimal_site), "--output", str(tmp_path / "public"),
                  "--assets", str(assets), "--no-search")
    assert run.code == 1
    assert run.err.splitlines()[:2] == [
        "assets/bilder/trasig.png:1: filen är en symbolisk länk som inte leder till någon fil; ta bort den",
        "assets/ror:1: det här är ingen vanlig fil; här hör bara bilder, stilmallar, skript och filer att ladda "
        "ner hemma"]
    assert "Traceback" not in run.err and not (tmp_path / "public").exists()
