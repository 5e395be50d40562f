// How fast the CLI starts, next to Node itself: `node -e 0`, `moflow --help` and `moflow config show` (a small
// settings file), run in turns so that a busy machine slows all three alike; the median of each and the ratios.
// The targets (issue 14): --help within 2× of `node -e 0`, config show within 3×.
//
//   npm run bench:cli [-- --runs 15] [-- --bin other/checkout/bin/moflow.js]   (e.g. to compare with a commit before)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const runs = Number(option('--runs') ?? 15);

const dir = mkdtempSync(join(tmpdir(), 'moflow-bench-cli-'));
const settingsFile = join(dir, 'settings.json');
writeFileSync(settingsFile, JSON.stringify({ 'mora.base': 'http://mo.example:5000', 'integrations.opus.import.xml_path': join(dir, 'dumps'), 'moflow.data_dir': join(dir, 'data') }));

const bin = option('--bin') ?? join(root, 'bin', 'moflow.js');
const cases: { name: string; args: string[] }[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'moflow --help', args: [bin, '--help'] },
  { name: 'moflow config show', args: [bin, '--settings', settingsFile, 'config', 'show'] },
];

function once(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, MOFLOW_SETTINGS: '' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

try {
  // One untimed round: builds dist/cli/ if a source changed, and warms the file cache.
  for (const c of cases) once(c.args);
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) cases.forEach((c, i) => times[i]!.push(once(c.args)));
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const medians = times.map(median);
  const base = medians[0]!;
  console.log(`median of ${runs} runs each, in turns (${new Date().toISOString()})`);
  cases.forEach((c, i) => {
    const m = medians[i]!;
    console.log(`${c.name.padEnd(20)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}× node -e 0   (min ${Math.min(...times[i]!).toFixed(1)} ms)`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
