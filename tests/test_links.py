"""Broken links and images stop every build, also one that keeps its last plan (only texts changed)."""
import re
import shutil
import unicodedata
from urllib.parse import unquote

import pytest

from conftest import TESTS

BLOG = TESTS / "sites" / "blog"
POST = "posts/2015/2015-07-02-sommar.md"


def _site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    return content


def _build(build, content, tmp_path):
    return build(content, "--assets", str(BLOG / "assets"), "--now", "2016-03-01T12:00",
                 "--cache-dir", str(tmp_path / "cache"), "--no-search")


def test_a_broken_link_in_an_edited_text_stops_a_build_that_keeps_its_plan(build, tmp_path):
    content = _site(tmp_path)
    first, _ = _build(build, content, tmp_path)
    assert first.code == 0, first.err
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSe [vintern](2015-03-31-vinter.md).\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    assert ("sommar.md:" in run.err and "länken 2015-03-31-vinter.md leder till en fil som inte finns "
            "(länkar räknas från filens egen mapp) (menade du '2015-03-13-vinter.md'?)" in run.err)


def test_a_heading_renamed_in_an_edited_text_breaks_the_links_to_it(build, tmp_path):
    content = _site(tmp_path)
    linking = content / "posts/2015/2015-03-13-vinter.md"
    linking.write_text(linking.read_text(encoding="utf-8") + "\nSe [tabellen](2015-07-02-sommar.md#tabell).\n",
                       encoding="utf-8")
    first, _ = _build(build, content, tmp_path)
    assert first.code == 0, first.err
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8").replace("## Tabell", "## Tabellen"), encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    assert ("vinter.md:" in run.err and "länken 2015-07-02-sommar.md#tabell leder till ett ankare som inte finns: "
            "#tabell (menade du '#tabellen'?)" in run.err)


def test_an_edited_text_with_whole_links_builds_and_renders_only_what_shows_it(build, tmp_path):
    from generator.build.pipeline import Paths, build as build_site
    from generator.site.model import Options
    from generator.content.dates import parse_now, zone

    content = _site(tmp_path)
    paths = Paths(content, tmp_path / "public", assets=BLOG / "assets")
    options = Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), search=False)
    build_site(paths, options, cache_dir=tmp_path / "cache")
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSe [tabellen](#tabell).\n", encoding="utf-8")
    report = build_site(paths, options, cache_dir=tmp_path / "cache")
    assert 0 < report.rendered < report.outputs / 4


def test_a_link_or_image_with_a_space_in_its_address_is_an_error_not_text_on_the_page(build, tmp_path):
    """CommonMark reads an address with a space only inside <…>: without them the page showed the
    Markdown as text and no build said so. In code it is an example and stays."""
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8")
                    + "\n![Kartan](../../../assets/bilder/karta över.png)\n\nLäs [rapporten](rapport 2015.pdf).\n"
                    + "\n`[så här](inte en länk)` och\n\n    ![kod](med mellanslag.png)\n"
                    + '\nSe [**Rapport** & bilaga](bilaga 2.pdf) och ![Karta](karta över.png "Karta över Åre").\n'
                    + "\nPriset [ca 500 kr](inkl. moms/person) gäller.\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    lines = post.read_text(encoding="utf-8").splitlines()
    image_line = lines.index("![Kartan](../../../assets/bilder/karta över.png)") + 1
    assert (f"{POST}:{image_line}: bilden ![Kartan](../../../assets/bilder/karta över.png) visas som text, "
            "eftersom adressen har mellanslag; skriv adressen inom vinkelparenteser: "
            "![Kartan](<../../../assets/bilder/karta över.png>)") in run.err
    assert (f"{POST}:{image_line + 2}: länken [rapporten](rapport 2015.pdf) visas som text, eftersom adressen har "
            "mellanslag; skriv adressen inom vinkelparenteser: [rapporten](<rapport 2015.pdf>)") in run.err
    last = len(lines) - 2
    assert (f"{POST}:{last}: länken [**Rapport** & bilaga](bilaga 2.pdf) visas som text, eftersom adressen har "
            "mellanslag; skriv adressen inom vinkelparenteser: [**Rapport** & bilaga](<bilaga 2.pdf>)") in run.err
    assert (f'{POST}:{last}: bilden ![Karta](karta över.png "Karta över Åre") visas som text, eftersom adressen har '
            'mellanslag; skriv adressen inom vinkelparenteser: ![Karta](<karta över.png> "Karta över Åre")') in run.err
    assert "inte en länk" not in run.err and "kod" not in run.err and "moms" not in run.err


def test_a_link_to_a_draft_builds_with_a_warning_that_it_leads_nowhere_yet(build, tmp_path):
    """The build publishes a link to a draft or a future post (it may be published first, or with it),
    but says that the link leads nowhere until then; `check` calls it an error, once."""
    content = _site(tmp_path)
    (content / "posts/2015/2015-08-01-utkast.md").write_text(
        '---\ntitle: "Utkast"\ndate: 2015-08-01\ndraft: true\n---\nInte klart.\n', encoding="utf-8")
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSnart: [utkastet](2015-08-01-utkast.md).\n"
                    + "\nIgen: [samma utkast](2015-08-01-utkast.md).\n", encoding="utf-8")
    line = post.read_text(encoding="utf-8").splitlines().index("Snart: [utkastet](2015-08-01-utkast.md).") + 1
    message = (f"{POST}:{line}: varning: länken 2015-08-01-utkast.md leder till en fil som inte är publicerad "
               "(ett utkast eller ett inlägg med framtida datum)")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 0, run.err
    assert (run.out + run.err).count(message) == 1, "one warning for one link, however often it is written"
    again, _ = _build(build, content, tmp_path)  # nothing changed: the warning is said again
    assert message in again.out + again.err


