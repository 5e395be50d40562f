// `moflow start` (npm start): the main job on embedded defaults in one process tree — a Temporal dev server
// with its Web UI (history kept in ./data), the local MO on embedded PostgreSQL (unless mora.base names an
// OS2MO), and a worker; a sample municipality when no dump source is configured; then the OPUS sync of every
// dump and a Plan2Learn export, a summary, and it keeps running (with the nightly schedules) until Ctrl-C.
// `--once` stops after that first round.
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError, WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { dataDirOf } from '../config/dataDir.js';
import { darKeys, moKeys } from '../config/keys.js';
import { loadSettings, type Settings } from '../config/load.js';
import { localMoConfig } from '../config/mo.js';
import { scheduleConfig } from '../config/schedules.js';
import { temporalConfig } from '../config/temporal.js';
import { startLocalMo, type LocalMo } from '../localmo/service.js';
import { startDarStandIn, type DarStandIn } from '../start/darStandIn.js';
import { shownPath, writeDemoSettings } from '../start/demoSettings.js';
import { acquireInstanceLock } from '../start/instanceLock.js';
import { installShutdown } from '../start/shutdown.js';
import { ensureSampleDumps, hasDumpSource, sampleAddresses, sampleSettings } from '../start/sample.js';
import { createActivities } from '../../activities/index.js';
import { opusRunContext } from '../opusRuns/context.js';
import { connectClient, connectNative } from '../temporal/connection.js';
import { installRuntime, logOptionsFromEnv } from '../temporal/logging.js';
import { serveMetrics, sdkMetricsAddress, type MetricsServer } from '../metrics/server.js';
import { DEFAULT_METRICS_PORT, metricsConfig, metricsKeys } from '../metrics/settings.js';
import { startDevServer, type DevServer, type PortChoice } from '../temporal/devServer.js';
import { ensureControl, startOrJoinSync } from '../temporal/opusOps.js';
import { opusStatus } from '../temporal/opusStatus.js';
import { describeSyncOutcome } from '../temporal/syncOutcome.js';
import { applySchedules } from '../temporal/schedules.js';
import { createMoflowWorker, runWorkerUntilSignal } from '../temporal/worker.js';
import { freePort, preferredPort } from '../util/ports.js';
import { MOFLOW_SEARCH_ATTRIBUTES, PLAN2LEARN_EXPORT_ID } from '../../workflows/definitions.js';
import type { plan2learnExport } from '../../workflows/index.js';
import { log, settingsPathOf } from './output.js';

