/**
 * `npm run staff:remove -- <username>` deletes a console account; its open sessions stop working
 * at their next request. Needs REDIS_URL or REDIS_CLUSTER_NODES, like staff:add.
 */
import { parseConfig } from '../config.js';
import { removeStaff } from '../console/staffAccounts.js';
import { openSharedStore, UsageError } from './sharedStore.js';

async function main(): Promise<void> {
  const [username, ...rest] = process.argv.slice(2);
  if (!username || rest.length > 0) throw new UsageError('usage: npm run staff:remove -- <username>');
  const store = await openSharedStore(parseConfig(process.env));
  try {
    if (!(await removeStaff(store, username))) throw new UsageError(`There is no console account "${username}".`);
    console.log(`Removed the console account "${username}"; its sessions have ended.`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
