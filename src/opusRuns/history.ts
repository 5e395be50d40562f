// What happened to one employment (or one person) across every recorded run: the journal lines of the writes
// that name its OPUS id or its person, and the issues the runs' reports list for that id, oldest dump first.
// Read straight from the report folder: a file's lines are only parsed where the searched id occurs, so a year
// of nightly runs (one large first import, hundreds of small deltas) is read in well under a second.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDumpName } from '../opus/dumpName.js';
import { JOURNAL_SUFFIX, type JournalLine } from './journal.js';

export interface HistoryQuery {
  /** The OPUS employment (or unit) id. */
  opusId?: string;
  /** MO uuids of the person (e.g. found by CPR number); their writes under any employment are included. */
  persons?: readonly string[];
}

export interface RunHistory {
  dump: string;
  /** The dump's timestamp (KMD local time, naive ISO). */
  timestamp: string;
  writes: JournalLine[];
  issues: string[];
}

const OTHER_EMPLOYMENT = /^(engagement|manager) /;

export function historyOf(reportsDir: string, query: HistoryQuery): RunHistory[] {
  if (!existsSync(reportsDir)) return [];
  const dumps = readdirSync(reportsDir)
    .filter((f) => f.endsWith(JOURNAL_SUFFIX) || (f.endsWith('.json') && parseDumpName(f.slice(0, -'.json'.length)).ok))
    .map((f) => (f.endsWith(JOURNAL_SUFFIX) ? f.slice(0, -JOURNAL_SUFFIX.length) : f.slice(0, -'.json'.length)));
  const ordered = [...new Set(dumps)].flatMap((name) => {
    const parsed = parseDumpName(name);
    return parsed.ok ? [parsed.dump] : [];
  });
  ordered.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.name.localeCompare(b.name));

  const texts = new Map(ordered.map((d) => [d.name, readIfExists(join(reportsDir, `${d.name}${JOURNAL_SUFFIX}`))]));
  // The employment's own writes name its person; the person's other writes (name, addresses, accounts) may
  // be filed under another of their employments.
  const persons = new Set(query.persons ?? []);
  if (query.opusId !== undefined) {
    for (const text of texts.values()) for (const line of linesWith(text, `"opusId":${JSON.stringify(query.opusId)}`)) if (line.person) persons.add(line.person);
  }
  const needles = [...(query.opusId !== undefined ? [`"opusId":${JSON.stringify(query.opusId)}`] : []), ...[...persons].map((p) => `"person":${JSON.stringify(p)}`)];

  const runs: RunHistory[] = [];
  for (const dump of ordered) {
    const text = texts.get(dump.name) ?? '';
    const seen = new Set<string>();
    const writes: JournalLine[] = [];
    for (const needle of needles) {
      for (const line of linesWith(text, needle, seen)) {
        // Asked for one employment: the person's other employments (their engagements and manager roles) are
        // not its history; the person's own writes (name, addresses, accounts) are.
        if (query.opusId !== undefined && line.opusId !== query.opusId && OTHER_EMPLOYMENT.test(line.write)) continue;
        writes.push(line);
      }
    }
    writes.sort((a, b) => a.at.localeCompare(b.at));
    const issues = query.opusId === undefined ? [] : issuesOf(join(reportsDir, `${dump.name}.json`), query.opusId);
    if (writes.length > 0 || issues.length > 0) runs.push({ dump: dump.name, timestamp: dump.timestamp, writes, issues });
  }
  return runs;
}

/** The journal lines holding `needle`, each once (by its offset, across needles via `seen`). */
function linesWith(text: string, needle: string, seen = new Set<string>()): JournalLine[] {
  const out: JournalLine[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    const start = text.lastIndexOf('\n', at) + 1;
    const end = text.indexOf('\n', at);
    const key = String(start);
    if (seen.has(key)) continue;
    seen.add(key);
    const line = JSON.parse(text.slice(start, end === -1 ? undefined : end)) as JournalLine;
    // The needle may sit inside another field's text (a reason quoting an id): keep only real matches.
    if (needle.startsWith('"opusId"') ? `"opusId":${JSON.stringify(line.opusId)}` === needle : `"person":${JSON.stringify(line.person)}` === needle) out.push(line);
  }
  return out;
}

function issuesOf(reportFile: string, opusId: string): string[] {
  const text = readIfExists(reportFile);
  if (!text.includes(JSON.stringify(opusId))) return [];
  const report = JSON.parse(text) as { issues?: ({ opusId?: string | null; message?: string } | string)[] };
  return (report.issues ?? []).flatMap((i) => (typeof i === 'object' && i !== null && i.opusId === opusId && i.message ? [i.message] : []));
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
