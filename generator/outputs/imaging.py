"""Responsive images: each photo under assets/ in several widths and formats, made with Pillow.

Two halves, so that pages can be rendered while the images are still being made:

- `describe` (cheap, in the main process, before rendering): reads only an image's header
  (size, orientation) and names every variant it will have. The names carry a hash of the
  image's bytes and of the settings below, so they are known before any pixel is decoded, and a
  browser may cache them for ever. A file that is no image, or too large to decode safely, is
  a content error here.
- `make` (expensive, in the render workers, beside the pages): decodes, resizes and encodes.
  A file that turns out truncated is a content error reported after rendering, with the others.

Processed images are kept in the build cache (`<cache>/images/`), under a key made of the
image's content digest, Pillow's version and the settings: an unchanged image is never
processed twice. The cache is only an optimisation: an entry that cannot be read or checked is
made again, one that cannot be written is a warning. What comes out is the same bytes for the
same input (Pillow's encoders are deterministic for one version and settings; no metadata but
the colour profile is written). docs/dev/images.md tells the whole story.
"""
from __future__ import annotations

import hashlib
import io
import pickle
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Only these are made into variants; GIF (perhaps animated), SVG and the rest are served as committed.
PROCESSED = (".png", ".jpg", ".jpeg", ".webp")
SKIPPED_FOLDERS = ("icons/",)  # the site's own icons (icons.py): exact sizes already, names fixed
WIDTHS = (480, 960, 1600)  # srcset widths; never wider than the original
THUMB_WIDTHS = (320, 640)  # list thumbnails (cards), cropped to 16:9
THUMB_RATIO = (16, 9)
SHARE_SIZE = (1200, 630)  # og:image, cropped to fill
MAX_PIXELS = 40_000_000  # a larger image is refused: decoding it would take gigabytes (decompression bomb)
QUALITY = {"avif": {"quality": 60, "speed": 8, "max_threads": 1},
           "webp": {"quality": 80, "method": 4},
           "jpeg": {"quality": 82, "optimize": True, "progressive": True},
           "png": {"compress_level": 6}}  # optimize (level 9, every filter) was 16x slower for 8 % less
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
SUFFIX = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
CODE_VERSION = "1"  # raise when the processing below changes what it makes


@dataclass(frozen=True)
class Variant:
    path: str  # site path, /assets/bilder/karta.480.1a2b3c4d5e.webp
    width: int
    height: int


@dataclass(frozen=True)
class Source:
    """One `<source>` (or the `<img>`'s own srcset): every width of one format."""

    type: str  # image/webp
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class Picture:
    """What a page needs to show a processed image: its size and every variant's address."""

    width: int  # of the largest variant: what width/height on <img> say (their ratio is the image's)
    height: int
    sources: tuple[Source, ...]  # the modern formats, best first (AVIF, WebP), for <source>
    fallback: Source  # the original format, for <img srcset>
    src: Variant  # the <img src> for browsers without srcset: the fallback nearest 960 wide
    thumbs: tuple[Source, ...]  # 16:9 list thumbnails, modern formats first, fallback last
    share: Variant  # 1200 × 630 JPEG for og:image


@dataclass(frozen=True)
class Job:
    """What a render worker needs to make one image's files (never in a page's recorded reads)."""

    source: Path
    shown: str  # assets/bilder/karta.png, for messages
    key: str  # the cache key: content digest + Pillow + settings
    files: tuple[tuple[str, str, int, int, str], ...]  # (path under assets/, kind, width, height, format)
    needed: tuple[str, ...] | None = None  # the paths the output lacks (None: all); the cache keeps all


class ImageProblem(Exception):
    """An image that cannot be made: its Swedish message."""


def modern_formats() -> tuple[str, ...]:
    from PIL import features

    return ("avif", "webp") if features.check("avif") else ("webp",)


