/* Role cards on paper: every sheet of a card names its role.
   A card fits one sheet (print.css), but a trainer's long brief may run on: each card gets a named
   page whose top margin box repeats the card's heading, so a continuation sheet is never unlabelled.
   CSS cannot take margin-box text from the page, so the rules are written here from each heading.
   Used by the site and by the printed handbooks (coursekit/pdf.py loads this file too). */
(function () {
  "use strict";
  var SHEET_ID = "ck-card-pages";

  function cssString(text) {
    return '"' + text.replace(/\s+/g, " ").trim().replace(/["\\]/g, "\\$&") + '"';
  }

  function headingText(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent;
  }

  function labelCards() {
    var old = document.getElementById(SHEET_ID);
    if (old) { old.remove(); }
    var cards = document.querySelectorAll(".md-typeset .ck-card");
    if (!cards.length) { return; }
    var rules = [];
    cards.forEach(function (card, index) {
      var heading = card.querySelector("h2");
      if (!heading) { return; }
      var name = "ck-card-" + (index + 1);
      card.style.page = name;
      rules.push("@page " + name + " { @top-left { content: " + cssString(headingText(heading)) +
        "; font: 600 9pt system-ui, sans-serif; } }");
    });
    // What comes before a page's first card (its title) shares the card's sheet, not a sheet of its own:
    // on the site that is the whole page; in a printed handbook, the part that holds the cards.
    cards.forEach(function (card) {
      var holder = card.closest(".ck-book-page") || document.body;
      if (holder.querySelector(".ck-card") === card) { holder.style.page = card.style.page; }
    });
    var style = document.createElement("style");
    style.id = SHEET_ID;
    style.media = "print";
    style.textContent = rules.join("\n");
    document.head.appendChild(style);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(labelCards);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelCards);
  } else {
    labelCards();
  }
})();
