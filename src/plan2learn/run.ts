// One Plan2Learn run, as `moflow plan2learn export` and the workflow's one activity do it: read MO in bulk,
// build the five files, write them with their manifest to the output folder, and optionally ship them —
// unless the export guard (guard.ts) holds the shipment. Every failure propagates: a run that did not write
// (or, when asked, ship or hold) every file fails.
import { join, resolve } from 'node:path';
import { dataDirOf } from '../config/dataDir.js';
import { plan2learnGuardKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import { copenhagenToday, type MoClient } from '../mo/index.js';
import { exportPlan2Learn } from './export.js';
import { checkShrink, DEFAULT_MAX_SHRINK_SHARE, type ShrinkApproval, type ShrinkHold } from './guard.js';
import { loadSnapshotFromMo, type LoadStats } from './loadFromMo.js';
import type { Day } from './snapshot.js';
import { plan2learnSettings } from './settings.js';
import { shipFiles, type ShipFile, type ShipOptions, type ShippedFile, type ShipTarget } from './ship.js';
import { writeExport, type Plan2LearnManifest } from './writer.js';

export interface RunOptions {
  client: MoClient;
  /** Default: exporters' output_dir setting, else plan2learn/ in the data folder. */
  outDir?: string;
  /** Ship to this target after writing; null/undefined: export only. */
  ship?: ShipTarget | null;
  /** Default: today in Copenhagen. */
  today?: Day;
  pageSize?: number;
  /** Progress and notes, one line each (no CPR numbers, no passwords). */
  log?: (message: string) => void;
  onPage?: (collection: string, objects: number) => void;
  shipOptions?: Omit<ShipOptions, 'log' | 'guard'>;
  /** Shrinks an operator accepted (guard.ts); default none: a shrink past the threshold holds the shipment. */
  approved?: ShrinkApproval | null;
}

export interface RunResult {
  dir: string;
  manifest: Plan2LearnManifest;
  load: LoadStats;
  /** Building the files from the snapshot. */
  buildMs: number;
  writeMs: number;
  notes: string[];
  /** null when not shipped (export only, or held). */
  shipped: ShippedFile[] | null;
  /** Why the export guard held the shipment; null when it shipped or was not asked to. */
  held: ShrinkHold | null;
  /** Data rows of each file on the server before this run (null: none there); null when not shipping. */
  onServer: Map<string, number | null> | null;
}

/** exporters.plan2learn.max_shrink_share, or its default. */
export function maxShrinkShare(settings: Settings): number {
  return settings.get(plan2learnGuardKeys.maxShrinkShare) ?? DEFAULT_MAX_SHRINK_SHARE;
}

/** What a variant means, in a few words, and the setting that chooses it. */
const VARIANT_MEANS: Record<string, string> = {
  Viborg: "Viborg's rules for Stilling, start dates and managers; exporters.plan2learn.variant chooses Viborg or RSD",
  RSD: "RSD's rules for Stilling, start dates and managers; exporters.plan2learn.variant chooses RSD or Viborg",
};

export function defaultOutputDir(settings: Settings): string {
  const configured = plan2learnSettings(settings).outputDir;
  if (configured !== null) return resolve(configured);
  return join(dataDirOf(settings), 'plan2learn');
}

export async function runPlan2LearnExport(settings: Settings, options: RunOptions): Promise<RunResult> {
  const log = options.log ?? (() => {});
  const config = plan2learnSettings(settings); // settings problems before MO is asked anything
  const rule = { maxShrinkShare: maxShrinkShare(settings), approved: options.approved ?? null };
  const dir = options.outDir !== undefined ? resolve(options.outDir) : defaultOutputDir(settings);
  const today = options.today ?? copenhagenToday();

  log(`reading OS2MO as on ${today} (${config.variant} variant, ${VARIANT_MEANS[config.variant]}; root unit ${config.rootUnitUuid})`);
  const { snapshot, stats } = await loadSnapshotFromMo(options.client, {
    today,
    variant: config.variant,
    phonePriority: config.phonePriority,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.onPage ? { onPage: options.onPage } : {}),
  });
  const counts = Object.entries(stats.objects).map(([k, n]) => `${n} ${k}`).join(', ');
  log(`read ${counts} in ${(stats.ms / 1000).toFixed(1)} s`);

  let t = performance.now();
  const exported = exportPlan2Learn(snapshot, { ...config, today });
  const buildMs = performance.now() - t;
  for (const note of exported.notes) log(`note: ${note}`);

  t = performance.now();
  const manifest = await writeExport(dir, exported, new Date().toISOString());
  const writeMs = performance.now() - t;
  log(`wrote ${manifest.files.map((f) => `${f.name} (${f.rows} rows)`).join(', ')} and manifest.json to ${dir}`);

  const result: RunResult = { dir, manifest, load: stats, buildMs, writeMs, notes: exported.notes, shipped: null, held: null, onServer: null };
  if (!options.ship) return result;
  const guard = (onServer: ReadonlyMap<string, number | null>) => checkShrink(manifest.files, onServer, rule);
  const outcome = await shipFiles(options.ship, shipList(dir, manifest.files), { ...options.shipOptions, log, guard });
  return { ...result, shipped: outcome.held ? null : outcome.shipped, held: outcome.held, onServer: outcome.onServer };
}

/** The written files of a manifest as shipFiles takes them: each under its own name on the server. */
export function shipList(dir: string, files: readonly { name: string }[]): ShipFile[] {
  return files.map((f) => ({ localPath: join(dir, f.name), remoteName: f.name }));
}
