"""Films in events: a plain link that becomes the video host's player only when the reader clicks it.

For a YouTube or Vimeo address the event page shows a link with the player's
address in `data-embed` (YouTube's youtube-nocookie.com, Vimeo's player with
`dnt=1`); assets/js/video.js puts the player in its place after a click. Until
then the page contacts no video host, and without JavaScript the link simply
leads to the film. Other addresses stay plain links.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_VIMEO_ID = re.compile(r"[0-9]{4,12}")


@dataclass(frozen=True)
class Embed:
    host: str  # the host's name, for the reader: "YouTube"
    src: str  # the player's address, loaded after a click


def embed(url: str) -> Embed | None:
    """The click-to-load player for a film's address, or None when it is not a known host's film."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host == "youtu.be" and segments:
        video_id = segments[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if segments == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
            video_id = segments[1]
        else:
            return None
    elif host == "vimeo.com" and len(segments) == 1 and _VIMEO_ID.fullmatch(segments[0]):
        return Embed("Vimeo", f"https://player.vimeo.com/video/{segments[0]}?dnt=1")
    elif host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video" \
            and _VIMEO_ID.fullmatch(segments[1]):
        return Embed("Vimeo", f"https://player.vimeo.com/video/{segments[1]}?dnt=1")
    else:
        return None
    if not _YOUTUBE_ID.fullmatch(video_id):
        return None
    return Embed("YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}")
