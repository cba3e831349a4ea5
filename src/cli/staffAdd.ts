/**
 * `npm run staff:add -- <username> [--name "Sari Wulandari"] [--replace]` creates an account for
 * the web console (or, with --replace, sets a new password, which signs out its sessions).
 * The password is asked twice without echo, or read from stdin when piped:
 * `printf '%s\n' "$PASSWORD" | npm run staff:add -- sari`.
 * Needs REDIS_URL or REDIS_CLUSTER_NODES: an account in the in-memory store would exist only in
 * this command's own process and vanish when it ends.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { addStaff, normaliseUsername, passwordProblem, StaffAccountError } from '../console/staffAccounts.js';
import { readNewPassword } from './readSecret.js';
import { openSharedStore, UsageError } from './sharedStore.js';

const USAGE = 'usage: npm run staff:add -- <username> [--name "Display Name"] [--replace]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { name: { type: 'string' }, replace: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(USAGE);
  const config = parseConfig(process.env);
  // Checked before the password is asked for, so nobody types it for nothing.
  const username = normaliseUsername(positionals[0]);
  if (!username) throw new StaffAccountError('The username must be 2–32 characters: lower-case letters, digits, ".", "_" or "-".');
  const store = await openSharedStore(config);
  try {
    const password = await readNewPassword();
    const problem = passwordProblem(password);
    if (problem) throw new StaffAccountError(problem);
    const account = await addStaff(store, { username, password, ...(values.name !== undefined ? { displayName: values.name } : {}) }, { now: Date.now(), ...(values.replace ? { replace: true } : {}) });
    console.log(`${values.replace ? 'Password set for' : 'Created'} the console account "${account.username}". Sign in at /console/login.`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
