// Connections to the Temporal frontend from the settings (src/config/temporal.ts): a client connection for
// starting and inspecting workflows, a native one for workers. Both fail fast with advice when nobody answers.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '../config/temporal.js';

export class TemporalUnreachableError extends Error {
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot reach Temporal at ${address} (${detail}). Is the Temporal server running at ${address}? ` +
        'Start one with `npm start`, or set TEMPORAL_ADDRESS (moflow.temporal.address) to where it runs.',
      { cause },
    );
    this.name = 'TemporalUnreachableError';
  }
}

type ConnectionConfig = Pick<TemporalConfig, 'address' | 'namespace' | 'tls' | 'apiKey'>;

/** TLS, API key and the namespace header Temporal Cloud routes API-key requests by. */
function commonOptions(config: ConnectionConfig) {
  return {
    address: config.address,
    tls: config.tls,
    ...(config.apiKey ? { apiKey: config.apiKey, metadata: { 'temporal-namespace': config.namespace } } : {}),
  };
}

export async function connectClient(
  config: ConnectionConfig,
  options: { connectTimeoutMs?: number } = {},
): Promise<{ connection: Connection; client: Client }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...commonOptions(config), connectTimeout: options.connectTimeoutMs ?? 10_000 });
  } catch (error) {
    throw new TemporalUnreachableError(config.address, error);
  }
  return { connection, client: new Client({ connection, namespace: config.namespace }) };
}

export async function connectNative(config: ConnectionConfig): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(commonOptions(config));
  } catch (error) {
    throw new TemporalUnreachableError(config.address, error);
  }
}
