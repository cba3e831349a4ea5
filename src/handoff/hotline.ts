/**
 * The hotline desk: where a person's handoff becomes a case, and where staff act on it.
 *
 * - From the person's side it takes the engine's events out of the outbox (a handoff agreed to,
 *   an emergency, a message for staff, the person leaving or erasing) and keeps the case in step.
 * - From the staff side (the Telegram staff group, the web console) it claims, replies, mutes
 *   and closes; every action lands in the case's timeline with who and when (the audit trail),
 *   and the person hears about it through the conversation pipeline, in their own language.
 * - Each change goes out to the staff surfaces (staff group, signed webhook) as outbox entries,
 *   so a surface that is down gets it later and never holds up the others.
 */
import type { ChannelName, EngineEvent, StaffAction } from '../engine/types.js';
import type { Log } from '../conversation/log.js';
import { currentLogIds } from '../logging/logContext.js';
import type { ReportDesk } from '../reports/reportDesk.js';
import type { PersonRef } from '../storage/keys.js';
import type { OutboxEntry, Store } from '../storage/store.js';
import { anonymise, assertCanReply, claim, close, higherPriority, IllegalTransition, openCase, setBotMuted, type Actor, type Case, type CaseReason, type Outcome, type TimelineEntry } from './case.js';
import { publicCase, type CaseEvent, type CaseEventType, type StaffSurface } from './caseEvents.js';
import { CaseNotFound, createCaseStore, type CaseChange } from './caseStore.js';
import { isOnDuty, nextOnDuty, type HotlineHours } from './hotlineHours.js';

/** A staff member as the case records them. */
export interface Staff {
  name: string;
  via: 'telegram' | 'console';
}

/** How the person is told about a staff action: the conversation pipeline, with a stable id per action. */
export type TellPerson = (person: { channel: ChannelName; id: string }, action: StaffAction, actionId: string, caseId: string) => Promise<'ok' | 'gone'>;

export interface HotlineOptions {
  store: Store;
  now: () => number;
  log: Pick<Log, 'info' | 'warn'>;
  tellPerson: TellPerson;
  /** The staff surfaces that are configured (each gets its own outbox entries). */
  surfaces: readonly StaffSurface[];
  hours?: HotlineHours;
  /** An unclaimed urgent or high case is announced again after this long. */
  claimMinutes: number;
  /** Called after case events were written to the outbox, so a local sender starts at once. */
  onQueued?: () => void;
  /** Where a family report (`report_filed`) is stored; without it reports are not kept. */
  reportDesk?: ReportDesk;
  /** Told of each case opened, claimed or closed (the metrics); must not throw. */
  onCaseChange?: (change: 'opened' | 'claimed' | 'closed', c: Case) => void;
}

/** How long a message for staff may wait for its case to open (it can overtake the opening on another sender). */
const OPENING_GRACE_MS = 2 * 60_000;
/** How long an event the desk acted on is remembered (redeliveries come within minutes). */
const EVENT_MARK_TTL_MS = 24 * 60 * 60_000;
/** How long the erase marker is kept (as the pipeline and the channels keep theirs). */
const ERASED_MARKER_TTL_MS = 24 * 60 * 60_000;

/** What acting on one event of a person stored that an erase running meanwhile may have missed. */
interface Written {
  caseId?: string;
  reportId?: string;
}

/** The longest message staff may send in one go (the channels' limit). */
export const MAX_REPLY_CHARS = 4096;

