"""`new post` and `new event`: a clean file name, the date, every field, and a file that builds."""
from conftest import run_cli, write


def site(tmp_path):
    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "Ny"\nbase_url: "https://example.org/"\n')
    write(content / "people.yaml", 'erik-noaksson:\n  name: "Erik Noaksson"\n')
    return content


def test_new_post_has_a_clean_name_today_and_every_field(tmp_path):
    content = site(tmp_path)
    run = run_cli("new", "post", "Idéverkstad i Åre – öppet för alla!", "--content", str(content),
                  "--date", "2026-03-13")
    assert run.code == 0, run.err
    path = content / "posts/2026/2026-03-13-ideverkstad-i-are-oppet-for-alla.md"
    assert run.out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Idéverkstad i Åre – öppet för alla!"\ndate: 2026-03-13\n')
    for field in ("summary", "tags", "authors", "focus_areas", "events", "image", "image_alt", "updated", "draft"):
        assert f"# {field}:" in text, field


def test_new_event_has_every_field_and_the_schema(tmp_path):
    content = site(tmp_path)
    run = run_cli("new", "event", "Frukostmöte på Campus", "--date", "2026-03-13", "--content", str(content))
    assert run.code == 0, run.err
    path = content / "events/2026/2026-03-13-frukostmote-pa-campus.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/event.schema.json\n")
    assert 'title: "Frukostmöte på Campus"' in text and 'start: "2026-03-13 13:00"' in text
    for field in ("summary", "description", "end", "month", "stops", "place", "municipalities", "programme",
                  "registration", "organisers", "partners", "contacts", "links", "videos", "downloads",
                  "documentation", "focus_areas", "updated"):
        assert f"# {field}:" in text, field


def test_the_new_files_build(tmp_path):
    content = site(tmp_path)
    run_cli("new", "post", "Första inlägget", "--date", "2026-03-13", "--content", str(content))
    run_cli("new", "event", "Första mötet", "--date", "2026-03-14", "--content", str(content))
    event = content / "events/2026/2026-03-14-forsta-motet.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("kind:   ", 'kind: "möte"', 1), encoding="utf-8")
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"), "--now", "2026-03-13T12:00")
    assert run.code == 0, run.err
    assert (tmp_path / "out/blogg/2026/forsta-inlagget/index.html").is_file()
    assert (tmp_path / "out/evenemang/2026/forsta-motet/index.html").is_file()


def test_an_existing_file_is_never_overwritten(tmp_path):
    content = site(tmp_path)
    first = run_cli("new", "post", "Samma", "--date", "2026-03-13", "--content", str(content))
    path = content / "posts/2026/2026-03-13-samma.md"
    path.write_text("mitt arbete", encoding="utf-8")
    again = run_cli("new", "post", "Samma", "--date", "2026-03-13", "--content", str(content))
    assert (first.code, again.code) == (0, 1)
    assert "finns redan" in again.err
    assert path.read_text(encoding="utf-8") == "mitt arbete"


def test_a_long_title_makes_a_short_file_name_cut_at_a_word(tmp_path):
    content = site(tmp_path)
    title = "Idéverkstad om lokal mat " * 16  # 400 characters
    run = run_cli("new", "post", title, "--content", str(content), "--date", "2026-03-13")
    assert run.code == 0, run.err
    path = content / "posts/2026/2026-03-13-ideverkstad-om-lokal-mat-ideverkstad-om-lokal-mat.md"
    assert run.out.strip() == str(path)
    assert f'title: "{title}"' in path.read_text(encoding="utf-8")
    event = run_cli("new", "event", "x" * 400, "--content", str(content), "--date", "2026-03-13")
    assert event.code == 0, event.err
    assert (content / f"events/2026/2026-03-13-{'x' * 60}.yaml").is_file()


ALTERNATIVES = {"month", "stops"}  # each in place of start: the template says so
NEEDS_REGISTRIES = {"organisers", "partners", "focus_areas", "downloads"}  # ids and files of a real site


def _uncommented(text: str, skip: set[str]) -> str:
    """The template with every commented field (and the lines under it) uncommented, except `skip`."""
    import re

    lines, out, taking = text.split("\n"), [], False
    for line in lines:
        field = re.match(r"# ([a-z_]+):", line)
        if field:
            taking = field.group(1) not in skip
            out.append(line[2:] if taking else line)
        elif taking and line.startswith("#   "):
            out.append(line[2:])
        else:
            taking = taking and line.startswith("#   ")
            out.append(line)
    return "\n".join(out)


def test_a_new_event_needs_its_kind_chosen(tmp_path):
    content = site(tmp_path)
    run_cli("new", "event", "Första mötet", "--date", "2026-03-14", "--content", str(content))
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"), "--now", "2026-03-13T12:00")
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{content}/events/2026/2026-03-14-forsta-motet.yaml:4: kind: fältet är tomt; välj ett av: idéverkstad, "
        "workshop, lärresa, möte, turné, sommarkontor, konferens")


