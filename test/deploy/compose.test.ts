import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { missingTools } from '../support/tools.js';

const root = new URL('../../', import.meta.url).pathname;
const compose = (...args: string[]) => execFileSync('docker-compose', args, { cwd: root, encoding: 'utf8' });

/** The resolved text of one service in `docker-compose config`. */
function service(resolved: string, name: string): string {
  const start = resolved.indexOf(`\n  ${name}:\n`);
  assert.ok(start >= 0, `service ${name} is in the resolved file`);
  const next = resolved.slice(start + 1).search(/\n {2}[a-z][\w-]*:\n|\n[a-z]/);
  return resolved.slice(start + 1, next < 0 ? undefined : start + 1 + next);
}

// No Docker engine runs here, but the compose file must stay valid for those who deploy with it.
describe('docker-compose.yml', { skip: missingTools({ 'docker-compose': 'docker-compose' }) }, () => {
  it('is a valid compose file: Temporal on PostgreSQL, its UI, the worker, the schedules, the local MO as a profile', () => {
    // Debian's docker-compose validates the same compose specification `docker compose config` does.
    compose('config', '--quiet');
    assert.deepEqual(compose('config', '--services').trim().split('\n').sort(), ['mo', 'postgresql', 'schedules', 'temporal', 'temporal-ui', 'worker']);
    const resolved = compose('config');
    assert.match(service(resolved, 'temporal'), /DB: postgres12[\s\S]*POSTGRES_SEEDS: postgresql/);
    assert.match(service(resolved, 'temporal-ui'), /TEMPORAL_ADDRESS: temporal:7233/);
    const worker = service(resolved, 'worker');
    assert.match(worker, /build:\n\s+context: /, 'the worker is built from the Dockerfile');
    assert.match(worker, /command:\n\s+- worker\n/);
    assert.match(worker, /TEMPORAL_ADDRESS: temporal:7233/);
    assert.match(worker, /MOFLOW_METRICS_HOST: 0\.0\.0\.0/);
    assert.match(worker, /127\.0\.0\.1:9464:9464/);
    assert.match(worker, /stop_grace_period: 35s/);
    assert.match(service(resolved, 'schedules'), /command:\n\s+- schedules\n\s+- apply\n/);
    const mo = service(resolved, 'mo');
    assert.match(mo, /profiles:\n\s+- local-mo\n/, 'the local MO runs only with its profile');
    assert.match(mo, /command:\n\s+- mo\n\s+- serve\n/);
    assert.doesNotMatch(worker, /profiles:/);
  });
});
