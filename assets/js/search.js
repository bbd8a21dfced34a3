/* The search page (/sok/): Pagefind's JavaScript API and our own results list.
   The index is made at build time (generator/search.py). No inline script or style anywhere,
   so the page works under a Content-Security-Policy of script-src 'self' 'wasm-unsafe-eval'
   (Pagefind's engine is WebAssembly) and style-src 'self'. Without JavaScript the page says
   so and links to the archive. */
(function () {
  "use strict";
  var form = document.getElementById("sok");
  var notice = document.getElementById("sok-utan-js");
  var input = document.getElementById("sokord");
  var status = document.getElementById("sok-status");
  var list = document.getElementById("sok-traffar");
  var more = document.getElementById("sok-fler");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var PAGE = 10;
  var engine = null;
  var results = [];
  var shown = 0;
  var latest = 0;
  var timer = null;

  /* The index is in bundles (generator/outputs/search.py), listed in bundles.json: the first is opened,
     the others are merged into it, so that one search spans them all. */
  function load() {
    if (!engine) {
      var listing = new URL(form.getAttribute("data-index"), location.href);
      var base = form.getAttribute("data-base");
      engine = fetch(listing.href, { cache: "no-cache" }).then(function (response) {
        if (!response.ok) {
          throw new Error("no index");
        }
        return response.json();
      }).then(function (found) {
        var bundles = found.bundles.map(function (name) { return new URL(name + "/", listing).pathname; });
        if (!bundles.length) {  /* a site with nothing to index */
          return { search: function () { return Promise.resolve({ results: [] }); } };
        }
        return import(bundles[0] + "pagefind.js").then(function (pagefind) {
          return pagefind.options({ baseUrl: base }).then(function () {
            return Promise.all(bundles.slice(1).map(function (bundle) {
              return pagefind.mergeIndex(bundle, { baseUrl: base });
            }));
          }).then(function () {
            return pagefind;
          });
        });
      });
    }
    return engine;
  }

  function filters() {
    var chosen = {};
    selects.forEach(function (select) {
      if (select.value) {
        chosen[select.getAttribute("data-filter")] = select.value;
      }
    });
    return chosen;
  }

  function remember(query) {
    var params = new URLSearchParams();
    if (query) {
      params.set("q", query);
    }
    selects.forEach(function (select) {
      if (select.value) {
        params.set(select.name, select.value);
      }
    });
    var text = params.toString();
    history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
  }

  /* Pagefind's excerpt is text with <mark> around the words found: keep exactly that. */
  function excerpt(html) {
    var paragraph = document.createElement("p");
    var parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    Array.prototype.forEach.call(parsed, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "card";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var facts = [];
    if (data.filters && data.filters.typ) {
      facts.push(data.filters.typ.join(", "));
    }
    if (data.meta && data.meta.datum) {
      facts.push(data.meta.datum);
    }
    if (facts.length) {
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = facts.join(" · ");
      li.appendChild(meta);
    }
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function showMore() {
    var batch = results.slice(shown, shown + PAGE);
    var search = latest;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (found) {
      if (search !== latest) {
        return;
      }
      found.forEach(function (data) { list.appendChild(item(data)); });
      shown += found.length;
      more.hidden = shown >= results.length;
    });
  }

  function run() {
    var query = input.value.trim();
    var chosen = filters();
    var search = ++latest;
    remember(query);
    if (!query && !Object.keys(chosen).length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    status.textContent = "Söker …";
    load().then(function (pagefind) {
      return pagefind.search(query || null, { filters: chosen });
    }).then(function (found) {
      if (search !== latest || !found) {
        return;
      }
      results = found.results;
      shown = 0;
      list.textContent = "";
      var words = query ? " för ”" + query + "”" : "";
      status.textContent = results.length === 0 ? "Inga träffar" + words + "."
        : results.length === 1 ? "1 träff" + words + "." : results.length + " träffar" + words + ".";
      return showMore();
    }).catch(function () {
      status.textContent = "";
      form.hidden = true;
      notice.textContent = "Sökningen kunde inte laddas just nu. ";
      var archive = document.createElement("a");
      archive.href = form.getAttribute("data-base") + "blogg/arkiv/";
      archive.textContent = "Alla inlägg finns i arkivet.";
      notice.appendChild(archive);
      notice.hidden = false;
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  notice.hidden = true;
  form.hidden = false;
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
      select.value = wanted;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", soon);
  selects.forEach(function (select) { select.addEventListener("change", run); });
  more.addEventListener("click", showMore);
  if (input.value || Object.keys(filters()).length) {
    run();
  }
})();
