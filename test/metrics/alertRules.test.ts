// The README's example alert rules (docs/prometheus/moflow-alerts.yml): every moflow metric they name is one
// the worker serves, and promtool's rule tests (moflow-alerts.test.yml) pass — each alert fires on the series
// that should make it fire and stays quiet otherwise, a failure reason seen for the first time included.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { registry } from '../../src/metrics/registry.js';
import { PROJECT_ROOT } from '../../src/temporal/binary.js';
import { findExecutable, missingTools } from '../support/tools.js';

const DIR = join(PROJECT_ROOT, 'docs', 'prometheus');

describe('the example Prometheus alert rules', () => {
  it('name only metrics and labels the worker serves', async () => {
    const rules = readFileSync(join(DIR, 'moflow-alerts.yml'), 'utf8');
    const served = await registry.metrics();
    const named = new Set(rules.match(/\bmoflow_\w+/g));
    assert.ok(named.size >= 4, [...named].join(', '));
    for (const name of named) assert.match(served, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is not a metric the worker serves`);
    for (const [, name, label] of rules.matchAll(/\b(moflow_\w+)\{(\w+)=/g)) {
      const labels = (registry.getSingleMetric(name!) as unknown as { labelNames: string[] }).labelNames;
      assert.ok(labels.includes(label!), `${name} has no label ${label} (it has ${labels.join(', ')})`);
    }
  });

  it('fire when they should (promtool test rules)', { skip: missingTools({ promtool: 'prometheus' }) }, async () => {
    const { stdout } = await promisify(execFile)(findExecutable('promtool')!, ['test', 'rules', 'moflow-alerts.test.yml'], { cwd: DIR });
    assert.match(stdout, /SUCCESS/);
  });
});
