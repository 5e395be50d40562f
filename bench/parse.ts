// npm run bench:parse — parse speed and memory on generated dumps of ~50 MB and ≥200 MB.
// Targets (issue): parse ≥ 40 MB/s; peak RSS < 250 MB and flat as the file grows. Each figure comes from
// a fresh process. Dumps are generated once into .bench/parse/ and reused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateDumps } from '../src/opus/generate/index.js';

const root = new URL('..', import.meta.url).pathname;
const sizes = [
  { label: '~50 MB', units: 400, employees: 55_000 },
  { label: '≥200 MB', units: 1_000, employees: 230_000 },
];

async function dumpsFor(size: (typeof sizes)[number]): Promise<string[]> {
  const dir = join(root, '.bench', 'parse', `u${size.units}-e${size.employees}-s7`);
  const existing = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('_delta.xml')).sort() : [];
  if (existing.length === 2) return existing.map((f) => join(dir, f));
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating ${size.label} dumps into ${dir} …\n`);
  const result = await generateDumps({ outDir: dir, units: size.units, employees: size.employees, days: 1, seed: 7 });
  return result.files.map((f) => f.path);
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Runs a measurement RUNS times, each in a fresh process; the median speed and the highest RSS count. */
function measure(mode: string, files: string[]) {
  const runs = Array.from({ length: RUNS }, () => measureOnce(mode, files)).sort((a, b) => a.mbPerSecond - b.mbPerSecond);
  const median = runs[Math.floor(runs.length / 2)]!;
  return { ...median, peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)), spread: [runs[0]!.mbPerSecond, runs.at(-1)!.mbPerSecond] as const };
}

function measureOnce(mode: string, files: string[]) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/parse-run.ts'), mode, ...files], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; bytes: number; mbPerSecond: number; peakRssMB: number; events: number };
}

const rows: string[] = [];
for (const size of sizes) {
  const files = await dumpsFor(size);
  const mb = (statSync(files[1]!).size / 1e6).toFixed(0);
  for (const mode of ['sax-raw', 'saxes-raw', 'read', 'compare']) {
    const r = measure(mode, mode === 'compare' ? files : [files[1]!]);
    rows.push(
      `${size.label.padEnd(8)} ${`${mb} MB`.padStart(7)}  ${mode.padEnd(10)} ${r.mbPerSecond.toFixed(1).padStart(6)} MB/s (${r.spread[0].toFixed(1)}–${r.spread[1].toFixed(1)})  ${r.seconds.toFixed(2).padStart(6)} s  peak RSS ${r.peakRssMB.toFixed(0).padStart(4)} MB`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
}
process.stdout.write(`\nparse benchmark (node ${process.version}, ${process.arch})\n${rows.join('\n')}\n`);
process.stdout.write(`median of ${RUNS} fresh processes (range in brackets; this VM is noisy); RSS is the highest seen.\n`);
process.stdout.write('sax-raw/saxes-raw: the bare SAX parsers counting events; read: moflow reader building typed records;\n');
process.stdout.write('compare: two consecutive dumps compared (MB/s over both files). Targets: read ≥ 40 MB/s, RSS < 250 MB and flat.\n');
