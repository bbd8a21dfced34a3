"""`python build.py serve`: a live preview for editors.

It builds the site with drafts and future posts shown (each marked), serves it
on 127.0.0.1:8000, watches content/, templates/ and assets/ and rebuilds what a
change affects (pipeline.LiveSite), and what the passing time affects: each
rebuild reads the clock, and one is made when the clock passes a moment the
site changes at. Open pages reload by Server-Sent Events once
the new files are completely written; a burst of saves is one rebuild. A broken
file never stops the server: its errors are printed and shown over the page in
the browser, and the last good site is served until the file is fixed.
"""
from __future__ import annotations

import json
import posixpath
import re
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from generator.outputs import cms as cms_module
from generator.commands import guide
from generator.outputs import search
from generator.outputs.render import TemplateProblem
from generator.build import outputdir
from generator.build.pipeline import LiveSite

RELOAD_PATH = "/__reload"
SCRIPT_PATH = "/__reload.js"
SCRIPT = (Path(__file__).parents[1] / "static" / "reload.js").read_bytes()
STYLE_PATH = "/__byggfel.css"  # the error overlay's own style, kept apart from the site's (reload.js)
STYLE = (Path(__file__).parents[1] / "static" / "byggfel.css").read_bytes()
QUIET = 0.03  # seconds without further saves before a rebuild: a burst of saves is one rebuild
# Seconds after a rebuild before the search index is made again. Making it reads the pages in this
# process, beside the thread that serves the reloading page (one interpreter, one thread at a
# time): the open tab gets its page first, and the index follows.
RELOAD_FIRST = 0.3
PING = 15.0  # seconds between keep-alive comments on an idle event stream


class Broadcast:
    """What the browsers are told: a version that grows with each reload, and the current errors."""

    def __init__(self):
        self.condition = threading.Condition()
        self.version = 0
        self.errors: list[dict] = []  # errors and warnings, as the overlay shows them: see shown()
        self.closed = False
        self.searchable = 0  # grows each time the search index is made again: the search page reloads

    def indexed(self) -> None:
        with self.condition:
            self.searchable += 1
            self.condition.notify_all()

    def publish(self, errors: list[dict], changed: bool) -> None:
        with self.condition:
            if changed or errors != self.errors:
                self.version += 1
            self.errors = errors
            self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify_all()


