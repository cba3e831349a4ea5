/**
 * Button and list-row ids carry the question they belong to: `<ask>|<option id>`
 * (`check.visa|work_visa`). When the person taps an old button, the engine sees that the
 * question is not the current one and does not take it as an answer.
 */

/** Builds a button id from the question and the option. */
export function buttonId(ask: string | undefined, optionId: string): string {
  return ask ? `${ask}|${optionId}` : optionId;
}

/** Reads a button id back; an id without a question is taken as a bare option id. */
export function parseButtonId(id: string): { id: string; ask?: string } {
  const bar = id.lastIndexOf('|');
  return bar < 0 ? { id } : { id: id.slice(bar + 1), ask: id.slice(0, bar) };
}
