// Waspada /cek: paste a job offer's text, see the warning signs it shows. A plain browser script
// with no build step, loaded by cek.html. As in the chat: everything from the server reaches the
// page as text (textContent), never as HTML; no inline code or styles (strict CSP). The text is
// sent once to POST api/v1/assess and kept nowhere, not even in sessionStorage.
'use strict';

(() => {
  // Relative, as in the chat: the page keeps working under a reverse proxy's prefix.
  const API_PATH = 'api/v1/assess';
  const MAX_CHARS = 10000;

  const NOTICES = {
    empty: 'Tempel teks tawaran kerja dulu. / Paste the text of an offer first.',
    network:
      'Maaf, koneksi terputus. Silakan coba lagi. / Sorry, the connection failed. Please try again.',
    server:
      'Maaf, ada gangguan di sisi kami. Silakan coba lagi sebentar lagi. / ' +
      'Sorry, something went wrong on our side. Please try again shortly.',
    rejected:
      'Maaf, teks ini tidak dapat diperiksa. / Sorry, this text could not be checked.',
  };
  const CHECKING = 'Memeriksa… / Checking…';
  const DONE = 'Selesai. / Done.';
  const BUSY = (s) =>
    `Terlalu banyak pemeriksaan dalam waktu singkat. Coba lagi dalam ${s} detik. / ` +
    `Too many checks at once. Try again in ${s} seconds.`;
  // Shown before each quote, in the language of the result.
  const IN_TEXT = { id: 'Dalam teks:', en: 'In the text:' };

  const form = document.getElementById('cek-form');
  const textarea = document.getElementById('ad');
  const count = document.getElementById('ad-count');
  const langSelect = document.getElementById('lang');
  const error = document.getElementById('error');
  const submit = document.getElementById('submit');
  const status = document.getElementById('status');
  const result = document.getElementById('result');
  const title = document.getElementById('result-title');
  const body = document.getElementById('result-body');

  let pending = false;

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
  }

  function clearError() {
    error.textContent = '';
    error.hidden = true;
  }

  function updateCount() {
    count.textContent = `${textarea.value.length} / ${MAX_CHARS}`;
  }

  /** The answer's parts that the page shows; anything malformed is left out. */
  function readAnswer(data) {
    if (!data || typeof data !== 'object' || !['low', 'medium', 'high'].includes(data.level)) return null;
    const advice = Array.isArray(data.advice) ? data.advice.filter((a) => typeof a === 'string') : [];
    const signs = Array.isArray(data.signs)
      ? data.signs.filter((s) => s && typeof s.id === 'string' && typeof s.evidence === 'string')
      : [];
    return { level: data.level, advice, signs };
  }

  function paragraph(className, text) {
    const p = document.createElement('p');
    p.className = className;
    p.textContent = text;
    return p;
  }

  /**
   * The result as the chat words it: the line for the level, then each sign with why it matters
   * and the safe way (advice[1..], in the order of the signs), each with the words of the text
   * that show it.
   */
  function render(answer, lang) {
    const parts = [];
    const level = paragraph(`text level level--${answer.level}`, answer.advice[0] || '');
    parts.push(level);
    if (answer.signs.length > 0) {
      const list = document.createElement('ul');
      list.className = 'signs';
      answer.signs.forEach((sign, i) => {
        const item = document.createElement('li');
        item.className = `sign sign--${typeof sign.severity === 'string' ? sign.severity.replace(/[^a-z]/g, '') : 'minor'}`;
        item.append(paragraph('text', answer.advice[i + 1] || sign.id));
        if (sign.evidence) {
          const quote = document.createElement('blockquote');
          quote.className = 'evidence';
          const label = document.createElement('span');
          label.className = 'evidence-label';
          label.textContent = `${IN_TEXT[lang] || IN_TEXT.id} `;
          const words = document.createElement('q');
          words.textContent = sign.evidence;
          quote.append(label, words);
          item.append(quote);
        }
        list.append(item);
      });
      parts.push(list);
    }
    body.replaceChildren(...parts);
    body.lang = lang;
    result.hidden = false;
    // Keyboard and screen-reader users land on the result; everyone sees it from its top.
    title.focus({ preventScroll: true });
    result.scrollIntoView({ block: 'start', behavior: 'auto' });
  }

  async function check(text, lang) {
    let res;
    try {
      res = await fetch(API_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ text, lang }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return { error: NOTICES.network };
    }
    if (res.status === 429) {
      const seconds = Math.max(1, Math.min(3600, parseInt(res.headers.get('retry-after') || '60', 10) || 60));
      return { error: BUSY(seconds) };
    }
    if (!res.ok) return { error: res.status >= 500 ? NOTICES.server : NOTICES.rejected };
    try {
      const answer = readAnswer(await res.json());
      return answer ? { answer } : { error: NOTICES.server };
    } catch {
      return { error: NOTICES.server };
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (pending) return;
    const text = textarea.value;
    if (!text.trim()) {
      showError(NOTICES.empty);
      textarea.focus();
      return;
    }
    const lang = langSelect.value === 'en' ? 'en' : 'id';
    clearError();
    pending = true;
    submit.disabled = true;
    result.setAttribute('aria-busy', 'true');
    status.textContent = CHECKING;
    try {
      const outcome = await check(text, lang);
      if (outcome.answer) {
        status.textContent = DONE;
        render(outcome.answer, lang);
      } else {
        status.textContent = '';
        showError(outcome.error);
      }
    } finally {
      pending = false;
      submit.disabled = false;
      result.setAttribute('aria-busy', 'false');
    }
  });

  textarea.addEventListener('input', () => {
    updateCount();
    if (!error.hidden && textarea.value.trim()) clearError();
  });
  updateCount();
})();
