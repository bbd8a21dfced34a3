"""What keeps readers safe: the Content-Security-Policy, the host's security headers, and e-mail
addresses written so that simple address harvesters do not find them.

The policy allows only the site's own files: no inline script or style, no
plugins, frames only from the two video players. `'wasm-unsafe-eval'` lets the
site search (Pagefind, self-hosted) run its WebAssembly. A `<meta>` policy
cannot carry `frame-ancestors`; the `_headers` file (Netlify, Cloudflare Pages)
adds it with the other headers for hosts that read one.
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
))

# For hosts that read a _headers file: the policy with what only a header can say, and the rest.
HEADERS = (
    ("Content-Security-Policy", f"{POLICY}; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def entities(text: str) -> str:
    """Every character as an HTML character reference: `a@b` -> `&#97;&#64;&#98;`.

    A browser shows and follows it like the plain text; a scraper that searches the
    page's bytes for `name@host` or `mailto:name@host` does not find it. It stops
    simple harvesters only, not one that decodes HTML.
    """
    return "".join(f"&#{ord(character)};" for character in text)


def mailto(address: str, css_class: str = "") -> Markup:
    """A link to write to `address`, with the address shown, both as character references."""
    attribute = f' class="{html.escape(css_class)}"' if css_class else ""
    return Markup(f'<a{attribute} href="{entities("mailto:" + address)}">{entities(address)}</a>')


_MAILTO_LINK = re.compile(r'(<a\b[^>]*?\shref=")mailto:([^"]*)("[^>]*>)(.*?)(</a>)', re.S | re.I)
_TAG_OR_TEXT = re.compile(r"(<[^>]+>)|([^<]+)")


def hide_addresses(rendered: str) -> str:
    """In rendered HTML, every `mailto:` link's target and text as character references."""

    def hide(match: re.Match) -> str:
        start, target, middle, inner, end = match.groups()
        text = "".join(tag or entities(html.unescape(words)) for tag, words in _TAG_OR_TEXT.findall(inner))
        return f"{start}{entities('mailto:' + html.unescape(target))}{middle}{text}{end}"

    return _MAILTO_LINK.sub(hide, rendered)
