/* "Choose your role" on a role-play's cards page: on screen no card shows until a player chooses a
   role, then only that card, with a way to choose again. Printed, every card comes out (the screen
   rule in course.css does not apply to print). Nothing is stored or sent: a reload starts again. */
(function () {
  "use strict";

  function setUp() {
    var chooser = document.querySelector(".ck-choose[data-ck-cards]");
    if (!chooser || chooser.dataset.ckBound) { return; }
    chooser.dataset.ckBound = "1";
    var again = document.querySelector(".ck-chosen-bar");
    var cards = Array.prototype.slice.call(document.querySelectorAll("section.ck-card[data-ck-card]"));

    function show(number) {
      var chosen = null;
      cards.forEach(function (card) {
        var match = card.getAttribute("data-ck-card") === number;
        card.classList.toggle("ck-chosen", match);
        if (match) { chosen = card; }
      });
      chooser.hidden = chosen !== null;
      if (again) { again.hidden = chosen === null; }
      // Focus follows the choice, so a keyboard or screen reader user lands on what just appeared.
      var target = chosen ? chosen.querySelector("h2") : chooser.querySelector("h2");
      if (target) {
        if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        target.focus();
      }
    }

    chooser.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-ck-card]");
      if (button) { show(button.getAttribute("data-ck-card")); }
    });
    if (again) {
      again.addEventListener("click", function (event) {
        if (event.target.closest("[data-ck-choose-again]")) { show(null); }
      });
    }
    chooser.hidden = false;
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
