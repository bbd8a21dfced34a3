"""Markdown: GitHub Flavored Markdown through cmark-gfm, plus ids, classes and link rewriting."""
import pytest

from generator.content import markdown


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
    assert '<a href="https://example.org" rel="noopener">https://example.org</a>' in html
    assert '<input type="checkbox" checked="" disabled=""> klar' in html
    assert 'href="#fn-1"' in html and 'aria-label="Tillbaka till hänvisning 1"' in html
    assert "/>" not in html  # HTML5 void elements, not XHTML


def test_gfm_tag_filter_disarms_dangerous_raw_html():
    html = markdown.render('<script>alert(1)</script>\n\nText <iframe src="x"></iframe> <b>fet</b>')
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<iframe" not in html and '&lt;iframe src="x"&gt;&lt;/iframe&gt;' in html
    assert "<b>fet</b>" in html


def test_raw_html_keeps_no_handlers_styles_or_script_links_as_github_sanitises():
    html = markdown.render('<div style="color:red" onmouseover="alert(1)">ruta</div>\n\n'
                           '[länk](javascript:alert(2)) <a href="JavaScript:alert(3)" onclick="x()">a</a> '
                           '<img src="x.png" alt="bild" onerror="alert(4)"> <!-- intern anteckning -->')
    assert html == ('<div>ruta</div>\n<p><a>länk</a> <a>a</a> <img src="x.png" alt="bild"> </p>\n')


def test_script_links_are_dropped_also_in_text_without_html():
    html = markdown.render("[a](javascript:alert(1)) [b](vbscript:x) [c](JAVASCRIPT:alert(2)) ![d](data:image/png;base64,AA)")
    assert "script:" not in html.lower() and html.count('<a href="">') == 3
    assert '<img src="data:image/png;base64,AA" alt="d">' in html  # an inline image, as CommonMark allows


def test_links_that_leave_the_site_get_noopener_and_others_do_not():
    html = markdown.render("[ut](https://example.org/a) [proto](//example.org/b) [in](2015-01-01-a.md) "
                           "[rot](/blogg/) [ankare](#rubrik) <a href=\"https://x.se\" rel=\"nofollow\">x</a>")
    assert '<a href="https://example.org/a" rel="noopener">ut</a>' in html
    assert '<a href="//example.org/b" rel="noopener">proto</a>' in html
    assert '<a href="2015-01-01-a.md">in</a>' in html and '<a href="/blogg/">rot</a>' in html
    assert '<a href="#rubrik">ankare</a>' in html
    assert '<a href="https://x.se" rel="noopener">x</a>' in html  # what an editor writes in rel is not kept


