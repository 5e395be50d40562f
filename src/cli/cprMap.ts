// `moflow mo export-cpr-map FILE`: DIPEX's CPR → uuid mapping of everybody in OS2MO (exporters/cpr_uuid.py),
// so that a re-import into an empty MO (integrations.opus.import.cpr_uuid_map_path) keeps every uuid.
import type { Command } from 'commander';
import { loadSettings } from '../config/load.js';
import { log, settingsPathOf } from './output.js';

export function registerCprMapCommand(mo: Command): void {
  mo.command('export-cpr-map')
    .argument('<file>', 'where to write the mapping (cpr;mo_uuid;ad_guid;sam_account_name)')
    .description("write DIPEX's CPR → uuid mapping of everybody in OS2MO (mora.base), for a re-import that keeps people's uuids")
    .action(async (file: string, _opts: unknown, command: Command) => {
      // The MO client loads in this command only.
      const [{ writeCprMapFile }, { cprMapRowsFromMo }, { interactiveMoClient }] = await Promise.all([
        import('../cprmap/file.js'),
        import('../cprmap/fromMo.js'),
        import('./moClient.js'),
      ]);
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      const rows = await cprMapRowsFromMo(interactiveMoClient(settings));
      await writeCprMapFile(file, rows);
      log(`wrote the CPR mapping of ${rows.length} people to ${file} (personal data: keep it as safe as MO itself)`);
    });
}
