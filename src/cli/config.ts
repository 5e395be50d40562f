// `moflow config …`: see which settings are in effect, and every key moflow knows.
import type { Command } from 'commander';
import { dataDirOf } from '../config/dataDir.js';
import { ALL_SETTINGS, generalKeys, LEGACY_KEYS, localMoKeys, temporalKeys } from '../config/keys.js';
import { temporalConfig } from '../config/temporal.js';
import { loadSettings, type Settings } from '../config/load.js';
import type { SettingSpec } from '../config/setting.js';
import { settingsPathOf } from './output.js';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('inspect settings');

  config
    .command('keys')
    .description('list every settings key, its environment variables and meaning')
    .action(() => {
      for (const spec of ALL_SETTINGS) {
        process.stdout.write(`${spec.key}\n  env: ${spec.env.join(', ')}\n  ${spec.description} (e.g. ${spec.example})\n`);
      }
      for (const [key, why] of Object.entries(LEGACY_KEYS)) process.stdout.write(`${key}\n  ${why}\n`);
    });

  config
    .command('show')
    .description('validate the settings and print every value in effect, where it comes from, and the defaults (secrets hidden)')
    .action((_opts, command: Command) => {
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      for (const notice of settings.notices) process.stderr.write(`note: ${notice}\n`);
      for (const line of showLines(settings)) process.stdout.write(`${line}\n`);
    });
}

/** What `config show` prints: the sources, then every key set or defaulted, then the keys left unset. */
export function showLines(settings: Settings): string[] {
  const lines = [
    settings.file
      ? `settings from ${settings.file}, environment variables on top (they win)`
      : 'no settings file (give one with --settings or MOFLOW_SETTINGS): environment variables and defaults only',
  ];
  const unset: string[] = [];
  // Defaults that code computes rather than a description states.
  const temporal = temporalConfig(settings);
  const computed = new Map<string, string>([
    [generalKeys.dataDir.key, dataDirOf(settings)],
    [temporalKeys.address.key, temporal.address],
    [temporalKeys.namespace.key, temporal.namespace],
    [temporalKeys.taskQueue.key, temporal.taskQueue],
    [temporalKeys.tls.key, String(temporal.tls)],
    [localMoKeys.port.key, '5000'],
  ]);
  for (const spec of ALL_SETTINGS) {
    if (settings.has(spec)) {
      lines.push(`${spec.key} = ${shown(spec, settings.get(spec))}   [${settings.origins.get(spec.key)}]`);
      continue;
    }
    const fallback = computed.get(spec.key) ?? defaultOf(spec);
    if (fallback) lines.push(`${spec.key} = ${fallback}   (default)`);
    else unset.push(spec.key);
  }
  if (unset.length > 0) lines.push(`not set, no default (\`moflow config keys\` says what each does): ${unset.join(', ')}`);
  return lines;
}

/** A secret is never printed, not even in part: only that it is set. */
function shown(spec: SettingSpec, value: unknown): string {
  return spec.secret ? '******** (set, hidden)' : JSON.stringify(value);
}

/** The default a key's description states, "(default 200)" or "(default: the login folder)". */
function defaultOf(spec: SettingSpec): string | null {
  const stated = /\(default:? ([^;)]+)/.exec(spec.description) ?? /"([^"]+)" (?:[^"(]*)\(default\)/.exec(spec.description);
  return stated?.[1]?.trim() ?? null;
}
