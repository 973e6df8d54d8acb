/* The course's behaviour: the learner record kept only in this browser (localStorage: ticks, and the
   quiz scores, journal, practice log, observer ratings and self-ratings that record.js adds), its
   export (optionally encrypted with a passphrase), import, clear and undo; library filters, glossary
   terms for keyboards. Nothing is sent anywhere. Works with Material's instant navigation through
   document$; no inline script is needed (the pages' CSP forbids them). record.js uses this file's
   store through window.courseKit, so there is one record, one export and one import. */
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------
  // Where progress is kept. Each course has its own record, keyed by the course's id (from its
  // site_url, given by <meta name="course-kit">), so two courses on one origin never share ticks.
  var FORMAT = "course-kit-progress";
  var VERSION = 2; // 2 adds quizzes, ratings and self_ratings, and fills journal and practice; 1 still imports
  var OLD_KEY = "course-kit-progress"; // before progress was keyed by course: {"module:x": true}
  var ITEM = /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/; // "exercise:draw-a-circle", as the pages name items
  var MAX_FILE = 4 * 1024 * 1024;
  var ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
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
    return {
      format: FORMAT, version: VERSION, course: COURSE,
      items: {}, quizzes: {}, journal: {}, practice: [], ratings: [], self_ratings: {}
    };
  }
  // A stored record with every part present (a version 1 record has no quizzes, ratings or self_ratings).
  function complete(record) {
    var whole = empty();
    Object.keys(record).forEach(function (key) { whole[key] = record[key]; });
    ["quizzes", "journal", "self_ratings"].forEach(function (key) { if (!isRecord(whole[key])) { whole[key] = {}; } });
    ["practice", "ratings"].forEach(function (key) { if (!Array.isArray(whole[key])) { whole[key] = []; } });
    whole.version = VERSION;
    return whole;
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
    if (isRecord(record) && isRecord(record.items)) { return complete(record); }
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
    listeners.forEach(function (listener) { listener(record); });
  }
  var listeners = []; // record.js's views, redrawn whenever the record changes

  // ------------------------------------------------------------------------------------------
  // Keeping progress safe: export, import, clear, undo (progress page).

  // A modal question with named answers; resolves to the chosen answer's value, or "" (Escape, Cancel).
  // With a field ({label, type}), the dialog also asks for a line of text, left in field.value; Enter
  // in it chooses the first answer.
  function ask(title, text, choices, field) {
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
      var input = null;
      if (field) {
        var row = element("label", "ck-dialog-field", field.label + " ");
        input = element("input");
        input.type = field.type || "text";
        input.autocomplete = "off";
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); dialog.close(choices[0].value); }
        });
        row.appendChild(input);
        dialog.appendChild(row);
        first = input;
      }
      dialog.appendChild(actions);
      dialog.addEventListener("close", function () {
        var answer = dialog.returnValue;
        if (field) { field.value = input.value; }
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

  // What a record holds, in words: "3 ticks, 1 journal entry and 2 practice log entries".
  function contents(record) {
    var parts = [
      [ticks(record), "tick"],
      [Object.keys(record.quizzes || {}).length, "quiz score"],
      [Object.keys(record.journal || {}).length, "journal entry", "journal entries"],
      [(record.practice || []).length, "practice log entry", "practice log entries"],
      [(record.ratings || []).length, "observer rating"],
      [Object.keys(record.self_ratings || {}).length, "self-rating"]
    ];
    var named = parts.filter(function (part, index) { return index === 0 || part[0] > 0; }).map(function (part) {
      return part[0] + " " + (part[0] === 1 ? part[1] : (part[2] || part[1] + "s"));
    });
    return named.length > 1 ? named.slice(0, -1).join(", ") + " and " + named[named.length - 1] : named[0];
  }
  function size(record) {
    return ticks(record) + Object.keys(record.quizzes).length + Object.keys(record.journal).length +
      record.practice.length + record.ratings.length + Object.keys(record.self_ratings).length;
  }

  // ------------------------------------------------------------------------------------------
  // Encryption with a passphrase (WebCrypto, in this browser): PBKDF2-SHA256 derives an AES-GCM key
  // from the passphrase and a random salt; the random IV, the salt and the ciphertext go into the file
  // as base64, beside the course's id, so a file for another course is refused before anything is asked.
  var ITERATIONS = 600000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256; imports accept 310,000 and up
  var MAX_ITERATIONS = 5000000; // a file cannot make this tab spin for minutes
  function toBase64(bytes) {
    var text = "";
    new Uint8Array(bytes).forEach(function (byte) { text += String.fromCharCode(byte); });
    return window.btoa(text);
  }
  function fromBase64(text) {
    var raw = window.atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function deriveKey(passphrase, salt, iterations) {
    var subtle = window.crypto.subtle;
    return subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return subtle.deriveKey(
        { name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iterations },
        base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]
      );
    });
  }
  function encrypt(text, passphrase) {
    var salt = window.crypto.getRandomValues(new Uint8Array(16));
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    return deriveKey(passphrase, salt, ITERATIONS).then(function (key) {
      return window.crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, new TextEncoder().encode(text));
    }).then(function (sealed) {
      return { cipher: "AES-GCM", kdf: "PBKDF2-SHA256", iterations: ITERATIONS, salt: toBase64(salt), iv: toBase64(iv), data: toBase64(sealed) };
    });
  }
  // The plain text of an encrypted file, or a rejection when the passphrase does not open it.
  function decrypt(sealed, passphrase) {
    return deriveKey(passphrase, fromBase64(sealed.salt), sealed.iterations).then(function (key) {
      return window.crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data));
    }).then(function (plain) { return new TextDecoder().decode(plain); });
  }
  function isSealed(sealed) {
    var b64 = /^[A-Za-z0-9+/]+={0,2}$/;
    return isRecord(sealed) && sealed.cipher === "AES-GCM" && sealed.kdf === "PBKDF2-SHA256" &&
      Number.isInteger(sealed.iterations) && sealed.iterations >= 310000 && sealed.iterations <= MAX_ITERATIONS &&
      typeof sealed.salt === "string" && b64.test(sealed.salt) && sealed.salt.length <= 64 &&
      typeof sealed.iv === "string" && b64.test(sealed.iv) && sealed.iv.length === 16 &&
      typeof sealed.data === "string" && b64.test(sealed.data);
  }

  function download(name, type, text) {
    var blob = new Blob([text], { type: type });
    var a = link(URL.createObjectURL(blob), name);
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }
  function fileName(prefix, extension) {
    return prefix + "-" + COURSE.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") + "-" + new Date().toISOString().slice(0, 10) + "." + extension;
  }
  function exportFile() {
    var record = load();
    var file = {
      format: FORMAT,
      version: VERSION,
      course: COURSE,
      exported: new Date().toISOString()
    };
    ["items", "quizzes", "journal", "practice", "ratings", "self_ratings"].forEach(function (key) { file[key] = record[key]; });
    if (record.visited) { file.visited = record.visited; }
    var name = fileName("progress", "json");
    var box = document.querySelector(".ck-export-passphrase");
    var passphrase = box ? box.value : "";
    var sealed = passphrase ? encrypt(JSON.stringify(file), passphrase).then(function (encrypted) {
      return { format: FORMAT, version: VERSION, course: COURSE, exported: file.exported, encrypted: encrypted };
    }) : Promise.resolve(file);
    sealed.then(function (out) {
      download(name, "application/json", JSON.stringify(out, null, 2) + "\n");
      say("Exported " + contents(record) + " to " + name + (passphrase ? ", encrypted with your passphrase" : "") + ". Keep it safe, or import it on another device.");
    }, function () {
      say("This browser could not encrypt the file (it needs a secure page: https or this computer). Nothing was exported.", true);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Checking what a file holds: every part of a record has a fixed shape and bounded sizes, and its
  // text stays text (record.js inserts it with textContent, never as HTML).
  function text(value, most) {
    return typeof value === "string" && value.length <= most;
  }
  function count(value, least, most) {
    return Number.isInteger(value) && value >= least && value <= most;
  }
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var ROLES = ["coach", "client", "observer"];
  var CHECKS = {
    quiz: function (key, entry) {
      if (!ID.test(key) || !isRecord(entry) || !count(entry.total, 1, 200) || !count(entry.score, 0, entry.total)) { return false; }
      if (!text(entry.when, 40) || (entry.title !== undefined && !text(entry.title, 300))) { return false; }
      if (entry.version !== undefined && !(typeof entry.version === "string" && /^[0-9a-f]{1,64}$/.test(entry.version))) { return false; }
      var answers = entry.answers === undefined ? {} : entry.answers;
      return isRecord(answers) && Object.keys(answers).length <= 200 && Object.keys(answers).every(function (question) {
        var chosen = answers[question];
        return /^\d{1,3}$/.test(question) && Array.isArray(chosen) && chosen.length <= 6 &&
          chosen.every(function (option) { return count(option, 1, 6); });
      });
    },
    journal: function (key, entry) {
      return /^exercise:[a-z0-9][a-z0-9-]{0,99}:\d{1,2}$/.test(key) && isRecord(entry) && text(entry.text, 20000) &&
        text(entry.when, 40) && (entry.portfolio === undefined || typeof entry.portfolio === "boolean");
    },
    practice: function (entry) {
      return isRecord(entry) && text(entry.id, 40) && typeof entry.date === "string" && DATE.test(entry.date) &&
        typeof entry.item === "string" && ITEM.test(entry.item) && entry.item.length <= 120 && ROLES.indexOf(entry.role) !== -1 &&
        count(entry.minutes, 0, 1440) && text(entry.feedback, 5000) && text(entry.initials, 40);
    },
    rating: function (entry) {
      return isRecord(entry) && text(entry.id, 40) && typeof entry.roleplay === "string" && ID.test(entry.roleplay) &&
        typeof entry.date === "string" && DATE.test(entry.date) && Array.isArray(entry.scores) &&
        entry.scores.length >= 1 && entry.scores.length <= 50 &&
        entry.scores.every(function (score) { return score === null || count(score, 0, 2); }) &&
        text(entry.comment, 5000) && text(entry.coach, 80) && text(entry.observer, 80) && text(entry.imported, 40) &&
        (entry.items === undefined || (Array.isArray(entry.items) && entry.items.length <= 50 &&
          entry.items.every(function (item) { return text(item, 500); })));
    },
    self: function (key, value) {
      return ID.test(key) && count(value, 1, 5);
    }
  };
  var LIMITS = { quizzes: 500, journal: 2000, practice: 5000, ratings: 1000, self_ratings: 100 };
  // The name of the first part of data that is not in its right shape, or "".
  function misshapen(data) {
    var parts = [
      ["quizzes", "quiz scores", CHECKS.quiz, false],
      ["journal", "journal", CHECKS.journal, false],
      ["self_ratings", "self-ratings", CHECKS.self, false],
      ["practice", "practice log", CHECKS.practice, true],
      ["ratings", "observer ratings", CHECKS.rating, true]
    ];
    var bad = parts.filter(function (part) {
      var value = data[part[0]];
      if (value === undefined) { return false; }
      if (part[3]) {
        return !Array.isArray(value) || value.length > LIMITS[part[0]] || !value.every(function (entry) { return part[2](entry); });
      }
      return !isRecord(value) || Object.keys(value).length > LIMITS[part[0]] ||
        !Object.keys(value).every(function (key) { return part[2](key, value[key]); });
    })[0];
    return bad ? bad[1] : "";
  }

  // A progress file read and checked: {record, exported}, {sealed, exported} or {problem}.
  function parse(text) {
    var data;
    var again = " Nothing was imported.";
    try { data = JSON.parse(text); } catch (e) {
      return { problem: "That file is not a progress file (it is not JSON): choose a file made by Export my progress." + again };
    }
    if (!isRecord(data) || data.format !== FORMAT) {
      return { problem: "That file is not a course-kit progress file: choose a file made by Export my progress." + again };
    }
    if (data.version !== 1 && data.version !== VERSION) {
      return { problem: "That file is in format version " + String(data.version).slice(0, 20) + ", and this site reads versions 1 and " + VERSION + ": export it again from a site built with this version of the course kit." + again };
    }
    if (data.course !== COURSE) {
      return { problem: "That file holds progress for another course (" + String(data.course).slice(0, 80) + "), not this one (" + COURSE + ")." + again };
    }
    var exported = typeof data.exported === "string" ? data.exported.slice(0, 10) : "";
    if (data.encrypted !== undefined) {
      if (data.version !== VERSION || !isSealed(data.encrypted)) {
        return { problem: "That file is damaged: its encrypted record is not in the right shape." + again };
      }
      return { sealed: data.encrypted, exported: exported };
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
    var broken = misshapen(data);
    if (broken) {
      return { problem: "That file is damaged: its " + broken + " is not in the right shape." + again };
    }
    var record = empty();
    ["items", "quizzes", "journal", "practice", "ratings", "self_ratings"].forEach(function (key) {
      if (data[key] !== undefined) { record[key] = data[key]; }
    });
    var visited = data.visited;
    if (isRecord(visited) && typeof visited.path === "string" && itemOf(new URL(visited.path, ROOT).href)) {
      record.visited = { path: visited.path, title: String(visited.title || "").slice(0, 200), at: String(visited.at || "") };
    }
    return { record: record, exported: exported };
  }
  function unique(list) {
    var seen = {};
    return list.filter(function (entry) {
      var key = entry.id ? "id:" + entry.id : JSON.stringify(entry);
      return seen[key] ? false : (seen[key] = true);
    });
  }
  function merge(mine, theirs) {
    var record = empty();
    ["items", "quizzes", "journal", "self_ratings"].forEach(function (key) {
      record[key] = Object.assign({}, theirs[key], mine[key]);
    });
    record.practice = unique(mine.practice.concat(theirs.practice));
    record.ratings = unique(mine.ratings.concat(theirs.ratings));
    record.visited = mine.visited || theirs.visited;
    return record;
  }
  // An encrypted file's record, once the student gives the passphrase that opens it.
  function unseal(result, name) {
    var field = { label: "Passphrase", type: "password" };
    return ask(
      "Open " + name + "?",
      "This file is encrypted. Give the passphrase it was exported with.",
      [{ value: "open", label: "Open", primary: true }, { value: "", label: "Cancel" }],
      field
    ).then(function (choice) {
      if (!choice) { return { problem: "Nothing was imported." }; }
      return decrypt(result.sealed, field.value).then(function (plain) {
        var inner = parse(plain);
        return inner.sealed ? { problem: "That file is damaged: its encrypted record is not in the right shape. Nothing was imported." } : inner;
      }, function () {
        return { problem: "That passphrase does not open this file: check it (capitals count) and import again. Nothing was imported." };
      });
    });
  }
  function importFile(file) {
    if (file.size > MAX_FILE) {
      say("That file is too large to be a progress file (over 4 MB). Nothing was imported.", true);
      return;
    }
    file.text().then(function (text) {
      var result = parse(text);
      return result.sealed ? unseal(result, file.name) : result;
    }).then(function (result) {
      if (result.problem) { say(result.problem, result.problem !== "Nothing was imported."); return; }
      var mine = load();
      var theirs = result.record;
      var from = contents(theirs) + (result.exported ? ", exported on " + result.exported : "");
      var answer = size(mine) ? ask(
        "Import progress from " + file.name + "?",
        "The file holds " + from + ". You have " + contents(mine) + " here. Merge keeps yours and adds the file's; Replace makes your record exactly the file's. You can undo either until you close this tab.",
        [
          { value: "merge", label: "Merge", primary: true, focus: true },
          { value: "replace", label: "Replace" },
          { value: "", label: "Cancel" }
        ]
      ) : Promise.resolve("replace");
      return answer.then(function (choice) {
        if (!choice) { say("Nothing was imported."); return; }
        keepForUndo(mine);
        save(choice === "merge" ? merge(mine, theirs) : theirs);
        refresh();
        say("Imported " + from + (choice === "merge" ? ", merged with yours" : "") + ": you now have " + contents(load()) + ".");
      });
    }).catch(function () {
      say("That file could not be read. Nothing was imported.", true);
    });
  }
  function clearProgress() {
    var record = load();
    var count = ticks(record);
    if (!size(record)) { say("There is nothing to clear: you have no ticks yet."); return; }
    var what = size(record) === count ? (count === 1 ? "your 1 tick" : "all " + plural(count, "tick")) : "all " + contents(record);
    ask(
      "Clear your progress?",
      "This removes " + what + " for this course from this browser. You can undo it until you close this tab; to keep a copy for later, export your progress first.",
      [
        { value: "clear", label: "Clear my progress" },
        { value: "", label: "Cancel", primary: true, focus: true }
      ]
    ).then(function (choice) {
      if (choice !== "clear") { say("Nothing was cleared."); return; }
      keepForUndo(record);
      save(empty());
      refresh();
      say("Your progress is cleared. Choose Undo to bring back " + contents(record) + ".");
    });
  }
  function undo() {
    var record = read("sessionStorage", UNDO_KEY);
    if (!isRecord(record) || !isRecord(record.items)) { return; }
    save(complete(record));
    write("sessionStorage", UNDO_KEY, null);
    refresh();
    say("Undone: you have " + contents(load()) + " again.");
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
  // The one learner record, for record.js: read it, change it, and be told when it changes.
  window.courseKit = {
    course: COURSE,
    root: ROOT,
    load: load,
    // Apply a change to the stored record and redraw every view of it.
    update: function (change) {
      var record = load();
      change(record);
      save(record);
      refresh();
    },
    onChange: function (listener) { listeners.push(listener); },
    ask: ask,
    download: download,
    fileName: fileName,
    checks: CHECKS,
    isRecord: isRecord,
    all: all,
    element: element,
    link: link,
    plural: plural
  };
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
