// Live reload for `python build.py serve`: served by the dev server only, never part of the built site.
// The page reloads when a rebuild has written new files; content errors are shown over the page until
// fixed: each with its file and line, what is wrong, the fix, and the line itself with the place marked.
// The box lives in a shadow root with its own style sheet (/__byggfel.css), so the site's CSS cannot
// make it unreadable, and it is opaque: the last good page behind it is not read through it.
(function () {
  "use strict";
  var source = new EventSource("/__reload");
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("errors", function (event) { show(JSON.parse(event.data)); });
  source.addEventListener("ok", hide);

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) { made.className = className; }
    if (text) { made.textContent = text; }
    return made;
  }

  function box() {
    var host = document.getElementById("__byggfel");
    if (!host) {
      host = document.createElement("bygg-fel");
      host.id = "__byggfel";
      var root = host.attachShadow({ mode: "open" });
      var style = element("link");
      style.rel = "stylesheet";
      style.href = "/__byggfel.css";
      root.appendChild(style);
      var dialog = element("section", "ruta");
      dialog.setAttribute("role", "alertdialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-labelledby", "rubrik");
      dialog.setAttribute("aria-describedby", "forklaring");
      dialog.tabIndex = 0;  // the box scrolls: the keyboard can scroll it once it has focus
      root.appendChild(dialog);
      document.body.appendChild(host);
    }
    return host.shadowRoot.querySelector(".ruta");
  }

  function entry(error) {
    var item = element("li", "fel");
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

  function show(errors) {
    var dialog = box();
    dialog.textContent = "";
    var title = element("h2", "", errors.length === 1 ? "1 fel i innehållet" : errors.length + " fel i innehållet");
    title.id = "rubrik";
    dialog.appendChild(title);
    dialog.appendChild(element("p", "", "Bygget stannade. Sidan bakom rutan är den senaste fungerande versionen. " +
                                        "Rätta felen och spara filen, så försvinner rutan.")).id = "forklaring";
    var list = element("ol", "lista");
    errors.forEach(function (error) { list.appendChild(entry(error)); });
    dialog.appendChild(list);
    dialog.focus();
  }

  function hide() {
    var host = document.getElementById("__byggfel");
    if (host) { host.remove(); }
  }
}());
