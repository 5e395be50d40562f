// The worker's log: short text lines at info (which activity spoke only at debug or on a retry), JSON lines
// with every field for log collectors, the SDK's own chatter only when asked for, and CPR numbers masked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '@temporalio/worker';
import { logLine, logOptionsFromEnv } from '../../src/temporal/logging.js';

const entry = (message: string, meta: Record<string, unknown>, level: LogEntry['level'] = 'INFO'): LogEntry =>
  ({ level, message, meta, timestampNanos: 1_700_000_000_000n * 1_000_000n }) as LogEntry;
const activity = { sdkComponent: 'activity', activityType: 'diffEmployees', workflowId: 'opus-import-2024-01-01T22:40:12', attempt: 1 };

describe('the worker log', () => {
  const info = logOptionsFromEnv({}, { sdkInfo: false });

  it('at info, a text line is the time (UTC, Z), the level and the message', () => {
    assert.equal(logLine(entry('ZLPE20240101224012_delta.xml units: 3 writes, 0 failed', activity), info), '2023-11-14T22:13:20.000Z INFO  ZLPE20240101224012_delta.xml units: 3 writes, 0 failed');
  });

  it('names the activity and its workflow on a retry, and always at debug', () => {
    assert.match(logLine(entry('x', { ...activity, attempt: 2 }), info)!, /\[activity diffEmployees of opus-import-2024-01-01T22:40:12, attempt 2\]$/);
    const debug = logOptionsFromEnv({ MOFLOW_LOG_LEVEL: 'debug' });
    assert.equal(debug.level, 'DEBUG');
    assert.match(logLine(entry('x', activity), debug)!, /\[activity diffEmployees of .*, attempt 1\]$/);
    assert.equal(logOptionsFromEnv({}, { verbose: true }).level, 'DEBUG');
  });

  it("leaves the SDK's worker-state lines out for npm start, keeps them for the worker and its warnings always", () => {
    assert.equal(logLine(entry('Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' }), info), null);
    assert.match(logLine(entry('Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' }), logOptionsFromEnv({}))!, /RUNNING$/);
    assert.notEqual(logLine(entry('poll failed', { sdkComponent: 'worker' }, 'WARN'), info), null);
  });

  it('MOFLOW_LOG_FORMAT=json: one JSON object with the context, the error as its message, CPR numbers masked', () => {
    const json = logOptionsFromEnv({ MOFLOW_LOG_FORMAT: 'json' });
    const line = logLine(entry('person 0101011234 failed', { ...activity, error: new Error('MO refused 0101011234'), taskToken: new Uint8Array([1]) }, 'WARN'), json)!;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed).sort(), ['activityType', 'attempt', 'error', 'level', 'message', 'sdkComponent', 'time', 'workflowId']);
    assert.equal(parsed.time, '2023-11-14T22:13:20.000Z');
    assert.doesNotMatch(line, /0101011234/);
  });

  it('refuses a level or format it does not know, saying which are', () => {
    assert.throws(() => logOptionsFromEnv({ MOFLOW_LOG_LEVEL: 'loud' }), /MOFLOW_LOG_LEVEL must be debug, info, warn or error/);
    assert.throws(() => logOptionsFromEnv({ MOFLOW_LOG_FORMAT: 'xml' }), /MOFLOW_LOG_FORMAT must be text or json/);
  });
});
