/**
 * The Lua scripts of the Redis store. Each runs atomically on one shard's slot (all its keys
 * share the shard's hash tag; see keys.ts).
 */
import { createHash } from 'node:crypto';

/** A script with its SHA1, for EVALSHA. */
export interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Appends outbox entries ARGV[from]… to the stream KEYS[key], one stream entry each with the
 * field `e` (read back by the store's claims). Shared by the scripts that write the outbox, so
 * that every entry has the same form whoever wrote it. No MAXLEN: entries leave only when acked.
 */
const appendEntries = (key: number, from: number): string => `for i = ${from}, #ARGV do redis.call('XADD', KEYS[${key}], '*', 'e', ARGV[i]) end`;

/**
 * One conversation step, all or nothing.
 * KEYS: 1 session, 2 inbound id (a placeholder when there is none), 3 outbox stream, 4 the list of
 * the person's inbound ids that hold a reply (the web chat's), 5… other keys of the person (erased
 * with the session).
 * ARGV: 1 expected version, 2 `save` | `erase`, 3 session JSON, 4 session TTL ms, 5 inbound TTL
 * ms, 6 `1` when there is an inbound id, 7 the value recorded with it, 8… outbox entries (JSON).
 * Returns `duplicate`, `conflict` or `ok`.
 */
export const COMMIT = script(`
if ARGV[6] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 'duplicate' end
local current = redis.call('GET', KEYS[1])
local version = 0
if current then
  local v = string.match(current, '^(%d+):')
  if v then version = tonumber(v) end
end
if version ~= tonumber(ARGV[1]) then return 'conflict' end
if ARGV[2] == 'erase' then
  -- The replies kept for a page's retry quote the person: each id stays handled, as a bare marker.
  -- (These keys are not in KEYS: they share the person's hash tag, so they are on this slot.)
  for _, inbound in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do redis.call('SET', inbound, '1', 'XX', 'KEEPTTL') end
  for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
  -- A tombstone (the next version, no data) instead of nothing: a step computed before the erase
  -- and committed late must not match a fresh version 0 and bring the erased answers back.
  redis.call('SET', KEYS[1], string.format('%d', version + 1) .. ':', 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], string.format('%d', version + 1) .. ':' .. ARGV[3], 'PX', ARGV[4])
end
if ARGV[6] == '1' then
  redis.call('SET', KEYS[2], ARGV[7], 'PX', ARGV[5])
  -- A kept reply is listed, so that an erase finds it (the erase's own reply quotes nobody).
  -- Every one of them: not trimmed, or an erase would miss the oldest. The list is no bigger than
  -- the kept replies themselves, which expire within the hour, as the list does after the last.
  if ARGV[7] ~= '1' and ARGV[2] ~= 'erase' then
    redis.call('RPUSH', KEYS[4], KEYS[2])
    redis.call('PEXPIRE', KEYS[4], ARGV[5])
  end
end
${appendEntries(3, 8)}
return 'ok'
`);

/**
 * Entries written outside a person's step (case events, staff replies), all in one go.
 * KEYS: 1 outbox stream. ARGV: 1… outbox entries (JSON).
 */
export const APPEND_OUTBOX = script(`
${appendEntries(1, 1)}
return 'ok'
`);

/**
 * Acknowledge delivered entries and delete them, so the stream holds only undelivered work.
 * KEYS: 1 outbox stream. ARGV: 1 group, 2… entry ids. Returns the number acknowledged.
 */
export const ACK = script(`
local ids = {}
for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
redis.call('XDEL', KEYS[1], unpack(ids))
return acked
`);

/**
 * Give back entries a consumer claimed (a sender that stops): each looks claimed ARGV[3] ms ago, or
 * as long ago as it was claimed if that is longer, so that a reclaim takes it without waiting. Only
 * entries the consumer still holds: one acknowledged since is gone, and one another sender took over
 * stays theirs. JUSTID: XCLAIM then leaves the delivery count alone (the takeover counts one).
 * KEYS: 1 outbox stream. ARGV: 1 group, 2 consumer, 3 idle ms, 4… entry ids. Returns how many were given back.
 */
export const RELEASE = script(`
local released = 0
for i = 4, #ARGV do
  local held = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])[1]
  if held then
    local idle = math.max(tonumber(held[3]), tonumber(ARGV[3]))
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', string.format('%d', idle), 'JUSTID')
    released = released + 1
  end
end
return released
`);

/**
 * Give up on entries: copy each to the dead-letter stream (capped, and nothing older than the
 * retention: entry ids are times), then acknowledge and delete it.
 * KEYS: 1 outbox stream, 2 dead-letter stream. ARGV: 1 group, 2 oldest id kept (ms), 3… pairs of entry id and delivery count.
 */
export const DEAD_LETTER = script(`
for i = 3, #ARGV, 2 do
  local found = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
  if found[1] then
    local fields = found[1][2]
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', fields[1], fields[2], 'n', ARGV[i + 1])
  end
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
end
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[2])
return 'ok'
`);

/** Delete a key only while it holds the given value (a lock's owner token). KEYS: 1 the key. ARGV: 1 the value. Returns 1 when deleted. */
export const DELETE_IF_EQUALS = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Append to a list, keep its last items, refresh its lifetime. KEYS: 1 list. ARGV: 1 max, 2 TTL ms, 3… values. */
export const LIST_PUSH = script(`
for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'ok'
`);

/** Add to a sorted set (or move a member) and refresh its lifetime. KEYS: 1 the set. ARGV: 1 score, 2 member, 3 TTL ms. */
export const INDEX_ADD = script(`
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'ok'
`);

/**
 * Reserve the next slot of a pace (GCRA): the key holds the theoretical arrival time of the next
 * send; up to ARGV[3] sends may go at once, then one every ARGV[2] ms. With ARGV[4] = '1' the slot
 * is taken only when it is free now, and a refusal leaves the key as it was.
 * KEYS: 1 the pace. ARGV: 1 now (ms), 2 interval (ms), 3 burst, 4 '1' to refuse rather than wait.
 * Returns { how long to wait (ms; 0 when the slot is now), the pace's next free time (ms) } as
 * strings (Lua numbers would be truncated to integers).
 */
export const TAKE_SLOT = script(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local wait = tat - (burst - 1) * interval - now
if wait > 0 and ARGV[4] == '1' then return { string.format('%.3f', wait), string.format('%.3f', tat) } end
redis.call('SET', KEYS[1], string.format('%.3f', tat + interval), 'PX', string.format('%d', math.ceil(tat + interval - now) + 1000))
return { string.format('%.3f', math.max(0, wait)), string.format('%.3f', tat + interval) }
`);

/**
 * Add to counters in a hash and refresh its lifetime; with a marker key, only when the marker is
 * absent (it is set then), so that a redelivered event counts once.
 * KEYS: 1 the hash, 2 the marker (optional). ARGV: 1 TTL ms, 2 the marker's TTL ms, 3… pairs of
 * field and increment. Returns 1 when it counted, 0 when the marker was there.
 */
export const COUNTERS_ADD = script(`
if #KEYS > 1 and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 0 end
for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`);
