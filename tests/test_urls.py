"""URLs: one scheme, decided in generator/urls.py, and links that respect a base path."""
import pytest

from generator import urls


@pytest.mark.parametrize("file_name, slug", [
    ("2015-11-02-kalasturne.md", "kalasturne"),
    ("2015-11-02-Kalasturné i Åre.md", "kalasturne-i-are"),
    ("Sommarkontorets insikter – 2015.md", "sommarkontorets-insikter-2015"),
    ("nyar.md", "nyar"),
    ("2015-11-02.md", "2015-11-02"),
    ("Öppna möten.md", "oppna-moten"),
])
def test_post_slugs_come_from_file_names(file_name, slug):
    assert urls.post_slug(file_name) == slug


def test_slug_turns_swedish_letters_into_plain_ones():
    assert urls.slug("Kreativa byråkrater") == "kreativa-byrakrater"
    assert urls.slug("Cirkulär ekonomi") == "cirkular-ekonomi"
    assert urls.slug("Östersund") == "ostersund"


def test_the_scheme():
    assert urls.post(2015, "kalasturne") == "/blogg/2015/kalasturne/"
    assert urls.blog() == "/blogg/"
    assert urls.blog(2) == "/blogg/sida/2/"
    assert urls.tag("ideverkstad") == "/blogg/taggar/ideverkstad/"
    assert urls.tag("ideverkstad", 3) == "/blogg/taggar/ideverkstad/sida/3/"
    assert urls.year(2015) == "/blogg/2015/"
    assert urls.person("erik-noaksson") == "/personer/erik-noaksson/"
    assert urls.page("om") == "/om/"
    assert urls.asset("css/site.css") == "/assets/css/site.css"


def test_output_paths():
    assert urls.output_path("/") == "index.html"
    assert urls.output_path("/blogg/2015/kalasturne/") == "blogg/2015/kalasturne/index.html"
    assert urls.output_path("/sitemap.xml") == "sitemap.xml"


def test_base_in_a_folder():
    base = urls.Base("https://example.org/innovation")
    assert base.href("/blogg/") == "/innovation/blogg/"
    assert base.href("/") == "/innovation/"
    assert base.absolute("/blogg/") == "https://example.org/innovation/blogg/"
    assert base.absolute_href("/innovation/om/") == "https://example.org/innovation/om/"
    assert base.absolute_href("https://other.example/") == "https://other.example/"


def test_base_at_the_root():
    base = urls.Base("https://example.org/")
    assert base.href("/blogg/") == "/blogg/"
    assert base.absolute("/") == "https://example.org/"


def test_links_are_percent_encoded_in_their_path_only_and_never_twice():
    from generator.urls import Base, encoded

    assert encoded("/assets/bilder/Karta över Åre.png") == "/assets/bilder/Karta%20%C3%B6ver%20%C3%85re.png"
    assert encoded("/assets/rapport%202015.pdf") == "/assets/rapport%202015.pdf"  # written encoded: kept
    assert encoded("/assets/a b.pdf?download=1") == "/assets/a%20b.pdf?download=1"
    assert encoded("/om/#vem-står-bakom") == "/om/#vem-står-bakom"
    assert encoded("/blogg/2015/kalasturne/") == "/blogg/2015/kalasturne/"
    base = Base("https://example.org/råd")  # a base folder named with å is encoded like the rest
    assert (base.url, base.path) == ("https://example.org/r%C3%A5d/", "/r%C3%A5d/")
    assert base.href("/blogg/a b/") == "/r%C3%A5d/blogg/a%20b/"
    assert base.absolute("/blogg/") == "https://example.org/r%C3%A5d/blogg/"
