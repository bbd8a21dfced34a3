// Live reload for `python build.py serve`: served by the dev server only, never part of the built site.
// The page reloads when a rebuild has written new files; a content error is shown over the page until fixed.
(function () {
  "use strict";
  var source = new EventSource("/__reload");
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("errors", function (event) { show(JSON.parse(event.data)); });
  source.addEventListener("ok", hide);

  function show(lines) {
    var box = document.getElementById("__byggfel");
    if (!box) {
      box = document.createElement("section");
      box.id = "__byggfel";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-label", "Fel i innehållet");
      var style = box.style;
      style.position = "fixed"; style.inset = "0"; style.zIndex = "2147483647"; style.overflow = "auto";
      style.background = "rgba(20, 20, 20, 0.94)"; style.color = "#ffffff"; style.padding = "2rem";
      style.font = "1rem/1.5 ui-monospace, Menlo, Consolas, monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "Bygget misslyckades – sidan visar senaste fungerande version bakom den här rutan";
    box.appendChild(title);
    var list = document.createElement("pre");
    list.style.whiteSpace = "pre-wrap";
    list.textContent = lines.join("\n");
    box.appendChild(list);
    var help = document.createElement("p");
    help.textContent = "Rätta felet och spara filen, så försvinner rutan.";
    box.appendChild(help);
  }

  function hide() {
    var box = document.getElementById("__byggfel");
    if (box) { box.remove(); }
  }
}());
