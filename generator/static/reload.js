// Live reload for `python build.py serve`: served by the dev server only, never part of the built site.
// The page reloads when a rebuild has written new files; content errors are shown over the page until
// fixed: each with its file and line, what is wrong, the fix, and the line itself with the place marked.
// The box lives in a shadow root with its own style sheet (/__byggfel.css), so the site's CSS cannot
// make it unreadable, and it is opaque: the last good page behind it is not read through it.
(function () {
  "use strict";
  // The version and search index the page was served with (serve.py): a rebuild or a new index that
  // came while the page loaded, before the stream below was open, is told at once, not lost.
  var served = document.currentScript ? document.currentScript.dataset : {};
  var since = served.version !== undefined ?
    "?version=" + encodeURIComponent(served.version) + "&sokindex=" + encodeURIComponent(served.sokindex) : "";
  var source = new EventSource("/__reload" + since);
  // In the CMS (serve --cms, <html data-cms>) a rebuild only clears the errors: a reload would lose the form.
  var editing = document.documentElement.hasAttribute("data-cms");
  source.addEventListener("reload", function (event) {
    if (editing) { hide(); note(JSON.parse(event.data)); } else { window.location.reload(); }
  });
  // The search index was made again after a save (serve.py): the search page searches it anew.
  source.addEventListener("sokindex", function () {
    if (document.getElementById("sok-traffar")) { window.location.reload(); }
  });
  source.addEventListener("errors", function (event) { show(JSON.parse(event.data)); });
  source.addEventListener("ok", function (event) { hide(); note(JSON.parse(event.data)); });

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) { made.className = className; }
    if (text) { made.textContent = text; }
    return made;
  }

  // A host element with its own shadow root and style sheet, and in it a section of class `kind`.
  function shadowed(id, kind) {
    var host = document.getElementById(id);
    if (!host) {
      host = document.createElement("bygg-fel");
      host.id = id;
      host.className = kind;
      var root = host.attachShadow({ mode: "open" });
      var style = element("link");
      style.rel = "stylesheet";
      style.href = "/__byggfel.css";
      root.appendChild(style);
      var section = element("section", kind);
      section.tabIndex = 0;  // the box scrolls: the keyboard can scroll it once it has focus
      root.appendChild(section);
      document.body.appendChild(host);
    }
    return host.shadowRoot.querySelector("section");
  }

  function box() {
    var dialog = shadowed("__byggfel", "ruta");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "rubrik");
    dialog.setAttribute("aria-describedby", "forklaring");
    return dialog;
  }

  function isWarning(entry) { return entry.kind === "varning"; }

  function warningList(warnings) {
    var list = element("ol", "lista");
    warnings.forEach(function (warning) { list.appendChild(entry(warning)); });
    return list;
  }

  // Warnings do not stop the build: a small panel at the foot of the page, which can be opened.
  function note(entries) {
    var old = document.getElementById("__byggvarning");
    if (old) { old.remove(); }
    var warnings = (entries || []).filter(isWarning);
    if (!warnings.length) { return; }
    var panel = shadowed("__byggvarning", "varningar");
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Varningar i innehållet");
    var details = element("details");
    details.appendChild(element("summary", "", (warnings.length === 1 ? "1 varning" : warnings.length + " varningar") +
                                               " i innehållet – sidan är byggd, men titta på dem"));
    details.appendChild(warningList(warnings));
    panel.appendChild(details);
  }

  function entry(error) {
    var item = element("li", isWarning(error) ? "fel varning" : "fel");
    var where = element("p", "var");
    where.textContent = error.path ? error.path + ", rad " + error.line + (error.field ? ", fältet " + error.field : "")
                                   : "";
    if (where.textContent) { item.appendChild(where); }
    item.appendChild(element("p", "problem", error.problem || error.message || error.text));
    if (error.source) {
      var shown = element("pre", "kod");
      shown.setAttribute("aria-label", "Rad " + error.line + " i filen");
      shown.tabIndex = 0;  // a long line scrolls sideways inside it
      var start = error.mark_start, end = Math.max(error.mark_end, start + 1);
      var code = element("code");
      code.appendChild(document.createTextNode(error.source.slice(0, start)));
      code.appendChild(element("mark", "", error.source.slice(start, end) || " "));
      code.appendChild(document.createTextNode(error.source.slice(end)));
      shown.appendChild(code);
      var under = element("span", "under", "\n" + " ".repeat(start) + "^".repeat(end - start));
      under.setAttribute("aria-hidden", "true");
      shown.appendChild(under);
      item.appendChild(shown);
    }
    if (error.fix || error.help) {
      var fix = element("div", "rattning");
      var first = element("p");
      first.appendChild(element("strong", "", "Så rättar du: "));
      first.appendChild(document.createTextNode(error.fix || error.help));
      fix.appendChild(first);
      if (error.fix && error.help) { fix.appendChild(element("p", "", error.help)); }
      item.appendChild(fix);
    }
    return item;
  }

  function show(entries) {
    var errors = entries.filter(function (e) { return !isWarning(e); });
    var warnings = entries.filter(isWarning);
    var old = document.getElementById("__byggvarning");
    if (old) { old.remove(); }
    var dialog = box();
    dialog.textContent = "";
    // Nearly always errors in the content; a file saved by hand in the preview's folder is moved, not edited.
    var places = errors.map(function (e) { return e.where || "fel i innehållet"; });
    var where = places.every(function (p) { return p === places[0]; }) ? places[0] : "fel";
    var title = element("h2", "", errors.length + " " + where);
    title.id = "rubrik";
    dialog.appendChild(title);
    dialog.appendChild(element("p", "", "Bygget stannade. Sidan bakom rutan är den senaste fungerande versionen. " +
                                        (where === "fel i förhandsvisningens mapp"
                                          ? "Flytta filen därifrån, så försvinner rutan."
                                          : "Rätta felen och spara filen, så försvinner rutan."))).id = "forklaring";
    var list = element("ol", "lista");
    errors.forEach(function (error) { list.appendChild(entry(error)); });
    dialog.appendChild(list);
    if (warnings.length) {
      dialog.appendChild(element("h3", "", warnings.length === 1 ? "1 varning" : warnings.length + " varningar"));
      dialog.appendChild(warningList(warnings));
    }
    dialog.focus();
  }

  function hide() {
    var host = document.getElementById("__byggfel");
    if (host) { host.remove(); }
  }
}());
