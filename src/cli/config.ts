// `moflow config …`: see which settings are in effect, and every key moflow knows.
import type { Command } from 'commander';
import { ALL_SETTINGS, LEGACY_KEYS } from '../config/keys.js';
import { loadSettings } from '../config/load.js';
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
    .description('validate the settings and print the values in effect (secrets hidden)')
    .action((_opts, command: Command) => {
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      for (const notice of settings.notices) process.stderr.write(`note: ${notice}\n`);
      for (const spec of ALL_SETTINGS) {
        if (!settings.has(spec)) continue;
        const value = spec.secret ? '(hidden)' : JSON.stringify(settings.get(spec));
        process.stdout.write(`${spec.key} = ${value}   [${settings.origins.get(spec.key)}]\n`);
      }
    });
}
