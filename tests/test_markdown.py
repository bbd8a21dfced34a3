"""Markdown: GitHub Flavored Markdown through cmark-gfm, plus ids, classes and link rewriting."""
import pytest

from generator import markdown


def test_commonmark_basics():
    assert markdown.render("*kursiv* och **fet**") == "<p><em>kursiv</em> och <strong>fet</strong></p>\n"


def test_gfm_extensions():
    html = markdown.render(
        "| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n~~bort~~ https://example.org\n\n- [x] klar\n- [ ] kvar\n\n"
        "Fotnot[^1].\n\n[^1]: Här.\n")
    assert '<th class="align-center">a</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert "style=" not in html  # no inline styles, so a strict CSP can forbid them
    assert "<del>bort</del>" in html
    assert '<a href="https://example.org">https://example.org</a>' in html
    assert '<input type="checkbox" checked="" disabled=""> klar' in html
    assert 'href="#fn-1"' in html and 'aria-label="Tillbaka till hänvisning 1"' in html
    assert "/>" not in html  # HTML5 void elements, not XHTML


def test_gfm_tag_filter_disarms_dangerous_raw_html():
    html = markdown.render('<script>alert(1)</script>\n\nText <iframe src="x"></iframe> <b>fet</b>')
    assert "<script>" not in html and "&lt;script>" in html
    assert "<iframe" not in html and "&lt;iframe" in html
    assert "<b>fet</b>" in html


def test_heading_ids_are_stable_and_unique_like_github():
    html = markdown.render("## Hej & välkommen!\n\n## Hej & välkommen!\n\n### `kod` i rubrik\n")
    assert '<h2 id="hej--välkommen">' in html
    assert '<h2 id="hej--välkommen-1">' in html
    assert '<h3 id="kod-i-rubrik">' in html
    assert markdown.render("## Hej & välkommen!") == markdown.render("## Hej & välkommen!")


def test_rewrite_links_and_images():
    html = markdown.render("[a](x.md#del) ![b](bild.png) [c](https://example.org/?a=1&b=2)")
    out = markdown.rewrite_links(html, lambda target: target.upper() if target.startswith("x") else target)
    assert 'href="X.MD#DEL"' in out
    assert 'src="bild.png"' in out
    assert 'href="https://example.org/?a=1&amp;b=2"' in out
    assert markdown.link_targets(html) == ["x.md#del", "bild.png", "https://example.org/?a=1&b=2"]


def test_code_blocks_are_not_rewritten():
    html = markdown.render('```html\n<a href="x.md">x</a>\n```\n')
    assert markdown.link_targets(html) == []


def test_excerpt_cuts_at_a_word():
    html = markdown.render("Ett två tre fyra fem sex sju åtta nio tio.")
    assert markdown.excerpt(html, 20) == "Ett två tre fyra …"
    assert markdown.excerpt(html, 200) == "Ett två tre fyra fem sex sju åtta nio tio."
    assert markdown.plain_text("<p>A &amp; B</p>\n<p>C</p>") == "A & B C"


def test_same_html_as_cmarkgfm_itself():
    import cmarkgfm

    samples = ["", "# Rubrik\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n[^1]\n\n[^1]: fotnot\n",
               "<script>x</script> ~~bort~~ www.example.org\n\n- [ ] kvar\n- [x] klar\n",
               "Ett *stycke* med `kod` och [länk](x.md \"titel\")\n\n```python\nprint(1)\n```\n"]
    for text in samples:
        assert markdown._gfm_to_html(text) == cmarkgfm.github_flavored_markdown_to_html(
            text, options=markdown._OPTIONS).replace('<pre lang="python"><code>',
                                                     '<pre><code class="language-python">')


def test_code_language_is_a_class_not_a_lang_attribute():
    # lang="python" would claim a human language; CommonMark's class is valid HTML.
    html = markdown.render("```python\nx\n```\n")
    assert html == '<pre><code class="language-python">x\n</code></pre>\n'


def test_rendering_does_not_leak_memory():
    """cmarkgfm's own function loses ~55 KB a post; ours frees the tree and the buffer."""
    import subprocess
    import sys

    code = ("import resource\nfrom generator import markdown\n"
            "text = ('Ett stycke med *betoning* och [en länk](x.md).\\n\\n## Rubrik\\n\\n- a\\n- b\\n\\n' * 40)\n"
            "markdown.render(text)\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "for _ in range(3000):\n    markdown.render(text)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n")
    grown_kb = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert grown_kb < 20_000, f"{grown_kb} KB more after 3,000 renders"


@pytest.mark.parametrize("text", [
    "Ett kort stycke.",
    "Första stycket är kort.\n\n" + "Andra stycket har många ord, " * 40,
    "![bild](a.png)\n\n" * 300 + "Texten kommer först efter många bilder. " * 10,
    "| a | b |\n|---|---|\n" + "| cell | cell |\n" * 300,
    "- punkt\n" * 500,
])
def test_an_excerpt_is_the_start_of_the_whole_text(text):
    body = markdown.render(text)
    whole = markdown.plain_text(body)
    expected = whole if len(whole) <= 160 else whole[:160].rsplit(" ", 1)[0].rstrip(",.;:–-") + " …"
    assert markdown.excerpt(body) == expected
