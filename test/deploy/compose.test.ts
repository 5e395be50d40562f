import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { missingTools } from '../support/tools.js';

const root = new URL('../../', import.meta.url).pathname;

// No Docker engine runs here, but the compose file must stay valid for those who deploy with it.
describe('docker-compose.yml', { skip: missingTools({ 'docker-compose': 'docker-compose' }) }, () => {
  it('is a valid compose file with the services a deployment needs', () => {
    // Debian's docker-compose validates the same compose specification `docker compose config` does.
    execFileSync('docker-compose', ['config', '--quiet'], { cwd: root, encoding: 'utf8' });
    const services = execFileSync('docker-compose', ['config', '--services'], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(services.trim().split('\n').sort(), ['postgresql', 'temporal', 'temporal-ui', 'worker']);
    const resolved = execFileSync('docker-compose', ['config'], { cwd: root, encoding: 'utf8' });
    assert.match(resolved, /TEMPORAL_ADDRESS: temporal:7233/);
  });
});
