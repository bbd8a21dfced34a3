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
