// Waspada console: keeps the queue and a case's timeline current without reloading the page.
//
// Why not <meta http-equiv="refresh">: a reload throws away a reply being typed, moves the
// focus, and makes a screen reader start the page over. Instead the queue table is swapped in
// place every 10 s (the server renders it, so rows are built and escaped in one place only),
// and a case page asks every 3 s for the timeline entries after the last one it shows.
// Without JavaScript every page still works; it just needs a reload to show news.
/* global document, location, fetch, DOMParser, setTimeout, URL */
'use strict';

(function () {
  var QUEUE_MS = 10000;
  var TIMELINE_MS = 3000;
  var MAX_BACKOFF_MS = 30000;

  var main = document.getElementById('main');
  if (!main) return;
  if (main.dataset.live === 'queue') startQueue();
  else if (main.dataset.case) startTimeline(main.dataset.case, Number(main.dataset.after || '0'), main.dataset.state || '');

  function signedOut(res) {
    return res.redirected && new URL(res.url).pathname === '/console/login';
  }

  function startQueue() {
    function refresh() {
      fetch(location.href, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html' } })
        .then(function (res) {
          if (signedOut(res)) {
            location.reload();
            return null;
          }
          return res.ok ? res.text() : null;
        })
        .then(function (text) {
          if (text) swapQueue(new DOMParser().parseFromString(text, 'text/html'));
        })
        .catch(function () {
          // A network hiccup: the last table stays, the next round tries again.
        })
        .then(function () {
          setTimeout(refresh, QUEUE_MS);
        });
    }
    setTimeout(refresh, QUEUE_MS);
  }

  function swapQueue(doc) {
    var fresh = doc.getElementById('queue');
    var current = document.getElementById('queue');
    if (!fresh || !current) return;
    // Keep the keyboard focus on the same case link if it was in the table.
    var focused = document.activeElement;
    var row = focused && current.contains(focused) ? focused.closest('tr[data-id]') : null;
    var focusedId = row ? row.getAttribute('data-id') : null;
    current.replaceWith(document.adoptNode(fresh));
    if (focusedId) {
      var link = document.querySelector('#queue tr[data-id="' + focusedId + '"] a');
      if (link) link.focus();
    }
    // The overdue sentence sits in a live region: changing its text is what gets announced.
    var alertFresh = doc.getElementById('queue-alert');
    var alertCurrent = document.getElementById('queue-alert');
    if (alertFresh && alertCurrent && alertFresh.textContent !== alertCurrent.textContent) {
      alertCurrent.textContent = alertFresh.textContent;
      alertCurrent.className = alertFresh.className;
    }
    document.title = doc.title;
  }

  function startTimeline(id, after, state) {
    var list = document.getElementById('timeline');
    var statusText = document.getElementById('case-status');
    var note = document.getElementById('timeline-status');
    var changed = document.getElementById('case-changed');
    var last = after;
    var failures = 0;
    if (!list) return;
    list.scrollTop = list.scrollHeight;

    function poll() {
      var url = '/console/cases/' + encodeURIComponent(id) + '/timeline?after=' + last;
      fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
        .then(function (res) {
          if (res.status === 401) {
            note.textContent = 'You are signed out. Reload the page to sign in again.';
            return 'stop';
          }
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json().then(function (data) {
            show(data);
            failures = 0;
            note.textContent = '';
          });
        })
        .catch(function () {
          failures += 1;
          note.textContent = 'Live updates are paused: the server does not answer. Trying again…';
        })
        .then(function (result) {
          if (result === 'stop') return;
          setTimeout(poll, Math.min(MAX_BACKOFF_MS, TIMELINE_MS * Math.pow(2, failures)));
        });
    }

    function show(data) {
      var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      data.entries.forEach(function (entry) {
        if (entry.n <= last) return;
        list.appendChild(entryItem(entry));
        last = entry.n;
      });
      if (atBottom) list.scrollTop = list.scrollHeight;
      if (statusText && statusText.textContent !== data.status) statusText.textContent = data.status;
      // Someone else claimed, muted or closed: the forms on this page may no longer apply.
      if (changed && data.state !== state) changed.hidden = false;
    }

    setTimeout(poll, TIMELINE_MS);
  }

  // The same markup as entryItem() in src/console/pages.ts.
  function entryItem(v) {
    var li = document.createElement('li');
    li.className = 'entry entry--' + v.kind + (v.alert ? ' entry--alert' : '');
    li.dataset.n = String(v.n);
    var meta = document.createElement('p');
    meta.className = 'meta';
    var who = document.createElement('strong');
    who.className = 'who';
    who.textContent = v.who;
    var what = document.createElement('span');
    what.className = 'what';
    what.textContent = v.what;
    var time = document.createElement('time');
    time.dateTime = v.at;
    time.textContent = v.time;
    meta.append(who, ' ', what, ' ', time);
    li.appendChild(meta);
    if (typeof v.text === 'string') {
      var text = document.createElement('p');
      text.className = 'text';
      text.textContent = v.text;
      li.appendChild(text);
    }
    return li;
  }
})();
