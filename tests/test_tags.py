"""Tag typos are warned about, and `python build.py tags` lists the site's tags with counts."""
from conftest import run_cli, write


def _post(content, name, tags):
    write(content / "posts" / f"{name}.md", f'---\ntitle: "{name}"\ndate: {name[:10]}\ntags: {tags}\n---\nText.\n')


def test_a_tag_one_or_two_edits_from_a_used_tag_is_warned_about(minimal_site, build):
    _post(minimal_site, "2019-01-01-a", '["idéverkstad", "mat"]')
    _post(minimal_site, "2019-01-02-b", '["idéverkstad", "mat"]')
    _post(minimal_site, "2019-01-03-c", '["idéverkstd", "Åre", "Idéverkstad"]')
    run, _ = build(minimal_site, "--now", "2020-01-01")
    assert run.code == 0
    assert [line for line in run.err.splitlines() if "varning" in line] == [
        f"{minimal_site}/posts/2019-01-03-c.md:4: varning: taggen 'Idéverkstad' skrivs 'idéverkstad' i de flesta "
        "inlägg och visas så; menade du 'idéverkstad'?",
        f"{minimal_site}/posts/2019-01-03-c.md:4: varning: taggen 'idéverkstd' finns inte i något annat inlägg, "
        "men 'idéverkstad' finns i 3 inlägg; menade du 'idéverkstad'?",
    ]  # 'Åre' is new too, but near no other tag


def test_a_short_tag_is_near_another_only_one_edit_away():
    from generator.content.tags import _nearest

    assert _nearest("mal", ["mat", "hem"]) == "mat"
    assert _nearest("mil", ["mat"]) is None  # two edits: short words differ that much on purpose
    assert _nearest("ideverkstd", ["ideverkstad", "verkstad"]) == "ideverkstad"
    assert _nearest("idverkstd", ["ideverkstad"]) == "ideverkstad"


def test_the_tags_command_lists_each_tag_with_its_number_of_posts(minimal_site):
    _post(minimal_site, "2019-01-01-a", '["lokal mat", "Åre"]')
    _post(minimal_site, "2019-01-02-b", '["Lokal mat"]')
    _post(minimal_site, "2019-01-03-c", '["lokal mat"]')
    run = run_cli("tags", "--content", str(minimal_site))
    assert run.code == 0
    assert run.out.splitlines() == ["lokal mat     3  /blogg/taggar/lokal-mat/", "Åre           1  /blogg/taggar/are/"]
