import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContent } from '../../src/content/check.js';
import { formatProblem, loadContent } from '../../src/content/load.js';
import { FLOWS_DIR, LOCALES_DIR } from '../support/content.js';

const run = promisify(execFile);
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Copies the real content, applies `edit` (file path relative to the copy → new text), and checks it. */
function problemsAfter(edit: Record<string, (text: string) => string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'waspada-content-'));
  temps.push(dir);
  cpSync(FLOWS_DIR, join(dir, 'flows'), { recursive: true });
  cpSync(LOCALES_DIR, join(dir, 'locales'), { recursive: true });
  for (const [file, change] of Object.entries(edit)) {
    const path = join(dir, file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  }
  const { content, problems } = loadContent({ flowsDir: join(dir, 'flows'), localesDir: join(dir, 'locales') }, 'id');
  return [...problems, ...(content ? checkContent(content) : [])].map(formatProblem);
}

const replace = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`test setup: "${from}" not found`);
  return text.replace(from, to);
};

describe('flows:check', () => {
  it('finds no problem in the shipped content', () => {
    expect(problemsAfter({})).toEqual([]);
  });

  it('names the file and node of a next that leads nowhere', () => {
    expect(problemsAfter({ 'flows/check.yaml': replace('    next: contract\n', '    next: kontrak\n') })).toContain(
      'flows/check.yaml [visa]: leads to "kontrak", which is not a node of this flow',
    );
  });

  it('reports a node nobody reaches, and the node it orphans', () => {
    const problems = problemsAfter({ 'flows/check.yaml': replace('    next: documents\n', '    next: speed\n') });
    expect(problems).toContain('flows/check.yaml [documents]: unreachable: no node leads here');
  });

  it('reports a run of nodes that loops without asking', () => {
    const problems = problemsAfter({
      'flows/report.yaml': replace('    type: end\n    then: menu', '    type: end\n    then: menu\n  loop_a: { type: message, text: report-done, next: loop_b }\n  loop_b: { type: message, text: report-done, next: loop_a }'),
    });
    expect(problems).toContain('flows/report.yaml [loop_a]: dead end: from here the flow loops without asking or ending');
  });

  it('reports a goto to a flow that does not exist', () => {
    expect(problemsAfter({ 'flows/menu.yaml': replace('go_report: { type: goto, flow: report }', 'go_report: { type: goto, flow: lapor }') })).toContain(
      'flows/menu.yaml [go_report]: goto: no flow "lapor"',
    );
  });

  it('reports a schema error with the file and the node', () => {
    const problems = problemsAfter({ 'flows/check.yaml': replace('  documents:\n    type: yesno', '  documents:\n    type: yesnomaybe') });
    expect(problems.some((p) => p.startsWith('flows/check.yaml [documents]: nodes.documents.type'))).toBe(true);
  });

  it('reports a key missing in one language and a key nothing uses', () => {
    const problems = problemsAfter({
      'locales/en.ftl': (t) => t.replace(/^check-visa-umrah = .*$/m, '').concat('\nleftover-key = Nobody uses me\n'),
    });
    expect(problems).toContain('locales/en.ftl: missing key "check-visa-umrah"');
    expect(problems).toContain('locales/en.ftl: orphaned key "leftover-key": nothing uses it');
  });

  it('reports a Fluent message that does not parse', () => {
    expect(problemsAfter({ 'locales/id.ftl': (t) => t.concat('\nbroken-message = { $oops \n') })).toContain(
      'locales/id.ftl: message "broken-message" could not be parsed',
    );
  });

  it('reports a sign that does not exist and an answer value no question gives', () => {
    const problems = problemsAfter({
      'flows/signs.yaml': (t) => replace('{ sign: documents_held }', '{ sign: passport_held }')(replace('in: [visit, umrah, no_visa]', 'in: [visit, umroh, no_visa]')(t)),
    });
    expect(problems).toContain('flows/signs.yaml [fishing_crew_red_flags]: unknown sign "passport_held"');
    expect(problems).toContain('flows/signs.yaml [visa_not_work]: answer "visa" is never "umroh"');
  });

  it('reports a condition on an answer that no question saves', () => {
    expect(problemsAfter({ 'flows/check.yaml': replace('{ answer: job, in: [fishing] }', '{ answer: pekerjaan, in: [fishing] }') })).toContain(
      'flows/check.yaml [follow_up]: no question saves an answer "pekerjaan"',
    );
  });

  it('reports a tallied answer that is no choice question of the flow (only option ids go into the statistics)', () => {
    const problems = problemsAfter({ 'flows/check.yaml': replace('tally: [destination, job]', 'tally: [destination, recruiter_identity, salary]') });
    expect(problems).toContain('flows/check.yaml [result]: tally: "recruiter_identity" is not the answer of a choice question of this flow');
    expect(problems).toContain('flows/check.yaml [result]: tally: "salary" is not the answer of a choice question of this flow');
    expect(problems.filter((p) => p.includes('tally'))).toHaveLength(2);
  });

  it('reports a label longer than a WhatsApp list row', () => {
    expect(problemsAfter({ 'locales/en.ftl': replace('check-job-plantation = Plantation', 'check-job-plantation = Plantation work on palm oil estates') })).toContain(
      'locales/en.ftl [check.job]: label "check-job-plantation" is 35 characters; the limit is 24',
    );
  });

  it('reports a contacts list nobody is shown in', () => {
    expect(problemsAfter({ 'flows/report.yaml': replace('show: report', 'show: reporting') })).toContain(
      'flows/report.yaml [numbers]: no contact in contacts.yaml is shown for "reporting"',
    );
  });

  it('runs as a command that fails with the problems listed', async () => {
    const ok = await run('npx', ['tsx', 'src/cli/flowsCheck.ts']);
    expect(ok.stdout).toMatch(/no problems/);
    // As compose passes unset variables (`${FLOWS_DIR:-}`): empty means the default, from any folder.
    const composed = await run(join(process.cwd(), 'node_modules/.bin/tsx'), [join(process.cwd(), 'src/cli/flowsCheck.ts')], { cwd: tmpdir(), env: { ...process.env, FLOWS_DIR: '', LOCALES_DIR: '', DEFAULT_LANG: '' } });
    expect(composed.stdout).toMatch(/no problems/);

    const dir = mkdtempSync(join(tmpdir(), 'waspada-content-'));
    temps.push(dir);
    cpSync(FLOWS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'check.yaml'), readFileSync(join(dir, 'check.yaml'), 'utf8').replace('    next: contract\n', '    next: kontrak\n'));
    const failed = await run('npx', ['tsx', 'src/cli/flowsCheck.ts'], { env: { ...process.env, FLOWS_DIR: dir } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('flows/check.yaml [visa]: leads to "kontrak"');
  });
});
