// npm run bench:import — the OPUS import against the local MO (in a child process, over HTTP), on generated
// dumps: the initial import of a municipality, then daily dumps with ~1 % change each; and the planning of a
// large dump pair. Prints times and write counts; the figures go into the closing note, never into tests.
//
//   npm run bench:import                                   20,000 employments, 1,000 units, 5 days; 100,000 plan
//   npm run bench:import -- --employees 5000 --plan-employees 0
//   npm run bench:import -- --database-url postgres://…   a fresh database on that server
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { opusImportDefaults, type OpusImportOptions } from '../src/config/opus.js';
import { createMoClient } from '../src/mo/index.js';
import { generateDumps } from '../src/opus/generate/index.js';
import { LocalFolderSource } from '../src/sources/local.js';
import { DigestCache } from '../src/sync/digestCache.js';
import { importDump, importSettings, planDump } from '../src/sync/importDump.js';
import { startBenchMo } from './localMoChild.js';

const { values: opts } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    employees: { type: 'string', default: '20000' },
    units: { type: 'string', default: '1000' },
    days: { type: 'string', default: '5' },
    'plan-employees': { type: 'string', default: '100000' },
  },
});

const OPTIONS: OpusImportOptions = opusImportDefaults('Andeby Kommune');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rss = () => `${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-bench-import-'));
  let mo = await startBenchMo(opts['database-url']);
  console.log(`local MO at ${mo.url} on ${mo.location}`);
  try {
    let client = createMoClient({ baseUrl: mo.url, auth: null, timeoutMs: 300_000 });
    const settings = importSettings(OPTIONS, { digests: new DigestCache(join(dir, 'digests')) });
    const days = Number(opts.days);
    let t = performance.now();
    const { files } = await generateDumps({ outDir: join(dir, 'daily'), units: Number(opts.units), employees: Number(opts.employees), days, seed: 2026 });
    console.log(`generated ${files.length} dumps of ${files[0]!.employments.toLocaleString('en')} employments and ${files[0]!.units} units in ${seconds(performance.now() - t)}`);
    const source = new LocalFolderSource(join(dir, 'daily'));

    for (const [i, file] of files.entries()) {
      t = performance.now();
      const { plan, report } = await importDump(client, source, { name: file.name, previous: i === 0 ? null : files[i - 1]!.name }, { ...settings, approveMassChange: false });
      const elapsed = performance.now() - t;
      const failures = report.failures.length ? `, ${report.failures.length} failed` : '';
      const label = i === 0 ? 'initial import' : `daily delta ${i}`;
      console.log(`${label.padEnd(15)} ${file.name}: ${seconds(elapsed).padStart(7)}  ${String(plan.ops.length).padStart(6)} writes (apply ${seconds(report.durationMs)})${failures}  ${rss()}`);
    }

    const t0 = performance.now();
    const { plan } = await planDump(client, source, { name: files.at(-1)!.name, previous: files.at(-2)!.name }, { ...settings, full: true });
    console.log(`full re-plan of the last dump against MO: ${seconds(performance.now() - t0)}, ${plan.ops.length} writes (should be 0)`);

    const big = Number(opts['plan-employees']);
    if (big > 0) {
      t = performance.now();
      const pair = await generateDumps({ outDir: join(dir, 'large'), units: Math.max(1000, Math.round(big / 20)), employees: big, days: 1, seed: 7 });
      const bytes = pair.files.reduce((n, f) => n + f.bytes, 0);
      console.log(`generated a pair of ${big.toLocaleString('en')}-employment dumps (${(bytes / 2 ** 20).toFixed(0)} MB) in ${seconds(performance.now() - t)}`);
      const large = new LocalFolderSource(join(dir, 'large'));
      // A MO of its own (the generated worlds share ids), holding the previous dump's units as after its
      // import, so the pair is planned as in a night's run.
      await mo.stop();
      mo = await startBenchMo(opts['database-url']);
      client = createMoClient({ baseUrl: mo.url, auth: null, timeoutMs: 300_000 });
      await importDump(client, large, { name: pair.files[0]!.name, previous: null }, { ...importSettings({ ...OPTIONS, skipEmployees: true }, { digests: settings.digests! }), approveMassChange: false });
      // As a nightly run: the previous dump's digest was kept when it was imported (the import above).
      for (const [label, planSettings] of [['with the digest of the previous dump', settings], ['reading both dumps', importSettings(OPTIONS)]] as const) {
        const steps: string[] = [];
        let mark = performance.now();
        t = mark;
        const planned = await planDump(client, large, { name: pair.files[1]!.name, previous: pair.files[0]!.name }, planSettings, (what) => {
          const now = performance.now();
          if (steps.length > 0) steps[steps.length - 1] += ` ${seconds(now - mark)}`;
          steps.push(what);
          mark = now;
        });
        steps[steps.length - 1] += ` ${seconds(performance.now() - mark)}`;
        console.log(`planning the ${big.toLocaleString('en')}-employment pair, ${label}: ${seconds(performance.now() - t)} (${planned.input.wishes.length} changed employments, ${planned.plan.ops.length} writes)  ${rss()}`);
        for (const step of steps) console.log(`  ${step}`);
      }
    }
  } finally {
    await mo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
