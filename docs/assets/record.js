/* The learner record's pages and forms: self-check quizzes, the journal, the practice log, observer
   ratings and the portfolio. Everything is kept in the one record of course.js (window.courseKit),
   in this browser only, keyed to the course; nothing is sent anywhere. The facts each page shows
   (weeks, titles, competences) come from course/record-data.json on this site. Every text from the
   record, a hand-over code or that file is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var kit = window.courseKit;
  if (!kit) { return; }
  var all = kit.all;
  var element = kit.element;
  var EMPTY = { weeks: [], exercises: [], roleplays: [], modalities: [], areas: [], quizzes: [], competences: [] };
  var ROLES = [["coach", "Coach"], ["client", "Client"], ["observer", "Observer"]];
  var SCALE = [[0, "Not seen"], [1, "Partly"], [2, "Clearly"]];
  var CODE_PREFIX = "CK1.";
  var RATING_FORMAT = "course-kit-rating";
  var MAX_CODE = 16000;
  var unique = 0;

  // ------------------------------------------------------------------------------------------
  // Small helpers.
  var dataPromise = null;
  // What the site says about its weeks, exercises, role-plays, quizzes and competences.
  function courseData() {
    if (!dataPromise) {
      dataPromise = window.fetch(new URL("course/record-data.json", kit.root).href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (file) { return kit.isRecord(file) && kit.isRecord(file.data) ? file.data : EMPTY; })
        .catch(function () { return EMPTY; });
    }
    return dataPromise;
  }
  function byId(list) {
    var map = {};
    (list || []).forEach(function (entry) { map[entry.id] = entry; });
    return map;
  }
  function newId(prefix) {
    unique += 1;
    return prefix + "-" + Date.now().toString(36) + "-" + unique + "-" + Math.random().toString(36).slice(2, 8);
  }
  function today() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }
  function button(text, className) {
    var node = element("button", "md-button" + (className ? " " + className : ""), text);
    node.type = "button";
    return node;
  }
  function field(labelText, control, hint) {
    var id = newId("ck-field");
    control.id = id;
    var wrap = element("p", "ck-field");
    var label = element("label", "", labelText);
    label.htmlFor = id;
    wrap.appendChild(label);
    if (hint) {
      var note = element("span", "ck-hint", hint);
      note.id = id + "-hint";
      control.setAttribute("aria-describedby", note.id);
      wrap.appendChild(note);
    }
    wrap.appendChild(control);
    return wrap;
  }
  function input(type, name, value) {
    var node = element("input");
    node.type = type;
    node.name = name;
    if (value !== undefined && value !== null) { node.value = value; }
    return node;
  }
  function textarea(name, value, rows) {
    var node = element("textarea");
    node.name = name;
    node.rows = rows || 4;
    node.value = value || "";
    return node;
  }
  function minutesText(minutes) {
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    return hours ? hours + " h" + (rest ? " " + rest + " min" : "") : rest + " min";
  }
  function table(caption, head, rows) {
    var node = element("table", "ck-record-table");
    if (caption) { node.appendChild(element("caption", "", caption)); }
    var thead = element("thead");
    var row = element("tr");
    head.forEach(function (text) { var th = element("th", "", text); th.scope = "col"; row.appendChild(th); });
    thead.appendChild(row);
    node.appendChild(thead);
    var body = element("tbody");
    rows.forEach(function (cells) {
      var tr = element("tr");
      cells.forEach(function (cell) {
        var td = element("td");
        if (cell instanceof Node) { td.appendChild(cell); } else { td.textContent = String(cell); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    node.appendChild(body);
    var frame = element("div", "ck-table-frame");
    frame.appendChild(node);
    return frame;
  }
  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }
  function status(root, text, problem) {
    var line = root.querySelector(".ck-record-status, .ck-rating-status, .ck-log-status");
    if (!line) { return; }
    line.textContent = text;
    line.classList.toggle("ck-problem", !!problem);
  }
  function pageTitle() {
    var heading = document.querySelector("article h1");
    if (!heading) { return ""; }
    return Array.prototype.map.call(heading.childNodes, function (node) {
      return node.classList && node.classList.contains("headerlink") ? "" : node.textContent;
    }).join("").trim();
  }
  // The page of an item ("exercise:draw-a-circle") from the course data, or null.
  function itemInfo(data, item) {
    var parts = item.split(":");
    var list = parts[0] === "exercise" ? data.exercises : parts[0] === "roleplay" ? data.roleplays : [];
    return byId(list)[parts[1]] || null;
  }
  function itemLink(data, item) {
    var info = itemInfo(data, item);
    if (!info) { return item; }
    return kit.link(new URL(info.url, kit.root).href, info.title);
  }

  // ------------------------------------------------------------------------------------------
  // 1. Self-check quizzes: <form class="ck-quiz" data-ck-quiz="ID"> (see the issue 16 contract).
  function questions(form) {
    return all("fieldset.ck-question", form);
  }
  function chosenIn(question) {
    return all("input", question).filter(function (box) { return box.checked; }).map(function (box) { return Number(box.value); });
  }
  function correctIn(question) {
    return all("input", question).filter(function (box) { return box.dataset.ckCorrect === "true"; }).map(function (box) { return Number(box.value); });
  }
  function rightAnswer(question) {
    var chosen = chosenIn(question).sort().join(",");
    return chosen !== "" && chosen === correctIn(question).sort().join(",");
  }
  function unmark(form) {
    all(".ck-verdict, .ck-question-result", form).forEach(function (node) { node.remove(); });
    all(".ck-feedback", form).forEach(function (node) { node.hidden = true; });
    all("label", form).forEach(function (label) { label.classList.remove("ck-is-correct", "ck-is-chosen"); });
  }
  // Feedback for every chosen option, the correct options marked, each question's result.
  function mark(form) {
    unmark(form);
    var score = 0;
    questions(form).forEach(function (question) {
      var chosen = chosenIn(question);
      all("input", question).forEach(function (box) {
        var label = box.closest("label");
        var correct = box.dataset.ckCorrect === "true";
        var picked = chosen.indexOf(Number(box.value)) !== -1;
        if (label && correct) {
          label.classList.add("ck-is-correct");
          label.appendChild(element("span", "ck-verdict", " (a correct answer)"));
        }
        if (label && picked) { label.classList.add("ck-is-chosen"); }
        var feedback = question.querySelector('.ck-feedback[data-ck-option="' + box.value + '"]');
        if (feedback && picked) {
          feedback.hidden = false;
          feedback.insertBefore(element("strong", "ck-verdict", (correct ? "Right. " : "Not right. ")), feedback.firstChild);
        }
      });
      var right = rightAnswer(question);
      if (right) { score += 1; }
      var result = element("p", "ck-question-result " + (right ? "ck-right" : "ck-wrong"),
        !chosen.length ? "Not answered: the correct answer is marked." : right ? "✓ Right." : "✗ Not quite: the correct answer is marked.");
      question.appendChild(result);
    });
    return score;
  }
  function lock(form, locked) {
    all("input", form).forEach(function (box) { box.disabled = locked; });
    form.querySelector(".ck-quiz-check").hidden = locked;
    form.querySelector(".ck-quiz-again").hidden = !locked;
  }
  function showScore(form, entry, again) {
    var line = form.querySelector(".ck-quiz-score");
    if (!line) { return; }
    if (!entry) { line.textContent = ""; return; }
    line.textContent = (again ? "Your last score: " : "You scored ") + entry.score + " of " + entry.total +
      (again ? " (" + String(entry.when).slice(0, 10) + ")" : "") + ". Your score is kept in this browser only.";
  }
  function checkQuiz(form) {
    var answers = {};
    questions(form).forEach(function (question, index) {
      var chosen = chosenIn(question);
      if (chosen.length) { answers[question.dataset.ckQuestion || String(index + 1)] = chosen; }
    });
    var score = mark(form);
    var entry = { answers: answers, score: score, total: questions(form).length, when: new Date().toISOString(), title: pageTitle().slice(0, 300) };
    if (form.dataset.ckVersion) { entry.version = form.dataset.ckVersion; }
    lock(form, true);
    kit.update(function (record) { record.quizzes[form.dataset.ckQuiz] = entry; });
    showScore(form, entry, false);
    form.querySelector(".ck-quiz-again").focus();
  }
  function tryAgain(form) {
    all("input", form).forEach(function (box) { box.checked = false; });
    unmark(form);
    lock(form, false);
    var id = form.dataset.ckQuiz;
    kit.update(function (record) { if (record.quizzes[id]) { record.quizzes[id].answers = {}; } });
    showScore(form, kit.load().quizzes[id], true);
    var first = form.querySelector("input");
    if (first) { first.focus(); }
  }
  // Answers are kept by position: when the trainer has changed the quiz since, they would mark the wrong options,
  // so only the last score is shown.
  function changedSince(form, entry) {
    return Boolean(entry.version && form.dataset.ckVersion && entry.version !== form.dataset.ckVersion);
  }
  function restoreQuiz(form) {
    var entry = kit.load().quizzes[form.dataset.ckQuiz];
    if (!entry || !entry.answers || !Object.keys(entry.answers).length || changedSince(form, entry)) {
      showScore(form, entry, true);
      if (entry && changedSince(form, entry)) {
        form.querySelector(".ck-quiz-score").textContent += " This quiz has changed since then: take it again.";
      }
      return;
    }
    questions(form).forEach(function (question, index) {
      var chosen = entry.answers[question.dataset.ckQuestion || String(index + 1)] || [];
      all("input", question).forEach(function (box) { box.checked = chosen.indexOf(Number(box.value)) !== -1; });
    });
    mark(form);
    lock(form, true);
    showScore(form, entry, false);
  }
  function setUpQuizzes() {
    all("form.ck-quiz[data-ck-quiz]").forEach(function (form) {
      if (form.dataset.ckBound) { return; }
      form.dataset.ckBound = "1";
      // Without JavaScript the feedback may sit in <details>; here it shows only once answered.
      all(".ck-feedback", form).forEach(function (node) { node.hidden = true; });
      all("details.ck-answer", form).forEach(function (node) { node.hidden = true; });
      var check = form.querySelector(".ck-quiz-check");
      if (!check) { return; }
      var again = button("Try again", "ck-quiz-again");
      again.hidden = true;
      check.insertAdjacentElement("afterend", again);
      check.addEventListener("click", function () { checkQuiz(form); });
      again.addEventListener("click", function () { tryAgain(form); });
      form.addEventListener("submit", function (event) { event.preventDefault(); checkQuiz(form); });
      restoreQuiz(form);
    });
  }
  // The progress page's quiz totals.
  function quizRows(data, record) {
    var known = byId(data.quizzes);
    var ids = data.quizzes.map(function (quiz) { return quiz.id; });
    Object.keys(record.quizzes).forEach(function (id) { if (ids.indexOf(id) === -1) { ids.push(id); } });
    return ids.map(function (id) {
      var quiz = known[id];
      var entry = record.quizzes[id];
      var title = quiz ? quiz.title : (entry && entry.title) || id;
      return {
        id: id,
        name: quiz ? kit.link(new URL(quiz.url, kit.root).href, title) : title,
        week: quiz ? String(quiz.week) : "",
        entry: entry
      };
    });
  }
  function quizTable(data, record) {
    var rows = quizRows(data, record);
    var taken = rows.filter(function (row) { return row.entry; });
    var wrap = element("div");
    if (!rows.length) { wrap.appendChild(element("p", "", "This course has no self-check quizzes yet.")); return wrap; }
    var score = taken.reduce(function (sum, row) { return sum + row.entry.score; }, 0);
    var total = taken.reduce(function (sum, row) { return sum + row.entry.total; }, 0);
    wrap.appendChild(element("p", "ck-quiz-total", taken.length ?
      "You have taken " + taken.length + " of " + rows.length + (rows.length === 1 ? " quiz" : " quizzes") + ": " + score + " of " + total +
      " questions right (" + Math.round(100 * score / total) + "%)." : "No quiz scores yet: take a quiz and check your answers."));
    wrap.appendChild(table("", ["Quiz", "Week", "Score", "Taken"], rows.map(function (row) {
      return [row.name, row.week, row.entry ? row.entry.score + " of " + row.entry.total : "not yet", row.entry ? String(row.entry.when).slice(0, 10) : ""];
    })));
    return wrap;
  }

  // ------------------------------------------------------------------------------------------
  // 2. Journal boxes under each exercise's reflection questions.
  var PRIVATE = "Your answers are saved as you type, in this browser only: nothing is sent anywhere and nobody else can see them. They gather on your journal page; on a shared computer, export them with a passphrase and clear them.";
  function setUpReflection() {
    all(".ck-reflection[data-ck-item]").forEach(function (block) {
      if (block.dataset.ckBound) { return; }
      block.dataset.ckBound = "1";
      var item = block.dataset.ckItem;
      var note = element("p", "ck-private-note", PRIVATE);
      block.insertBefore(note, block.firstChild);
      var saved = element("p", "ck-log-status");
      saved.setAttribute("role", "status");
      all("li", block).forEach(function (li, index) {
        var key = item + ":" + (index + 1);
        var prompt = element("span", "ck-prompt");
        prompt.id = newId("ck-prompt");
        while (li.firstChild) { prompt.appendChild(li.firstChild); }
        li.appendChild(prompt);
        var box = textarea("journal", (kit.load().journal[key] || {}).text, 3);
        box.dataset.ckJournal = key;
        box.maxLength = 20000;
        var row = field("Your answer", box);
        box.setAttribute("aria-describedby", prompt.id);
        li.appendChild(row);
        var timer = null;
        function keep() {
          window.clearTimeout(timer);
          var text = box.value;
          kit.update(function (record) {
            if (!text.trim()) { delete record.journal[key]; return; }
            var before = record.journal[key] || {};
            record.journal[key] = { text: text, when: new Date().toISOString(), portfolio: before.portfolio === true };
          });
          saved.textContent = "Saved in this browser at " + new Date().toTimeString().slice(0, 5) + ".";
        }
        box.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(keep, 500); });
        box.addEventListener("change", keep);
      });
      block.appendChild(saved);
      var link = kit.link(new URL("course/journal/", kit.root).href, "Read your whole journal");
      var more = element("p", "ck-screen-only");
      more.appendChild(link);
      block.appendChild(more);
    });
  }
  function refreshReflection(record) {
    all("textarea[data-ck-journal]").forEach(function (box) {
      if (box !== document.activeElement) { box.value = (record.journal[box.dataset.ckJournal] || {}).text || ""; }
    });
  }
  // The journal's entries, week by week: [{week, title, exercises: [{info, id, entries: [{key, prompt, entry}]}]}].
  function journalByWeek(data, record, only) {
    var exercises = byId(data.exercises);
    var groups = {};
    Object.keys(record.journal).forEach(function (key) {
      var entry = record.journal[key];
      if (only && !entry.portfolio) { return; }
      var parts = key.split(":");
      var info = exercises[parts[1]] || null;
      var week = info ? info.week : 0;
      var number = Number(parts[2]);
      groups[week] = groups[week] || {};
      var group = groups[week][parts[1]] = groups[week][parts[1]] || { id: parts[1], info: info, entries: [] };
      group.entries.push({ key: key, number: number, prompt: info && info.reflection[number - 1] ? info.reflection[number - 1] : "Question " + number, entry: entry });
    });
    var titles = {};
    data.weeks.forEach(function (week) { titles[week.week] = week.title; });
    var order = data.exercises.map(function (exercise) { return exercise.id; });
    return Object.keys(groups).map(Number).sort(function (a, b) { return (a || 1e9) - (b || 1e9); }).map(function (week) {
      var list = Object.keys(groups[week]).map(function (id) { return groups[week][id]; });
      list.sort(function (a, b) { return order.indexOf(a.id) - order.indexOf(b.id); });
      list.forEach(function (group) { group.entries.sort(function (a, b) { return a.number - b.number; }); });
      return { week: week, title: week ? "Week " + week + ": " + (titles[week] || "") : "Other entries", exercises: list };
    });
  }
  function journalView(data, record, only, choose) {
    var wrap = element("div", "ck-journal-entries");
    var weeks = journalByWeek(data, record, only);
    if (!weeks.length) {
      wrap.appendChild(element("p", "", only ? "No journal entries chosen: tick Include in my portfolio beside an entry on your journal page." :
        "Your journal is empty: write in the boxes under an exercise's reflection questions, and your answers gather here."));
      return wrap;
    }
    weeks.forEach(function (week) {
      wrap.appendChild(element(only ? "h3" : "h2", "", week.title));
      week.exercises.forEach(function (group) {
        var heading = element(only ? "h4" : "h3");
        heading.appendChild(group.info ? kit.link(new URL(group.info.url, kit.root).href, group.info.title) : document.createTextNode(group.id));
        wrap.appendChild(heading);
        group.entries.forEach(function (item) {
          var entry = element("div", "ck-journal-entry");
          entry.appendChild(element("p", "ck-journal-prompt", item.prompt));
          entry.appendChild(element("p", "ck-journal-text", item.entry.text));
          entry.appendChild(element("p", "ck-journal-when", "Written " + String(item.entry.when).slice(0, 10)));
          if (choose) {
            var box = input("checkbox", "portfolio");
            box.checked = item.entry.portfolio === true;
            box.dataset.ckPortfolio = item.key;
            var label = element("label", "ck-include");
            label.appendChild(box);
            label.appendChild(document.createTextNode("Include in my portfolio"));
            box.addEventListener("change", function () {
              kit.update(function (record) { if (record.journal[item.key]) { record.journal[item.key].portfolio = box.checked; } });
            });
            entry.appendChild(label);
          }
          wrap.appendChild(entry);
        });
      });
    });
    return wrap;
  }
  function journalMarkdown(data, record) {
    var lines = ["# My journal: " + document.title.replace(/^.* - /, ""), "", "Exported " + today() + ". Kept in my browser only until I exported it.", ""];
    journalByWeek(data, record, false).forEach(function (week) {
      lines.push("## " + week.title, "");
      week.exercises.forEach(function (group) {
        lines.push("### " + (group.info ? group.info.title : group.id), "");
        group.entries.forEach(function (item) {
          lines.push("**" + item.prompt + "**", "", item.entry.text.trim(), "", "*Written " + String(item.entry.when).slice(0, 10) + "*", "");
        });
      });
    });
    return lines.join("\n");
  }

  // ------------------------------------------------------------------------------------------
  // 3. The practice log: a form on each exercise and role-play page, and the log page.
  function practiceForm(item, entry, done) {
    var form = element("form", "ck-log-form");
    form.noValidate = false;
    var date = input("date", "date", entry ? entry.date : today());
    date.required = true;
    date.max = today();
    var role = element("select");
    role.name = "role";
    ROLES.forEach(function (pair) {
      var option = element("option", "", pair[1]);
      option.value = pair[0];
      role.appendChild(option);
    });
    role.value = entry ? entry.role : "coach";
    var minutes = input("number", "minutes", entry ? entry.minutes : "");
    minutes.min = "1";
    minutes.max = "1440";
    minutes.required = true;
    minutes.inputMode = "numeric";
    var feedback = textarea("feedback", entry ? entry.feedback : "", 3);
    feedback.maxLength = 5000;
    var initials = input("text", "initials", entry ? entry.initials : "");
    initials.maxLength = 40;
    initials.autocomplete = "off";
    form.appendChild(field("Date", date));
    form.appendChild(field("Role I played", role));
    form.appendChild(field("Minutes", minutes));
    form.appendChild(field("Feedback I received", feedback));
    form.appendChild(field("Observer's or supervisor's initials", initials));
    var save = element("button", "md-button md-button--primary", entry ? "Save changes" : "Add to my log");
    save.type = "submit";
    var cancel = button("Cancel");
    var actions = element("p", "ck-actions");
    actions.appendChild(save);
    actions.appendChild(cancel);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      var logged = {
        id: entry ? entry.id : newId("p"),
        date: date.value,
        item: item,
        role: role.value,
        minutes: Math.round(Number(minutes.value)),
        feedback: feedback.value.slice(0, 5000),
        initials: initials.value.trim().slice(0, 40)
      };
      if (!kit.checks.practice(logged)) { return; }
      kit.update(function (record) {
        var at = record.practice.findIndex(function (old) { return old.id === logged.id; });
        if (at === -1) { record.practice.push(logged); } else { record.practice[at] = logged; }
      });
      done(logged);
    });
    cancel.addEventListener("click", function () { done(null); });
    return form;
  }
  function setUpLogButton() {
    var done = document.querySelector('.ck-done[data-ck-item^="exercise:"], .ck-done[data-ck-item^="roleplay:"]');
    var article = document.querySelector("article");
    if (!done || !article || article.querySelector(".ck-log")) { return; }
    var item = done.dataset.ckItem;
    var section = element("section", "ck-log");
    section.setAttribute("aria-label", "Log this practice");
    var open = button("Log this practice", "ck-log-open");
    open.setAttribute("aria-expanded", "false");
    var holder = element("div", "ck-log-holder");
    holder.id = newId("ck-log");
    open.setAttribute("aria-controls", holder.id);
    var said = element("p", "ck-log-status");
    said.setAttribute("role", "status");
    section.appendChild(open);
    section.appendChild(holder);
    section.appendChild(said);
    open.addEventListener("click", function () {
      if (holder.firstChild) { return; }
      open.setAttribute("aria-expanded", "true");
      holder.appendChild(element("p", "ck-private-note", "Your log is kept in this browser only: nothing is sent anywhere."));
      holder.appendChild(practiceForm(item, null, function (logged) {
        clear(holder);
        open.setAttribute("aria-expanded", "false");
        said.textContent = "";
        if (logged) {
          said.appendChild(document.createTextNode("Logged: " + minutesText(logged.minutes) + " as " + logged.role + " on " + logged.date + ". "));
          said.appendChild(kit.link(new URL("course/practice/", kit.root).href, "See your practice log"));
        }
        open.focus();
      }));
      holder.querySelector("input, select").focus();
    });
    article.appendChild(section);
  }
  // An entry's facts from the course data: week, modalities, problem areas.
  function practiceFacts(data, entry) {
    var info = itemInfo(data, entry.item);
    return {
      title: info ? info.title : entry.item,
      week: info ? "Week " + info.week : "Not in this course now",
      modalities: info ? info.modalities : [],
      areas: info && info.areas.length ? info.areas : ["General"]
    };
  }
  function totals(data, record, key) {
    var sums = {};
    var order = [];
    record.practice.forEach(function (entry) {
      var facts = practiceFacts(data, entry);
      var names = key === "role" ? [ROLES.filter(function (pair) { return pair[0] === entry.role; })[0][1]] :
        key === "week" ? [facts.week] : facts[key];
      names.forEach(function (name) {
        if (!sums[name]) { sums[name] = { count: 0, minutes: 0 }; order.push(name); }
        sums[name].count += 1;
        sums[name].minutes += entry.minutes;
      });
    });
    var known = key === "modalities" ? data.modalities : key === "areas" ? data.areas : key === "role" ? ROLES.map(function (pair) { return pair[1]; }) : [];
    order.sort(function (a, b) {
      var x = known.indexOf(a), y = known.indexOf(b);
      if (key === "week") { return (parseInt(a.slice(5), 10) || 1e9) - (parseInt(b.slice(5), 10) || 1e9); }
      return (x === -1 ? 1e9 : x) - (y === -1 ? 1e9 : y);
    });
    return order.map(function (name) { return [name, String(sums[name].count), minutesText(sums[name].minutes)]; });
  }
  var TOTALS = [["week", "By week", "Week"], ["modalities", "By modality (a practice that blends two counts under each)", "Modality"],
    ["areas", "By problem area", "Problem area"], ["role", "By role", "Role"]];
  function totalsView(data, record, keys) {
    var wrap = element("div", "ck-totals");
    var minutes = record.practice.reduce(function (sum, entry) { return sum + entry.minutes; }, 0);
    wrap.appendChild(element("p", "ck-total-line", "In all: " + kit.plural(record.practice.length, "practice") + ", " + minutesText(minutes) + "."));
    if (!record.practice.length) { return wrap; }
    TOTALS.filter(function (spec) { return keys.indexOf(spec[0]) !== -1; }).forEach(function (spec) {
      wrap.appendChild(table(spec[1], [spec[2], "Practices", "Time"], totals(data, record, spec[0])));
    });
    return wrap;
  }
  var editing = null; // the id of the log entry being edited on the log page
  function practiceView(root, data, record) {
    clear(root);
    if (editing) {
      var entry = record.practice.filter(function (old) { return old.id === editing; })[0];
      if (entry) {
        var heading = element("h2", "", "Change an entry: " + practiceFacts(data, entry).title);
        heading.tabIndex = -1;
        root.appendChild(heading);
        root.appendChild(practiceForm(entry.item, entry, function () {
          editing = null;
          practiceView(root, data, kit.load());
          var back = root.querySelector("[data-ck-entry='" + entry.id + "'] .ck-edit");
          if (back) { back.focus(); }
        }));
        window.setTimeout(function () { root.querySelector("input").focus(); }, 0);
        return;
      }
      editing = null;
    }
    if (!record.practice.length) {
      root.appendChild(element("p", "", "No practice logged yet: choose Log this practice on an exercise or role-play page."));
      return;
    }
    var entries = record.practice.slice().sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : 0; });
    var frame = table("Practice log, newest first", ["Date", "Practice", "Role", "Time", "Feedback received", "Initials", "Change"], entries.map(function (entry) {
      var actions = element("span", "ck-row-actions");
      var edit = button("Edit", "ck-edit");
      edit.setAttribute("aria-label", "Edit the entry of " + entry.date + ": " + practiceFacts(data, entry).title);
      var remove = button("Delete", "ck-delete");
      remove.setAttribute("aria-label", "Delete the entry of " + entry.date + ": " + practiceFacts(data, entry).title);
      edit.addEventListener("click", function () { editing = entry.id; practiceView(root, data, kit.load()); });
      remove.addEventListener("click", function () {
        kit.ask("Delete this entry?", "This deletes your practice of " + entry.date + " (" + practiceFacts(data, entry).title + ") from your log.",
          [{ value: "delete", label: "Delete" }, { value: "", label: "Cancel", primary: true, focus: true }]).then(function (choice) {
          if (choice !== "delete") { return; }
          kit.update(function (record) { record.practice = record.practice.filter(function (old) { return old.id !== entry.id; }); });
          var next = document.querySelector(".ck-practice-csv") || document.querySelector("h1");
          if (next) { next.focus(); }
        });
      });
      actions.appendChild(edit);
      actions.appendChild(remove);
      var role = ROLES.filter(function (pair) { return pair[0] === entry.role; })[0][1];
      return [entry.date, itemLink(data, entry.item), role, minutesText(entry.minutes), entry.feedback, entry.initials, actions];
    }));
    frame.firstChild.classList.add("ck-log-table");
    // On a phone the log is wider than the screen: its frame scrolls, and takes keyboard focus to do so.
    frame.tabIndex = 0;
    frame.setAttribute("role", "region");
    frame.setAttribute("aria-label", "Practice log");
    all("tbody tr", frame).forEach(function (row, index) { row.dataset.ckEntry = entries[index].id; });
    root.appendChild(frame);
  }
  // A spreadsheet cell: quoted, and a leading = + - @ (or tab, return) made inert, against formula injection.
  function csvCell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return '"' + text.replace(/"/g, '""') + '"';
  }
  function practiceCsv(data, record) {
    var rows = [["Date", "Week", "Practice", "Kind", "Role", "Minutes", "Modalities", "Problem areas", "Feedback received", "Initials"]];
    record.practice.slice().sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; }).forEach(function (entry) {
      var facts = practiceFacts(data, entry);
      rows.push([entry.date, facts.week, facts.title, entry.item.split(":")[0], entry.role, entry.minutes,
        facts.modalities.join("; "), facts.areas.join("; "), entry.feedback, entry.initials]);
    });
    return "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  // ------------------------------------------------------------------------------------------
  // 4. Observer ratings: the observer's checklist becomes a rating form; the rating leaves as a short
  // code or a small file, and the coach adds it to their log on the practice log page.
  function toBase64Url(text) {
    var bytes = new TextEncoder().encode(text);
    var raw = "";
    bytes.forEach(function (byte) { raw += String.fromCharCode(byte); });
    return window.btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function fromBase64Url(code) {
    var raw = window.atob(code.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }
  function ratingForm(list) {
    var roleplay = list.dataset.ckRoleplay;
    var items = all("li", list);
    var form = element("form", "ck-rating-form");
    form.setAttribute("aria-label", "Rate the coach");
    form.appendChild(element("p", "ck-private-note", "Rate each point from what you saw; nothing is sent anywhere. Then make a hand-over code (or a file) and give it to the coach, who adds it to their practice log."));
    var who = input("text", "coach", "");
    who.required = true;
    who.maxLength = 80;
    who.autocomplete = "off";
    form.appendChild(field("Coach's name or initials", who));
    var me = input("text", "observer", "");
    me.maxLength = 80;
    me.autocomplete = "off";
    form.appendChild(field("Your initials (the observer)", me));
    var date = input("date", "date", today());
    date.required = true;
    form.appendChild(field("Date", date));
    var groups = items.map(function (li, index) {
      var set = element("fieldset", "ck-scale");
      var legend = element("legend", "", (index + 1) + ". " + li.textContent.trim());
      set.appendChild(legend);
      SCALE.forEach(function (pair) {
        var label = element("label");
        var radio = input("radio", "ck-check-" + roleplay + "-" + (index + 1), String(pair[0]));
        label.appendChild(radio);
        label.appendChild(document.createTextNode(pair[0] + " " + pair[1]));
        set.appendChild(label);
      });
      form.appendChild(set);
      return set;
    });
    var comment = textarea("comment", "", 4);
    comment.maxLength = 2000;
    form.appendChild(field("Comment for the coach", comment));
    var make = element("button", "md-button md-button--primary", "Make the hand-over code");
    make.type = "submit";
    var actions = element("p", "ck-actions");
    actions.appendChild(make);
    form.appendChild(actions);
    var out = element("div", "ck-handover");
    out.hidden = true;
    var code = textarea("code", "", 3);
    code.readOnly = true;
    code.spellcheck = false;
    out.appendChild(field("Hand-over code (give it to the coach)", code));
    var printed = element("p", "ck-print-only ck-code-print"); // a text box prints only its first lines
    out.appendChild(printed);
    var copy = button("Copy the code", "ck-copy");
    var save = button("Download as a file", "ck-rating-download");
    var print = button("Print", "ck-print");
    var tools = element("p", "ck-actions");
    [copy, save, print].forEach(function (node) { tools.appendChild(node); });
    out.appendChild(tools);
    var said = element("p", "ck-rating-status");
    said.setAttribute("role", "status");
    out.appendChild(said);
    form.appendChild(out);
    var rating = null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      var scores = groups.map(function (set) {
        var chosen = set.querySelector("input:checked");
        return chosen ? Number(chosen.value) : null;
      });
      rating = { f: RATING_FORMAT, v: 1, c: kit.course, r: roleplay, d: date.value, s: scores, k: who.value.trim(), o: me.value.trim(), m: comment.value };
      code.value = CODE_PREFIX + toBase64Url(JSON.stringify(rating));
      printed.textContent = "Hand-over code: " + code.value;
      out.hidden = false;
      said.textContent = "Your hand-over code is ready" + (scores.indexOf(null) !== -1 ? " (points you left unrated show as not rated)" : "") + ".";
      code.focus();
      code.select();
    });
    copy.addEventListener("click", function () {
      code.select();
      var done = function () { said.textContent = "Copied: paste it into a message to the coach."; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code.value).then(done, function () { said.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected code."; });
      } else { said.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected code."; }
    });
    save.addEventListener("click", function () {
      if (!rating) { return; }
      var file = { format: RATING_FORMAT, version: 1, course: rating.c, roleplay: rating.r, date: rating.d, scores: rating.s, coach: rating.k, observer: rating.o, comment: rating.m };
      kit.download(kit.fileName("rating-" + roleplay, "json"), "application/json", JSON.stringify(file, null, 2) + "\n");
      said.textContent = "Downloaded: give the file to the coach.";
    });
    print.addEventListener("click", function () {
      // The rating form prints only from here: a printed cards page shows the plain checklist instead.
      document.documentElement.classList.add("ck-print-rating");
      window.print();
    });
    window.addEventListener("afterprint", function () { document.documentElement.classList.remove("ck-print-rating"); });
    return form;
  }
  function setUpRatingForms() {
    all("ol.ck-checklist[data-ck-roleplay]").forEach(function (list) {
      if (list.dataset.ckBound) { return; }
      list.dataset.ckBound = "1";
      list.hidden = true;
      list.insertAdjacentElement("afterend", ratingForm(list));
    });
  }
  // A hand-over code or rating file read into a stored rating: {rating} or {problem}.
  function readRating(text, data) {
    var again = " Nothing was added.";
    var raw = String(text).trim();
    var parsed = null;
    if (raw.length > MAX_CODE) { return { problem: "That is too long to be a hand-over code or rating file." + again }; }
    if (raw.charAt(0) === "{") {
      try { parsed = JSON.parse(raw); } catch (e) { parsed = null; }
      if (!kit.isRecord(parsed) || parsed.format !== RATING_FORMAT || parsed.version !== 1) {
        return { problem: "That file is not an observer's rating: choose a file made by Download as a file on an observer's card." + again };
      }
      parsed = { c: parsed.course, r: parsed.roleplay, d: parsed.date, s: parsed.scores, k: parsed.coach, o: parsed.observer, m: parsed.comment };
    } else {
      var body = raw.replace(/\s+/g, "");
      if (body.indexOf(CODE_PREFIX) !== 0 || !/^[A-Za-z0-9_-]+$/.test(body.slice(CODE_PREFIX.length))) {
        return { problem: "That is not a hand-over code: it starts with " + CODE_PREFIX + " and comes from Make the hand-over code on an observer's card." + again };
      }
      try { parsed = JSON.parse(fromBase64Url(body.slice(CODE_PREFIX.length))); } catch (e) { parsed = null; }
      if (!kit.isRecord(parsed) || parsed.f !== RATING_FORMAT || parsed.v !== 1) {
        return { problem: "That code is damaged (a part is missing): ask your observer to copy it again." + again };
      }
    }
    if (parsed.c !== kit.course) {
      return { problem: "That rating is for another course (" + String(parsed.c).slice(0, 80) + "), not this one (" + kit.course + ")." + again };
    }
    var roleplays = byId(data.roleplays);
    var known = roleplays[parsed.r];
    if (data.roleplays.length && !known) {
      return { problem: "That rating is for a role-play this course does not have (" + String(parsed.r).slice(0, 80) + ")." + again };
    }
    var rating = {
      id: newId("r"),
      roleplay: parsed.r,
      date: parsed.d,
      scores: parsed.s,
      comment: typeof parsed.m === "string" ? parsed.m : "",
      coach: typeof parsed.k === "string" ? parsed.k : "",
      observer: typeof parsed.o === "string" ? parsed.o : "",
      imported: new Date().toISOString()
    };
    if (!kit.checks.rating(rating) || (known && rating.scores.length !== known.checklist.length)) {
      return { problem: "That rating is damaged (a part is missing or in the wrong shape): ask your observer for it again." + again };
    }
    return { rating: rating };
  }
  function sameRating(a, b) {
    return a.roleplay === b.roleplay && a.date === b.date && a.coach === b.coach && a.observer === b.observer &&
      a.comment === b.comment && a.scores.join() === b.scores.join();
  }
  function addRating(root, text) {
    courseData().then(function (data) {
      if (!String(text).trim()) { status(root, "Paste the code your observer gave you first.", true); return; }
      var result = readRating(text, data);
      if (result.problem) { status(root, result.problem, true); return; }
      var rating = result.rating;
      if (kit.load().ratings.some(function (old) { return sameRating(old, rating); })) {
        status(root, "That rating is in your log already.");
        return;
      }
      kit.update(function (record) { record.ratings.push(rating); });
      var info = byId(data.roleplays)[rating.roleplay];
      status(root, "Added the rating of " + (info ? info.title : rating.roleplay) + " on " + rating.date +
        (rating.observer ? " from " + rating.observer : "") + " to your log.");
      var code = root.querySelector(".ck-rating-code");
      if (code) { code.value = ""; }
    });
  }
  function ratingsView(data, record, removable) {
    var wrap = element("div", "ck-rating-list");
    if (!record.ratings.length) {
      wrap.appendChild(element("p", "", "No observer ratings yet: ask your observer for the hand-over code from the observer's role card."));
      return wrap;
    }
    var roleplays = byId(data.roleplays);
    record.ratings.slice().sort(function (a, b) { return a.date < b.date ? 1 : -1; }).forEach(function (rating) {
      var info = roleplays[rating.roleplay];
      var card = element("section", "ck-rating");
      var title = (info ? info.title : rating.roleplay) + ", " + rating.date;
      card.appendChild(element(removable ? "h3" : "h3", "", title));
      card.appendChild(element("p", "ck-rating-meta", "Coach: " + (rating.coach || "not named") + " · Observer: " + (rating.observer || "not named")));
      var rated = rating.scores.filter(function (score) { return score !== null; });
      var sum = rated.reduce(function (total, score) { return total + score; }, 0);
      card.appendChild(table("", ["Point", "Rating"], rating.scores.map(function (score, index) {
        var point = info && info.checklist[index] ? info.checklist[index] : "Point " + (index + 1);
        return [point, score === null ? "not rated" : score + " " + SCALE[score][1].toLowerCase()];
      })));
      card.appendChild(element("p", "", "Total: " + sum + " of " + 2 * rated.length + (rated.length < rating.scores.length ? " (" + (rating.scores.length - rated.length) + " not rated)" : "") + "."));
      if (rating.comment) { card.appendChild(element("p", "ck-journal-text", "Comment: " + rating.comment)); }
      if (removable) {
        var remove = button("Delete this rating");
        remove.setAttribute("aria-label", "Delete this rating: " + title);
        remove.addEventListener("click", function () {
          kit.ask("Delete this rating?", "This deletes the observer's rating of " + title + " from your log.",
            [{ value: "delete", label: "Delete" }, { value: "", label: "Cancel", primary: true, focus: true }]).then(function (choice) {
            if (choice !== "delete") { return; }
            kit.update(function (record) { record.ratings = record.ratings.filter(function (old) { return old.id !== rating.id; }); });
            var code = document.querySelector(".ck-rating-code");
            if (code) { code.focus(); }
          });
        });
        card.appendChild(remove);
      }
      wrap.appendChild(card);
    });
    return wrap;
  }
  function setUpRatingImport() {
    var root = document.querySelector(".ck-rating-import");
    if (!root || root.dataset.ckBound) { return; }
    root.dataset.ckBound = "1";
    var file = root.querySelector(".ck-rating-file");
    root.querySelector(".ck-rating-add").addEventListener("click", function () { addRating(root, root.querySelector(".ck-rating-code").value); });
    root.querySelector(".ck-rating-file-choose").addEventListener("click", function () { file.value = ""; file.click(); });
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) { return; }
      if (chosen.size > MAX_CODE) { status(root, "That file is too large to be an observer's rating. Nothing was added.", true); return; }
      chosen.text().then(function (text) { addRating(root, text); }, function () { status(root, "That file could not be read. Nothing was added.", true); });
    });
    root.hidden = false;
  }

  // ------------------------------------------------------------------------------------------
  // 5. The portfolio: self-ratings, practice hours, ratings, quiz scores, chosen journal entries.
  var LEVELS = ["just starting", "developing", "competent with support", "competent", "confident and consistent"];
  function selfRatings(data, record) {
    var wrap = element("div");
    if (!data.competences.length) {
      wrap.appendChild(element("p", "", "This course has no competence framework yet."));
      return wrap;
    }
    data.competences.forEach(function (competence) {
      var set = element("fieldset", "ck-competence");
      set.appendChild(element("legend", "", competence.name));
      var list = element("ul", "ck-indicators");
      competence.indicators.forEach(function (text) { list.appendChild(element("li", "", text)); });
      set.appendChild(list);
      var scale = element("div", "ck-levels");
      LEVELS.forEach(function (words, index) {
        var label = element("label");
        var radio = input("radio", "ck-self-" + competence.id, String(index + 1));
        radio.checked = record.self_ratings[competence.id] === index + 1;
        radio.addEventListener("change", function () {
          kit.update(function (record) { record.self_ratings[competence.id] = index + 1; });
        });
        label.appendChild(radio);
        label.appendChild(document.createTextNode((index + 1) + " " + words));
        scale.appendChild(label);
      });
      set.appendChild(scale);
      var rated = record.self_ratings[competence.id];
      set.appendChild(element("p", "ck-print-only", "My rating: " + (rated ? rated + " of 5 (" + LEVELS[rated - 1] + ")" : "not rated yet") + "."));
      wrap.appendChild(set);
    });
    return wrap;
  }
  function fill(selector, build) {
    var node = document.querySelector(selector);
    if (!node) { return; }
    var focused = node.contains(document.activeElement) && document.activeElement.name;
    var value = focused && document.activeElement.value;
    clear(node);
    node.appendChild(build());
    if (focused) {
      var again = all("[name]", node).filter(function (el) { return el.name === focused && (el.type !== "radio" || el.value === value); })[0];
      if (again) { again.focus(); }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Each page's views of the record, redrawn whenever it changes.
  function draw(record) {
    refreshReflection(record);
    var needs = document.querySelector(".ck-quiz-totals, .ck-journal, .ck-practice, .ck-ratings, .ck-self-ratings");
    if (!needs) { return; }
    courseData().then(function (data) {
      record = kit.load();
      fill(".ck-quiz-totals", function () { return quizTable(data, record); });
      fill(".ck-journal", function () { return journalView(data, record, false, true); });
      if (document.querySelector(".ck-practice") && !(editing && document.querySelector(".ck-practice form"))) {
        practiceView(document.querySelector(".ck-practice"), data, record);
      }
      fill(".ck-practice-totals", function () { return totalsView(data, record, ["week", "modalities", "areas", "role"]); });
      fill(".ck-ratings", function () { return ratingsView(data, record, true); });
      fill(".ck-self-ratings", function () { return selfRatings(data, record); });
      fill(".ck-portfolio-practice", function () { return totalsView(data, record, ["role", "areas"]); });
      fill(".ck-portfolio-ratings", function () { return ratingsView(data, record, false); });
      fill(".ck-portfolio-quizzes", function () { return quizTable(data, record); });
      fill(".ck-portfolio-journal", function () { return journalView(data, record, true, false); });
    });
  }
  function setUpTools() {
    all(".ck-record-tools").forEach(function (tools) {
      if (tools.dataset.ckBound) { return; }
      tools.dataset.ckBound = "1";
      all(".ck-print", tools).forEach(function (node) { node.addEventListener("click", function () { window.print(); }); });
      var markdown = tools.querySelector(".ck-journal-export");
      if (markdown) {
        markdown.addEventListener("click", function () {
          courseData().then(function (data) {
            var name = kit.fileName("journal", "md");
            kit.download(name, "text/markdown", journalMarkdown(data, kit.load()));
            status(tools, "Exported your journal to " + name + ".");
          });
        });
      }
      var csv = tools.querySelector(".ck-practice-csv");
      if (csv) {
        csv.addEventListener("click", function () {
          courseData().then(function (data) {
            var name = kit.fileName("practice-log", "csv");
            kit.download(name, "text/csv", practiceCsv(data, kit.load()));
            status(tools, "Exported " + kit.load().practice.length + (kit.load().practice.length === 1 ? " entry" : " entries") + " to " + name + ".");
          });
        });
      }
      tools.hidden = false;
    });
    all(".ck-today").forEach(function (node) { node.textContent = today(); });
  }
  var listening = false;
  function setUp() {
    setUpQuizzes();
    setUpReflection();
    setUpLogButton();
    setUpRatingForms();
    setUpRatingImport();
    setUpTools();
    if (!listening) { listening = true; kit.onChange(draw); }
    draw(kit.load());
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
