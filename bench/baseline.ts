/**
 * The baseline: the least a webhook receiver on this machine can do with the same requests —
 * verify the HMAC over the raw body, one Redis SET, answer 200. Run as its own process by the
 * benchmark (PORT, REDIS_URL, APP_SECRET from the environment).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { createClient } from 'redis';

const redis = createClient({ url: process.env.REDIS_URL, RESP: 2 });
await redis.connect();
const secret = process.env.APP_SECRET ?? '';
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/webhooks/whatsapp', async (request, reply) => {
  const raw = request.body as Buffer;
  const given = Buffer.from(String(request.headers['x-hub-signature-256'] ?? '').replace('sha256=', ''), 'hex');
  const expected = createHmac('sha256', secret).update(raw).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send();
  const id = /"id":"([^"]+)"/.exec(raw.toString('utf8'))?.[1] ?? 'x';
  await redis.set(`baseline:${id}`, '1', { PX: 600_000 });
  return { ok: true };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void app.close().then(() => redis.close()).then(() => process.exit(0));
});