class Handler(SimpleHTTPRequestHandler):
    """Serves the output folder, the reload script and the event stream; nothing outside the folder."""

    broadcast: Broadcast
    server_version = "Innovationsbloggen"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the editor's terminal stays quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server asks for
        path = urlsplit(self.path).path
        if ".." in unquote(path).split("/"):
            self.send_error(HTTPStatus.FORBIDDEN, "Utanför webbplatsen")
            return
        if "\0" in unquote(path):  # no file name holds one; the file system would refuse it
            self.send_error(HTTPStatus.BAD_REQUEST, "Ogiltig adress")
            return
        if path == RELOAD_PATH:
            self._stream()
        elif path == SCRIPT_PATH:
            self._send(SCRIPT, "text/javascript; charset=utf-8")
        elif path == STYLE_PATH:
            self._send(STYLE, "text/css; charset=utf-8")
        elif self.cms is not None and self.cms.serves(path):
            data, content_type = self.cms.file(path)
            self._send(data, content_type)
        else:
            self._page(path)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    cms: "CmsEditing | None" = None

    def do_POST(self) -> None:  # noqa: N802
        """The CMS's local proxy (serve --cms): POST /api/v1, from this server's own pages only."""
        cms = self.cms
        if cms is None or urlsplit(self.path).path != cms_module.API_PATH:
            self._send(json.dumps({"error": "finns inte (redigering kräver serve --cms)"}, ensure_ascii=False)
                       .encode(), "application/json; charset=utf-8", HTTPStatus.NOT_FOUND)
            return
        refusal = cms.refusal(self.client_address[0], self.headers)
        if refusal:
            self._send(json.dumps({"error": refusal}, ensure_ascii=False).encode(), "application/json",
                       HTTPStatus.FORBIDDEN)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= cms_module.MAX_REQUEST:
            self._send(json.dumps({"error": "för stor förfrågan"}).encode(), "application/json",
                       HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        status, body = cms_module.answer(cms.proxy, self.rfile.read(length))
        self._send(body, "application/json; charset=utf-8", HTTPStatus(status))

    def _page(self, path: str) -> None:
        with self.broadcast.condition:  # before the file is read: a page newer than this only reloads once more
            served_with = (self.broadcast.version, self.broadcast.searchable)
        file = Path(self.translate_path(path))
        root = Path(self.directory).resolve()
        try:  # a name too long for the file system (OSError) is a page that does not exist
            if file.is_dir():
                file = file / "index.html"
            resolved = file.resolve()
            if root != resolved and root not in resolved.parents:
                self.send_error(HTTPStatus.FORBIDDEN, "Utanför webbplatsen")
                return
            data = resolved.read_bytes()
            status = HTTPStatus.OK
        except OSError:
            resolved, status = root / "404.html", HTTPStatus.NOT_FOUND
            data = resolved.read_bytes() if resolved.is_file() else b"Sidan finns inte"
        content_type = self.guess_type(str(resolved))
        sandboxed = _scriptable_file(resolved, root)
        if resolved.suffix == ".html" and not sandboxed:
            data = data.replace(b"</body>", _script_tag(*served_with).encode() + b"\n</body>", 1)
            content_type = "text/html; charset=utf-8"
        self._send(data, content_type, status, sandboxed)

    def _send(self, data: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK,
              sandboxed: bool = False) -> None:
        self.send_response(status)
        if sandboxed:
            # Opened on its own, a file that can hold a script runs it with an origin of its own, not
            # the server's: an SVG logo from elsewhere cannot reach the CMS's API (`serve --cms`).
            self.send_header("Content-Security-Policy", "sandbox")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _stream(self) -> None:
        """Server-Sent Events: `reload` after a rebuild, `errors` while the content is broken."""
        broadcast = self.broadcast
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with broadcast.condition:
            seen, errors, searchable = broadcast.version, list(broadcast.errors), broadcast.searchable
        # What the page was served with (_page writes it into its script tag): a rebuild or a new
        # search index that came while the page loaded, before this stream was open, is told at once.
        served = parse_qs(urlsplit(self.path).query)
        seen = _number(served.get("version"), seen)
        searchable = _number(served.get("sokindex"), searchable)
        try:
            self._event("errors" if _stops(errors) else "ok", errors)
            while True:
                with broadcast.condition:
                    broadcast.condition.wait_for(lambda: broadcast.version != seen or broadcast.closed
                                                 or broadcast.searchable != searchable, PING)
                    if broadcast.closed:
                        return
                    version, errors = broadcast.version, list(broadcast.errors)
                    indexed, searchable = broadcast.searchable != searchable, broadcast.searchable
                if indexed and version == seen:
                    self._event("sokindex", [])
                    continue
                if version == seen:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    continue
                seen = version
                self._event("errors" if _stops(errors) else "reload", errors)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            return  # the tab was closed

    def _event(self, name: str, errors: list[dict]) -> None:  # errors: errors and warnings (shown())
        self.wfile.write(f"event: {name}\ndata: {json.dumps(errors, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()


def _script_tag(version: int, searchable: int) -> str:
    """The reload script, with the version and search index the page was served with (reload.js)."""
    return f'<script src="{SCRIPT_PATH}" data-version="{version}" data-sokindex="{searchable}" defer></script>'


def _number(given: list[str] | None, otherwise: int) -> int:
    try:
        return int(given[0]) if given else otherwise
    except ValueError:
        return otherwise


def _stops(entries: list[dict]) -> bool:
    """True when the entries hold an error (not only warnings): the build stopped."""
    return any(entry.get("kind", "fel") == "fel" for entry in entries)


def _where(errors, output: Path) -> str:
    """What the errors stopping a rebuild are in, as the terminal and the overlay's heading say it: the
    content (nearly always), the preview's own folder (a file saved there by hand where the site now
    puts one of its own), or both."""
    in_output = [str(e.path).startswith(str(output) + "/") for e in errors]
    if all(in_output):
        return "fel i förhandsvisningens mapp"
    return "fel i innehållet" if not any(in_output) else "fel"


def shown(error, content: Path, shown_content: str, kind: str = "fel", where: str = "fel i innehållet") -> dict:
    """A content error as the preview's overlay shows it: the file and line, what is wrong, the
    fix (the part of the message after its first ';', or a closing "menade du …?"), the guide's
    advice for the message (docs/felmeddelanden.md), and the line itself with the place marked:
    the error's column, else the field's name on the line, else the whole line's text."""
    problem, fix = error.message, ""
    suggestion = re.search(r" \((menade du [^)]*\?)\)$", problem)
    if suggestion:
        problem, fix = problem[:suggestion.start()], suggestion.group(1)
    if "; " in problem:
        problem, rest = problem.split("; ", 1)
        fix = f"{rest}; {fix}" if fix else rest
    source, start, end = _source_line(error, content, shown_content)
    row = guide.row_for(error.message)
    return {"kind": kind, "where": where, "text": str(error), "path": error.path, "line": error.line,
            "field": error.field,
            "problem": problem, "fix": fix, "help": row.fix if row else "",
            "source": source, "mark_start": start, "mark_end": end}


def _source_line(error, content: Path, shown_content: str) -> tuple[str, int, int]:
    """The line the error names, and the 0-based span to mark in it ("" when it cannot be read)."""
    prefix = shown_content.rstrip("/") + "/"
    path = content / error.path[len(prefix):] if error.path.startswith(prefix) else Path(error.path)
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").split("\n")
    except OSError:
        return "", 0, 0
    if not 1 <= error.line <= len(lines):
        return "", 0, 0
    line = lines[error.line - 1].rstrip("\r")
    if getattr(error, "column", 0) and error.column <= len(line):
        return line, error.column - 1, error.column
    name = error.field.rsplit(".", 1)[-1] if error.field else ""
    found = re.search(rf"(?<![\w-]){re.escape(name)}\s*:", line) if name else None
    if found:
        return line, found.start(), found.start() + len(name)
    indent = len(line) - len(line.lstrip())
    return line, indent, max(len(line.rstrip()), indent + 1)


class CmsEditing:
    """`serve --cms`: /admin/ made for the working copy, and the proxy API that edits it."""

    def __init__(self, live: LiveSite, port_url: str):
        self.live, self.port_url = live, port_url
        self.proxy = cms_module.Proxy(live.paths.content, live.paths.assets)
        self.site = None  # the last site built, whose people, organisations and events the forms offer
        self.files = {f"{cms_module.ADMIN}{p.name}": p for p in cms_module.bundle_files()}

    def serves(self, path: str) -> bool:
        return path in (cms_module.ADMIN, cms_module.ADMIN + "index.html", cms_module.ADMIN + "config.yml",
                        cms_module.ADMIN + "cms-admin.js", cms_module.ADMIN + "cms-admin.css") or path in self.files

    def file(self, path: str) -> tuple[bytes, str]:
        if path == cms_module.ADMIN + "config.yml":
            made = cms_module.config(cms_module.local_backend(), cms_module.Choices.of(self.site),
                                     local=True)
            return cms_module.config_yaml(made).encode(), "text/yaml; charset=utf-8"
        if path == cms_module.ADMIN + "cms-admin.js":
            return cms_module.SCRIPT.read_bytes(), "text/javascript; charset=utf-8"
        if path == cms_module.ADMIN + "cms-admin.css":
            return cms_module.STYLE.read_bytes(), "text/css; charset=utf-8"
        if path in self.files:
            file = self.files[path]
            kind = {".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm"}.get(
                file.suffix, "text/plain; charset=utf-8")
            return file.read_bytes(), kind
        return self.page().encode(), "text/html; charset=utf-8"

    def page(self) -> str:
        from generator.outputs.assets import find_assets, site_paths

        css = site_paths(find_assets(self.live.paths.assets)).get("css/site.css", "")
        main = (cms_module.BUNDLE / cms_module.MAIN).read_bytes()
        title = self.site.config.title if self.site is not None else "webbplatsen"
        page = cms_module.admin_page(cms_module.MAIN, cms_module.integrity(main), "cms-admin.js",
                                     "cms-admin.css", css, title)
        # The build's errors over the editor too: the preview server's overlay, without its reloads.
        return page.replace("<html lang", "<html data-cms lang", 1).replace(
            "</body>", f'<script src="{SCRIPT_PATH}" defer></script>\n</body>', 1)

    def refusal(self, client: str, headers) -> str | None:
        """Why a request to the API is refused, or None: only from this computer, only from this
        server's own pages (a web page elsewhere cannot make the editor's browser write files)."""
        import ipaddress

        try:
            if not ipaddress.ip_address(client.split("%")[0]).is_loopback:
                return "bara från den här datorn"
        except ValueError:
            return "bara från den här datorn"
        host = (headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        if host not in ("localhost", "127.0.0.1", "::1"):
            return f"okänd värd {host!r}"
        origin = headers.get("Origin")
        if origin is not None and origin.rstrip("/") not in self.origins():
            return f"förfrågan från en annan webbplats ({origin}) godtas inte"
        if not (headers.get("Content-Type") or "").startswith("application/json"):
            return "förfrågan ska vara JSON"
        return None

    def origins(self) -> set[str]:
        port = urlsplit(self.port_url).port
        return {f"http://{name}:{port}" for name in ("localhost", "127.0.0.1", "[::1]")}


class _Server(ThreadingHTTPServer):
    """A threaded server that lets a browser go mid-response without a traceback in the terminal."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the tab was closed or the reader went away: nothing is wrong with the server
        super().handle_error(request, client_address)


_SCRIPTABLE = {".svg", ".svgz", ".xml", ".xhtml", ".xsl", ".xslt"}


def _scriptable_file(file: Path, root: Path) -> bool:
    """Whether a served file is a document that can run a script and is not one of the site's pages:
    an SVG or XML file anywhere, or an HTML file among the editors' files (assets/)."""
    if file.suffix.lower() in _SCRIPTABLE:
        return True
    return file.suffix.lower() in (".html", ".htm") and (root / "assets") in file.parents


class _Changes(FileSystemEventHandler):
    def __init__(self, wake: threading.Event):
        self.wake = wake

    CHANGES = {"created", "modified", "deleted", "moved", "closed"}  # "closed": closed after writing

    def on_any_event(self, event) -> None:
        if event.event_type not in self.CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # opening and reading a file (the rebuild itself does) is no change
        # A move names where the file went too: a temporary file renamed onto a real one (an editor's
        # safe save, the CMS's whole-file write) is a change of the real one.
        names = [posixpath.basename(str(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if all(name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")) for name in names):
            return  # editors' temporary files
        self.wake.set()


def _linked_folders(folder: Path) -> list[str]:
    """The real paths of the folders that links under `folder` lead to, and of links under those,
    each once (a link back up the tree is not followed around)."""
    import os

    seen, found, waiting = {os.path.realpath(folder)}, [], [str(folder)]
    while waiting:
        for root, names, _ in os.walk(waiting.pop()):
            for name in names:
                path = os.path.join(root, name)
                real = os.path.realpath(path)
                if os.path.islink(path) and real not in seen:
                    seen.add(real)
                    found.append(real)
                    waiting.append(real)
    return found


class DevServer:
    def __init__(self, live: LiveSite, host: str, port: int, watch: list[Path], report=print, cms: bool = False,
                 force: bool = False):
        self.live, self.watch, self.report = live, watch, report
        self.broadcast = Broadcast()
        handler = type("BoundHandler", (Handler,), {"broadcast": self.broadcast})
        live.paths.output.mkdir(parents=True, exist_ok=True)
        # The server's from now, as checked (cli): a file saved into it before the first good rebuild is the editor's.
        outputdir.mark_live(live.paths.output.resolve(), everything=force)  # --force: all of it may be replaced
        self.http = _Server((host, port), partial(handler, directory=str(live.paths.output)))
        self.cms = None
        if cms:
            self.cms = CmsEditing(live, f"http://localhost:{self.port}/")
            handler.cms = self.cms
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.observer = Observer()
        self.reindex = threading.Event()  # pages changed since the search index was last made
        # The background index's Pagefind runs: ended by stop(), and niced, so that a rebuild after
        # a save has the processor first and the page reloads as soon as it would with no index to make.
        self.search_runs = search.Runs(niceness=10)
        self.indexing: threading.Thread | None = None
        self.rebuilding: threading.Thread | None = None  # the thread that rebuilds after saves
        self.language = ""  # of the search index; "" while the site has none
        self.page_hashes = search.PageHashes()  # the live folder's pages as the index last read them

    @property
    def port(self) -> int:
        return self.http.server_address[1]

    def rebuild(self):
        result = self.live.rebuild()
        if self.cms is not None and result.site is not None:
            self.cms.site = result.site
        errors = [str(e) for e in result.errors]
        if errors:
            self.report("\n".join(errors) + f"\n{_where(result.errors, self.live.paths.output).capitalize()} "
                        f"({len(errors)}): webbläsaren visar felen; den senaste fungerande versionen visas "
                        "tills de är rättade.")
        else:
            self.report(f"Byggde om på {result.seconds * 1000:.0f} ms: {result.rendered} sidor gjordes om, "
                        f"{result.written} filer ändrades.")
        for warning in result.warnings:
            self.report(f"{warning.path}:{warning.line}: varning: {warning.message}")
        if result.site is not None:
            wanted = search.wanted(result.site, self.live.options)
            if wanted and (result.written or result.removed or self.language != result.site.config.language):
                self.reindex.set()
            self.language = result.site.config.language if wanted else ""
        paths = self.live.paths
        self.broadcast.publish([shown(e, paths.content, paths.shown_content, where=_where([e], paths.output))
                                for e in result.errors]
                               + [shown(w, paths.content, paths.shown_content, "varning") for w in result.warnings],
                               changed=bool(result.written or result.removed))
        return result

    def start(self) -> None:
        """Build once, then serve and watch in background threads.

        The search index is made in the background after the first build, and after
        each rebuild that changed files only the bundles holding a changed page are
        made again (search.py), also in the background: Pagefind is kept out of the
        rebuild itself, which must stay fast, and the preview's search finds the new
        text a moment after the page has reloaded.
        """
        self.rebuild()
        self.indexing = threading.Thread(target=self._index_on_change, daemon=True)
        self.indexing.start()
        handler = _Changes(self.wake)
        templates = self.live.paths.templates.resolve()
        for folder in self.watch:
            if folder.is_dir():
                self.observer.schedule(handler, str(folder), recursive=True)
                # The build reads templates through linked folders (a theme's shared partials), but
                # the observer does not enter links: their targets are watched as folders of their own.
                for linked in _linked_folders(folder) if folder.resolve() == templates else ():
                    self.observer.schedule(handler, linked, recursive=True)
        self.observer.start()
        self.rebuilding = threading.Thread(target=self._rebuild_on_change, daemon=True)
        self.rebuilding.start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def _index_on_change(self) -> None:
        """Make the search index again, in the bundles that changed, whenever a rebuild changed files."""
        first = True
        while not self.stopping.is_set():
            if not self.reindex.wait(0.5):
                continue
            self.stopping.wait(RELOAD_FIRST)  # saves meanwhile are in the same index
            self.reindex.clear()
            if not self.language or self.stopping.is_set():
                continue
            output = self.live.paths.output
            try:  # the live folder is the server's own: a bundle there whose name fits its pages is right
                made = search.index(output, self.language,
                                    search.Reuse(keep=lambda name: (output / search.FOLDER / name /
                                                                    "pagefind-entry.json").is_file()), live=True,
                                    runs=self.search_runs, hashes=self.page_hashes)
            except (search.SearchIndexFailed, OSError) as exc:
                if self.stopping.is_set():  # the runs were ended by stop()
                    return
                self.report(f"Sökindexet kunde inte göras: {exc}")
                continue
            if made.made:
                self.broadcast.indexed()
            if first or made.made:
                self.report(f"Sökindexet är klart ({made.seconds:.1f} s, {len(made.made)} av "
                            f"{len(made.made) + len(made.kept)} delar gjordes om).")
            first = False

    def _rebuild_on_change(self) -> None:
        """Rebuild after a burst of saves, and when the clock passes a moment that changes the
        site (an event ends, a post's time comes, a new day): LiveSite reads the clock anew."""
        while not self.stopping.is_set():
            if not self.wake.wait(0.5) and not self.live.due():
                continue
            while self.wake.is_set():  # wait until the saves have stopped for a moment
                self.wake.clear()
                time.sleep(QUIET)
            if not self.stopping.is_set():
                try:
                    self.rebuild()
                except TemplateProblem as problem:  # the site's templates, named in the message
                    text = f"Ombyggnaden avbröts: {problem}"
                    # Pages rendered before the error were written (LiveSite forgets its record of them).
                    self.report(text + "\nSidor som hann göras om visar ändringen; resten görs om "
                                       "när mallen är rättad och sparad.")
                    self.broadcast.publish([{"text": text, "message": text, "where": "fel i en mall"}],
                                           changed=False)
                except Exception as exc:  # a program error must not stop the preview
                    self.report(f"Internt fel vid ombyggnad: {exc!r}")
                    self.broadcast.publish([{"text": f"Internt fel: {exc!r}", "message": f"Internt fel: {exc!r}",
                                             "where": "internt fel"}], changed=False)

    def stop(self) -> None:
        self.stopping.set()
        # A Pagefind run still making the preview's index would go on writing into the preview
        # folder after the server is gone, and leave its work folder there: it is ended, and the
        # index thread is waited for while it clears up.
        self.search_runs.stop()
        self.reindex.set()  # the index thread's wait ends now, not at its next look
        if self.indexing is not None:
            self.indexing.join(timeout=10)
        # A rebuild under way is let finish: it would go on writing into the folder after the server is
        # gone, and rendering, which records reads on the content classes for its process, beside the
        # next server's in the same process (the tests') ended one of them with an AttributeError.
        if self.rebuilding is not None:
            self.rebuilding.join(timeout=60)
        self.broadcast.close()
        self.observer.stop()
        self.http.shutdown()
        self.http.server_close()
        self.observer.join(timeout=5)
