// The `--address/--namespace/--task-queue` options the Temporal commands share, layered over the settings.
import type { Command } from 'commander';
import { loadSettings } from '../config/load.js';
import { temporalConfig, type TemporalConfig } from '../config/temporal.js';
import { log, settingsPathOf } from './output.js';

export interface TemporalOverrides {
  address?: string;
  namespace?: string;
  taskQueue?: string;
}

export function addTemporalOptions(command: Command): Command {
  return command
    .option('--address <host:port>', 'Temporal frontend (default: moflow.temporal.address / TEMPORAL_ADDRESS, else 127.0.0.1:7233)')
    .option('--namespace <name>', 'Temporal namespace (default: moflow.temporal.namespace / TEMPORAL_NAMESPACE, else default)')
    .option('--task-queue <name>', 'task queue (default: moflow.temporal.task_queue / TEMPORAL_TASK_QUEUE, else moflow)');
}

/** The settings' Temporal configuration with the command-line options on top. */
export function temporalConfigOf(command: Command, overrides: TemporalOverrides): TemporalConfig {
  const settings = loadSettings({ settingsPath: settingsPathOf(command) });
  for (const notice of settings.notices) log(`note: ${notice}`);
  const config = temporalConfig(settings);
  return {
    ...config,
    address: overrides.address ?? config.address,
    namespace: overrides.namespace ?? config.namespace,
    taskQueue: overrides.taskQueue ?? config.taskQueue,
  };
}
