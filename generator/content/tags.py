"""Tags as editors write them: a typo makes a new tag, with its own page and feeds, without a word.

A tag that only one post uses and that is one or two letters from a tag other posts use is
most likely that tag misspelt ("idéverkstd" for "idéverkstad"); a tag that one post writes with
other capitals or accents than other posts do (same address, "Lärresa" for "lärresa") is shown as
most posts write it. A way of writing that several posts share is taken to be meant. Both are warnings: a new tag may be meant;
so is a tag with a comma, most likely two tags written as one ("innovation, samverkan"). `python build.py tags`
lists every tag with the number of posts that use it, for the editor choosing one.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from generator import urls
from generator.content.yamltext import LineList, comma_separated, flow_list
from generator.errors import ContentError


def usage(documents) -> tuple[Counter, dict[str, str], Counter]:
    """Posts per tag (by its address slug), each tag's name as most posts write it, and posts per
    way of writing it."""
    written = Counter(name for doc in documents for name in doc.meta.tags)
    slug_of = {name: urls.slug(name) for name in written}
    # A post counts once for a tag it writes twice, or two ways.
    counts = Counter(slug for doc in documents for slug in {slug_of[name] for name in doc.meta.tags})
    counts.pop("", None)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for name, times in written.items():
        spellings[slug_of[name]][name] += times
    names = {s: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for s, c in spellings.items()}
    return counts, names, written


def warnings(documents) -> list[ContentError]:
    """A warning at each post's tags line for a new tag (one post has it, or has it written so) that
    looks like a misspelling of one other posts have."""
    counts, names, written = usage(documents)
    established = [slug for slug, count in counts.items() if count > 1]
    near = {}
    for slug, count in counts.items():
        if count == 1:
            other = _nearest(slug, established)
            if other:
                near[slug] = other
    # The ways of writing a tag that can be warned of: one with a comma, one of a tag like another's,
    # one that a single post writes otherwise than most. A post with none of them is passed over.
    flagged = {name for name in written if "," in name or urls.slug(name) in near
               or (written[name] == 1 and name != names[urls.slug(name)])}
    found = []
    for doc in documents:
        if flagged.isdisjoint(doc.meta.tags):
            continue
        found += _commas(doc)
        line = doc.lines.lines.get("tags", doc.lines.line)
        for name in dict.fromkeys(doc.meta.tags):
            slug = urls.slug(name)
            if slug in near:
                other = near[slug]
                found.append(ContentError(doc.shown, line, "tags",
                                          f"taggen {name!r} finns inte i något annat inlägg, men {names[other]!r} "
                                          f"finns i {counts[other]} inlägg; menade du {names[other]!r}?"))
            elif slug in names and name != names[slug] and written[name] == 1 < written[names[slug]]:
                found.append(ContentError(doc.shown, line, "tags",
                                          f"taggen {name!r} skrivs {names[slug]!r} i de flesta inlägg och visas "
                                          f"så; menade du {names[slug]!r}?"))
    return found


_COUNTS = {2: "två", 3: "tre", 4: "fyra", 5: "fem"}


def _commas(doc) -> list[ContentError]:
    """A warning at each tag of a post that is several written as one, `tags: ["innovation, samverkan"]`
    (a tag of its own, "innovation, samverkan"), with the post's tags written as they were meant."""
    if not any("," in name for name in doc.meta.tags):  # nearly every post, at every build
        return []
    split = [comma_separated(name) or [name] for name in doc.meta.tags]
    if all(len(parts) == 1 for parts in split):
        return []
    meant = "tags: " + flow_list([part for parts in split for part in parts])
    written = doc.lines.get("tags")
    found = []
    for index, (name, parts) in enumerate(zip(doc.meta.tags, split)):
        if len(parts) > 1:
            line = written.lines[index] if isinstance(written, LineList) else doc.lines.lines.get("tags", doc.lines.line)
            found.append(ContentError(doc.shown, line, "tags", f"taggen {name!r} har ett kommatecken; menade du "
                                                               f"{_COUNTS.get(len(parts), 'flera')} taggar: {meant}?"))
    return found


def _nearest(slug: str, candidates: list[str]) -> str | None:
    """The candidate one or two edits from `slug` (one for short tags), the closest first."""
    limit = 1 if len(slug) < 6 else 2
    best = None
    for other in candidates:
        if other == slug or abs(len(other) - len(slug)) > limit:
            continue
        distance = _edits(slug, other, limit)
        if distance <= limit and (best is None or distance < best[0] or (distance == best[0] and other < best[1])):
            best = (distance, other)
    return best[1] if best else None


def _edits(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it is known to be over `limit`."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def listing(documents) -> list[str]:
    """The lines `python build.py tags` prints: each tag, the number of posts and its address."""
    counts, names, _ = usage(documents)
    rows = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]].lower()))
    width = max((len(names[slug]) for slug, _ in rows), default=0)
    return [f"{names[slug]:<{width}}  {count:>4}  {urls.tag(slug)}" for slug, count in rows]