def test_links_with_a_query_or_a_fragment_keep_them_as_written(build, tmp_path):
    """Links are percent-encoded only in their path: `/sok/?q=kalas` and a menu's `/om/#vem-står-bakom`
    stay as written (encoding the ? made the link check fail, encoding the # broke the menu)."""
    content = _site(tmp_path)
    config = content / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('url: "/om/"', 'url: "/om/#vem-står-bakom"'),
                      encoding="utf-8")
    about = content / "pages/om.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n## Vem står bakom\n\nVi.\n", encoding="utf-8")
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSök [kalas](/sok/?q=kalas).\n", encoding="utf-8")
    run, output = _build(build, content, tmp_path)
    assert run.code == 0, run.err
    page = next(output.rglob("sommar/index.html")).read_text(encoding="utf-8")
    assert 'href="/innovation/om/#vem-står-bakom"' in page
    assert 'href="/innovation/sok/?q=kalas"' in page


def test_a_base_url_with_a_folder_named_with_swedish_letters_checks_and_builds(build, tmp_path):
    content = _site(tmp_path)
    run, output = build(content, "--assets", str(BLOG / "assets"), "--now", "2016-03-01T12:00", "--no-search",
                        "--no-cache", "--base-url", "https://example.org/råd/")
    assert run.code == 0, run.err
    page = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="/r%C3%A5d/blogg/"' in page and "/råd/" not in page


