"""The editors' guides stay true: every example event builds together with the real content."""
import shutil

from conftest import ROOT

EXAMPLES = sorted((ROOT / "docs" / "exempel").glob("*.yaml"))


def test_there_is_an_example_of_every_kind_and_time_shape():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in EXAMPLES}
    assert set(texts) >= {"ideverkstad", "workshop", "larresa", "mote", "turne", "sommarkontor", "konferens"}
    joined = "\n".join(texts.values())
    for shape in ("month:", "stops:", "optional: true", 'status: "cancelled"', 'status: "postponed"', "lärt:"):
        assert shape in joined, shape


def test_the_examples_build_with_the_real_content(build, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for example in EXAMPLES:
        shutil.copy(example, content / "events" / f"2026-01-01-exempel-{example.name}")
    run, output = build(content, "--now", "2026-11-23T12:00")
    assert run.code == 0, run.err
    assert len(list(output.glob("evenemang/*/exempel-*/index.html"))) == len(EXAMPLES)


def test_the_guides_link_to_files_that_exist():
    import re

    for guide in (ROOT / "docs").glob("*.md"):
        text = re.sub(r"```.*?```", "", guide.read_text(encoding="utf-8"), flags=re.S)  # examples, not links
        text = re.sub(r"`[^`]*`", "", text)
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (guide.parent / target).exists(), f"{guide.name}: {target}"


def test_the_field_tables_in_the_guides_are_what_the_models_say():
    from generator import fieldtables

    guides = fieldtables.guides(ROOT / "docs")
    assert {p.name for p in guides} >= {"inlagg.md", "evenemang.md", "fokusomraden.md", "publicering.md"}
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        assert fieldtables.filled(text) == text, f"{guide.name} is out of date: run `python build.py docs`"


def test_a_field_table_shows_description_requirement_values_default_and_example():
    from generator import fieldtables

    rows = fieldtables.table("event place").splitlines()
    kind = next(row for row in rows if row.startswith("| `kind` |"))
    assert "Sorts evenemang." in kind and "**Måste finnas.**" in kind and "`konferens`" in kind
    assert kind.endswith('| `kind: "lärresa"` |')
    status = next(row for row in rows if row.startswith("| `status` |"))
    assert "Utan fältet: `planned`." in status and "Måste" not in status
    assert any(row.startswith("| `place.municipality` | Kommunen") for row in rows)
    assert not any(row.startswith("| `programme.time`") for row in rows)  # only the fields asked for


def test_a_stale_table_is_made_anew_and_text_around_it_is_kept():
    from generator import fieldtables

    stale = "Före.\n\n<!-- fält:start page -->\n| fält | gammal |\n<!-- fält:slut -->\n\nEfter.\n"
    new = fieldtables.filled(stale)
    assert new.startswith("Före.\n\n<!-- fält:start page -->\n\n| fält | betyder | exempel |\n")
    assert "| `draft` |" in new and "gammal" not in new
    assert new.endswith("|\n\n<!-- fält:slut -->\n\nEfter.\n")
    assert fieldtables.filled(new) == new


def test_a_table_naming_an_unknown_schema_or_field_is_an_error():
    import pytest

    from generator import fieldtables

    for marker in ("evenemang", "event.plats", "event plats"):
        with pytest.raises(fieldtables.UnknownTable):
            fieldtables.table(marker)


def test_build_py_docs_rewrites_the_tables(tmp_path):
    import subprocess
    import sys

    guide = tmp_path / "guide.md"
    guide.write_text("<!-- fält:start organisations -->\n<!-- fält:slut -->\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "docs", "--docs", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(guide)
    assert "| `url` | Organisationens webbplats" in guide.read_text(encoding="utf-8")
