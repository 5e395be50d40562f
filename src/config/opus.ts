// Typed views of the OPUS settings: which dump source to read (GCS > SMB > local folder, DIPEX's order)
// and the import options.
import { adReaderOptions } from '../ad/settings.js';
import type { AdReaderOptions } from '../ad/reader.js';
import { adKeys, municipalityKeys, opusKeys } from './keys.js';
import { ConfigError, type Settings } from './load.js';

export type DumpSourceConfig =
  | { type: 'local'; path: string }
  | { type: 'smb'; host: string; port: number; share: string; folder: string; user: string; password: string; domain: string }
  | { type: 'gcs'; bucket: string; prefix: string | null; apiEndpoint: string | null; projectId: string | null };

export function dumpSourceConfig(settings: Settings): DumpSourceConfig {
  const bucket = settings.get(opusKeys.gcloudBucket);
  if (bucket !== undefined) {
    return {
      type: 'gcs',
      bucket,
      prefix: settings.get(opusKeys.gcloudPrefix) ?? null,
      apiEndpoint: settings.get(opusKeys.gcloudEndpoint) ?? null,
      projectId: settings.get(opusKeys.gcloudProject) ?? null,
    };
  }
  const smbHost = settings.get(opusKeys.smbHost);
  if (smbHost !== undefined) {
    const [hostPort, share, ...folder] = smbHost.split('/').filter((p) => p !== '');
    const [host, portText] = hostPort!.split(':');
    const port = portText === undefined ? 445 : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError([`${opusKeys.smbHost.key}: "${portText}" is not a port. Fix: write "host:port/share", e.g. "10.0.0.5:445/opus".`]);
    }
    const purpose = 'reading dumps from the SMB share';
    return {
      type: 'smb',
      host: host!,
      port,
      share: share!,
      folder: folder.join('/'),
      user: settings.require(opusKeys.smbUser, purpose),
      password: settings.require(opusKeys.smbPassword, purpose),
      domain: settings.get(opusKeys.smbDomain) ?? 'WORKGROUP',
    };
  }
  const path = settings.get(opusKeys.xmlPath);
  if (path === undefined) {
    throw new ConfigError([
      `no OPUS dump source is configured. Fix: set one of ${opusKeys.xmlPath.key} (local folder), ${opusKeys.smbHost.key} (SMB share) or ${opusKeys.gcloudBucket.key} (Cloud Storage) in settings.json, or ${opusKeys.xmlPath.env[0]} in the environment.`,
    ]);
  }
  return { type: 'local', path };
}

export interface OpusImportOptions {
  municipalityName: string;
  filterUnitIds: string[];
  unitUserKey: '@id' | 'shortName';
  skipEmployees: boolean;
  skipEmployeeEmail: boolean;
  skipEmployeePhone: boolean;
  skipEmployeeAddress: boolean;
  cancelledEmployments: 'terminate' | 'delete';
  endGoneUnits: boolean;
  massChange: { maxShare: number; minCount: number; maxNameShare: number; maxNewClasses: number };
  /** `integrations.opus.eng_types_primary_order`; none: the lowest employment number is primary. */
  primaryOrder?: string[];
  /** The CPR → uuid mapping file, when one is configured. */
  cprMapPath?: string;
  /** The AD to read, when `integrations.ad` is set. Holds the bind password: never log it. */
  ad?: AdReaderOptions;
}

/** What the import does where settings.json says nothing (DIPEX's behaviour, but for the fixes it names). */
export function opusImportDefaults(municipalityName: string): OpusImportOptions {
  return {
    municipalityName,
    filterUnitIds: [],
    unitUserKey: '@id',
    skipEmployees: false,
    skipEmployeeEmail: false,
    skipEmployeePhone: false,
    skipEmployeeAddress: false,
    cancelledEmployments: 'terminate',
    endGoneUnits: true,
    massChange: { maxShare: 0.1, minCount: 10, maxNameShare: 0.1, maxNewClasses: 25 },
  };
}

export function opusImportOptions(settings: Settings): OpusImportOptions {
  const ad = settings.get(adKeys.config);
  const defaults = opusImportDefaults(settings.require(municipalityKeys.name, 'the OPUS import (unit uuids are derived from it)'));
  return {
    municipalityName: defaults.municipalityName,
    filterUnitIds: settings.get(opusKeys.filterIds) ?? defaults.filterUnitIds,
    unitUserKey: settings.get(opusKeys.unitUserKey) ?? defaults.unitUserKey,
    skipEmployees: settings.get(opusKeys.skipEmployees) ?? defaults.skipEmployees,
    skipEmployeeEmail: settings.get(opusKeys.skipEmployeeEmail) ?? defaults.skipEmployeeEmail,
    skipEmployeePhone: settings.get(opusKeys.skipEmployeePhone) ?? defaults.skipEmployeePhone,
    skipEmployeeAddress: settings.get(opusKeys.skipEmployeeAddress) ?? defaults.skipEmployeeAddress,
    cancelledEmployments: settings.get(opusKeys.cancelledEmployments) ?? defaults.cancelledEmployments,
    endGoneUnits: settings.get(opusKeys.endGoneUnits) ?? defaults.endGoneUnits,
    massChange: {
      maxShare: settings.get(opusKeys.massChangeShare) ?? defaults.massChange.maxShare,
      minCount: settings.get(opusKeys.massChangeMinimum) ?? defaults.massChange.minCount,
      maxNameShare: settings.get(opusKeys.massChangeNameShare) ?? defaults.massChange.maxNameShare,
      maxNewClasses: settings.get(opusKeys.massChangeNewClasses) ?? defaults.massChange.maxNewClasses,
    },
    ...optional('primaryOrder', settings.get(opusKeys.engTypesPrimaryOrder)),
    ...optional('cprMapPath', settings.get(opusKeys.cprMapPath)),
    ...optional('ad', ad === undefined ? undefined : hidePassword(adReaderOptions(ad))),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));

/** The options as JSON (a plan file, a report) show no password. */
function hidePassword(options: AdReaderOptions): AdReaderOptions {
  Object.defineProperty(options, 'toJSON', { enumerable: false, value: () => ({ ...options, password: '(hidden)' }) });
  return options;
}

/** A description of the source that is safe to log (no password). */
export function describeSource(config: DumpSourceConfig): string {
  switch (config.type) {
    case 'local':
      return `local folder ${config.path}`;
    case 'smb':
      return `SMB share //${config.host}:${config.port}/${config.share}${config.folder ? `/${config.folder}` : ''} as ${config.user}`;
    case 'gcs':
      return `Cloud Storage bucket gs://${config.bucket}/${config.prefix ?? ''}${config.apiEndpoint ? ` at ${config.apiEndpoint}` : ''}`;
  }
}