interface StartOptions {
  once?: boolean;
  port?: string;
  uiPort?: string;
  moPort?: string;
  verbose?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run moflow on embedded defaults: Temporal dev server with UI, local MO, a worker, the OPUS sync and the Plan2Learn export')
    .option('--once', 'stop after the first round of work instead of running until Ctrl-C')
    .option('--port <port>', 'Temporal frontend port (default 7233, or a free one if taken; 0: a free one)')
    .option('--ui-port <port>', 'Temporal Web UI port (default 8233, or a free one if taken; 0: a free one)')
    .option('--mo-port <port>', 'local MO port (default moflow.mo.port, else 5000, or a free one if taken; 0: a free one)')
    .option('--verbose', "print every stage of the worker's activities (as MOFLOW_LOG_LEVEL=debug)")
    .action(async (opts: StartOptions, command: Command) => {
      const settingsPath = settingsPathOf(command);
      const configured = loadSettings({ settingsPath });
      for (const notice of configured.notices) log(`note: ${notice}`);
      const dataDir = dataDirOf(configured);
      mkdirSync(dataDir, { recursive: true });
      const lock = acquireInstanceLock(dataDir); // one start per data folder; released on exit
      const shutdown = installShutdown(); // any signal from here on stops within a bound, children included
      const logOptions = logOptionsFromEnv(process.env, { verbose: opts.verbose ?? false, sdkInfo: false });

      log(`moflow: starting the Temporal dev server (history in ${join(dataDir, 'temporal.db')}) …`);
      const server = await startDevServer({
        port: portFor(opts.port, 7233, 'Temporal', '--port'),
        uiPort: portFor(opts.uiPort, 8233, 'the Temporal UI', '--ui-port'),
        dbFilename: join(dataDir, 'temporal.db'),
        logFile: join(dataDir, 'temporal.log'),
        searchAttributes: MOFLOW_SEARCH_ATTRIBUTES,
      });
      let mo: LocalMo | null = null;
      let dar: DarStandIn | null = null;
      try {
        const env: Record<string, string> = {};
        const sample = hasDumpSource(configured) ? null : await ensureSampleDumps(join(dataDir, 'sample-dumps'), log);
        // The sample's addresses are invented: the real DAR has none of them. With the local MO, a stand-in
        // that knows them serves both the import's cleansing and the MO's look-ups, so the demo's files have
        // street, postcode and city; with an OS2MO (whose DAR is its own) DAR stays off for the sample.
        const darOff: Record<string, string> = {};
        if (sample && !configured.has(darKeys.baseUrl)) {
          if (configured.has(moKeys.base)) {
            darOff[darKeys.enabled.env[0]!] = 'false';
            log('moflow: DAR look-ups are off for the sample municipality (its addresses are invented)');
          } else {
            dar = await startDarStandIn(await sampleAddresses(sample));
            env[darKeys.baseUrl.env[0]!] = dar.url;
            log(`moflow: a DAR stand-in at ${dar.url} knows the sample's ${dar.size} invented addresses (real DAR stays the default with your own dumps)`);
          }
        }
        if (!configured.has(moKeys.base)) {
          const local = localMoConfig(configured);
          log(`moflow: starting the local MO (${local.databaseUrl ? 'PostgreSQL from moflow.mo.database_url' : `embedded PostgreSQL in ${join(dataDir, 'postgres')}`}) …`);
          mo = await startLocalMo({
            databaseUrl: local.databaseUrl,
            dataDir,
            port: opts.moPort === undefined ? local.port : portNumber(opts.moPort),
            portTaken: opts.moPort === undefined ? (instead) => saidTaken(local.port, instead, 'the local MO', '--mo-port') : undefined,
            auth: local.auth,
            darBaseUrl: local.darBaseUrl ?? dar?.url ?? null,
          });
          env[moKeys.base.env[0]!] = mo.url;
        }
        if (sample) Object.assign(env, await sampleSettings(configured, sample));
        // The settings file with the local MO and the sample on top; what the operator configured wins, except
        // that DAR stays off for the sample on an OS2MO unless the operator named a DAR (moflow.dar.base_url).
        const settings = loadSettings({ settingsPath, env: { ...env, ...process.env, ...darOff } });
        lock.update({ temporal: server.address, temporalUi: server.uiUrl, mo: mo?.graphqlUrl ?? null });
        shutdown.running();
        await run(settings, server, mo, { once: opts.once ?? false, dataDir, logOptions });
      } finally {
        await mo?.stop();
        await dar?.stop();
        await server.stop();
        log('moflow: stopped');
        shutdown.done();
      }
    });
}

interface RunOptions {
  once: boolean;
  dataDir: string;
  logOptions: ReturnType<typeof logOptionsFromEnv>;
}

