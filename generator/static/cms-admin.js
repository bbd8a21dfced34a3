// /admin/: what the project adds to Decap CMS (generator/cms.py). The site's own style sheet in the
// preview, and previews of posts and events built like the site's pages (templates/post.html and
// templates/event.html): the same elements and classes, so the site's CSS styles them as on the site.
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS || !h || !createClass) { return; }
  var style = document.currentScript && document.currentScript.getAttribute("data-preview-style");
  if (style) { CMS.registerPreviewStyle(style); }

  function get(entry, name) { return entry.getIn(["data", name]); }
  function list(value) { return value && value.toJS ? value.toJS() : (value || []); }
  // The names a select field shows for its ids (config.yml: "Erik Noaksson (erik-noaksson)").
  function names(collection, name, ids) {
    var field = collection.get("fields").find(function (f) { return f.get("name") === name; });
    var shown = {};
    (field && field.get("options") ? field.get("options").toJS() : []).forEach(function (option) {
      if (option && option.value) { shown[option.value] = option.label.replace(/ \([^)]*\)$/, ""); }
    });
    return ids.map(function (id) { return shown[id] || id; });
  }

  var Post = createClass({
    render: function () {
      var entry = this.props.entry;
      var image = get(entry, "image");
      var tags = list(get(entry, "tags"));
      return h("main", { id: "innehall" },
        h("article", { className: "h-entry post" },
          h("header", {},
            h("h1", { className: "p-name" }, get(entry, "title") || "Rubrik"),
            get(entry, "draft") ? h("p", { className: "banner" }, "Utkast: syns bara i förhandsvisningen.") : null,
            h("p", { className: "meta" }, "Publicerat " + (get(entry, "date") || ""),
              list(get(entry, "authors")).length
                ? " av " + names(this.props.collection, "authors", list(get(entry, "authors"))).join(", ") : "")),
          image ? h("img", { className: "u-photo", src: this.props.getAsset(image).toString(),
                             alt: get(entry, "image_alt") || "" }) : null,
          h("div", { className: "e-content" }, this.props.widgetFor("body")),
          tags.length ? h("footer", {}, h("p", { className: "tags" }, "Taggar: " + tags.join(", "))) : null));
    }
  });

  var Event = createClass({
    render: function () {
      var entry = this.props.entry;
      var programme = list(get(entry, "programme"));
      var place = list(get(entry, "place"));
      var where = [place.venue, place.address, place.municipality || place.locality].filter(Boolean).join(", ");
      return h("main", { id: "innehall" },
        h("article", { className: "h-event event" },
          h("header", {},
            h("p", { className: "kicker" }, get(entry, "kind") || ""),
            h("h1", { className: "p-name" }, get(entry, "title") || "Rubrik"),
            get(entry, "summary") ? h("p", { className: "lead p-summary" }, get(entry, "summary")) : null),
          h("dl", { className: "facts" },
            h("dt", {}, "När"), h("dd", {}, get(entry, "start") || get(entry, "month") || "turné"),
            where ? h("dt", {}, "Var") : null, where ? h("dd", { className: "p-location" }, where) : null),
          h("div", { className: "e-content" }, this.props.widgetFor("description")),
          programme.length ? h("section", {},
            h("h2", {}, "Program"),
            h("table", { className: "timetable" },
              h("tbody", {}, programme.map(function (item, index) {
                return h("tr", { key: index }, h("th", { scope: "row" }, item.time || ""),
                  h("td", {}, item.title || "", item.place ? ", " + item.place : "",
                    item.optional ? h("span", { className: "badge" }, " valfritt") : null));
              })))) : null));
    }
  });

  CMS.registerPreviewTemplate("inlagg", Post);
  CMS.registerPreviewTemplate("evenemang", Event);
}());
