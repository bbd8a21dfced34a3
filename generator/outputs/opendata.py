"""Every event as open data, for the region's open-data portal: events.json and events.csv."""
from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from generator.site.model import Event, Site

if TYPE_CHECKING:
    from generator.outputs.contexts import EventsCsvFile, EventsJsonFile


def event_record(site: Site, event: Event) -> dict:
    place = event.place
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "summary": event.summary or "",
        "shape": event.when.shape,
        "first_day": event.when.first_day.isoformat(),
        "last_day": event.when.last_day.isoformat(),
        "start": event.when.start.isoformat() if event.when.has_time else None,
        "end": event.when.end.isoformat() if event.when.has_time else None,
        "venue": place.venue if place else None,
        "address": place.address if place else None,
        "locality": place.locality if place else None,
        "municipalities": [m.name for m in event.municipalities],
        "stops": [{"start": s.start.iso(), "end": s.end.iso() if s.end else None,
                   "venue": s.place.venue, "municipality": s.place.municipality, "locality": s.place.locality}
                  for s in event.stops],
        "organisers": [o.name for o in event.organisers],
        "partners": [o.name for o in event.partners],
        "contacts": [p.name for p in event.contacts],
        "focus_areas": [f.title for f in event.focus_areas],
        "url": site.absolute(event.url),
        "calendar": site.absolute(event.calendar_url),
    }


def events_json(site: Site, page: EventsJsonFile) -> bytes:
    records = [event_record(site, e) for e in site.events]
    document = {"title": f"Evenemang – {site.config.title}", "url": site.absolute(page.path),
                "events": records}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


CSV_COLUMNS = ("id", "title", "kind", "status", "first_day", "last_day", "start", "end", "venue", "address",
               "locality", "municipalities", "organisers", "contacts", "focus_areas", "url", "calendar")


def events_csv(site: Site, page: EventsCsvFile) -> bytes:
    """RFC 4180 CSV (CRLF line ends); lists are joined with '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in site.events:
        record = event_record(site, event)
        writer.writerow(["; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for v in (record[c] for c in CSV_COLUMNS)])
    return out.getvalue().encode("utf-8")