async function run(settings: Settings, server: DevServer, mo: LocalMo | null, { once, dataDir, logOptions }: RunOptions): Promise<void> {
  const config = { ...temporalConfig(settings), address: server.address, namespace: server.namespace, tls: false, apiKey: null };
  // Signals are handled here, so the worker drains before MO and the server stop.
  const metrics = metricsConfig(settings);
  const sdkMetrics = metrics ? await sdkMetricsAddress() : null;
  installRuntime(logOptions, sdkMetrics);
  const native = await connectNative(config);
  const { connection, client } = await connectClient(config);
  let served: MetricsServer | null = null;
  try {
    const activities = createActivities(settings);
    const worker = await createMoflowWorker({ connection: native, namespace: config.namespace, taskQueue: config.taskQueue, activities });
    const running = runWorkerUntilSignal(worker, (signal) => log(`moflow: ${signal}, finishing running tasks…`));
    served = metrics ? await startMetrics(settings, metrics, sdkMetrics) : null;
    const metricsPart = served ? `  ·  metrics ${served.url}${served.port === DEFAULT_METRICS_PORT || settings.has(metricsKeys.port) ? '' : ` (${DEFAULT_METRICS_PORT} was taken)`}` : '';
    log(`moflow: Temporal UI ${server.uiUrl}  ·  frontend ${server.address}  ·  task queue ${config.taskQueue}${metricsPart}`);
    if (mo) log(`moflow: local MO ${mo.graphqlUrl} (GraphiQL in a browser; ${mo.access})`);
    const setUp = (async () => {
      await ensureControl(client, config.taskQueue);
      await firstRound(client, config.taskQueue);
      if (!once) {
        for (const s of await applySchedules(client, config.taskQueue, scheduleConfig(settings))) log(`moflow: schedule ${s.scheduleId}: ${s.outcome}${s.cron ? ` (${s.cron})` : ''}`);
      }
    })();
    try {
      // A signal during the first round stops the worker, and the round's runs then wait for the next worker:
      // stop waiting for them too, so MO and the Temporal server stop at once, not at the shutdown bound.
      if (await Promise.race([setUp.then(() => false), running.then(() => true)])) {
        setUp.catch(() => {});
        log('moflow: stopped during the first round; its runs go on at the next start');
        return;
      }
    } catch (error) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      throw error;
    }
    log(`moflow: the runs and their reports are in the Temporal UI: ${server.uiUrl}/namespaces/${config.namespace}/workflows`);
    const demo = shownPath(writeDemoSettings(dataDir, settings, config));
    log(`moflow: the CLI on this demo${once ? ' (while `npm start` runs)' : ''}: npx moflow --settings ${demo} opus status (or opus plan, opus history <employment-id>, …)`);
    if (once) worker.shutdown();
    else log('moflow: running; stop with Ctrl-C');
    await running;
  } finally {
    await served?.close();
    await connection.close();
    await native.close();
  }
}

/** The OPUS sync of every dump, then a Plan2Learn export; prints what happened. */
async function firstRound(client: Client, taskQueue: string): Promise<void> {
  log('moflow: OPUS sync …');
  const { handle } = await startOrJoinSync(client, taskQueue);
  try {
    const result = await handle.result();
    log(`moflow: ${(await describeSyncOutcome(client, handle.workflowId, result)).line}`);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    log(`moflow: the OPUS sync failed: ${error.cause?.message ?? error.message}`);
  }
  const status = await opusStatus(client, { limit: 10 });
  for (const line of [...status.lines, status.verdict]) process.stdout.write(`${line}\n`);

  log('moflow: Plan2Learn export …');
  try {
    const p2l = await client.workflow.execute<typeof plan2learnExport>('plan2learnExport', {
      taskQueue,
      workflowId: PLAN2LEARN_EXPORT_ID,
      args: [{}],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    process.stdout.write(`Plan2Learn: ${p2l.files.map((f) => `${f.name} ${f.rows} rows`).join(', ')} in ${p2l.dir}${p2l.target ? `, shipped to ${p2l.target}` : ''}\n`);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    log(`moflow: the Plan2Learn export failed: ${error.cause?.message ?? error.message}`);
  }
}

/** The worker's metrics: on the default port, or a free one when that is taken and no port is configured. */
async function startMetrics(settings: Settings, metrics: NonNullable<ReturnType<typeof metricsConfig>>, sdkMetrics: string | null): Promise<MetricsServer | null> {
  const configured = settings.has(metricsKeys.port);
  return serveMetrics(configured ? metrics : { ...metrics, port: DEFAULT_METRICS_PORT }, {
    sdkMetrics,
    reportsDir: opusRunContext(settings).reportsDir,
    log: (line) => log(`moflow: ${line}`),
    portTaken: configured ? undefined : () => {}, // the URL line says where they are
  });
}

/** The port asked for, else how to choose one: the default if it is free, else any free port (said in one line). */
function portFor(asked: string | undefined, fallback: number, what: string, option: string): number | PortChoice {
  if (asked !== undefined) {
    const port = portNumber(asked);
    return port === 0 ? () => freePort() : port;
  }
  return () => preferredPort(fallback, (instead) => saidTaken(fallback, instead, what, option));
}

function portNumber(asked: string): number {
  const port = Number(asked);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${asked} is not a port number (0 picks a free one)`);
  return port;
}

function saidTaken(port: number, instead: number, what: string, option: string): void {
  log(`moflow: port ${port} is taken, so ${what} listens on ${instead} (${option} to choose one)`);
}
