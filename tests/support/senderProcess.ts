/**
 * A sender in its own process, for the crash test: drains the outbox of REDIS_URL and posts
 * each entry to TARGET_URL. The test kills it with SIGKILL in the middle of a batch.
 */
import { createOutboxWorker } from '../../src/conversation/outboxWorker.js';
import { createRedisStore } from '../../src/storage/redis.js';
import { postTo } from './httpTarget.js';
import { testDataKeys } from './dataKey.js';

const store = createRedisStore({ url: process.env.REDIS_URL ?? '', dataKeys: testDataKeys });
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
await store.ready();
createOutboxWorker({ store, consumer: 'doomed-sender', deliver: postTo(process.env.TARGET_URL ?? ''), log: quiet, batch: 50 }).start();
process.stdout.write('started\n');
