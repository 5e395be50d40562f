// The Plan2Learn export (src/plan2learn) as two activities: write the five files, then ship them. Only the
// folder and the manifest's names and hashes pass between them.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Settings } from '../src/config/load.js';
import { moClientFromSettings } from '../src/mo/index.js';
import { runPlan2LearnExport, shipList } from '../src/plan2learn/run.js';
import { shipFiles } from '../src/plan2learn/ship.js';
import { shipTargetFromSettings } from '../src/plan2learn/shipSettings.js';
import type { Plan2LearnManifest } from '../src/plan2learn/writer.js';
import { heartbeating } from './support.js';

export interface Plan2LearnFiles {
  dir: string;
  today: string;
  files: Plan2LearnManifest['files'];
  notes: number;
}

export function plan2learnActivities(settings: Settings) {
  return {
    async plan2learnWriteFiles(): Promise<Plan2LearnFiles> {
      return heartbeating('reading OS2MO for Plan2Learn', async (beat) => {
        const result = await runPlan2LearnExport(settings, {
          client: moClientFromSettings(settings),
          ship: null,
          log: (message) => log.info(message),
          onPage: (collection, objects) => {
            beat.stage(`reading ${collection}`);
            beat.progress(objects, 0);
          },
        });
        return { dir: result.dir, today: result.manifest.today, files: result.manifest.files, notes: result.notes.length };
      });
    },

    /** Ships the files just written; without Plan2Learn FTP settings it only says so. */
    async plan2learnShipFiles(input: Plan2LearnFiles): Promise<{ shipped: number; target: string | null }> {
      return heartbeating('shipping to Plan2Learn', async (beat) => {
        const target = shipTargetFromSettings(settings);
        if (target === null) return { shipped: 0, target: null };
        for (const file of input.files) {
          const bytes = await readFile(join(input.dir, file.name)).catch(() => null);
          if (bytes === null || createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
            // The files live on the worker that wrote them: workers that ship must share that folder.
            throw ApplicationFailure.nonRetryable(`${file.name} in ${input.dir} on this worker is not the file the export wrote; run the export again`, 'Plan2LearnFilesChanged');
          }
        }
        const { shipped } = await shipFiles(target, shipList(input.dir, input.files), {
          log: (message) => log.info(message),
          onProgress: (name, bytes, total) => {
            beat.stage(`uploading ${name}`);
            beat.progress(bytes, total);
          },
        });
        return { shipped: shipped.length, target: `${target.host}:${target.port}` };
      });
    },
  };
}