def _build_with_image_post(build, tmp_path, image: str, alt: str, line: str):
    """The blog fixture with a post that has `image` on top and `line` at its line 9; the build fails."""
    content = _site(tmp_path)
    (content / "posts/2015/2015-11-05-bild.md").write_text(
        f'---\ntitle: "Bild"\ndate: 2015-11-05\nimage: "{image}"\nimage_alt: "{alt}"\n---\nText.\n\n{line}\n',
        encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    return run


def test_an_html_image_without_alt_is_told_so_at_its_own_line_when_the_post_also_shows_it_on_top(build, tmp_path):
    run = _build_with_image_post(build, tmp_path, "../../../assets/bilder/karta.png", "Karta",
                                 '<img src="../../../assets/bilder/karta.png">')
    assert ('posts/2015/2015-11-05-bild.md:9: bilden ../../../assets/bilder/karta.png saknar alt-text: skriv vad '
            'bilden visar i alt, <img src="../../../assets/bilder/karta.png" alt="så här">') in run.err


def test_an_image_on_another_site_is_an_error_as_the_pages_would_not_show_it(build, tmp_path):
    """The pages allow the site's own images alone (Content-Security-Policy); an image given as a web
    address, on top of a post or in its text, was published broken without a word."""
    run = _build_with_image_post(build, tmp_path, "https://www.regionjh.se/bild.jpg", "Östersund",
                                 "![Deltagare](https://example.org/foto.jpg)")
    elsewhere = ("ligger på en annan webbplats och visas inte: webbplatsen visar bara sina egna bilder, så att "
                 "besökarna inte syns för andra webbplatser; spara bilden under assets/bilder/ och länka till den där")
    assert f"posts/2015/2015-11-05-bild.md:4: image: bilden https://www.regionjh.se/bild.jpg {elsewhere}" in run.err
    assert f"posts/2015/2015-11-05-bild.md:9: bilden https://example.org/foto.jpg {elsewhere}" in run.err


def test_links_an_editor_writes_by_habit_get_messages_that_say_what_to_write(build, tmp_path):
    """A web address without https://, an e-mail address without mailto:, a phone number with spaces,
    and å in a broken link: each is said as the editor wrote it, at its line, with the fix."""
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSe [regionen](www.regionjh.se).\n\n[Mejla](erik@exempel.se)."
                    "\n\n[Ring](tel:070-123 45 67).\n\nSe [Övrigt](#Övrigt).\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    lines = post.read_text(encoding="utf-8").splitlines()
    at = {text: f"{POST}:{lines.index(text) + 1}: " for text in lines}
    assert (at["Se [regionen](www.regionjh.se)."] + "länken www.regionjh.se saknar https:// och leds därför till en "
            "fil här; skriv hela adressen: https://www.regionjh.se") in run.err
    assert (at["[Mejla](erik@exempel.se)."] + "länken erik@exempel.se ser ut som en e-postadress; skriv mailto: "
            "först: mailto:erik@exempel.se") in run.err
    assert (at["[Ring](tel:070-123 45 67)."] + "länken [Ring](tel:070-123 45 67) visas som text, eftersom numret har "
            "mellanslag; skriv numret utan mellanslag i adressen: [Ring](tel:0701234567)") in run.err
    assert at["Se [Övrigt](#Övrigt)."] + "ankaret #Övrigt finns inte på sidan" in run.err


def test_an_image_without_alt_or_with_an_at_in_its_name_is_told_about_as_an_image(build, tmp_path):
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\n![](https://example.org/sjö.png)\n\n![Logga](logo@2x.png)\n",
                    encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    lines = post.read_text(encoding="utf-8").splitlines()
    line = lines.index("![](https://example.org/sjö.png)") + 1
    assert (f"{POST}:{line}: bilden https://example.org/sjö.png saknar alt-text: skriv vad bilden visar inom "
            "hakparenteserna, ![så här](bild.png)") in run.err
    assert "e-postadress" not in run.err and f"{POST}:{line + 2}: bilden logo@2x.png finns inte" in run.err


def test_an_image_written_with_other_capitals_or_one_folder_off_gets_the_file_that_is_there(build, tmp_path):
    """`Karta.PNG` for `karta.png`, one `../` too few, `/assets/` with the wrong case: each said only
    "finns inte", although the file was there a letter or a folder away. The message names it, as
    the editor would write it; and each is told at its own line, not at an earlier line that holds
    the same address inside a longer one."""
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\n![Karta](../../../assets/bilder/Karta.PNG)\n"
                    "\n![Karta](../../assets/bilder/karta.png)\n\n![Karta](/assets/bilder/KARTA.png)\n",
                    encoding="utf-8")
    lines = post.read_text(encoding="utf-8").splitlines()
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    missing = "finns inte; lägg bilder under assets/ och räkna sökvägen från filens mapp"
    assert [line for line in run.err.splitlines() if "finns inte" in line] == [
        f"{content}/{POST}:{len(lines) - 4}: bilden ../../../assets/bilder/Karta.PNG {missing} "
        "(menade du '../../../assets/bilder/karta.png'?)",
        f"{content}/{POST}:{len(lines) - 2}: bilden ../../assets/bilder/karta.png {missing} "
        "(menade du '../../../assets/bilder/karta.png'?)",
        f"{content}/{POST}:{len(lines)}: bilden /assets/bilder/KARTA.png {missing} (menade du '/assets/bilder/karta.png'?)",
    ]


def test_nearest_asset():
    from generator.outputs.assets import nearest

    names = {"filer/program.pdf", "bilder/karta.png", "bilder/gammal/karta.png", "css/site.css"}
    assert nearest("filer/Program.PDF", names) == "filer/program.pdf"
    assert nearest("assets/filer/program.pdf", names) == "filer/program.pdf"
    assert nearest("../../../assets/filer/program.pdf", names) == "filer/program.pdf"
    assert nearest("program.pdf", names) == "filer/program.pdf"  # the only one of that name
    assert nearest("karta.png", names) is None  # two of that name: no guess
    assert nearest("filer/annat.pdf", names) is None


def test_the_near_asset_keeps_the_link_s_fragment_and_angle_brackets_and_prefers_the_same_capitals(build, tmp_path):
    assets = tmp_path / "assets"
    shutil.copytree(BLOG / "assets", assets)
    shutil.copy(assets / "bilder/karta.png", assets / "bilder/Karta.png")
    shutil.copy(assets / "bilder/karta.png", assets / "bilder/Min Bild.png")
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\n![K](../../assets/bilder/karta.png)\n"
                    "\n![B](<../../assets/bilder/min bild.png>)\n\n[Karta](../../assets/bilder/karta.png#sida=2)\n",
                    encoding="utf-8")
    run, _ = build(content, "--assets", str(assets), "--now", "2016-03-01T12:00", "--no-search", "--no-cache")
    assert run.code == 1
    hints = [line.rpartition(" (menade du ")[2] for line in run.err.splitlines() if "menade du" in line]
    assert hints == ["'../../../assets/bilder/karta.png'?)", "'<../../../assets/bilder/Min Bild.png>'?)",
                     "'../../../assets/bilder/karta.png#sida=2'?)"]


