/**
 * Redis memory per idle session: `INFO memory` before and after 100,000 WhatsApp people have each
 * sent one message (and so hold a session at the menu plus the id of that message), and after
 * 10,000 more have stopped half-way through a check (the largest idle session). The outbox is
 * drained first, as the senders would. Also the round trips per message. Starts its own
 * redis-server on loopback. Part of `npm run bench`.
 */
import { createClient } from 'redis';
import { createPipeline } from '../src/conversation/pipeline.js';
import { loadEngine } from '../src/content/engine.js';
import { createRedisStore } from '../src/storage/redis.js';
import { startRedis } from '../tests/support/redisServer.js';
import { fileURLToPath } from 'node:url';
import { testDataKeys } from '../tests/support/dataKey.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const engine = loadEngine({ flowsDir: root('flows'), localesDir: root('locales') }, 'id', 24 * 3600 * 1000);
/** Redis bytes per idle session and round trips per message (see the file comment). */
export async function measureRedisMemory(): Promise<Record<string, number | string | Record<string, number> | undefined>> {
  const server = await startRedis();
  const store = createRedisStore({ url: server.url, dataKeys: testDataKeys });
  await store.ready();
  const admin = createClient({ url: server.url });
  await admin.connect();
  const pipeline = createPipeline({ engine, store, log: { info: () => undefined, warn: () => undefined }, now: Date.now, sessionRetentionMs: 48 * 3600 * 1000 });

  const usedMemory = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);

  /** Runs `count` people through `inputs` with `concurrency` people at a time. */
  async function people(prefix: string, count: number, inputs: string[], concurrency = 200): Promise<{ messages: number; seconds: number }> {
    let next = 0;
    let messages = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const n = next++;
          for (const [i, text] of inputs.entries()) {
            // Telegram-sized ids and WhatsApp-like message ids, as in production.
            await pipeline.handle({ channel: 'whatsapp', userId: `${prefix}${6281200000000 + n}`, messageId: `wamid.HBgLNjI4MTIzNDU2Nzg5FQIAEhgg${prefix}${n}x${i}`, input: { kind: 'text', text } });
            messages += 1;
          }
        }
      }),
    );
    return { messages, seconds: (performance.now() - started) / 1000 };
  }

  /** Acknowledges everything in the outbox, as the senders would once they have delivered it. */
  async function drainOutbox(): Promise<void> {
    for (let items = await store.claimOutbox('bench', 4096); items.length > 0; items = await store.claimOutbox('bench', 4096)) await store.ackOutbox(items);
  }

  const base = await usedMemory();
  const trips0 = store.roundTrips();
  const menu = await people('m', 100_000, ['halo']);
  const trips = store.roundTrips() - trips0;
  await drainOutbox();
  const afterMenu = await usedMemory();
  const trips1 = store.roundTrips();
  const midCheck = await people('c', 10_000, ['halo', '1', 'kamboja', 'admin', 'calo', 'visa turis', 'nanti']);
  const tripsMid = store.roundTrips() - trips1;
  await drainOutbox();
  const afterMid = await usedMemory();
  const sessionBytes = Number(await admin.memoryUsage(store.layout.session({ channel: 'whatsapp', id: 'm6281200000000' })));
  const midSessionBytes = Number(await admin.memoryUsage(store.layout.session({ channel: 'whatsapp', id: 'c6281200000000' })));

  const figures = {
    benchmark: 'redis memory per idle session',
    redis: (await admin.info('server')).match(/redis_version:(\S+)/)?.[1],
    sessions_at_menu: 100_000,
    bytes_per_session_at_menu_incl_inbound_id: Math.round((afterMenu - base) / 100_000),
    sessions_mid_check: 10_000,
    bytes_per_session_mid_check_incl_7_inbound_ids: Math.round((afterMid - afterMenu) / 10_000),
    memory_usage_of_one_session_key: { at_menu: sessionBytes, mid_check: midSessionBytes },
    round_trips_per_message: +(trips / menu.messages).toFixed(3),
    round_trips_per_message_mid_check: +(tripsMid / midCheck.messages).toFixed(3),
    messages_per_second_single_process: Math.round((menu.messages + midCheck.messages) / (menu.seconds + midCheck.seconds)),
  };
  await admin.close();
  await store.close();
  await server.stop();
  return figures;
}
