"""write.py never writes or deletes through a link inside the folders it writes, and what a build
stopped between the fallback's two renames left is put back by the next one."""
from __future__ import annotations

from generator.build import outputdir
from generator.build.write import InPlace, Staging


def test_the_dev_server_replaces_a_linked_folder_instead_of_writing_into_it(tmp_path):
    live, elsewhere = tmp_path / "live", tmp_path / "mina"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("min egen", encoding="utf-8")
    writer = InPlace(live)
    writer.claim(["om/index.html"])  # as the server lists its pages before it writes them
    (live / "om").symlink_to(elsewhere)
    writer.remove("om/index.html")
    assert (elsewhere / "index.html").read_text(encoding="utf-8") == "min egen"
    writer.claim(["om/index.html"])  # the page made again, by a later rebuild
    assert writer.write("om/index.html", b"sidan")
    assert (elsewhere / "index.html").read_text(encoding="utf-8") == "min egen"
    assert not (live / "om").is_symlink() and (live / "om" / "index.html").read_bytes() == b"sidan"


def test_the_kept_site_s_linked_file_is_replaced_not_written_through(tmp_path):
    output, elsewhere = tmp_path / "public", tmp_path / "min.html"
    elsewhere.write_text("min egen", encoding="utf-8")
    staging = Staging(output)
    staging.start(protected=[])
    staging.kept = True  # as a kept previous site is changed: files replaced by rename
    (staging.folder / "sida.html").symlink_to(elsewhere)
    staging.write("sida.html", b"sidan")
    assert elsewhere.read_text(encoding="utf-8") == "min egen"
    assert not (staging.folder / "sida.html").is_symlink()


def test_the_old_site_left_between_the_two_renames_is_put_back_by_the_next_build(tmp_path):
    output = tmp_path / "public"
    output.mkdir()
    (output / "index.html").write_text("gamla", encoding="utf-8")
    outputdir.record(output, []).write(output)
    staging = Staging(output)
    output.rename(staging.old)  # the first rename done, the process killed before the second
    Staging(output).start(protected=[])
    assert (output / "index.html").read_text(encoding="utf-8") == "gamla"
    assert not staging.old.exists()


def test_a_folder_named_like_the_staging_folder_that_is_not_the_generator_s_is_left_alone(tmp_path):
    output = tmp_path / "public"
    own = tmp_path / ".public.staging"
    own.mkdir()
    (own / "viktigt.txt").write_text("mitt", encoding="utf-8")
    staging = Staging(output)
    assert staging.folder != own
    staging.start(protected=[])
    staging.write("index.html", b"sidan")
    staging.seal()
    staging.publish()
    assert (own / "viktigt.txt").read_text(encoding="utf-8") == "mitt"
    assert Staging(output).folder == staging.folder  # the same name next time


def test_the_manifest_says_what_is_on_disk_when_sealed_not_what_was_written(tmp_path):
    """seal() takes a written file's hash from its stamp only while the file is as written: one
    changed after it was written (the same size) is read again, so the next check sees it as it is."""
    import hashlib
    import os
    import time

    for kept in (False, True):
        output = tmp_path / f"public-{kept}"
        staging = Staging(output)
        staging.start(protected=[])
        staging.kept = kept
        stamps = [staging.write("a/index.html", b"sidan a"), staging.write("b/index.html", b"sidan b")]
        assert stamps[0][3] == hashlib.sha1(b"sidan a").hexdigest()
        time.sleep(0.01)
        (staging.folder / "b" / "index.html").write_bytes(b"sidan B")  # same size, after the write
        os.utime(staging.folder / "b" / "index.html", ns=(stamps[1][1] + 10_000_000,) * 2)
        staging.prune({"a/index.html", "b/index.html"})
        manifest = staging.seal(stamps)
        assert manifest.files["a/index.html"] == stamps[0]
        assert manifest.files["b/index.html"][3] == hashlib.sha1(b"sidan B").hexdigest()
        staging.publish()
        verified = outputdir.verify(output)
        assert verified.intact and verified.good == {"a/index.html", "b/index.html"}