def settings_key() -> str:
    import PIL

    text = repr((CODE_VERSION, PIL.__version__, WIDTHS, THUMB_WIDTHS, THUMB_RATIO, SHARE_SIZE,
                 sorted((k, sorted(v.items())) for k, v in QUALITY.items()), modern_formats()))
    return hashlib.sha256(text.encode()).hexdigest()


def is_processed(name: str) -> bool:
    return name.lower().endswith(PROCESSED) and not name.startswith(SKIPPED_FOLDERS)


def _open(path: Path):
    """The image, opened (only its header read), or ImageProblem in Swedish."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(_too_large(path)) from None
    except UnidentifiedImageError:
        raise ImageProblem("filen går inte att läsa som en bild (den är trasig eller inte det format filändelsen "
                           "säger); spara om den som PNG, JPEG eller WebP") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(_broken(exc)) from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise ImageProblem(_too_large(path))
    return image


def _too_large(path: Path) -> str:
    try:
        import imagesize

        width, height = imagesize.get(path)
        size = f" ({width} × {height} bildpunkter)" if width > 0 else ""
    except Exception:  # noqa: BLE001 - the size is only a detail of the message
        size = ""
    return (f"bilden är för stor{size}; högst {MAX_PIXELS // 1_000_000} miljoner bildpunkter går att bygga "
            "med: förminska den, t.ex. till 3000 bildpunkter bred, och lägg upp den igen")


def _broken(exc: BaseException) -> str:
    if "truncated" in str(exc):
        return "bildfilen tar slut mitt i bilden (den är avkortad); spara om den och lägg upp den igen"
    return "bildfilen är trasig och går inte att läsa; spara om den och lägg upp den igen"


def _oriented_size(image) -> tuple[int, int]:
    orientation = image.getexif().get(0x0112, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else (image.width, image.height)


def _fallback_format(image) -> str:
    if image.format == "JPEG":
        return "jpeg"
    if image.format == "PNG" or "A" in image.getbands() or "transparency" in image.info:
        return "png"
    return "jpeg"


def _fit(width: int, height: int, target: int) -> tuple[int, int]:
    return target, max(1, round(height * target / width))


def describe(name: str, path: Path, digest: str, site_path) -> tuple[Picture, Job]:
    """The variants of the image assets/`name` (its bytes' `digest`), named by `site_path(name)`
    (urls.asset); ImageProblem when it cannot be an image the site shows."""
    image = _open(path)
    try:
        width, height = _oriented_size(image)  # a PNG's EXIF can come after its pixels: decoded to find it
        fallback = _fallback_format(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(_broken(exc)) from None
    finally:
        image.close()
    key = hashlib.sha256(f"{digest}\0{settings_key()}".encode()).hexdigest()
    tag = key[:10]
    folder, stem = PurePosixPath(name).parent, PurePosixPath(name).stem
    files = []

    def variant(kind: str, size: tuple[int, int], fmt: str) -> Variant:
        relative = (folder / f"{stem}.{kind}.{tag}.{SUFFIX[fmt]}").as_posix()
        files.append((relative, kind, size[0], size[1], fmt))
        return Variant(site_path(relative), *size)

    sizes = [_fit(width, height, w) for w in sorted({min(w, width) for w in WIDTHS})]
    formats = modern_formats()
    sources = tuple(Source(MIME[fmt], tuple(variant(str(s[0]), s, fmt) for s in sizes)) for fmt in formats)
    fallback_source = Source(MIME[fallback], tuple(variant(str(s[0]), s, fallback) for s in sizes))
    src = min(fallback_source.variants, key=lambda v: (abs(v.width - 960), v.width))
    crop_width = min(width, height * THUMB_RATIO[0] // THUMB_RATIO[1])
    thumb_sizes = [(w, max(1, w * THUMB_RATIO[1] // THUMB_RATIO[0]))
                   for w in sorted({min(w, crop_width) for w in THUMB_WIDTHS})]
    thumbs = tuple(Source(MIME[fmt], tuple(variant(f"kort-{s[0]}", s, fmt) for s in thumb_sizes))
                   for fmt in (*formats, fallback))
    share = variant("delning", SHARE_SIZE, "jpeg")
    largest = sizes[-1]
    picture = Picture(largest[0], largest[1], sources, fallback_source, src, thumbs, share)
    return picture, Job(path, f"assets/{name}", key, tuple(files))


def decoded(path: Path):
    """The image at `path` decoded and turned upright (its EXIF orientation); ImageProblem in Swedish
    for a file that cannot be decoded (truncated, damaged, too large)."""
    from PIL import Image, ImageOps

    image = _open(path)
    try:
        with image:
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(_too_large(path)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(_broken(exc)) from None
    return image


def make(job: Job) -> dict[str, bytes]:
    """Every file of `job`, by output path: decoded once, resized and encoded. ImageProblem in Swedish
    for a file that cannot be decoded."""
    from PIL import Image, ImageOps

    image = decoded(job.source)
    profile = image.info.get("icc_profile")
    alpha = "A" in image.getbands() or "transparency" in image.info
    image = image.convert("RGBA" if alpha else "RGB")
    made: dict[str, bytes] = {}
    for relative, kind, width, height, fmt in job.files:
        if kind == "delning" or kind.startswith("kort-"):
            resized = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
        else:
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
        made[relative] = _encode(resized, fmt, profile)
    return made


def _encode(image, fmt: str, profile: bytes | None) -> bytes:
    from PIL import Image

    if fmt == "jpeg" and image.mode == "RGBA":  # JPEG has no transparency: on white, as most pages are
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    image.info = {}  # no metadata: nothing from the original's text chunks, EXIF or XMP is written
    options = dict(QUALITY[fmt])
    if profile:
        options["icc_profile"] = profile  # colour stays right for images not in sRGB
    out = io.BytesIO()
    image.save(out, format=fmt.upper(), **options)
    return out.getvalue()


# The cache: one file per image, <cache>/images/<key>, holding its files' bytes behind a checksum.

def cache_file(folder: Path, key: str) -> Path:
    return folder / "images" / key[:2] / key


def cached(folder: Path | None, job: Job) -> dict[str, bytes] | None:
    """The files of `job` as an earlier build made them, renamed to this build's paths; None when
    the cache has no entry that reads back whole."""
    if folder is None:
        return None
    try:
        data = cache_file(folder, job.key).read_bytes()
        checksum, payload = data[:32], data[32:]
        if hashlib.sha256(payload).digest() != checksum:
            return None
        by_kind = pickle.loads(payload)
        return {relative: by_kind[(kind, fmt)] for relative, kind, _, _, fmt in job.files}
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: made again
        return None


def keep(folder: Path, job: Job, made: dict[str, bytes]) -> None:
    """Keep `made` in the cache (OSError when it cannot be written: the caller warns)."""
    from generator.incremental.cache import write_whole

    by_kind = {(kind, fmt): made[relative] for relative, kind, _, _, fmt in job.files}
    payload = pickle.dumps(by_kind, protocol=pickle.HIGHEST_PROTOCOL)
    write_whole(cache_file(folder, job.key), lambda file: file.write(hashlib.sha256(payload).digest() + payload))


def files_of(job: Job, cache_folder: Path | None) -> tuple[dict[str, bytes], bool, str]:
    """(files, whether they were processed now, a cache warning or ""); ImageProblem passes through."""
    found = cached(cache_folder, job)
    if found is not None:
        return found, False, ""
    made = process(job)
    warning = ""
    if cache_folder is not None:
        try:
            keep(cache_folder, job, made)
        except OSError as exc:
            warning = (f"cachen kunde inte spara bilden {job.shown} ({exc.strerror or exc}); bygget blev klart "
                       "ändå, men nästa bygge gör den igen")
    return made, True, warning


def process(job: Job) -> dict[str, bytes]:
    """`make`, as one call the tests can count."""
    return make(job)
