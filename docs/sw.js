/* The course's service worker: pages a student has opened stay readable offline on that device.

   It handles only GET requests for the site's own files, inside its scope (the folder that holds this
   file, the site root); requests to any other host or path pass by untouched, and nothing is sent
   anywhere. Every request goes to the network first, and a good answer replaces the kept copy, so a
   new build reaches students as soon as they are online and the preview (`serve`) never shows a stale
   page; only when the network fails does the kept copy answer. A page that was never opened answers
   with a short offline page that lists the pages that can be read. The cache's name carries the
   scope, so two courses on one origin (owner.github.io/a/ and /b/) keep separate copies, and the
   version below: a new version of this file starts with an empty cache and removes the old one. */
"use strict";

var VERSION = "1";
var SCOPE = self.registration.scope;
var PREFIX = "course-kit-pages ";
var CACHE = PREFIX + VERSION + " " + SCOPE;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      var old = names.filter(function (name) {
        return name.indexOf(PREFIX) === 0 && name.slice(-SCOPE.length - 1) === " " + SCOPE && name !== CACHE;
      });
      return Promise.all(old.map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function ours(url) {
  // MkDocs' live-reload long-polls /livereload/ during `serve`: never keep or answer those.
  return url.indexOf(SCOPE) === 0 && url.indexOf("/livereload/") === -1;
}

// A page is kept under its address without query or fragment (the libraries keep filters in the query).
function key(request) {
  var url = new URL(request.url);
  url.hash = "";
  if (request.mode === "navigate" || /\/$|\.html$/.test(url.pathname)) { url.search = ""; }
  return url.href;
}

function keep(cache, request, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    return cache.put(key(request), response.clone());
  }
  if (response.status === 404 || response.status === 410) {
    return cache.delete(key(request)); // the page is gone from the site: forget it
  }
  return Promise.resolve();
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !ours(request.url)) { return; }
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return fetch(request).then(function (response) {
        event.waitUntil(keep(cache, request, response));
        return response;
      }, function () {
        return cache.match(key(request), { ignoreVary: true }).then(function (kept) {
          if (kept) { return kept; }
          return request.mode === "navigate" ? offlinePage(cache) : Response.error();
        });
      });
    })
  );
});

// A page asks to keep itself and the files it loaded before this worker was in control.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(data.urls.filter(function (url) { return typeof url === "string" && ours(url); }).map(function (url) {
        var request = new Request(url);
        return cache.match(key(request)).then(function (kept) {
          if (kept) { return null; }
          return fetch(request).then(function (response) { return keep(cache, request, response); }, function () { return null; });
        });
      }));
    })
  );
});

// ---- The offline page ------------------------------------------------------------------------

function text(html) {
  // A <title>'s text, already escaped by the site; "<" and ">" are made harmless again all the same.
  return html.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").trim();
}

function titleOf(response) {
  return response.text().then(function (page) {
    var match = /<title>([\s\S]*?)<\/title>/i.exec(page);
    return match ? text(match[1]) : "";
  });
}

function keptPages(cache) {
  return cache.keys().then(function (requests) {
    var pages = requests.filter(function (request) { return /\/$|\.html$/.test(new URL(request.url).pathname); });
    return Promise.all(pages.map(function (request) {
      return cache.match(request).then(titleOf).then(function (title) { return { url: request.url, title: title }; });
    }));
  });
}

function offlinePage(cache) {
  return keptPages(cache).then(function (pages) {
    var home = pages.filter(function (page) { return page.url === SCOPE; })[0];
    var site = home && home.title ? home.title : "The course";
    var suffix = " - " + site;
    var items = pages.filter(function (page) { return page.title; }).map(function (page) {
      var title = page.title.slice(-suffix.length) === suffix ? page.title.slice(0, -suffix.length) : page.title;
      return { url: page.url, title: page.url === SCOPE ? "Home" : title };
    }).sort(function (a, b) { return a.title.localeCompare(b.title, "en", { numeric: true }); });
    var list = items.length
      ? "<ul>" + items.map(function (item) { return '<li><a href="' + text(item.url) + '">' + item.title + "</a></li>"; }).join("") + "</ul>"
      : "<p>None yet: pages are kept once you have opened them while online.</p>";
    var body = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width,initial-scale=1">' +
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">" +
      "<title>Offline - " + site + "</title><style>" + STYLE + "</style></head><body>" +
      "<header>" + site + "</header><main>" +
      "<h1>You are offline</h1>" +
      "<p>This page has not been opened on this device yet, so it was not saved for reading offline. " +
      "Connect to the internet and reload the page to read it.</p>" +
      "<h2>Pages you can read offline</h2>" + list + "</main></body></html>";
    return new Response(body, { status: 503, statusText: "Offline", headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

var STYLE =
  ":root{color-scheme:light dark;--bg:#fff;--fg:#1f1f1f;--link:#303fa1;--bar:#3f51b5}" +
  "@media (prefers-color-scheme:dark){:root{--bg:#1e2129;--fg:#e2e4e9;--link:#8fa8f5;--bar:#2b3990}}" +
  "body{margin:0;background:var(--bg);color:var(--fg);line-height:1.6;" +
  "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans',sans-serif}" +
  "header{background:var(--bar);color:#fff;padding:.9rem 1.2rem;font-weight:700}" +
  "main{max-width:38rem;margin:0 auto;padding:2rem 1.2rem 3rem}" +
  "h1{font-size:1.8rem;font-weight:400;margin:0 0 1rem}h2{font-size:1.2rem}" +
  "li{margin:.35rem 0}a{color:var(--link);text-underline-offset:.15em}" +
  "a:focus-visible{outline:2px solid var(--fg);outline-offset:2px}";
