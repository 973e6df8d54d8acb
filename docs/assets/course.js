/* The course's behaviour: progress kept only in this browser (localStorage), library filters,
   glossary terms for keyboards. Nothing is sent anywhere. Works with Material's instant
   navigation through document$; no inline script is needed (the pages' CSP forbids them). */
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------
  // Where progress is kept. Each course has its own record, keyed by the course's id (from its
  // site_url, given by <meta name="course-kit">), so two courses on one origin never share ticks.
  var FORMAT = "course-kit-progress";
  var VERSION = 1;
  var OLD_KEY = "course-kit-progress"; // before progress was keyed by course: {"module:x": true}
  var ITEM = /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/; // "exercise:draw-a-circle", as the pages name items
  var MAX_FILE = 1024 * 1024;
  var script = document.currentScript;
  var ROOT = new URL("../", script ? script.src : window.location.href); // this file is assets/course.js
  var meta = document.querySelector('meta[name="course-kit"]');
  var COURSE = meta && meta.content ? meta.content : ROOT.pathname;
  var KEY = FORMAT + ":" + COURSE;
  var UNDO_KEY = KEY + ":undo";
  // Which top-level folder holds which kind's pages ("weeks=module exercises=exercise ..."): a link
  // to weeks/ID/ is the page of item "module:ID".
  var FOLDERS = {};
  ((meta && meta.getAttribute("data-ck-pages")) || "").split(/\s+/).forEach(function (pair) {
    var parts = pair.split("=");
    if (parts.length === 2) { FOLDERS[parts[0]] = parts[1]; }
  });
  var memory = null; // when storage is off, ticks last as long as this page

  function empty() {
    return { format: FORMAT, version: VERSION, course: COURSE, items: {}, journal: {}, practice: [] };
  }
  function read(storage, key) {
    try { return JSON.parse(window[storage].getItem(key)); } catch (e) { return null; }
  }
  function write(storage, key, value) {
    try {
      if (value === null) { window[storage].removeItem(key); } else { window[storage].setItem(key, JSON.stringify(value)); }
      return true;
    } catch (e) { return false; }
  }
  function isRecord(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }
  function load() {
    if (memory) { return memory; }
    var record = read("localStorage", KEY);
    if (isRecord(record) && isRecord(record.items)) { return record; }
    return migrate();
  }
  // Ticks from the old, shared key come here once: this course's record, written even when empty,
  // marks the move as made. The old key stays, so another course on the origin can take its own.
  function migrate() {
    var record = empty();
    var old = read("localStorage", OLD_KEY);
    if (isRecord(old)) {
      Object.keys(old).forEach(function (key) {
        if (old[key] === true && ITEM.test(key)) { record.items[key] = { done: true }; }
      });
    }
    save(record);
    return record;
  }
  function save(record) {
    if (!write("localStorage", KEY, record)) { memory = record; }
  }
  function isDone(record, key) {
    return !!key && isRecord(record.items[key]) && record.items[key].done === true;
  }
  function ticks(record) {
    return Object.keys(record.items).filter(function (key) { return isDone(record, key); }).length;
  }
  function setDone(key, done) {
    var record = load();
    if (done) { record.items[key] = { done: true, at: new Date().toISOString() }; } else { delete record.items[key]; }
    save(record);
    refresh();
  }
  function plural(count, noun) {
    return count + " " + noun + (count === 1 ? "" : "s");
  }

  // The item whose page a link points to ("exercise:draw-a-circle"), or null.
  function itemOf(href) {
    var url;
    try { url = new URL(href, window.location.href); } catch (e) { return null; }
    if (url.origin !== ROOT.origin || url.pathname.indexOf(ROOT.pathname) !== 0) { return null; }
    var match = /^([^/]+)\/([^/]+)\/(?:index\.html)?$/.exec(url.pathname.slice(ROOT.pathname.length));
    return match && FOLDERS[match[1]] ? FOLDERS[match[1]] + ":" + match[2] : null;
  }
  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  // A link's words, without the ✓ this script may have added.
  function words(a) {
    var copy = a.cloneNode(true);
    all(".ck-mark", copy).forEach(function (mark) { mark.remove(); });
    return copy.textContent.trim();
  }
  function link(href, text) {
    var a = element("a", "", text);
    a.href = href;
    return a;
  }

  // ------------------------------------------------------------------------------------------
  // Ticks: a checkbox in each .ck-done (with its words) and .ck-tick (named by the link after it).
  function label(el) {
    return "Mark this " + (el.dataset.ckNoun || "item") + " as done";
  }
  function checkbox(item, text) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.ckItem = item;
    var wrap = document.createElement("label");
    wrap.appendChild(box);
    if (text) { wrap.appendChild(document.createTextNode(text)); }
    box.addEventListener("change", function () { setDone(item, box.checked); });
    return wrap;
  }
  function addTicks() {
    all(".ck-done").forEach(function (el) {
      if (!el.querySelector("input")) { el.appendChild(checkbox(el.dataset.ckItem, " " + label(el))); }
    });
    all(".ck-tick").forEach(function (el) {
      if (el.querySelector("input")) { return; }
      var named = el.nextElementSibling;
      var wrap = checkbox(el.dataset.ckItem, "");
      wrap.querySelector("input").setAttribute("aria-label", "Done: " + (named ? words(named) : el.dataset.ckItem));
      el.appendChild(wrap);
    });
  }

  // A ✓ after every link to a done page: in the navigation, the week's tables, the libraries and
  // lists; links that have a tick of their own beside them are left alone.
  function markLinks(record) {
    all(".ck-mark").forEach(function (mark) { mark.remove(); });
    all(".md-sidebar--primary a.md-nav__link, article td a, article li a").forEach(function (a) {
      var before = a.previousElementSibling;
      if (before && before.classList.contains("ck-tick")) { return; }
      if (!isDone(record, itemOf(a.getAttribute("href")))) { return; }
      var mark = element("span", "ck-mark", "✓");
      mark.setAttribute("role", "img");
      mark.setAttribute("aria-label", "done");
      a.appendChild(mark);
    });
  }

  // "Next up" in a module's "This week": the first item not done, else what follows the week.
  function nextUp(record) {
    all(".ck-week").forEach(function (week) {
      var next = week.querySelector(".ck-next");
      if (!next) { return; }
      var todo = all(".ck-tick", week).filter(function (tick) { return !isDone(record, tick.dataset.ckItem); })[0];
      var target = todo ? todo.nextElementSibling : week.querySelector(".ck-after a");
      next.textContent = "";
      next.appendChild(element("strong", "", "Next up:"));
      next.appendChild(document.createTextNode(" "));
      if (target) {
        next.appendChild(link(target.getAttribute("href"), words(target)));
      } else {
        next.appendChild(document.createTextNode("nothing: you have done everything this week."));
      }
    });
  }

  // The progress page: the whole count and each week's.
  function summarise(record) {
    var summary = document.querySelector(".ck-progress-summary");
    if (summary) {
      var items = {};
      all(".ck-tick").forEach(function (el) { items[el.dataset.ckItem] = true; });
      var total = Object.keys(items).length;
      var count = Object.keys(items).filter(function (key) { return isDone(record, key); }).length;
      summary.textContent = count + " of " + total + " done (" + (total ? Math.round(100 * count / total) : 0) + "%)";
    }
    all(".ck-count[data-ck-week]").forEach(function (el) {
      var week = all('.ck-tick[data-ck-week="' + el.dataset.ckWeek + '"]');
      var done = week.filter(function (tick) { return isDone(record, tick.dataset.ckItem); }).length;
      el.textContent = done + " of " + week.length + " done";
      el.classList.toggle("ck-count--complete", week.length > 0 && done === week.length);
    });
  }

  // The home page: where the student left off, and the first week with something not done.
  function visit(record) {
    var here = itemOf(window.location.href);
    var heading = document.querySelector("article h1");
    if (!here || !heading) { return; }
    var title = Array.prototype.map.call(heading.childNodes, function (node) {
      return node.classList && node.classList.contains("headerlink") ? "" : node.textContent;
    }).join("").trim();
    var path = window.location.pathname.slice(ROOT.pathname.length).replace(/index\.html$/, "");
    if (record.visited && record.visited.path === path) { return; }
    record.visited = { path: path, title: title.slice(0, 200), at: new Date().toISOString() };
    save(record);
  }
  function continueBox(record) {
    var box = document.querySelector(".ck-continue");
    if (!box) { return; }
    box.textContent = "";
    var visited = isRecord(record.visited) && typeof record.visited.path === "string" ? record.visited : null;
    var back = visited && itemOf(new URL(visited.path, ROOT).href);
    if (back && !isDone(record, back)) {
      var line = element("p");
      line.appendChild(element("strong", "", "Continue where you left off:"));
      line.appendChild(document.createTextNode(" "));
      line.appendChild(link(new URL(visited.path, ROOT).href, String(visited.title || visited.path)));
      box.appendChild(line);
    }
    if (visited || ticks(record)) {
      var weeks = all(".ck-week-items");
      var open = weeks.filter(function (el) {
        return el.dataset.ckItems.split(" ").some(function (key) { return !isDone(record, key); });
      })[0];
      var next = element("p");
      if (open) {
        var keys = open.dataset.ckItems.split(" ");
        var done = keys.filter(function (key) { return isDone(record, key); }).length;
        next.appendChild(element("strong", "", "First not done:"));
        next.appendChild(document.createTextNode(" "));
        next.appendChild(link(open.nextElementSibling.getAttribute("href"), words(open.nextElementSibling)));
        next.appendChild(document.createTextNode(" (" + done + " of " + keys.length + " done)"));
      } else if (weeks.length) {
        next.textContent = "You have done everything in the course.";
      }
      if (next.childNodes.length) { box.appendChild(next); }
    }
    box.hidden = !box.childNodes.length;
  }

  // Every view of progress on the page, from what is stored now.
  function refresh() {
    var record = load();
    all(".ck-done input, .ck-tick input").forEach(function (box) { box.checked = isDone(record, box.dataset.ckItem); });
    markLinks(record);
    nextUp(record);
    summarise(record);
    continueBox(record);
    showUndo();
  }

  // ------------------------------------------------------------------------------------------
  // Keeping progress safe: export, import, clear, undo (progress page).

  // A modal question with named answers; resolves to the chosen answer's value, or "" (Escape, Cancel).
  function ask(title, text, choices) {
    return new Promise(function (resolve) {
      var opener = document.activeElement;
      var dialog = element("dialog", "ck-dialog");
      var heading = element("h2", "", title);
      heading.id = "ck-dialog-title";
      var body = element("p", "", text);
      body.id = "ck-dialog-text";
      dialog.setAttribute("aria-labelledby", heading.id);
      dialog.setAttribute("aria-describedby", body.id);
      var actions = element("div", "ck-dialog-actions");
      var first = null;
      choices.forEach(function (choice) {
        var button = element("button", "md-button" + (choice.primary ? " md-button--primary" : ""), choice.label);
        button.type = "button";
        button.addEventListener("click", function () { dialog.close(choice.value); });
        actions.appendChild(button);
        if (choice.focus) { first = button; }
      });
      dialog.appendChild(heading);
      dialog.appendChild(body);
      dialog.appendChild(actions);
      dialog.addEventListener("close", function () {
        var answer = dialog.returnValue;
        dialog.remove();
        if (opener && opener.focus) { opener.focus(); }
        resolve(answer);
      });
      (document.querySelector("article") || document.body).appendChild(dialog);
      dialog.returnValue = "";
      dialog.showModal();
      if (first) { first.focus(); }
    });
  }
  function say(text, problem) {
    var status = document.querySelector(".ck-progress-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("ck-problem", !!problem);
  }
  // Before a change that loses ticks, keep the record for this tab's session, for Undo.
  function keepForUndo(record) {
    write("sessionStorage", UNDO_KEY, record);
  }
  function showUndo() {
    var undo = document.querySelector(".ck-undo");
    if (undo) { undo.hidden = !isRecord(read("sessionStorage", UNDO_KEY)); }
  }

  function exportFile() {
    var record = load();
    var now = new Date();
    var file = {
      format: FORMAT,
      version: VERSION,
      course: COURSE,
      exported: now.toISOString(),
      items: record.items,
      journal: isRecord(record.journal) ? record.journal : {},
      practice: Array.isArray(record.practice) ? record.practice : []
    };
    if (record.visited) { file.visited = record.visited; }
    var name = "progress-" + COURSE.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") + "-" + now.toISOString().slice(0, 10) + ".json";
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var a = link(URL.createObjectURL(blob), name);
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    say("Exported " + plural(ticks(record), "tick") + " to " + name + ". Keep it safe, or import it on another device.");
  }

  // A progress file read and checked: {record, exported} or {problem}.
  function parse(text) {
    var data;
    var again = " Nothing was imported.";
    try { data = JSON.parse(text); } catch (e) {
      return { problem: "That file is not a progress file (it is not JSON): choose a file made by Export my progress." + again };
    }
    if (!isRecord(data) || data.format !== FORMAT) {
      return { problem: "That file is not a course-kit progress file: choose a file made by Export my progress." + again };
    }
    if (data.version !== VERSION) {
      return { problem: "That file is in format version " + String(data.version).slice(0, 20) + ", and this site reads version " + VERSION + ": export it again from a site built with this version of the course kit." + again };
    }
    if (data.course !== COURSE) {
      return { problem: "That file holds progress for another course (" + String(data.course).slice(0, 80) + "), not this one (" + COURSE + ")." + again };
    }
    if (!isRecord(data.items)) {
      return { problem: "That file is damaged: it has no list of ticks." + again };
    }
    var bad = Object.keys(data.items).filter(function (key) {
      var item = data.items[key];
      return !ITEM.test(key) || !isRecord(item) || item.done !== true || (item.at !== undefined && typeof item.at !== "string");
    })[0];
    if (bad !== undefined) {
      return { problem: "That file is damaged: its entry " + JSON.stringify(bad.slice(0, 80)) + " is not a tick." + again };
    }
    if ((data.journal !== undefined && !isRecord(data.journal)) || (data.practice !== undefined && !Array.isArray(data.practice))) {
      return { problem: "That file is damaged: its journal or practice log is not in the right shape." + again };
    }
    var record = empty();
    record.items = data.items;
    record.journal = data.journal || {};
    record.practice = data.practice || [];
    var visited = data.visited;
    if (isRecord(visited) && typeof visited.path === "string" && itemOf(new URL(visited.path, ROOT).href)) {
      record.visited = { path: visited.path, title: String(visited.title || "").slice(0, 200), at: String(visited.at || "") };
    }
    return { record: record, exported: typeof data.exported === "string" ? data.exported.slice(0, 10) : "" };
  }
  function merge(mine, theirs) {
    var record = empty();
    record.items = Object.assign({}, theirs.items, mine.items);
    record.journal = Object.assign({}, theirs.journal, mine.journal);
    var seen = {};
    record.practice = (mine.practice || []).concat(theirs.practice).filter(function (entry) {
      var key = JSON.stringify(entry);
      return seen[key] ? false : (seen[key] = true);
    });
    record.visited = mine.visited || theirs.visited;
    return record;
  }
  function importFile(file) {
    if (file.size > MAX_FILE) {
      say("That file is too large to be a progress file (over 1 MB). Nothing was imported.", true);
      return;
    }
    file.text().then(function (text) {
      var result = parse(text);
      if (result.problem) { say(result.problem, true); return; }
      var mine = load();
      var theirs = result.record;
      var from = plural(ticks(theirs), "tick") + (result.exported ? ", exported on " + result.exported : "");
      var answer = ticks(mine) ? ask(
        "Import progress from " + file.name + "?",
        "The file holds " + from + ". You have " + plural(ticks(mine), "tick") + " here. Merge keeps yours and adds the file's; Replace makes your ticks exactly the file's. You can undo either until you close this tab.",
        [
          { value: "merge", label: "Merge", primary: true, focus: true },
          { value: "replace", label: "Replace" },
          { value: "", label: "Cancel" }
        ]
      ) : Promise.resolve("replace");
      answer.then(function (choice) {
        if (!choice) { say("Nothing was imported."); return; }
        keepForUndo(mine);
        save(choice === "merge" ? merge(mine, theirs) : theirs);
        refresh();
        say("Imported " + from + (choice === "merge" ? ", merged with yours" : "") + ": you now have " + plural(ticks(load()), "tick") + ".");
      });
    }, function () {
      say("That file could not be read. Nothing was imported.", true);
    });
  }
  function clearProgress() {
    var record = load();
    var count = ticks(record);
    if (!count) { say("There is nothing to clear: you have no ticks yet."); return; }
    ask(
      "Clear your progress?",
      "This removes " + (count === 1 ? "your 1 tick" : "all " + plural(count, "tick")) + " for this course from this browser. You can undo it until you close this tab; to keep a copy for later, export your progress first.",
      [
        { value: "clear", label: "Clear my progress" },
        { value: "", label: "Cancel", primary: true, focus: true }
      ]
    ).then(function (choice) {
      if (choice !== "clear") { say("Nothing was cleared."); return; }
      keepForUndo(record);
      save(empty());
      refresh();
      say("Your progress is cleared. Choose Undo to bring back " + plural(count, "tick") + ".");
    });
  }
  function undo() {
    var record = read("sessionStorage", UNDO_KEY);
    if (!isRecord(record) || !isRecord(record.items)) { return; }
    save(record);
    write("sessionStorage", UNDO_KEY, null);
    refresh();
    say("Undone: you have " + plural(ticks(record), "tick") + " again.");
    var reset = document.querySelector(".ck-reset");
    if (reset) { reset.focus(); } // the Undo button has gone; keep the keyboard on the tools
  }
  function progressTools() {
    var tools = document.querySelector(".ck-progress-tools");
    if (!tools || tools.dataset.ckBound) { return; }
    tools.dataset.ckBound = "1";
    var file = tools.querySelector(".ck-import-file");
    tools.querySelector(".ck-export").addEventListener("click", exportFile);
    tools.querySelector(".ck-import").addEventListener("click", function () { file.value = ""; file.click(); });
    file.addEventListener("change", function () { if (file.files && file.files[0]) { importFile(file.files[0]); } });
    tools.querySelector(".ck-reset").addEventListener("click", clearProgress);
    tools.querySelector(".ck-undo").addEventListener("click", undo);
    tools.hidden = false;
  }

  // ------------------------------------------------------------------------------------------
  // The rest of the page.
  function labelLandmarks() {
    // Material's search overlay is a dialog without a name; screen readers need one (axe: aria-dialog-name).
    var search = document.querySelector('.md-search[role="dialog"]');
    if (search && !search.getAttribute("aria-label")) { search.setAttribute("aria-label", "Search the course"); }
    // Wide tables: a11y.js makes each one that scrolls sideways focusable, names it and shows a cue.
  }
  // Library filters: each <select> narrows the table to rows whose .ck-facets marker carries
  // the chosen value; the choice is kept in the address (?area=Grief) so a view can be shared.
  function filter(form) {
    var markers = all(".ck-facets");
    var selects = all("select", form);
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
  // term on a page outside a link also takes keyboard focus, so the definition shows for keyboard
  // users too, without adding every repeat of a term, or a second stop inside a link, to the tab order.
  function focusableTerms() {
    var seen = {};
    all(".md-content abbr[title]").forEach(function (term) {
      if (term.closest("a, button, summary")) { return; } // its link is the tab stop: one stop per link
      var key = term.textContent.toLowerCase();
      if (!seen[key] && !term.hasAttribute("tabindex")) { term.setAttribute("tabindex", "0"); }
      seen[key] = true;
    });
  }
  function setUp() {
    labelLandmarks();
    focusableTerms();
    all("form.ck-filter").forEach(function (form) {
      if (!form.dataset.ckBound) { form.dataset.ckBound = "1"; filter(form); }
    });
    addTicks();
    progressTools();
    visit(load());
    refresh();
  }
  // Ticks made in another tab show here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { memory = null; refresh(); }
  });
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
