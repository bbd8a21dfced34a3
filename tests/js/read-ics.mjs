// Reads .ics files with ical.js and prints, per file, each VEVENT's UID, start and end:
// timed events in UTC (ISO 8601 with +00:00, as Python writes it), all-day events as dates.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function utc(time) {
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(".000Z", "+00:00");
}

const result = {};
for (const path of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  result[path] = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return [event.uid, utc(event.startDate), utc(event.endDate)];
  });
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.remove(zone.getFirstPropertyValue("tzid"));
  }
}
process.stdout.write(JSON.stringify(result));
