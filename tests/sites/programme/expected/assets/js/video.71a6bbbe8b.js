/* Click-to-load films (generator/video.py): the page links to the film, and only a click
   puts the video host's player in the link's place. Nothing is fetched from the host before. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.video-load") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    var frame = document.createElement("iframe");
    var src = link.getAttribute("data-embed");
    frame.src = src + (src.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
    frame.title = "Film: " + link.textContent;
    frame.className = "video-frame";
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    link.parentNode.replaceChild(frame, link);
    frame.focus();
  });
})();
