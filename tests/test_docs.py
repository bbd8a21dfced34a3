"""The documentation stays true: example events build, field tables match the models, links resolve."""
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

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


README_LIMIT = 10 * 1024  # a newcomer reads it in five minutes; details live in docs/dev/ and CONTRIBUTING.md
DOCUMENTS = sorted({ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "benchmarks" / "README.md",
                    *(ROOT / "docs").rglob("*.md")})
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def prose(markdown: str) -> str:
    """The text whose links a reader can follow: no code blocks, code spans or HTML comments."""
    text = _FENCE.sub("", markdown)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = "\n".join(line for line in text.splitlines() if not line.startswith("    "))  # indented code
    return re.sub(r"(`+).*?\1", "", text, flags=re.S)


def github_anchors(markdown: str) -> set[str]:
    """The #anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as
    hyphens, a repeated heading with -1, -2 …"""
    anchors: set[str] = set()
    for line in _FENCE.sub("", markdown).splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1)).replace("`", "").replace("*", "")
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        anchor, repeat = slug, 0
        while anchor in anchors:
            repeat += 1
            anchor = f"{slug}-{repeat}"
        anchors.add(anchor)
    return anchors


def broken_links(document: Path) -> list[str]:
    problems = []
    for target in _LINK.findall(prose(document.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            continue  # another site, or mailto:
        path_part, _, anchor = unquote(target).partition("#")
        path = (ROOT / path_part.lstrip("/")) if path_part.startswith("/") else (document.parent / path_part)
        if path_part and not path.exists():
            problems.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in github_anchors(path.read_text(encoding="utf-8")):
            problems.append(f"{target}: no heading with that anchor")
        elif anchor and not path_part and anchor not in github_anchors(document.read_text(encoding="utf-8")):
            problems.append(f"{target}: no heading with that anchor")
    return problems


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(document):
    assert broken_links(document) == []


def test_the_link_check_finds_a_missing_file_and_a_missing_anchor(tmp_path):
    (tmp_path / "other.md").write_text("# Så här gör du: steg 1\n\n## Hej & välkommen\n", encoding="utf-8")
    document = tmp_path / "guide.md"
    document.write_text(
        "# Rubrik\n\n[ok](other.md#så-här-gör-du-steg-1) [ok](other.md#hej--välkommen) [ok](#rubrik)\n"
        "[saknas](saknas.md) [fel ankare](other.md#hej) [fel här](#inget) [extern](https://example.org/x.md)\n"
        "`[kod](kod.md)`\n\n```\n[block](block.md)\n```\n", encoding="utf-8")
    assert broken_links(document) == [
        "saknas.md: no such file", "other.md#hej: no heading with that anchor", "#inget: no heading with that anchor"]


def test_github_anchors_number_repeated_headings():
    assert github_anchors("## Tiden\n\n### Tiden\n\n## `site.yaml` och *mer*\n") == {
        "tiden", "tiden-1", "siteyaml-och-mer"}


def test_the_readme_is_at_most_10_kb():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move details to docs/dev/ or CONTRIBUTING.md"


def test_the_field_tables_in_the_guides_are_what_the_models_say():
    from generator.commands import fieldtables

    guides = fieldtables.guides(ROOT / "docs")
    assert {p.name for p in guides} >= {"inlagg.md", "evenemang.md", "fokusomraden.md", "publicering.md"}
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        assert fieldtables.filled(text) == text, f"{guide.name} is out of date: run `python build.py docs`"


def test_a_field_table_shows_description_requirement_values_default_and_example():
    from generator.commands import fieldtables

    rows = fieldtables.table("event place").splitlines()
    kind = next(row for row in rows if row.startswith("| `kind` |"))
    assert "Sorts evenemang." in kind and "**Måste finnas.**" in kind and "`konferens`" in kind
    assert kind.endswith('| `kind: "lärresa"` |')
    status = next(row for row in rows if row.startswith("| `status` |"))
    assert "Utan fältet: `planned`." in status and "Måste" not in status
    assert any(row.startswith("| `place.municipality` | Kommunen") for row in rows)
    assert not any(row.startswith("| `programme.time`") for row in rows)  # only the fields asked for


def test_a_stale_table_is_made_anew_and_text_around_it_is_kept():
    from generator.commands import fieldtables

    stale = "Före.\n\n<!-- fält:start page -->\n| fält | gammal |\n<!-- fält:slut -->\n\nEfter.\n"
    new = fieldtables.filled(stale)
    assert new.startswith("Före.\n\n<!-- fält:start page -->\n\n| fält | betyder | exempel |\n")
    assert "| `draft` |" in new and "gammal" not in new
    assert new.endswith("|\n\n<!-- fält:slut -->\n\nEfter.\n")
    assert fieldtables.filled(new) == new


def test_a_table_naming_an_unknown_schema_or_field_is_an_error():
    import pytest

    from generator.commands import fieldtables

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

    guide.write_text("<!-- fält:start organisations.adress -->\n<!-- fält:slut -->\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "docs", "--docs", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert run.stderr == f"{guide}: okänt fält 'adress' i <!-- fält:start organisations.adress -->\n"
