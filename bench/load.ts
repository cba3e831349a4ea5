/**
 * The load generator, in its own process so that it does not share the app's event loop:
 * autocannon sends every simulated person's walk, step by step across all people (so one
 * person never has two messages in flight), as signed WhatsApp webhooks and Telegram updates.
 * Reads its job from LOAD_JOB (JSON) and prints its figures as JSON.
 */
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { chatOf, phoneOf, WALK } from './walk.js';

interface Job {
  url: string;
  people: number;
  connections: number;
  /** `both`: even people on WhatsApp, odd on Telegram; `whatsapp`: all on WhatsApp (the baseline). */
  mix: 'both' | 'whatsapp';
  appSecret: string;
  telegramSecret: string;
  phoneNumberId: string;
  /** Distinguishes message ids between runs against the same Redis. */
  runId: string;
}

const job = JSON.parse(process.env.LOAD_JOB ?? '{}') as Job;
const total = job.people * WALK.length;
let next = 0;

/** The request for the n-th message: step ⌊n / people⌋ of person n mod people. */
function request(n: number): { path: string; headers: Record<string, string>; body: string } {
  const person = n % job.people;
  const k = Math.floor(n / job.people);
  const text = WALK[k] ?? 'menu';
  const now = Math.floor(Date.now() / 1000);
  if (job.mix === 'whatsapp' || person % 2 === 0) {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '6281110002000', phone_number_id: job.phoneNumberId },
        contacts: [{ profile: { name: 'B' }, wa_id: phoneOf(person) }],
        messages: [{ from: phoneOf(person), id: `wamid.${job.runId}.${person}.${k}`, timestamp: String(now), type: 'text', text: { body: text } }],
      } }] }],
    });
    const signature = `sha256=${createHmac('sha256', job.appSecret).update(body).digest('hex')}`;
    return { path: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body };
  }
  const chat = chatOf(person);
  const body = JSON.stringify({
    update_id: person * 100 + k,
    message: { message_id: k + 1, date: now, chat: { id: chat, type: 'private', first_name: 'B' }, from: { id: chat, is_bot: false, first_name: 'B', language_code: 'id' }, text },
  });
  return { path: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': job.telegramSecret }, body };
}

const instance = autocannon(
  {
    url: job.url,
    connections: job.connections,
    amount: total,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const r = request(next++);
          return { ...req, method: 'POST', path: r.path, headers: r.headers, body: r.body };
        },
      },
    ],
  },
  (err, result) => {
    if (err) {
      console.error(err.message);
      process.exit(1);
    }
    const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
    console.log(
      JSON.stringify({
        requests: result.requests.total,
        seconds,
        perSecond: result.requests.total / seconds,
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        finishedAt: result.finish.getTime(),
      }),
    );
  },
);
process.on('SIGTERM', () => instance.stop());
