// Waspada web chat: a plain browser script with no build step, loaded by index.html.
// Rules it keeps: everything the bot or the person writes reaches the page as text
// (textContent), never as HTML; no inline code or styles (the page runs under a strict CSP);
// the session id lives in sessionStorage so that it vanishes with the tab on a shared phone.
// While the person is connected to hotline staff (an answer says `staff: true`), the page asks
// for the staff's replies every few seconds, only while the tab is visible.
'use strict';

(() => {
  // Relative on purpose: the page is served at the app's root, and a relative path keeps
  // working when a reverse proxy mounts the whole app under a prefix.
  const API_PATH = 'api/v1/chat/messages';
  const UPDATES_PATH = 'api/v1/chat/updates';
  const SESSION_KEY = 'waspada.session';
  // The id of the last message fetched from the updates, so that a reload does not show it again.
  const AFTER_KEY = 'waspada.after';
  const AFTER_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
  const POLL_MS = 3000;
  // The first ask comes sooner: the case number is usually there within a second.
  const FIRST_POLL_MS = 1000;
  const MAX_POLL_BACKOFF_MS = 60000;
  // After `staff: false` the page asks a few more times: the staff's closing words may still be
  // on their way to the inbox.
  const POLLS_AFTER_STAFF = 2;
  const SESSION_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
  // A retry reuses the message id, so the server deduplicates it instead of answering twice.
  const RETRY_DELAYS_MS = [800, 2500];

  const NOTICES = {
    network:
      'Maaf, koneksi terputus dan pesan belum terkirim. Silakan coba lagi. / ' +
      'Sorry, the connection failed and your message was not sent. Please try again.',
    server:
      'Maaf, ada gangguan di sisi kami. Silakan coba lagi sebentar lagi. / ' +
      'Sorry, something went wrong on our side. Please try again shortly.',
    busy:
      'Terlalu banyak pesan dalam waktu singkat. Tunggu sebentar, lalu coba lagi. / ' +
      'Too many messages at once. Please wait a moment and try again.',
    rejected:
      'Maaf, pesan ini tidak dapat diproses. Coba tulis dengan cara lain, atau ketik "menu". / ' +
      'Sorry, this message could not be processed. Try writing it another way, or type "menu".',
    cleared:
      'Layar dan sesi ini sudah dibersihkan. Data di server tidak ikut terhapus: untuk itu, ' +
      'ketik "hapus" di percakapan. / This screen and session were cleared. This does not ' +
      'erase data on the server: to do that, type "hapus" in the chat.',
  };
  const NOT_SENT = 'Belum terkirim / Not sent';

  const chat = document.getElementById('chat');
  const log = document.getElementById('log');
  const typing = document.getElementById('typing');
  const form = document.getElementById('composer');
  const input = document.getElementById('input');
  const clearButton = document.getElementById('clear');

  // Clear bumps the generation; answers that belong to an older generation are dropped.
  let generation = 0;
  let pending = 0;
  let memorySession = null;
  let memoryAfter = null;
  // Requests go one at a time, in the order the person sent them.
  let queue = Promise.resolve();

  /** Hex string of `bytes` random bytes (getRandomValues works on plain http too). */
  function randomHex(bytes) {
    const buf = new Uint8Array(bytes);
    crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** A client message id; crypto.randomUUID exists only in secure contexts. */
  function newMessageId() {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const h = randomHex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  /** The session id of this tab, created on first use. */
  function getSession() {
    let id = null;
    try {
      id = sessionStorage.getItem(SESSION_KEY);
    } catch {
      id = memorySession; // storage blocked (privacy settings): keep it for this page only
    }
    if (!id || !SESSION_PATTERN.test(id)) {
      id = randomHex(16);
      memorySession = id;
      try {
        sessionStorage.setItem(SESSION_KEY, id);
      } catch {
        // kept in memory only
      }
    }
    return id;
  }

  function forgetSession() {
    memorySession = null;
    memoryAfter = null;
    try {
      sessionStorage.removeItem(SESSION_KEY);
      sessionStorage.removeItem(AFTER_KEY);
    } catch {
      // nothing stored
    }
  }

  /** The id of the last message shown from the updates, if any. */
  function getAfter() {
    let id = memoryAfter;
    try {
      id = sessionStorage.getItem(AFTER_KEY);
    } catch {
      // storage blocked: the copy in memory
    }
    return id && AFTER_PATTERN.test(id) ? id : null;
  }

  function setAfter(id) {
    memoryAfter = id;
    try {
      sessionStorage.setItem(AFTER_KEY, id);
    } catch {
      // kept in memory only
    }
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Keeps only well-formed messages and choices from an answer. */
  function readMessages(data) {
    const list = data && Array.isArray(data.messages) ? data.messages : [];
    const out = [];
    for (const m of list) {
      if (!m || typeof m !== 'object') continue;
      const choices = Array.isArray(m.choices)
        ? m.choices.filter((c) => c && typeof c.id === 'string' && typeof c.label === 'string')
        : [];
      const text = typeof m.text === 'string' ? m.text : '';
      if (text || choices.length) out.push({ text, choices });
    }
    return out;
  }

  /** Posts one message, retrying network failures and 5xx with the same id. */
  async function post(body) {
    const payload = Object.assign({ session: getSession(), id: newMessageId() }, body);
    let failure = 'network';
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]);
      let res;
      try {
        res = await fetch(API_PATH, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(payload),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch {
        failure = 'network';
        continue;
      }
      if (res.ok) {
        try {
          const data = await res.json();
          return { ok: true, messages: readMessages(data), staff: Boolean(data && data.staff === true) };
        } catch {
          return { ok: false, notice: 'server' };
        }
      }
      if (res.status >= 500) {
        failure = 'server';
        continue;
      }
      // 4xx: asking again would get the same answer (and a 429 would only make it worse).
      return { ok: false, notice: res.status === 429 ? 'busy' : 'rejected' };
    }
    return { ok: false, notice: failure };
  }

  function setPending(delta) {
    pending += delta;
    const busy = pending > 0;
    log.setAttribute('aria-busy', busy ? 'true' : 'false');
    typing.hidden = !busy;
    if (busy) scrollToBottom();
  }

  function scrollToBottom() {
    chat.scrollTop = chat.scrollHeight;
  }

  /** Shows new bot messages from their start, so a long result is read from the top. */
  function reveal(first) {
    const below = chat.scrollHeight - first.offsetTop;
    if (below <= chat.clientHeight) scrollToBottom();
    else chat.scrollTop = Math.max(0, first.offsetTop - 8);
  }

  function addBubble(role, text, fromStaff) {
    const item = document.createElement('div');
    item.className = `msg msg--${role}`;
    if (fromStaff) item.classList.add('from-staff');
    const who = document.createElement('span');
    who.className = 'visually-hidden';
    who.textContent = fromStaff ? 'Petugas hotline / Hotline staff: ' : role === 'bot' ? 'Waspada: ' : 'Anda / You: ';
    const body = document.createElement('p');
    body.className = 'text';
    body.textContent = text;
    item.append(who, body);
    log.append(item);
    return item;
  }

  function addNotice(text) {
    const item = document.createElement('div');
    item.className = 'notice';
    item.textContent = text;
    log.append(item);
    scrollToBottom();
    return item;
  }

  function addBotMessage(message, fromStaff) {
    const item = addBubble('bot', message.text, fromStaff);
    if (message.choices.length > 0) {
      const group = document.createElement('div');
      group.className = 'choices';
      for (const choice of message.choices) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'choice';
        button.textContent = choice.label;
        button.dataset.choiceId = choice.id;
        button.addEventListener('click', () => onChoice(button, choice));
        group.append(button);
      }
      item.append(group);
    }
    return item;
  }

  /** Disables every enabled choice button, so an old question cannot be answered again. */
  function disableChoices() {
    const buttons = Array.from(log.querySelectorAll('button.choice:not(:disabled)'));
    for (const b of buttons) b.disabled = true;
    return buttons;
  }

  /** After a failed send, gives back the buttons of the newest bot message only. */
  function restoreChoices(buttons) {
    const bots = log.querySelectorAll('.msg--bot');
    const newest = bots[bots.length - 1];
    for (const b of buttons) {
      if (newest && newest.contains(b)) {
        b.disabled = false;
        b.classList.remove('chosen');
      }
    }
  }

  function markNotSent(bubble) {
    bubble.classList.add('msg--failed');
    const mark = document.createElement('span');
    mark.className = 'status';
    mark.textContent = NOT_SENT;
    bubble.append(mark);
  }

  /**
   * Queues one message to the server and renders the answer.
   * opts.disabled: buttons disabled by this answer; opts.bubble: the person's bubble;
   * opts.text: typed text to give back on failure; opts.button: the button pressed, refocused
   * if the failure gives it back; opts.focusChoices: move focus to the
   * first new button (the person answered with a button, whose focus just went away).
   */
  function send(body, opts) {
    const gen = generation;
    setPending(1);
    const task = async () => {
      if (gen !== generation) return;
      const result = await post(body);
      if (gen !== generation) return;
      if (result.ok) {
        staffAnswer(result.staff);
        let first = null;
        let firstButton = null;
        for (const message of result.messages) {
          const item = addBotMessage(message);
          if (!first) first = item;
          if (!firstButton) firstButton = item.querySelector('button.choice');
        }
        if (first) reveal(first);
        if (opts.focusChoices && firstButton) firstButton.focus({ preventScroll: true });
        return;
      }
      if (opts.disabled) restoreChoices(opts.disabled);
      if (opts.bubble) markNotSent(opts.bubble);
      if (opts.text && !input.value) input.value = opts.text;
      if (opts.button && !opts.button.disabled) opts.button.focus({ preventScroll: true });
      addNotice(NOTICES[result.notice] || NOTICES.server);
    };
    queue = queue
      .then(task)
      .catch(() => {
        // a rendering error must not stop the queue
      })
      .finally(() => setPending(-1));
    return queue;
  }

  function onChoice(button, choice) {
    if (button.disabled) return;
    const disabled = disableChoices();
    button.classList.add('chosen');
    const bubble = addBubble('user', choice.label);
    scrollToBottom();
    send({ choice: choice.id }, { disabled, bubble, button, focusChoices: true });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const disabled = disableChoices();
    const bubble = addBubble('user', text);
    scrollToBottom();
    send({ text }, { disabled, bubble, text });
  });

  // ---- Replies from hotline staff ----------------------------------------------------------
  // 'off': not asked; 'on': asked every POLL_MS; 'ending': a few more times, then 'off'.
  let staffMode = 'off';
  let pollsLeft = 0;
  let pollTimer = null;
  let polling = false;
  let pollFailures = 0;

  /** What an answer said about staff: start asking for their replies, or wind down. */
  function staffAnswer(staff) {
    if (staff) {
      const wasOff = staffMode === 'off';
      staffMode = 'on';
      if (wasOff) schedulePoll(FIRST_POLL_MS);
    } else if (staffMode === 'on') {
      staffMode = 'ending';
      pollsLeft = POLLS_AFTER_STAFF;
    }
  }

  function stopPolling() {
    staffMode = 'off';
    clearTimeout(pollTimer);
    pollTimer = null;
  }

  function schedulePoll(ms) {
    clearTimeout(pollTimer);
    pollTimer = staffMode === 'off' ? null : setTimeout(poll, ms);
  }

  /** Keeps only well-formed inbox items. */
  function readUpdates(data) {
    const list = data && Array.isArray(data.messages) ? data.messages : [];
    const out = [];
    for (const m of list) {
      if (!m || typeof m.id !== 'string' || !AFTER_PATTERN.test(m.id)) continue;
      const [message] = readMessages({ messages: [m] });
      out.push({ id: m.id, fromStaff: m.from === 'staff', message: message || null });
    }
    return out;
  }

  /** Asks once for new messages; a hidden tab is not asked for (visibilitychange resumes it). */
  async function poll() {
    pollTimer = null;
    if (staffMode === 'off' || polling || document.visibilityState !== 'visible') return;
    const gen = generation;
    polling = true;
    let delay = POLL_MS;
    try {
      const after = getAfter();
      const res = await fetch(UPDATES_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(after ? { session: getSession(), after } : { session: getSession() }),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const data = await res.json();
      if (gen !== generation) return;
      pollFailures = 0;
      showUpdates(readUpdates(data));
      if (staffMode === 'ending') {
        pollsLeft -= 1;
        if (data && data.staff === true) staffMode = 'on';
        else if (pollsLeft <= 0) staffMode = 'off';
      } else if (!(data && data.staff === true)) {
        staffMode = 'ending';
        pollsLeft = POLLS_AFTER_STAFF;
      }
    } catch {
      // The network or the server: ask again, less and less often (and no longer once staff have gone).
      pollFailures += 1;
      if (staffMode === 'ending' && (pollsLeft -= 1) <= 0) staffMode = 'off';
      delay = Math.min(MAX_POLL_BACKOFF_MS, POLL_MS * 2 ** pollFailures);
    } finally {
      polling = false;
      if (gen === generation) schedulePoll(delay);
    }
  }

  /** Shows fetched messages as bot messages (staff replies marked), and remembers the last id. */
  function showUpdates(items) {
    if (items.length === 0) return;
    let first = null;
    for (const item of items) {
      if (item.message) {
        // A new question from the bot (the menu after the case closed) closes the older ones.
        if (item.message.choices.length > 0) disableChoices();
        const bubble = addBotMessage(item.message, item.fromStaff);
        if (!first) first = bubble;
      }
      setAfter(item.id);
    }
    if (first) reveal(first);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && staffMode !== 'off' && !polling) schedulePoll(0);
  });

  clearButton.addEventListener('click', () => {
    generation += 1;
    stopPolling();
    log.replaceChildren();
    forgetSession();
    input.value = '';
    addNotice(NOTICES.cleared);
    // A fresh session starts at the welcome, as a new visitor would.
    send({ start: '' }, {});
  });

  // Deep links from posters: /?start=check|report|abroad|sos. An empty start is the welcome.
  const start = (new URLSearchParams(window.location.search).get('start') || '').slice(0, 64);
  // The log starts aria-busy in the HTML; this send takes it over and clears it when done.
  send({ start }, {});
})();
