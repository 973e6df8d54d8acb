/* Progress ticks kept only in this browser (localStorage); nothing is sent anywhere.
   Works with Material's instant navigation through document$. */
(function () {
  "use strict";
  var KEY = "course-kit-progress";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(done) {
    try { window.localStorage.setItem(KEY, JSON.stringify(done)); } catch (e) { /* storage off: ticks last this page only */ }
  }
  // The page names what an item is (data-ck-noun, from the kit's registry of content kinds).
  function label(el) {
    return "Mark this " + (el.dataset.ckNoun || "item") + " as done";
  }
  function checkbox(item, done, text) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !!done[item];
    box.dataset.ckItem = item;
    var wrap = document.createElement("label");
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(text));
    box.addEventListener("change", function () {
      var now = load();
      if (box.checked) { now[item] = true; } else { delete now[item]; }
      save(now);
      summarise();
    });
    return wrap;
  }
  function summarise() {
    var summary = document.querySelector(".ck-progress-summary");
    if (!summary) { return; }
    var items = Array.prototype.map.call(document.querySelectorAll(".ck-tick"), function (el) { return el.dataset.ckItem; });
    var done = load();
    var count = items.filter(function (item) { return done[item]; }).length;
    var total = items.length;
    var percent = total ? Math.round(100 * count / total) : 0;
    summary.textContent = count + " of " + total + " done (" + percent + "%)";
  }
  function label_landmarks() {
    // Material's search overlay is a dialog without a name; screen readers need one (axe: aria-dialog-name).
    var search = document.querySelector('.md-search[role="dialog"]');
    if (search && !search.getAttribute("aria-label")) { search.setAttribute("aria-label", "Search the course"); }
    // Wide tables: a11y.js makes each one that scrolls sideways focusable, names it and shows a cue.
  }
  // Library filters: each <select> narrows the table to rows whose .ck-facets marker carries
  // the chosen value; the choice is kept in the address (?area=Grief) so a view can be shared.
  function filter(form) {
    var markers = Array.prototype.slice.call(document.querySelectorAll(".ck-facets"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var count = form.querySelector(".ck-filter-count");
    var noun = form.dataset.ckNoun;
    function apply() {
      var chosen = selects.filter(function (s) { return s.value; });
      var shown = 0;
      markers.forEach(function (marker) {
        var match = chosen.every(function (s) {
          return (marker.dataset[s.dataset.ckFacet] || "").split(",").indexOf(s.value) !== -1;
        });
        marker.closest("tr").hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = !chosen.length ? "Showing all " + markers.length + " " + noun + "." :
        shown ? "Showing " + shown + " of " + markers.length + " " + noun + "." :
        "No " + noun + " match these filters: choose Any in one of them, or Show all.";
      var query = new URLSearchParams();
      chosen.forEach(function (s) { query.set(s.dataset.ckFacet, s.value); });
      var search = query.toString();
      window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }
    var asked = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var wanted = asked.get(s.dataset.ckFacet);
      if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) { s.value = wanted; }
    });
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }
  // Glossary terms show their definition on hover (Material's tooltips). The first use of each
  // term on a page also takes keyboard focus, so the definition shows for keyboard users too,
  // without adding every repeat of a term to the tab order.
  function focusable_terms() {
    var seen = {};
    document.querySelectorAll(".md-content abbr[title]").forEach(function (term) {
      if (term.closest("a, button, summary")) { return; } // its link is the tab stop: one stop per link
      var key = term.textContent.toLowerCase();
      if (!seen[key] && !term.hasAttribute("tabindex")) { term.setAttribute("tabindex", "0"); }
      seen[key] = true;
    });
  }
  function setUp() {
    label_landmarks();
    focusable_terms();
    document.querySelectorAll("form.ck-filter").forEach(function (form) {
      if (!form.dataset.ckBound) { form.dataset.ckBound = "1"; filter(form); }
    });
    var done = load();
    document.querySelectorAll(".ck-done").forEach(function (el) {
      if (el.querySelector("input")) { return; }
      el.appendChild(checkbox(el.dataset.ckItem, done, " " + label(el)));
    });
    document.querySelectorAll(".ck-tick").forEach(function (el) {
      if (el.querySelector("input")) { return; }
      var link = el.nextElementSibling;
      var box = checkbox(el.dataset.ckItem, done, "");
      box.querySelector("input").setAttribute("aria-label", "Done: " + (link ? link.textContent : el.dataset.ckItem));
      el.appendChild(box);
    });
    var reset = document.querySelector(".ck-reset");
    if (reset && !reset.dataset.ckBound) {
      reset.dataset.ckBound = "1";
      reset.addEventListener("click", function () {
        save({});
        document.querySelectorAll(".ck-done input, .ck-tick input").forEach(function (box) { box.checked = false; });
        summarise();
      });
    }
    summarise();
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
