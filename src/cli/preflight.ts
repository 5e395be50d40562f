// Before `opus plan` or `opus apply` starts anything (the DAR cache's database, reading dumps), MO and DAR are
// each asked once: one that cannot be reached ends the command in one line naming the setting, instead of
// seconds of retries and a degraded plan. (Nightly runs under Temporal keep their patience: they retry MO for
// hours and go on without DAR, looking its addresses up again the next night.)
import { darKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import { moClientConfig } from '../config/mo.js';
import { createDarClient, DEFAULT_DAR_BASE_URL } from '../dar/client.js';
import { createMoClient, MoError } from '../mo/index.js';
import { UsageError } from './output.js';

const PROBE_TIMEOUT_MS = 10_000;

/** Asks MO for its facets once, then DAR for one address once (unless DAR is off). */
export async function probeMoAndDar(settings: Settings): Promise<void> {
  const mo = moClientConfig(settings);
  try {
    await createMoClient({ ...mo, timeoutMs: PROBE_TIMEOUT_MS, retry: { retries: 0 } }).facets.read({});
  } catch (error) {
    const reason = error instanceof MoError ? (error.code ?? error.description ?? error.message) : String(error);
    const auth = error instanceof MoError && error.kind === 'auth';
    throw new UsageError(
      `MO at ${mo.baseUrl} ${auth ? 'refused moflow' : 'cannot be reached'} (${reason}). Fix: ${auth ? 'check mora.client_id, mora.client_secret and mora.auth_server' : 'check mora.base and that MO runs'} (moflow config show).`,
    );
  }
  if (settings.get(darKeys.enabled) === false) return;
  const baseUrl = settings.get(darKeys.baseUrl) ?? DEFAULT_DAR_BASE_URL;
  const answer = await createDarClient({ baseUrl, timeoutMs: PROBE_TIMEOUT_MS, retry: { retries: 0 } }).lookUp('Rådhuspladsen 1', '1550');
  if (answer.kind === 'unavailable') {
    throw new UsageError(
      `DAR at ${baseUrl} did not answer: ${answer.reason}. Fix: check moflow.dar.base_url, or set moflow.dar.enabled to false to leave postal addresses as MO has them.`,
    );
  }
}
