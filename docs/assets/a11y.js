/* Accessibility and offline reading, beside Material's own behaviour; nothing is sent anywhere.
   - Glossary tooltips: Escape dismisses the open one without moving focus (WCAG 1.4.13), and one that
     would run off the bottom of the screen opens above its term.
   - Wide tables and code: a table wider than the screen scrolls in a frame that the keyboard can reach,
     with a unique name and a visible cue (WCAG 1.4.10, 2.1.1); a wide code block is reachable too.
   - The navigation drawer (phones, 200% zoom): its menu icon is a button, its sections' titles are tab
     stops, Escape closes it, and focus never waits behind it (WCAG 2.1.1, 2.4.3, 2.4.11).
   - Offline reading: registers the site's service worker (sw.js at the site root), asks it to keep the
     page just read and its files, and then says so in the footer.
   Works with Material's instant navigation through document$. */
(function () {
  "use strict";

  // ---- Glossary tooltips -------------------------------------------------------------------
  // Material shows a tooltip (.md-tooltip2, appended to <body>) while its term is hovered or focused,
  // always below the term, and only hides it when the term is left.
  function placeTooltip(tip) {
    var host = document.querySelector('[aria-describedby="' + tip.id + '"]');
    var inner = tip.querySelector(".md-tooltip2__inner");
    if (!host || !inner) { return; }
    var term = host.getBoundingClientRect();
    var height = inner.offsetHeight;
    var below = window.innerHeight - term.bottom;
    var above = term.top - headerHeight();
    var flip = height + 16 > below && above > below;
    tip.style.setProperty("--ck-tooltip-height", height + "px");
    if (tip.classList.contains("ck-tooltip-above") !== flip) { tip.classList.toggle("ck-tooltip-above", flip); }
  }
  function headerHeight() {
    var header = document.querySelector(".md-header");
    return header ? header.getBoundingClientRect().bottom : 0;
  }
  function watchTooltips() {
    var observer = new MutationObserver(function (records) {
      records.forEach(function (record) {
        var tip = record.target;
        if (!tip.classList || !tip.classList.contains("md-tooltip2")) { return; }
        if (tip.classList.contains("md-tooltip2--active")) {
          window.requestAnimationFrame(function () { placeTooltip(tip); });
        } else if (tip.classList.contains("ck-tooltip-dismissed")) {
          // The term was left: the next hover or focus shows the tooltip again. (Only when the class is
          // there: classList.remove always rewrites the attribute, which would wake this observer again.)
          tip.classList.remove("ck-tooltip-dismissed");
        }
      });
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["class"], subtree: true });
    // The page may scroll while a term keeps focus: place its tooltip again, once a frame at most.
    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued) { return; }
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        document.querySelectorAll(".md-tooltip2--active").forEach(placeTooltip);
      });
    }, { passive: true });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      document.querySelectorAll(".md-tooltip2--active").forEach(function (tip) {
        tip.classList.add("ck-tooltip-dismissed");
      });
    });
    // Coming back to a term (focus or pointer) shows its tooltip again, even before Material noticed
    // that it was left.
    function revisit(event) {
      var host = event.target.closest && event.target.closest("[aria-describedby]");
      var tip = host && document.getElementById(host.getAttribute("aria-describedby"));
      if (tip && tip.classList.contains("ck-tooltip-dismissed")) { tip.classList.remove("ck-tooltip-dismissed"); }
    }
    document.addEventListener("focusin", revisit);
    document.addEventListener("pointerover", revisit);
  }

  // ---- Wide tables -------------------------------------------------------------------------
  var HINT = "This table is wider than the screen: scroll it sideways to see every column.";

  function tableName(wrap, used) {
    var caption = wrap.querySelector("caption");
    var name = caption ? caption.textContent.trim() : "";
    if (!name) {
      // The nearest heading before the table, without its permalink sign.
      var headings = Array.prototype.filter.call(
        document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4"),
        function (h) { return h.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING; }
      );
      var heading = headings[headings.length - 1];
      name = heading ? heading.childNodes[0].textContent.trim() + " table" : "Table";
    }
    used[name] = (used[name] || 0) + 1;
    return (used[name] > 1 ? name + " " + used[name] : name) + ", scrolls sideways";
  }
  function frameTables() {
    var used = {};
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.clientWidth > 0 && wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains("ck-scroll-hint")) { hint = null; }
      wrap.classList.toggle("ck-scrolls", scrolls);
      if (scrolls) {
        if (!hint) {
          hint = document.createElement("p");
          hint.className = "ck-scroll-hint";
          hint.setAttribute("aria-hidden", "true"); // the frame's name says the same to screen readers
          hint.textContent = HINT;
          wrap.parentNode.insertBefore(hint, wrap);
        }
        hint.hidden = false;
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableName(wrap, used));
      } else {
        if (hint) { hint.hidden = true; }
        if (wrap.getAttribute("role") === "region") {
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      }
    });
  }
  // A code block wider than the screen scrolls too: the keyboard must reach it (Material does the same,
  // a little later; axe may look before then).
  function frameCode() {
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      if (code.scrollWidth > code.clientWidth + 1 && !code.hasAttribute("tabindex")) { code.setAttribute("tabindex", "0"); }
    });
  }
  var resizing = 0;
  function reframeSoon() {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { frameTables(); frameCode(); }, 150);
  }

  // ---- The navigation drawer -------------------------------------------------------------
  // On a phone or at 200% zoom the site's navigation is a drawer, opened by Material's menu icon: a
  // <label> for a hidden checkbox, which the keyboard cannot reach. A real button takes its place (Enter
  // or Space opens and closes the drawer, Escape closes it and returns to the button), saying whether
  // the drawer is open; without JavaScript the label stays.
  function shown(element) {
    return element.getClientRects().length > 0 && window.getComputedStyle(element).visibility === "visible";
  }
  function drawerButton() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    if (!toggle || !label || document.querySelector(".ck-drawer-button")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " ck-drawer-button";
    button.setAttribute("aria-label", "Navigation");
    button.setAttribute("aria-controls", "__drawer");
    button.innerHTML = label.innerHTML; // Material's menu icon (its own markup)
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    function set(open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function expanded() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    expanded();
    toggle.addEventListener("change", expanded);
    function drawer() { return document.querySelector(".md-sidebar--primary"); }
    button.addEventListener("click", function (event) {
      set(!toggle.checked);
      // Opened from the keyboard, the drawer takes focus, as it covers the page.
      if (toggle.checked && event.detail === 0) {
        var stops = drawer() ? drawer().querySelectorAll("a[href], label[tabindex]") : [];
        var first = Array.prototype.filter.call(stops, shown)[0];
        if (first) { first.focus(); }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked) { return; }
      set(false);
      button.focus();
    });
    // Focus leaving the open drawer closes it, so no stop hides behind it (WCAG 2.4.11).
    document.addEventListener("focusin", function (event) {
      if (toggle.checked && drawer() && !drawer().contains(event.target) && event.target !== button) { set(false); }
    });
  }

  // In the drawer each section slides over the level above it (course.css takes the covered level out
  // of reach). Material's "back" titles and the page's table-of-contents entry are labels the keyboard
  // cannot reach: make them tab stops too; and when opening or closing a section hides the focused
  // entry, focus moves to the section's title, or back to the entry that opened it.
  var DRAWER = window.matchMedia("(max-width: 76.234375em)"); // Material's breakpoint for the drawer
  function drawerLabels() {
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!sidebar) { return; }
    sidebar.querySelectorAll('label.md-nav__title[for]:not([for="__drawer"]), label.md-nav__link[for="__toc"]').forEach(function (label) {
      if (DRAWER.matches) { label.setAttribute("tabindex", "0"); } else { label.removeAttribute("tabindex"); }
    });
  }
  function drawerSections() {
    drawerLabels();
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!sidebar || sidebar.dataset.ckSections) { return; }
    sidebar.dataset.ckSections = "1";
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === " " && event.target.matches("label[tabindex]")) { event.preventDefault(); event.target.click(); }
    });
    sidebar.addEventListener("change", function (event) {
      var toggle = event.target;
      var focused = document.activeElement;
      if (!toggle.matches(".md-nav__toggle") || !focused || !sidebar.contains(focused) || shown(focused)) { return; }
      var next = toggle.checked
        ? toggle.parentElement.querySelector(":scope > .md-nav > .md-nav__title")
        : sidebar.querySelector('label.md-nav__link[for="' + toggle.id + '"]');
      if (next && shown(next)) { next.focus(); }
    });
  }

  // ---- Offline reading ---------------------------------------------------------------------
  // The worker lives at the site root so that its scope is the whole site, and no wider.
  function siteRoot() {
    if (window.__md_scope) { return new URL(window.__md_scope); }
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }
  var worker = null;
  function offlineReading() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext || !/^https?:$/.test(window.location.protocol)) {
      return;
    }
    var root = siteRoot();
    worker = navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .then(function () { return navigator.serviceWorker.ready; })
      .catch(function () { return null; }); // storage off, or a private window that refuses: pages still load
  }
  function keepThisPage() {
    if (!worker) { return; }
    worker.then(function (registration) {
      if (!registration || !registration.active) { return; }
      var origin = window.location.origin;
      var files = performance.getEntriesByType("resource").map(function (entry) { return entry.name; });
      var urls = [window.location.href].concat(files).filter(function (url) { return url.indexOf(origin + "/") === 0; });
      registration.active.postMessage({ type: "keep", urls: urls });
      document.querySelectorAll(".ck-offline-note").forEach(function (note) { note.hidden = false; });
    });
  }

  // ---- Wiring ------------------------------------------------------------------------------
  function setUp() {
    drawerSections();
    frameTables();
    frameCode();
    keepThisPage();
  }
  watchTooltips();
  drawerButton();
  DRAWER.addEventListener("change", drawerLabels);
  window.addEventListener("resize", reframeSoon);
  document.addEventListener("toggle", reframeSoon, true); // a table inside <details> that was just opened
  offlineReading();
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