def test_a_link_with_the_sites_own_web_address_is_checked_like_a_link_inside_it(build, tmp_path):
    """Editors copy addresses from the browser: a link to a page of this very site, written whole,
    was taken as another site's and published broken."""
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSe [vintern](https://example.org/innovation/blogg/2015/"
                    "vintr/) och [hela bloggen](https://EXAMPLE.org/innovation/blogg/) och [en annan]"
                    "(https://example.org/annat/).\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    told = [line for line in run.err.splitlines() if "sommar.md:" in line]
    assert len(told) == 1 and told[0].endswith(
        ": länken https://example.org/innovation/blogg/2015/vintr/ leder ingenstans: /blogg/2015/vintr/ finns inte "
        "på webbplatsen (menade du '/blogg/2015/vinter/'?)"), told


def test_a_link_without_md_is_told_at_its_own_line_not_at_the_link_with_md(build, tmp_path):
    """`kalasturne` was found inside `kalasturne.md` on an earlier line, and the error blamed that line."""
    content = _site(tmp_path)
    post = content / POST
    lines = post.read_text(encoding="utf-8").count("\n")
    post.write_text(post.read_text(encoding="utf-8") + "\n[Vintern](2015-03-13-vinter.md)\n\n"
                    "[Igen](2015-03-13-vinter)\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    assert f"sommar.md:{lines + 4}: länken 2015-03-13-vinter leder" in run.err, run.err


def test_a_broken_link_pasted_into_many_texts_is_told_in_each_and_the_nearest_page_is_sought_once(
        build, tmp_path, monkeypatch):
    # Each search for the nearest page goes through all the site's pages; done for every copy of
    # the same link, a large site with one pasted mistake took minutes to report it.
    import difflib

    from generator.site import links

    searches, nearest = [], difflib.get_close_matches

    def counted(word, candidates, *args, **kwargs):
        searches.append(word)
        return nearest(word, candidates, *args, **kwargs)

    monkeypatch.setattr(links.difflib, "get_close_matches", counted)
    content = _site(tmp_path)
    for number in range(12):
        (content / f"posts/2015/2015-08-{number + 1:02}-kopia-{number}.md").write_text(
            f"---\ntitle: Kopia {number}\ndate: 2015-08-{number + 1:02}\n---\n\nSe [sommaren](/blogg/2015/somar/).\n",
            encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    told = [line for line in run.err.splitlines()
            if "länken /blogg/2015/somar/ leder ingenstans" in line and "(menade du '/blogg/2015/sommar/'?)" in line]
    assert len(told) == 12, run.err
    assert searches.count("/blogg/2015/somar/") == 1


def _built_with_link(build, tmp_path, link: str, base_url: str):
    """The blog, its summer post with a link to `link` added, built without the cache under `base_url`."""
    content = _site(tmp_path)
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + f"\nSe [vintern]({link}).\n", encoding="utf-8")
    run, _ = build(content, "--assets", str(BLOG / "assets"), "--now", "2016-03-01T12:00", "--no-cache",
                   "--no-search", "--base-url", base_url)
    return run


def test_a_link_with_the_sites_own_web_address_is_checked_also_under_another_base_url(build, tmp_path):
    """The dev server builds with its own local address (as --base-url does): a link written with the
    site's published address is still the site's own, and checked, in the preview too."""
    run = _built_with_link(build, tmp_path, "https://example.org/innovation/blogg/2015/vintr/",
                           "http://localhost:8000/")
    assert run.code == 1
    assert (": länken https://example.org/innovation/blogg/2015/vintr/ leder ingenstans: /blogg/2015/vintr/ finns "
            "inte på webbplatsen (menade du '/blogg/2015/vinter/'?)") in run.err, run.err


def test_a_link_with_the_published_address_is_read_so_under_a_base_url_on_the_same_host(build, tmp_path):
    """Built under https://example.org/ for a site published at https://example.org/innovation/, a link
    copied from the published site leads to the page it names, not to /innovation/… of the build."""
    run = _built_with_link(build, tmp_path, "https://example.org/innovation/blogg/2015/vinter/", "https://example.org/")
    # The post's link to https://example.org/fakta is on the site built, where nothing is at /fakta.
    assert [line.split(": ", 1)[1] for line in run.err.splitlines() if "sommar.md:" in line] == [
        "länken https://example.org/fakta leder ingenstans: /fakta finns inte på webbplatsen"], run.err


@pytest.mark.parametrize("on_disk, in_link", [("NFD", "NFC"), ("NFC", "NFD")])
def test_a_file_named_on_a_mac_is_the_same_file_to_links_and_images_written_either_way(build, tmp_path,
                                                                                        on_disk, in_link):
    """macOS writes å as a and a combining ring (NFD); a name typed in a text is one letter (NFC). The
    two look alike and are one name to the editor: links and images find the file either way, and the
    built site has the file and the links in one form (NFC), so that the address a browser asks for is
    the file on the server."""
    def named(text):
        return unicodedata.normalize(on_disk, text)

    def written(text):
        return unicodedata.normalize(in_link, text)

    content, assets = _site(tmp_path), tmp_path / "assets"
    shutil.copytree(BLOG / "assets", assets)
    shutil.copy(assets / "bilder/karta.png", assets / "bilder" / named("Älv.png"))
    (content / "posts/2015" / named("2015-03-14-vår.md")).write_text(
        '---\ntitle: "Våren"\ndate: 2015-03-14\n---\nVåren kommer.\n', encoding="utf-8")
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8")
                    + written("\nSe [våren](2015-03-14-vår.md) och ![Älven](../../../assets/bilder/Älv.png).\n"),
                    encoding="utf-8")
    run, output = build(content, "--assets", str(assets), "--now", "2016-03-01T12:00", "--no-search", "--no-cache")
    assert run.code == 0, run.err
    page = (output / "blogg/2015/sommar/index.html").read_text(encoding="utf-8")
    assert 'href="/innovation/blogg/2015/var/"' in page  # the base URL has the folder /innovation/
    sources = re.findall(r'<img src="/innovation/(assets/bilder/[^"]*)"', page)
    assert sources and all((output / unquote(source)).is_file() for source in sources), sources
    assert all(unicodedata.is_normalized("NFC", path.name) for path in (output / "assets/bilder").iterdir())


def test_a_cached_build_with_a_file_named_on_a_mac_makes_what_a_build_without_the_cache_makes(build, tmp_path):
    """The cache knows the assets by their names on disk (NFD from a Mac), the site by the one form
    (NFC): a cached build, and one after the file is renamed to NFC, made a traceback before."""
    from test_sites import files_under

    content, assets = _site(tmp_path), tmp_path / "assets"
    shutil.copytree(BLOG / "assets", assets)
    nfd = assets / "bilder" / unicodedata.normalize("NFD", "Älv.png")
    shutil.copy(assets / "bilder/karta.png", nfd)
    common = ("--assets", str(assets), "--now", "2016-03-01T12:00", "--no-search")
    for step in ("first", "again", "renamed"):
        if step == "renamed":
            nfd.rename(assets / "bilder" / unicodedata.normalize("NFC", "Älv.png"))
        cached, output = build(content, *common, "--cache-dir", str(tmp_path / "cache"), output=tmp_path / "public")
        assert cached.code == 0, (step, cached.err)
        fresh, fresh_output = build(content, *common, "--no-cache", output=tmp_path / f"fresh-{step}")
        assert fresh.code == 0, fresh.err
        assert files_under(output) == files_under(fresh_output), step


def test_two_assets_with_one_name_written_two_ways_are_an_error_not_one_silently_dropped(build, tmp_path):
    """Linux keeps Älv.png from a Mac (NFD) beside Älv.png typed elsewhere (NFC): the site has one name
    for both, and would publish one of them without a word."""
    content, assets = _site(tmp_path), tmp_path / "assets"
    shutil.copytree(BLOG / "assets", assets)
    shutil.copy(assets / "bilder/karta.png", assets / "bilder" / unicodedata.normalize("NFD", "Älv.png"))
    shutil.copy(assets / "bilder/karta.png", assets / "bilder" / unicodedata.normalize("NFC", "Älv.png"))
    run, _ = build(content, "--assets", str(assets), "--now", "2016-03-01T12:00", "--no-search", "--no-cache")
    assert run.code == 1
    assert [line for line in run.err.splitlines() if "Älv" in unicodedata.normalize("NFC", line)] == [
        "assets/bilder/Älv.png:1: en annan fil heter också Älv.png, med å, ä eller ö skrivna på ett annat sätt "
        "(som en Mac gör); webbplatsen kan bara ha en av dem: ta bort eller byt namn på den ena"], run.err


def test_a_text_whose_links_all_leave_the_site_is_passed_over_but_not_one_to_the_sites_own_host(build, tmp_path):
    """The check passes over a text whose every link leaves the site by its form, for other hosts
    (markdown.References.outside, worked out once a parse); a link written with the site's own
    address among them is checked as ever."""
    from generator.content import markdown

    elsewhere = "[a](https://annan.example/x) [b](mailto:erik@example.se) [c](//cdn.example/x) [d](tel:+4663)"
    assert markdown.references(markdown.render(elsewhere)).outside == {"annan.example"}  # as _on_this_site reads them
    for not_only_outside in ("[e](/blogg/)", "[f](www.example.se)", "![g](https://annan.example/g.png)", "[h](x.md)"):
        assert markdown.references(markdown.render(elsewhere + " " + not_only_outside)).outside is None
    content = _site(tmp_path)
    for number, text in enumerate((elsewhere, elsewhere + " [e](HTTPS://Example.org/innovation/blogg/2015/vintr/)")):
        (content / f"posts/2015/2015-08-0{number + 1}-lankar-{number}.md").write_text(
            f"---\ntitle: Länkar {number}\ndate: 2015-08-0{number + 1}\n---\n\n{text}\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert [line.split(": ", 1)[1] for line in run.err.splitlines() if "lankar-" in line] == [
        "länken HTTPS://Example.org/innovation/blogg/2015/vintr/ leder ingenstans: /blogg/2015/vintr/ finns inte på "
        "webbplatsen (menade du '/blogg/2015/vinter/'?)"], run.err
    assert all("lankar-1.md:" in line for line in run.err.splitlines() if "lankar-" in line)


def test_a_texts_links_read_back_from_the_cache_keep_what_was_worked_out_of_them(monkeypatch):
    """References are kept in the parse cache: read back, they are the same, `outside` with them,
    and nothing is worked out again (10,000 posts' links were looked at again at each build)."""
    import pickle

    from generator.content import markdown

    found = markdown.references(markdown.render("[a](https://annan.example/x) [b](/blogg/)"))
    outside = markdown.references(markdown.render("[a](https://annan.example/x)"))
    monkeypatch.setattr(markdown, "_outside_hosts", lambda found: pytest.fail("worked out again"))
    for references in (found, outside):
        again = pickle.loads(pickle.dumps(references, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(again) is markdown.References and again == references and again.outside == references.outside
