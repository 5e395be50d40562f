// npm run fuzz -- [--count N] [--seed S]: mutated OPUS dumps through the reader and the validation step, as
// test/opus/fuzz.test.ts does with 400 in CI. Prints the figures per mutation kind; exit 1 on a crash, a hang,
// a fatal without file and line, or known garbage that passed without a diagnostic.
import { parseArgs } from 'node:util';
import { fuzz } from '../test/support/opusFuzz.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, seed: { type: 'string', default: '14' } } });
const count = Number(values.count);
const seed = Number(values.seed);
const started = performance.now();
const kinds = new Map<string, { dumps: number; fatal: number; diagnostics: number; clean: number; maxMs: number }>();
const problems: string[] = [];
let dumps = 0;
for await (const o of fuzz(count, seed)) {
  dumps++;
  const row = kinds.get(o.kind) ?? { dumps: 0, fatal: 0, diagnostics: 0, clean: 0, maxMs: 0 };
  row.dumps++;
  if (o.fatal) row.fatal++;
  row.diagnostics += o.diagnostics.length + (o.fatal ? 1 : 0);
  if (!o.fatal && o.diagnostics.length === 0) row.clean++;
  row.maxMs = Math.max(row.maxMs, o.ms);
  kinds.set(o.kind, row);
  if (o.crash) problems.push(`${o.kind}: crash: ${o.crash instanceof Error ? o.crash.message : String(o.crash)}`);
  if (o.ms > 5_000) problems.push(`${o.kind}: took ${Math.round(o.ms)} ms`);
  if (o.fatal && !(o.fatal.file && o.fatal.line >= 1)) problems.push(`${o.kind}: a fatal without file and line: ${o.fatal.message}`);
  if (o.garbage && !o.fatal && o.diagnostics.length === 0) problems.push(`${o.kind}: passed without a diagnostic`);
}
console.log(`${dumps} dumps (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`${'kind'.padEnd(22)}${'dumps'.padStart(7)}${'fatal'.padStart(7)}${'diags'.padStart(7)}${'clean'.padStart(7)}${'max ms'.padStart(8)}`);
for (const [kind, r] of [...kinds].sort()) {
  console.log(`${kind.padEnd(22)}${String(r.dumps).padStart(7)}${String(r.fatal).padStart(7)}${String(r.diagnostics).padStart(7)}${String(r.clean).padStart(7)}${r.maxMs.toFixed(0).padStart(8)}`);
}
const all = [...kinds.values()];
const sum = (key: 'fatal' | 'diagnostics' | 'clean') => all.reduce((n, r) => n + r[key], 0);
console.log(`${'all'.padEnd(22)}${String(dumps).padStart(7)}${String(sum('fatal')).padStart(7)}${String(sum('diagnostics')).padStart(7)}${String(sum('clean')).padStart(7)}`);
console.log(`${problems.length} problems (crash, hang, fatal without file and line, garbage without a diagnostic)`);
for (const p of problems.slice(0, 20)) console.log(`PROBLEM ${p}`);
process.exitCode = problems.length > 0 ? 1 : 0;
