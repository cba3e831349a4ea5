/**
 * Reading a password for a command: typed on a terminal without echo, or piped in (first line)
 * for automation. The password never appears on the screen, in the shell history or in argv
 * (where other users of the machine could see it in the process list).
 */

/** Asks on the terminal without echoing; rejects on Ctrl-C or Ctrl-D. */
export function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      // Terminals wrap pasted text in bracketed-paste markers; they are not part of the password.
      for (const ch of chunk.replaceAll('\u001b[200~', '').replaceAll('\u001b[201~', '')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The first line of a piped stdin (without its line ending). */
export async function readFirstLine(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]?.replace(/\r$/, '') ?? '';
}

/** A new password: asked twice on a terminal (they must match), or the first line of piped input. */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await readHidden('Password (at least 12 characters, not shown): ');
  const second = await readHidden('The same password again: ');
  if (first !== second) throw new Error('The two passwords are not the same; nothing was changed.');
  return first;
}
