// Dumps in a Cloud Storage bucket (integrations.opus.gcloud_bucket_name), as DIPEX's GcloudOpusReader
// read them. With integrations.opus.gcloud_prefix set, the objects directly under that prefix; without it,
// the bucket root and "production/" (DIPEX stripped "production/" from every name, so a migrated bucket
// keeps working). Object names are never changed: each listed name maps to the object it came from.
import { Storage, type Bucket } from '@google-cloud/storage';
import type { Readable } from 'node:stream';
import type { DumpSourceConfig } from '../config/opus.js';
import { describeSource } from '../config/opus.js';
import { opusKeys } from '../config/keys.js';
import { parseDumpName } from '../opus/dumpName.js';
import { isTransientNetworkError, withRetry } from '../util/retry.js';
import { buildListing, type SourceEntry } from './listing.js';
import { sourceRetryPolicy, type SourceRetryOptions } from './retry.js';
import { DumpSourceError, type DumpListing, type DumpSource } from './types.js';

export type GcsConfig = Extract<DumpSourceConfig, { type: 'gcs' }>;

export interface GcsSourceOptions {
  retry?: SourceRetryOptions;
}

/** DIPEX's folder, read next to the bucket root when no prefix is configured. */
const PRODUCTION = 'production/';

function httpStatus(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== null) return status === 408 || status === 429 || status >= 500;
  return isTransientNetworkError(error) || isTransientNetworkError((error as { cause?: unknown } | null)?.cause);
}

interface Folder {
  /** Object name prefix, '' for the bucket root. */
  prefix: string;
  /** DIPEX's production/: dumps here are listed under their bare name. */
  stripped: boolean;
}

export class GcsSource implements DumpSource {
  readonly description: string;
  private readonly bucket: Bucket;
  private readonly folders: Folder[];
  /** Listed dump name → object name, from the latest listing. */
  private objects = new Map<string, string>();

  constructor(
    private readonly config: GcsConfig,
    private readonly options: GcsSourceOptions = {},
  ) {
    this.description = describeSource(config) + (config.prefix === null ? ` (root and ${PRODUCTION})` : '');
    // Retries happen in withRetry, with the policy every source shares, not also inside the client.
    const storage = new Storage({
      ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint } : {}),
      ...(config.projectId ? { projectId: config.projectId } : {}),
      retryOptions: { autoRetry: false },
    });
    this.bucket = storage.bucket(config.bucket);
    const prefix = config.prefix?.replace(/^\/+/, '');
    this.folders =
      prefix === undefined
        ? [
            { prefix: '', stripped: false },
            { prefix: PRODUCTION, stripped: true },
          ]
        : [{ prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`, stripped: false }];
  }

  async list(): Promise<DumpListing> {
    const entries: SourceEntry[] = [];
    const subFolders: DumpListing['ignored'] = [];
    const objects = new Map<string, string>();
    for (const folder of this.folders) {
      const { files, prefixes } = await this.listFolder(folder.prefix);
      for (const file of files) {
        const relative = file.name.slice(folder.prefix.length);
        if (relative === '') continue; // the folder's own placeholder object
        // A dump in production/ keeps its bare name (DIPEX's), anything else its path, so it can be found.
        const name = folder.stripped && !parseDumpName(relative).ok ? file.name : relative;
        const earlier = objects.get(name);
        if (earlier !== undefined) {
          throw new DumpSourceError(
            `${this.description} holds dump ${name} twice: gs://${this.config.bucket}/${earlier} and gs://${this.config.bucket}/${file.name}. ` +
              'moflow cannot tell which one is right. Fix: remove one of them.',
          );
        }
        objects.set(name, file.name);
        entries.push({ name, size: file.size });
      }
      for (const sub of prefixes) {
        if (this.folders.some((f) => f.prefix === sub)) continue; // production/ is read in its own right
        subFolders.push({
          name: sub,
          reason: `in a sub-folder; moflow reads only ${this.folders.map((f) => f.prefix || 'the bucket root').join(' and ')} (set ${opusKeys.gcloudPrefix.key} to read another folder)`,
        });
      }
    }
    const listing = buildListing(entries, this.description);
    listing.ignored = [...listing.ignored, ...subFolders].sort((a, b) => (a.name < b.name ? -1 : 1));
    this.objects = objects;
    return listing;
  }

  async open(name: string): Promise<Readable> {
    if (!this.objects.has(name)) await this.list();
    const object = this.objects.get(name);
    if (object === undefined) throw new DumpSourceError(`no dump ${name} in ${this.description}`);
    // validation on: the stream fails if the bytes do not match the object's crc32c/md5.
    return this.bucket.file(object).createReadStream({ validation: true });
  }

  async close(): Promise<void> {}

  /** One folder level: its objects and its sub-folders, every page of them. */
  private async listFolder(prefix: string): Promise<{ files: { name: string; size: number }[]; prefixes: string[] }> {
    const files: { name: string; size: number }[] = [];
    const prefixes: string[] = [];
    const what = `listing gs://${this.config.bucket}/${prefix}`;
    try {
      let pageToken: string | undefined;
      do {
        const [page, next, response] = await withRetry(
          () => this.bucket.getFiles({ prefix, delimiter: '/', autoPaginate: false, ...(pageToken ? { pageToken } : {}) }),
          sourceRetryPolicy(what, isTransient, this.options.retry),
        );
        for (const file of page) files.push({ name: file.name, size: Number(file.metadata.size ?? 0) });
        prefixes.push(...((response as { prefixes?: string[] } | undefined)?.prefixes ?? []));
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
    } catch (error) {
      throw this.explain(error, what);
    }
    return { files, prefixes };
  }

  private explain(error: unknown, what: string): Error {
    const status = httpStatus(error);
    const bucket = this.config.bucket;
    if (status === 404) {
      return new DumpSourceError(
        `Cloud Storage bucket ${bucket} does not exist${this.config.apiEndpoint ? ` at ${this.config.apiEndpoint}` : ''}. Fix: check ${opusKeys.gcloudBucket.key}.`,
        { cause: error },
      );
    }
    if (status === 401 || status === 403) {
      return new DumpSourceError(
        `Cloud Storage refused ${what} (HTTP ${status}): the credentials are missing or may not read bucket ${bucket}. ` +
          'Fix: give the service account (GOOGLE_APPLICATION_CREDENTIALS or the ambient one) the role Storage Object Viewer on the bucket.',
        { cause: error },
      );
    }
    if (isTransient(error)) {
      const message = (error as Error).message;
      return Object.assign(new Error(`${what} failed after retries: ${message}`, { cause: error }), {
        code: (error as { code?: unknown }).code,
      });
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
