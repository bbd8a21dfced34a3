"""schema.org data (JSON-LD) that search engines and apps read from the pages."""
from __future__ import annotations

from typing import Any

from generator.site import Post, Site


def organisation(site: Site) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.config.publisher or site.config.title, "url": site.absolute("/")}


def blog_posting(site: Site, post: Post) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "datePublished": post.date.iso(),
        "dateModified": post.modified.iso(),
        "url": site.absolute(post.url),
        "mainEntityOfPage": site.absolute(post.url),
        "inLanguage": site.config.language,
        "author": [{"@type": "Person", "name": a.name, "url": site.absolute(a.url)} for a in post.authors]
        or organisation(site),
        "publisher": organisation(site),
    }
    if post.tags:
        data["keywords"] = [t.name for t in post.tags]
    if post.image:
        data["image"] = site.absolute_link(post.source, post.image)
    return data