def test_email_addresses_are_character_references_in_link_and_text():
    html = markdown.render("Skriv till anna.berg@regionjh.se eller [Bo](mailto:bo@miun.se?subject=Hej).")
    assert "@" not in html and "mailto:" not in html
    visible = markdown.plain_text(html)
    assert visible == "Skriv till anna.berg@regionjh.se eller Bo."
    assert 'href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;&#97;' in html
    from html import unescape
    assert unescape(html).count("mailto:anna.berg@regionjh.se") == 1
    assert 'href="mailto:bo@miun.se?subject=Hej"' in unescape(html)
    assert markdown.rewrite_links(html, lambda target: target) == html  # links kept as they are


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

    code = ("import resource\nfrom generator.content import markdown\n"
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


def test_ids_from_raw_html_are_prefixed_as_on_github_and_their_links_follow():
    html = markdown.render(
        '# Rubrik\n\n<div id="innehall"><a name="sok-sidhuvud">x</a> <a href="#innehall">upp</a> '
        '<a href="#sok-sidhuvud">namn</a> <a href="#rubrik">rubriken</a></div>\n\n<p id="rubrik">samma</p>\n\n'
        '[till diven](#innehall) <b>fet</b>[^1]\n\n[^1]: Noten.\n')
    assert '<div id="user-content-innehall">' in html and 'name="user-content-sok-sidhuvud"' in html
    assert 'href="#user-content-innehall">upp' in html and 'href="#user-content-sok-sidhuvud"' in html
    assert '<a href="#user-content-innehall">till diven</a>' in html
    assert '<h1 id="rubrik">' in html and '<p id="user-content-rubrik">' in html
    assert '<a href="#rubrik">rubriken</a>' in html  # the heading keeps its id and its links
    assert 'href="#fn-1" id="fnref-1"' in html and '<li id="fn-1">' in html  # footnotes as without raw HTML
    assert ' id="innehall"' not in html and ' name="sok-sidhuvud"' not in html


def test_a_link_left_as_text_for_a_space_in_its_address_is_found_but_brackets_in_prose_are_not():
    def unread(text: str) -> list[str]:
        return [target for kind, target, _ in markdown.references(markdown.render(text), text) if kind == "unread"]

    assert unread("![Kartan](../bilder/karta över.png)") == ["![Kartan](../bilder/karta över.png)"]
    assert unread("Läs [rapporten](rapport 2015.pdf).") == ["[rapporten](rapport 2015.pdf)"]
    assert unread("Se [**Rapport** & bilaga](../../../assets/rapport 2015.pdf).") == [
        "[**Rapport** & bilaga](../../../assets/rapport 2015.pdf)"], "as written, formatting and all"
    assert unread('![Karta](../karta över.png "Karta över Åre")') == ['![Karta](../karta över.png "Karta över Åre")']
    assert unread("Läs [rapporten](<rapport 2015.pdf>).") == []  # the way to write it: a link
    for prose in ("Se [1](s. 4 i rapporten) och [a](b c).", "Priset [ca 500 kr](inkl. moms/person) gäller.",
                  "Kör [tester](och/eller granskning) först.", "Datum [2015-11-01](ons 10.00)",
                  "Se [avsnitt](kap. 3.12)", "Stödet [för företag](och organisationer i Jämtland/Härjedalen)",
                  "\\[x\\](a b.png) skrivet med flit"):
        assert unread(prose) == [], prose
    assert unread("`[så](här skrivs det.md)`\n\n    ![kod](med mellanslag.png)\n") == []
    assert markdown.references(markdown.render("[a](b c.pdf)")) == (), "without the source, none is looked for"


def test_a_list_or_an_indented_paragraph_pasted_from_word_is_a_warning_at_its_line(minimal_site, tmp_path):
    """Word pastes a list as bullet characters and tabs, and an indented paragraph with a tab first:
    Markdown made the list one paragraph ("• Kaffe • Smörgås") and the paragraph a code block,
    without a word. Each is a warning at its line; Swedish dialogue ("– Vi är glada") and code in
    ``` fences are left alone."""
    from conftest import run_cli, write

    post = write(minimal_site / "posts/2026-11-20-word.md", "---\ntitle: Från Word\ndate: 2026-11-20\n---\n"
                 "Vi bjuder på:\n\n•\tKaffe\n•\tSmörgås med ost och skinka, och med en lång text efter\n\n"
                 "o\tTe\n\n\tDet här stycket klistrades in med en tabb först.\n\n– Vi är glada, säger Anna.\n\n"
                 "```\n•\tkod\n\tmer kod\n```\n\n    kod med fyra mellanslag\n")
    run = run_cli("build", "--content", str(minimal_site), "--output", str(tmp_path / "public"), "--no-search",
                  "--now", "2026-12-01")
    assert run.code == 0, run.err
    list_advice = ("som Markdown inte gör någon lista av: raderna blir ett enda stycke; skriv ett bindestreck och "
                   "ett mellanslag först i varje punkt")
    assert [line for line in run.err.splitlines() if ": varning: " in line] == [
        f"{post}:7: varning: raden börjar med •, {list_advice}, - Kaffe",
        f"{post}:10: varning: raden börjar med o, {list_advice}, - Te",
        f"{post}:12: varning: raden börjar med en tabb, så Markdown visar stycket som kod, i en ruta med fast "
        "teckenbredd; ta bort tabben i början av raden. Ska det vara kod, skriv det mellan två rader med ```",
    ]
    assert markdown.pasted_layout("•\tSmörgås med ost och skinka, och med en lång text efter\n", "<p>…</p>") == [
        (1, f"raden börjar med •, {list_advice}, - Smörgås med ost och skinka, och med en …")]


@pytest.mark.parametrize("text", [
    "1. Öppna terminalen och kör:\n\t```sh\n\tmake\n\t```\n2. Klart.\n",  # fenced code in a list, tab-indented
    "1. Kör:\n\n\t\tpip install x\n",  # an indented code block inside a list item
    "> \tcitat\n",
    "Slut.\n\n■\n",  # an article's end mark
    "Text\n•\n", "•\t\n",
    "– Vi är glada, säger Anna.\n– Vi också.\n",  # dialogue
    "```\n•\tkod\n\tmer kod\n```\n",
])
def test_code_dialogue_and_end_marks_are_not_taken_for_pasted_layout(text):
    assert markdown.pasted_layout(text, markdown.render(text)) == []


def test_a_bullet_followed_by_a_no_break_space_is_pasted_layout_too():
    text = "Vi bjuder på:\n\n•\u00a0Kaffe\n•\u00a0Te\n"
    assert [line for line, _ in markdown.pasted_layout(text, markdown.render(text))] == [3]


def test_html_that_github_s_filter_shows_as_text_is_a_warning_at_its_line():
    """A YouTube <iframe> or a <script> pasted into a text is shown on the page as code-like text;
    the guide says so, and now the build does, where it happens."""
    text = ('Hej\n\n<iframe width="560" src="https://www.youtube.com/embed/x"></iframe>\n\n'
            "Och <script>alert(1)</script>, men `<iframe>` i kod och &lt;style skrivet som text.\n\n```\n<script>\n```\n")
    found = markdown.shown_as_text(text, markdown.render(text))
    assert [(line, message.split(":")[0]) for line, message in found] == [
        (3, "<iframe> visas som text på sidan"), (5, "<script> visas som text på sidan")]
    assert found[0][1].endswith("länka till filmen i stället, [Filmen](https://www.youtube.com/watch?v=…); i ett "
                                "evenemang kan den stå under videos")
    assert markdown.shown_as_text("`<iframe>` och &lt;iframe", markdown.render("`<iframe>` och &lt;iframe")) == []


def test_a_heading_written_as_the_pages_main_heading_is_a_warning_at_its_line(minimal_site, tmp_path):
    """The page's title is its one main heading (<h1>); a `# Rubrik` in the text made a second, which
    breaks the page's outline for screen readers and search engines. A warning says to write ##,
    or, for the title written again above the text (a habit from Word), to remove it."""
    from conftest import run_cli, write

    post = write(minimal_site / "posts/2026-11-20-rubriker.md", "---\ntitle: Från Word\ndate: 2026-11-20\n---\n"
                 "# Från Word\n\nText.\n\nBakgrund\n========\n\n## Mellanrubrik\n\n```\n# kod\n```\n")
    run = run_cli("build", "--content", str(minimal_site), "--output", str(tmp_path / "public"), "--no-search",
                  "--now", "2026-12-01")
    assert run.code == 0, run.err
    assert [line for line in run.err.splitlines() if ": varning: " in line] == [
        f"{post}:5: varning: rubriken ”Från Word” upprepar titeln, som sidan redan visar överst som huvudrubrik; "
        "ta bort raden",
        f"{post}:9: varning: rubriken ”Bakgrund” blir en andra huvudrubrik på sidan, som redan har titeln som "
        "huvudrubrik; skriv den som mellanrubrik: ## Bakgrund",
    ]
