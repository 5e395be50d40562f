// `moflow mo serve`: the local OS2MO-compatible service (GraphQL v30 subset, GraphiQL, token endpoint), on
// DATABASE_URL or an embedded PostgreSQL under the data folder. Runs until SIGINT/SIGTERM, then stops in
// order: no new requests, running ones finish, the pool closes, the embedded server shuts down.
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { loadSettings } from '../config/load.js';
import { localMoConfig } from '../config/mo.js';
import { registerCprMapCommand } from './cprMap.js';
import { log, settingsPathOf, UsageError } from './output.js';
import { dataDirOf } from '../config/dataDir.js';

interface ServeOptions {
  port?: string;
  host: string;
  databaseUrl?: string;
}

export function registerMoCommands(program: Command): void {
  const mo = program.commands.find((c) => c.name() === 'mo') ?? program.command('mo').description('the local OS2MO-compatible service, and exports from OS2MO');
  registerCprMapCommand(mo);
  mo.command('serve')
    .description('serve the OS2MO GraphQL v30 subset moflow uses (docs/mo-api-subset.md) until Ctrl-C')
    .option('--port <port>', 'HTTP port (default moflow.mo.port, else 5000)')
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--database-url <url>', 'PostgreSQL to store MO in (default moflow.mo.database_url / DATABASE_URL, else an embedded PostgreSQL)')
    .action(async (opts: ServeOptions, command: Command) => {
      // The local MO (PostgreSQL, GraphQL) loads in this command only.
      const { startLocalMo } = await import('../localmo/service.js');
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      for (const notice of settings.notices) log(`note: ${notice}`);
      const config = localMoConfig(settings);
      const dataDir = dataDirOf(settings);
      mkdirSync(dataDir, { recursive: true });
      const port = opts.port === undefined ? config.port : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${opts.port} is not a port number`);
      // Without auth the service answers every CPR number to whoever reaches it: this machine only.
      if (!config.auth && !isLoopback(opts.host)) {
        throw new UsageError(
          `--host ${opts.host} without authentication would give every employee's CPR number to anyone on the network. ` +
            'Set moflow.mo.auth.client_id and moflow.mo.auth.client_secret to require tokens, or keep the default --host 127.0.0.1.',
        );
      }

      const service = await startLocalMo({
        databaseUrl: opts.databaseUrl ?? config.databaseUrl,
        dataDir,
        port,
        host: opts.host,
        auth: config.auth,
        darBaseUrl: config.darBaseUrl,
        log: (message) => log(`moflow mo: ${message}`),
      });
      log(`moflow mo: GraphQL ${service.graphqlUrl} (GraphiQL in a browser; schema at ${service.graphqlUrl}/schema.graphql)`);
      log(`moflow mo: data in ${service.dataLocation}`);
      log(
        config.auth
          ? `moflow mo: tokens required; client credentials at ${service.url}/auth/realms/mo/protocol/openid-connect/token`
          : `moflow mo: ${service.access}`,
      );
      log('moflow mo: running; stop with Ctrl-C');
      const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
        process.once('SIGINT', () => resolveSignal('SIGINT'));
        process.once('SIGTERM', () => resolveSignal('SIGTERM'));
      });
      log(`moflow mo: ${signal}, stopping…`);
      await service.stop();
      log('moflow mo: stopped');
    });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
