// What a settings check reported: the problems of the ConfigError `fn` throws (and a failed test when it
// throws anything else, or nothing).
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/load.js';

export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}