/** Creates the hotline desk. */
export function createHotline(o: HotlineOptions) {
  const cases = createCaseStore(o.store);
  const k = o.store.layout;

  /** Writes one outbox entry per staff surface for each change. */
  async function announce(type: CaseEventType, change: CaseChange, entry?: TimelineEntry): Promise<void> {
    if (o.surfaces.length === 0) return;
    const at = o.now();
    // The request the change comes from (a console action, or the person's message through its delivery): its deliveries' log lines name it.
    const reqId = currentLogIds()?.reqId;
    const entries: OutboxEntry[] = o.surfaces.map((surface) => {
      const event: CaseEvent = { type, delivery: crypto.randomUUID(), at, case: publicCase(change.case), ...(entry ? { entry } : {}) };
      return { kind: 'event', channel: surface, to: change.case.id, at, event: { ...event }, ...(reqId ? { reqId } : {}) };
    });
    await o.store.appendOutbox(k.caseShard(change.case.id), entries);
    o.onQueued?.();
  }

  const entry = (by: Actor, type: TimelineEntry['type'], text?: string): Omit<TimelineEntry, 'n'> => ({ at: o.now(), by, type, ...(text !== undefined ? { text } : {}) });
  const staffActor = (s: Staff): Actor => ({ kind: 'staff', name: s.name, via: s.via });

  /** Tells the person, when the case still has their address; a person who is gone is marked so. */
  async function tell(c: Case, action: StaffAction, actionId: string): Promise<'ok' | 'gone'> {
    if (!c.person) return 'gone';
    const result = await o.tellPerson(c.person, action, actionId, c.id);
    if (result === 'gone') o.log.info({ case: c.id, action: action.type }, 'the person of the case is no longer reachable');
    return result;
  }

  /**
   * Changes the person's open case; undefined when they have none (never opened, or closed
   * meanwhile: the check happens under the case's lock, so a close cannot slip in between).
   */
  async function updateOpenCaseOf(person: PersonRef, fn: (c: Case) => { case: Case; entries: Array<Omit<TimelineEntry, 'n'>> }): Promise<CaseChange | undefined> {
    const id = await cases.caseOf(person);
    if (!id) return undefined;
    try {
      return await cases.update(id, (c) => {
        if (c.status === 'closed') throw new CaseNotFound(`Case #${id} is closed.`);
        return fn(c);
      });
    } catch (err) {
      if (err instanceof CaseNotFound) return undefined;
      throw err;
    }
  }

  /** A case opened now, or the person's open case: how the person's handoff lands. Answers the id of a case it opened. */
  async function openOrJoin(person: PersonRef & { channel: ChannelName }, reason: CaseReason, priority: Case['priority'], summary: Extract<EngineEvent, { type: 'emergency' }>['summary'], seq: string): Promise<string | undefined> {
    let returning = false;
    const joined = await updateOpenCaseOf(person, (c) => {
      returning = !c.personPresent;
      const raised = higherPriority(c.priority, priority);
      const entries = [entry({ kind: 'person' }, returning ? 'person_returned' : 'escalated', reason === 'emergency' ? 'emergency' : undefined)];
      if (raised !== c.priority) entries.push(entry({ kind: 'bot' }, 'escalated', `priority ${raised}`));
      // The session is muted again whenever the person comes back or raises an alarm: the case says so too.
      return { case: { ...c, priority: raised, personPresent: true, botMuted: true, person: { channel: person.channel, id: person.id } }, entries };
    });
    if (joined) {
      await announce('case.updated', joined, joined.added.at(-1));
      // In an emergency the person already has the numbers; the case number again only when they come back.
      if (returning || reason !== 'emergency') await tell(joined.case, { type: 'opened', caseId: joined.case.id, ...dutyOf() }, `opened:${joined.case.id}:${seq}`);
      return undefined;
    }
    // A retry of this event whose first try created the case but failed before linking it (the
    // store timed out): that case is finished, not joined by a second one staff would see twice.
    const earlier = await openedBy(person, seq);
    // The case is among the person's cases from the start, so that an erase reaches it even if the link below fails.
    const change =
      earlier ??
      (await cases.create(
        (id) => openCase(id, o.now(), priority, { reason, ...(summary.level ? { level: summary.level } : {}), signs: summary.signs, ...(summary.flow ? { flow: summary.flow } : {}), answers: summary.answers, lang: summary.lang, channel: person.channel }, { channel: person.channel, id: person.id }, seq),
        [entry({ kind: 'bot' }, 'opened', reason)],
        person,
      ));
    await cases.linkPerson(person, change.case.id);
    o.log.info({ case: change.case.id, priority, reason, channel: person.channel }, 'case opened');
    o.onCaseChange?.('opened', change.case);
    await announce('case.opened', change, change.added[0]);
    await tell(change.case, { type: 'opened', caseId: change.case.id, ...dutyOf() }, `opened:${change.case.id}`);
    return change.case.id;
  }

  /** The person's newest case, when it is still open and was opened by the event `seq`. */
  async function openedBy(person: PersonRef, seq: string): Promise<CaseChange | undefined> {
    // An event without its number (written by an older version) cannot be told from another.
    if (seq.startsWith('-:')) return undefined;
    const newest = (await cases.casesOf(person)).at(-1);
    const c = newest === undefined ? undefined : await cases.get(newest);
    if (!c || c.status === 'closed' || c.openedBy !== seq) return undefined;
    return { case: c, added: (await cases.timeline(c.id)).slice(0, 1) };
  }

  function dutyOf(): { onDuty: boolean; hours?: string; nextOnDuty?: number; timeZone?: string } {
    if (!o.hours) return { onDuty: true };
    const now = o.now();
    if (isOnDuty(o.hours, now)) return { onDuty: true };
    return { onDuty: false, hours: o.hours.text, nextOnDuty: nextOnDuty(o.hours, now), timeZone: o.hours.timeZone };
  }

  /** What the person wrote goes into the timeline and out to staff. */
  async function personWrote(person: PersonRef & { channel: ChannelName }, event: Extract<EngineEvent, { type: 'relay_message' }>, at: number | undefined): Promise<void> {
    const text = event.media ? `[${event.media}]${event.text ? ` ${event.text}` : ''}` : (event.text ?? '');
    const change = await updateOpenCaseOf(person, (c) => ({ case: c, entries: [entry({ kind: 'person' }, 'message', text)] }));
    if (change) return announce('case.message', change, change.added[0]);
    // No open case. Right after the handoff, the opening may still be on its way through another
    // sender: the message waits (the outbox retries it) instead of being lost.
    if (at !== undefined && o.now() - at < OPENING_GRACE_MS) throw new Error('the case of this message is not open yet; it is retried');
    // Connected to a case that is gone (closed while this message was on its way, or expired):
    // the person must not write into the void, so they are returned to the bot.
    o.log.warn({ channel: person.channel }, 'message for staff without an open case; the person is returned to the bot');
    await o.tellPerson(person, { type: 'closed' }, `orphan:${at ?? o.now()}`, '-');
  }

  async function personLeft(person: PersonRef): Promise<void> {
    const change = await updateOpenCaseOf(person, (c) => ({ case: { ...c, personPresent: false }, entries: [entry({ kind: 'person' }, 'person_left')] }));
    if (change) await announce('case.updated', change, change.added[0]);
  }

  /**
   * After an erase every case of the person keeps only what the statistics and the audit need:
   * no answers, no address, no words; the staff actions stay (who claimed and closed, when).
   * `also`: cases of theirs that may be missing from their list (see `onPersonEvent`). Safe to
   * run again: a case anonymised twice stays as it was, with one `erased` entry.
   */
  async function personErased(person: PersonRef, also: readonly string[] = []): Promise<void> {
    const current = await cases.caseOf(person);
    const ids = new Set([...(await cases.casesOf(person)), ...(current ? [current] : []), ...also]);
    for (const id of ids) {
      let wasOpen = false;
      const change = await cases.rewrite(
        id,
        (cur) => {
          wasOpen = cur.status !== 'closed';
          return { case: anonymise(cur, o.now()), entries: [entry({ kind: 'person' }, 'erased')] };
        },
        (timeline) => timeline.filter((e) => e.type !== 'message' && e.by.kind !== 'person').map((e) => (e.type === 'closed' || e.type === 'opened' ? e : { n: e.n, at: e.at, by: e.by, type: e.type })),
      );
      // An id whose case was never written (its creation failed half-way) or has expired.
      if (!change) continue;
      if (wasOpen) o.onCaseChange?.('closed', change.case);
      o.log.info({ case: id }, 'case anonymised after the person erased their data');
      await announce('case.closed', change, change.added[0]);
    }
    // Only now that every case is anonymised: an erase that failed on the way (a busy case, a
    // timeout) is delivered again and must still find all of them.
    await cases.forgetPerson(person);
    // What was given up on about them (kept 7 days for staff) holds their words too: messages to
    // them and their events on their shard, their cases' events to the staff surfaces on the cases'.
    const dropped =
      (await o.store.dropDeadLetters([k.shardOf(person)], (e) => e.channel === person.channel && e.to === person.id)) +
      (ids.size === 0 ? 0 : await o.store.dropDeadLetters([...ids].map((id) => k.caseShard(id)), (e) => e.kind === 'event' && e.channel.startsWith('hotline-') && ids.has(e.to)));
    if (dropped > 0) o.log.info({ dropped }, 'dead letters of the person removed after the erase');
  }

  /** Everything the desk keeps about the person goes: their cases are anonymised, their reports deleted. */
  async function eraseAll(person: PersonRef, written: Written = {}): Promise<void> {
    await personErased(person, written.caseId ? [written.caseId] : []);
    // A report stored meanwhile may have missed the list an erase running at the same time read
    // (and then deleted): it is put back on it, so that the report desk finds it.
    if (written.reportId && o.reportDesk) await o.store.listPush(k.personReports(person), [written.reportId], o.store.retention.reportMs, 1000);
    await o.reportDesk?.personErased(person);
  }

  /** When the person last erased (ms since the epoch), or 0. */
  async function erasedAt(person: PersonRef): Promise<number> {
    return Number((await o.store.get(k.erasedAt(person))) ?? 0);
  }

  /**
   * Marks the erase before anything is removed. The pipeline marked it when the erase was
   * stored, as the last step written before it (`at - 1`), but that write may have failed; an
   * event of the person acted on at the same time checks the mark after acting (`onPersonEvent`).
   */
  async function markErased(person: PersonRef, at: number): Promise<void> {
    if ((await erasedAt(person)) < at - 1) await o.store.set(k.erasedAt(person), String(at - 1), ERASED_MARKER_TTL_MS);
  }

  /** The engine events the desk acts on. */
  const CASE_EVENTS = new Set(['handoff_requested', 'emergency', 'relay_message', 'handoff_ended', 'erase_requested', 'report_filed']);

  return {
    cases,

    /**
     * Acts on an engine event of a person (called by the sender for every event entry).
     *
     * Several senders share the outbox, so one person's events may be acted on out of order: an
     * event written before the person erased can come after the erase (another sender claimed
     * it). It is dropped then; and one acted on while the erase runs is checked again after, and
     * the erase done again over what it wrote (the erase marks itself before it reads what to
     * remove, and this writes before it checks: one of the two always sees the other).
     */
    async onPersonEvent(entry: Extract<OutboxEntry, { kind: 'event' }>): Promise<void> {
      const event = entry.event as unknown as EngineEvent;
      if (!CASE_EVENTS.has(event.type)) return;
      const person = { channel: entry.channel as ChannelName, id: entry.to };
      // An event delivered again (a sender crashed after acting, or the channel's own handler
      // failed after this one) is acted on once: no second case, no message twice in the timeline.
      const seq = `${entry.seq ?? '-'}:${entry.at ?? 0}`;
      const mark = entry.seq ? k.personEvent(person, seq) : undefined;
      if (mark && (await o.store.get(mark)) !== undefined) return;
      const erase = event.type === 'erase_requested';
      const overtaken = async () => {
        if (erase) return false;
        const erased = await erasedAt(person);
        return erased > 0 && (entry.at ?? 0) <= erased;
      };
      if (await overtaken()) {
        o.log.info({ channel: person.channel, event: event.type }, 'an event written before the person erased their data was dropped');
        return;
      }
      let written: Written = {};
      switch (event.type) {
        case 'handoff_requested': {
          const caseId = await openOrJoin(person, event.reason, event.priority, event.summary, seq);
          if (caseId) written = { caseId };
          break;
        }
        case 'emergency': {
          const caseId = await openOrJoin(person, 'emergency', 'urgent', event.summary, seq);
          if (caseId) written = { caseId };
          break;
        }
        case 'relay_message':
          await personWrote(person, event, entry.at);
          break;
        case 'handoff_ended':
          await personLeft(person);
          break;
        case 'erase_requested':
          await markErased(person, entry.at ?? o.now());
          await eraseAll(person);
          break;
        case 'report_filed':
          // Stored for counting and the console; a report of danger raised its emergency already.
          await o.reportDesk?.reportFiled(person, event, entry.at ?? o.now());
          written = { reportId: event.reportId };
          break;
        default:
          return;
      }
      if (await overtaken()) {
        o.log.info({ channel: person.channel, event: event.type }, 'the person erased their data while an event of theirs was acted on; the erase is done again');
        await eraseAll(person, written);
      }
      if (mark) await o.store.set(mark, '1', EVENT_MARK_TTL_MS);
    },

    /** A staff member takes the case; the person is told that someone is on it. */
    async claim(id: string, staff: Staff): Promise<Case> {
      const change = await cases.update(id, (c) => ({ case: claim(c, staff.name, o.now()), entries: [entry(staffActor(staff), 'claimed')] }));
      o.onCaseChange?.('claimed', change.case);
      await announce('case.claimed', change, change.added[0]);
      await tell(change.case, { type: 'claimed' }, `claimed:${id}`);
      return change.case;
    },

    /** A staff member writes to the person. Refused (IllegalTransition) when the case is closed or the person left. */
    async reply(id: string, text: string, staff: Staff): Promise<Case> {
      const body = text.trim();
      if (body === '') throw new IllegalTransition('An empty message cannot be sent.');
      if (body.length > MAX_REPLY_CHARS) throw new IllegalTransition(`A message can have at most ${MAX_REPLY_CHARS} characters.`);
      const c = await cases.get(id);
      if (!c) throw new CaseNotFound(`There is no case #${id}.`);
      assertCanReply(c);
      // The person is told first: the timeline never shows a reply that did not go out.
      if ((await tell(c, { type: 'reply', text: body }, `reply:${id}:${crypto.randomUUID()}`)) === 'gone') {
        const gone = await cases.update(id, (cur) => ({ case: { ...cur, personPresent: false }, entries: [entry({ kind: 'bot' }, 'delivery_failed', 'the person is no longer connected to staff')] }));
        await announce('case.delivery_failed', gone, gone.added[0]);
        throw new IllegalTransition('The person is no longer connected to staff; the reply was not sent.');
      }
      const change = await cases.update(id, (cur) => ({ case: cur, entries: [entry(staffActor(staff), 'message', body)] }));
      await announce('case.message', change, change.added[0]);
      return change.case;
    },

    /** Mutes or unmutes the bot for the person of the case. */
    async setBotMuted(id: string, muted: boolean, staff: Staff): Promise<Case> {
      const change = await cases.update(id, (c) => ({ case: setBotMuted(c, muted), entries: [entry(staffActor(staff), muted ? 'muted' : 'unmuted')] }));
      await announce('case.updated', change, change.added[0]);
      await tell(change.case, { type: muted ? 'muted' : 'unmuted' }, `${muted ? 'muted' : 'unmuted'}:${id}:${change.added[0]?.n ?? 0}`);
      return change.case;
    },

    /** Closes the case with its outcome; the person (if still there) is returned to the bot. */
    async close(id: string, outcome: Outcome, staff: Staff): Promise<Case> {
      const before = await cases.get(id);
      if (!before) throw new CaseNotFound(`There is no case #${id}.`);
      const change = await cases.update(id, (c) => ({ case: close(c, outcome, o.now()), entries: [entry(staffActor(staff), 'closed', outcome)] }));
      o.onCaseChange?.('closed', change.case);
      if (before.person) {
        await cases.unlinkPerson(before.person);
        if (before.personPresent) await o.tellPerson(before.person, { type: 'closed' }, `closed:${id}`, id);
      }
      await announce('case.closed', change, change.added[0]);
      return change.case;
    },

    /** A message to the person could not be delivered (WhatsApp's 24-hour window, a blocked bot…). */
    async deliveryFailed(id: string, reason: string): Promise<void> {
      if (!(await cases.get(id))) return;
      const change = await cases.update(id, (c) => ({ case: c, entries: [entry({ kind: 'bot' }, 'delivery_failed', reason)] }));
      await announce('case.delivery_failed', change, change.added[0]);
    },

    /**
     * Announces again each urgent or high case that nobody claimed within the claim time (once per
     * claim time, whichever instance gets there first). Returns how many were announced.
     */
    async remindUnclaimed(): Promise<number> {
      const due = o.now() - o.claimMinutes * 60_000;
      let reminded = 0;
      for (const c of await cases.list({ status: 'open', limit: 500 })) {
        if (c.priority === 'normal' || c.openedAt > due) continue;
        if (!(await o.store.setIfAbsent(k.caseReminded(c.id), '1', o.claimMinutes * 60_000))) continue;
        const minutes = Math.floor((o.now() - c.openedAt) / 60_000);
        const change = await cases.update(c.id, (cur) => ({ case: cur, entries: [entry({ kind: 'bot' }, 'reminder', `unclaimed for ${minutes} min`)] }));
        await announce('case.reminder', change, change.added[0]);
        reminded += 1;
      }
      return reminded;
    },
  };
}

export type Hotline = ReturnType<typeof createHotline>;