def test_the_new_events_examples_agree_with_each_other(tmp_path):
    content = site(tmp_path)
    run_cli("new", "event", "Första mötet", "--date", "2026-03-14", "--content", str(content))
    path = content / "events/2026/2026-03-14-forsta-motet.yaml"
    text = path.read_text(encoding="utf-8").replace("kind:   ", 'kind: "möte"', 1)
    path.write_text(_uncommented(text, ALTERNATIVES | NEEDS_REGISTRIES), encoding="utf-8")
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"), "--now", "2026-03-13T12:00")
    assert run.code == 0, run.err + path.read_text(encoding="utf-8")


def test_the_editors_fixture_of_a_new_event_is_what_new_writes(tmp_path):
    from conftest import TESTS

    content = site(tmp_path)
    run_cli("new", "event", "Första mötet", "--date", "2019-03-14", "--content", str(content))
    written = (content / "events/2019/2019-03-14-forsta-motet.yaml").read_text(encoding="utf-8")
    fixture = TESTS / "invalid/editor-new-event/content/events/2019/2019-03-14-forsta-motet.yaml"
    assert fixture.read_text(encoding="utf-8") == written


def test_a_new_file_whose_address_is_taken_is_named_apart(tmp_path):
    """A post of the same title later in the year, or a yearly event, made a file that did not build:
    its address was another file's (found by a helper trying `new` as an editor)."""
    content = site(tmp_path)
    made = [run_cli("new", kind, "Kalasturné", "--date", day, "--content", str(content))
            for kind, day in (("post", "2015-11-01"), ("post", "2015-12-01"), ("post", "2016-12-01"),
                              ("event", "2015-11-01"), ("event", "2016-11-01"), ("event", "2016-11-02"))]
    assert [run.code for run in made] == [0] * 6, [run.err for run in made]
    assert [run.out.strip().removeprefix(str(content) + "/") for run in made] == [
        "posts/2015/2015-11-01-kalasturne.md", "posts/2015/2015-12-01-kalasturne-2.md",
        "posts/2016/2016-12-01-kalasturne.md", "events/2015/2015-11-01-kalasturne.yaml",
        "events/2016/2016-11-01-kalasturne-2016.yaml", "events/2016/2016-11-02-kalasturne-2.yaml"]
    for event in (content / "events").rglob("*.yaml"):
        event.write_text(event.read_text(encoding="utf-8").replace("kind:   ", 'kind: "turné"', 1), encoding="utf-8")
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"), "--now", "2017-01-01T12:00",
                  "--no-search")
    assert run.code == 0, run.err


def test_a_time_given_with_the_date_is_the_posts_time_and_the_events_start(tmp_path):
    """`--date "2027-03-12 10:00"` was accepted and the time dropped without a word."""
    content = site(tmp_path)
    for kind, title, when in (("post", "Tid", "2027-03-12 10:00"), ("event", "Möte", "2027-03-12 10.30"),
                              ("event", "Sent", "2027-03-12T22:45")):
        assert run_cli("new", kind, title, "--date", when, "--content", str(content)).code == 0
    post = (content / "posts/2027/2027-03-12-tid.md").read_text(encoding="utf-8")
    assert "\ndate: 2027-03-12 10:00\n" in post and "# updated: 2027-03-12 10:00 " in post
    meeting = (content / "events/2027/2027-03-12-mote.yaml").read_text(encoding="utf-8")
    assert 'start: "2027-03-12 10:30"' in meeting and '# end: "2027-03-12 12:30"' in meeting
    late = (content / "events/2027/2027-03-12-sent.yaml").read_text(encoding="utf-8")
    assert 'start: "2027-03-12 22:45"' in late and '# end: "2027-03-12 23:59"' in late
    for event in (content / "events").rglob("*.yaml"):  # the end example uncommented still builds
        text = event.read_text(encoding="utf-8").replace("kind:   ", 'kind: "möte"', 1).replace('# end: "', 'end: "', 1)
        event.write_text(text, encoding="utf-8")
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"), "--now", "2027-03-13T12:00",
                  "--no-search")
    assert run.code == 0, run.err
    page = (tmp_path / "out/blogg/2027/tid/index.html").read_text(encoding="utf-8")
    assert 'datetime="2027-03-12T10:00:00+01:00"' in page


def test_a_new_post_whose_example_text_is_left_builds_with_a_warning_at_its_line(tmp_path):
    """An editor who fills in only the fields published 'Skriv inlägget här …' as the post's text,
    description and feed entry, and check said 0 errors and 0 warnings."""
    content = site(tmp_path)
    run_cli("new", "post", "Lärresa: Umeå", "--date", "2026-03-13", "--content", str(content))
    post = content / "posts/2026/2026-03-13-larresa-umea.md"
    line = post.read_text(encoding="utf-8").splitlines().index(
        "Skriv inlägget här, i Markdown. Börja med ett stycke; använd ## för mellanrubriker.") + 1
    run = run_cli("check", "--content", str(content), "--now", "2026-03-13T12:00")
    assert run.code == 0
    assert run.err == (f"{post}:{line}: varning: texten är fortfarande mallens exempeltext (”Skriv inlägget här …”), "
                       "som annars publiceras som inläggets text och beskrivning; skriv inlägget där\n")
