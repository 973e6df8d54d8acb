/* A session's slides (facilitator/slides/): one slide at a time, moved by keyboard or buttons.
   Arrows, Space (Shift+Space back), Page Up/Down, Home and End; a counter says where you are;
   "Full screen" presents the deck and Escape leaves it. Without this script every slide shows in
   order, which is also how they print (print.css: three to a sheet). Nothing is stored or sent. */
(function () {
  "use strict";
  var NEXT = ["ArrowRight", "ArrowDown", "PageDown", " "];
  var BACK = ["ArrowLeft", "ArrowUp", "PageUp"];

  function button(label, action) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "md-button ck-deck-button";
    node.textContent = label;
    node.addEventListener("click", action);
    return node;
  }

  function setUpDeck(deck) {
    if (deck.dataset.ckBound) { return; }
    deck.dataset.ckBound = "1";
    var slides = Array.prototype.slice.call(deck.querySelectorAll(".ck-slide"));
    if (!slides.length) { return; }
    var current = 0;
    var counter = document.createElement("p");
    counter.className = "ck-deck-counter";
    counter.setAttribute("role", "status");
    var back = button("Previous", function () { show(current - 1); });
    var next = button("Next", function () { show(current + 1); });
    var full = button("Full screen", function () { present(!deck.classList.contains("ck-presenting")); });
    var bar = document.createElement("div");
    bar.className = "ck-deck-controls";
    bar.append(back, counter, next, full);
    deck.appendChild(bar);
    deck.tabIndex = -1;

    function show(index) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      slides.forEach(function (slide, i) { slide.hidden = i !== current; });
      counter.textContent = "Slide " + (current + 1) + " of " + slides.length;
      back.disabled = current === 0;
      next.disabled = current === slides.length - 1;
      var heading = slides[current].querySelector("h2[id]");
      if (heading && window.history.replaceState) { window.history.replaceState(null, "", "#" + heading.id); }
    }

    function present(on) {
      deck.classList.toggle("ck-presenting", on);
      full.textContent = on ? "Leave full screen" : "Full screen";
      if (on && deck.requestFullscreen && !document.fullscreenElement) {
        deck.requestFullscreen().catch(function () { /* the page fills the window instead */ });
      } else if (!on && document.fullscreenElement) {
        document.exitFullscreen().catch(function () {});
      }
      deck.focus();
    }

    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement && deck.classList.contains("ck-presenting")) { present(false); }
    });
    document.addEventListener("keydown", function (event) {
      if (!document.body.contains(deck) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var target = event.target;
      if (target.closest && target.closest("input, select, textarea, [contenteditable]")) { return; }
      var onControl = target.closest && target.closest("button, a, summary");
      var key = event.key;
      if (key === " " && onControl) { return; } // Space presses the focused button or follows the link
      if (key === " " && event.shiftKey) { key = "PageUp"; }
      if (NEXT.indexOf(key) >= 0) { show(current + 1); }
      else if (BACK.indexOf(key) >= 0) { show(current - 1); }
      else if (key === "Home") { show(0); }
      else if (key === "End") { show(slides.length - 1); }
      else if (key === "Escape" && deck.classList.contains("ck-presenting")) { present(false); }
      else { return; }
      event.preventDefault();
    });

    var start = slides.findIndex(function (slide) {
      var heading = slide.querySelector("h2[id]");
      return heading && "#" + heading.id === window.location.hash;
    });
    show(start < 0 ? 0 : start);
  }

  function setUp() {
    document.querySelectorAll(".ck-deck").forEach(setUpDeck);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
