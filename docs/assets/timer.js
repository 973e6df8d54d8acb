/* The session timer on a run-sheet: steps through the session's rows and a role-play's rounds (from
   the list's data-ck-step-start and data-ck-step-minutes), showing the current and next step and the
   time left. Start, pause, previous, next and reset are buttons; each change of step is shown (the
   panel flashes, the step is marked in the list), announced through a live region and, if the
   facilitator ticks the box, beeped (Web Audio, made here, no file). Nothing is sent or stored. */
(function () {
  "use strict";

  var TICK = 250; // ms between redraws; the clock is Date.now(), so a slow tick never loses time

  function timer(section) {
    var items = Array.prototype.slice.call(section.querySelectorAll("li[data-ck-step-start]"));
    var steps = items.map(function (li) {
      return { minutes: Number(li.getAttribute("data-ck-step-minutes")), label: li.getAttribute("data-ck-step-label"), item: li };
    });
    if (!steps.length) { return; }
    var current = section.querySelector("[data-ck-timer-current]");
    var next = section.querySelector("[data-ck-timer-next]");
    var left = section.querySelector("[data-ck-timer-left]");
    var status = section.querySelector("[data-ck-timer-status]");
    var panel = section.querySelector(".ck-timer-now");
    var startButton = section.querySelector('[data-ck-timer="start"]');
    var sound = section.querySelector("[data-ck-timer-sound]");
    var index = -1; // -1: not started; steps.length: the session is over
    var spent = 0; // ms spent on the current step before the last start
    var since = null; // Date.now() when the clock last started; null while paused
    var interval = null;
    var audio = null;

    function remaining() {
      if (index < 0 || index >= steps.length) { return 0; }
      var used = spent + (since === null ? 0 : Date.now() - since);
      return Math.max(0, steps[index].minutes * 60000 - used);
    }

    function clock(ms) {
      var seconds = Math.ceil(ms / 1000);
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      return minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }

    function beep() {
      if (!sound || !sound.checked) { return; }
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return; }
      try {
        audio = audio || new Context();
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        oscillator.frequency.value = 880;
        gain.gain.setValueAtTime(0.2, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start();
        oscillator.stop(audio.currentTime + 0.4);
      } catch (error) {
        // No sound on this device: the visual cue and the announcement remain.
      }
    }

    function announce(text) {
      status.textContent = text;
    }

    function draw() {
      var started = index >= 0 && index < steps.length;
      current.textContent = index < 0 ? "Not started" : (started ? steps[index].label : "Session over");
      var upcoming = steps[index + 1];
      next.textContent = upcoming ? upcoming.label : "End of the session";
      left.textContent = index < 0 ? clock(steps[0].minutes * 60000) : clock(remaining());
      left.classList.toggle("ck-timer-ending", started && since !== null && remaining() <= 60000);
      startButton.textContent = since !== null ? "Pause" : (index < 0 ? "Start" : "Resume");
      startButton.setAttribute("aria-pressed", since !== null ? "true" : "false");
      steps.forEach(function (step, i) {
        if (i === index) { step.item.setAttribute("aria-current", "step"); } else { step.item.removeAttribute("aria-current"); }
        step.item.classList.toggle("ck-timer-done", i < index);
      });
    }

    function cue() {
      panel.classList.remove("ck-timer-flash");
      void panel.offsetWidth; // restart the flash when steps change quickly
      panel.classList.add("ck-timer-flash");
      beep();
      if (index >= steps.length) {
        announce("Session over.");
      } else {
        var upcoming = steps[index + 1];
        announce("Now: " + steps[index].label + ", " + steps[index].minutes + " min." + (upcoming ? " Next: " + upcoming.label + "." : ""));
      }
    }

    function go(to) {
      var running = since !== null;
      index = Math.max(0, Math.min(steps.length, to));
      spent = 0;
      since = running && index < steps.length ? Date.now() : null;
      if (index >= steps.length) { stop(); }
      cue();
      draw();
    }

    function run() {
      if (since === null) { return; }
      if (remaining() <= 0) { go(index + 1); return; }
      draw();
    }

    function start() {
      if (index >= steps.length) { return; }
      if (index < 0) { index = 0; spent = 0; since = Date.now(); cue(); } else { since = Date.now(); announce("Running: " + steps[index].label + ", " + clock(remaining()) + " left."); }
      interval = interval || window.setInterval(run, TICK);
      draw();
    }

    function stop() {
      if (since !== null) { spent += Date.now() - since; since = null; }
      if (interval) { window.clearInterval(interval); interval = null; }
    }

    function pause() {
      stop();
      announce("Paused: " + steps[index].label + ", " + clock(remaining()) + " left.");
      draw();
    }

    section.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-ck-timer]");
      if (!button) { return; }
      var action = button.getAttribute("data-ck-timer");
      if (action === "start") { if (since !== null) { pause(); } else { start(); } }
      if (action === "next") { go(index + 1); }
      if (action === "previous") { go(index - 1); }
      if (action === "reset") {
        stop();
        index = -1; spent = 0;
        announce("Reset: the timer is back at the start.");
        draw();
      }
    });
    section.hidden = false;
    draw();
    return stop;
  }

  var running = []; // [section, stop] of each timer set up, so leaving its page (instant navigation) stops it

  function setUp() {
    running = running.filter(function (entry) {
      if (document.contains(entry[0])) { return true; }
      entry[1]();
      return false;
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.ck-timer"), function (section) {
      if (!section.dataset.ckBound) {
        section.dataset.ckBound = "1";
        var stop = timer(section);
        if (stop) { running.push([section, stop]); }
      }
    });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
