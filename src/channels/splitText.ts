/**
 * Splitting long texts for channels with a size limit (WhatsApp and Telegram: 4096 characters).
 * Cuts fall where a reader expects them: between paragraphs, then lines, then sentences, then
 * words; a word is cut only when it is longer than the limit itself.
 */

const BREAKS = [/\n\n/g, /\n/g, /(?<=[.!?…])\s+/g, /\s+/g];

/** Splits `text` into pieces of at most `max` characters (UTF-16 units, as the providers count). */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = bestCut(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/** The last natural break at or before `max`; a hard cut (not inside a surrogate pair) when there is none. */
function bestCut(text: string, max: number): number {
  for (const pattern of BREAKS) {
    let best = -1;
    for (const m of text.matchAll(pattern)) {
      if (m.index === undefined || m.index > max) break;
      if (m.index > 0) best = m.index;
    }
    if (best > 0) return best;
  }
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/** Shortens a label to `max` characters at a word boundary with "…"; undefined when no clean cut keeps most of it. */
export function shortenLabel(label: string, max: number): string | undefined {
  if (label.length <= max) return label;
  const space = label.lastIndexOf(' ', max - 1);
  if (space < max / 2) return undefined;
  return `${label.slice(0, space).replace(/[\s,;:/-]+$/, '')}…`;
}
