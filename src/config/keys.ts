// Every settings key moflow understands, in DIPEX's settings.json naming (spec §10). The environment
// variable for a key is its name in upper case with dots as underscores, plus the aliases listed.
import { z } from 'zod';
import { AD_SETTINGS_KEY, adSettingsSchema } from '../ad/settings.js';
import { ALERT_SETTINGS } from '../alerts/settings.js';
import { METRICS_SETTINGS } from '../metrics/settings.js';
import { PLAN2LEARN_SETTINGS } from '../plan2learn/settings.js';
import { SCHEDULE_SETTINGS } from './schedules.js';
import { flag, idList, port, positiveInt, setting, text, url, type SettingSpec } from './setting.js';

export const municipalityKeys = {
  name: setting('municipality.name', text, {
    description: 'the municipality name; it seeds the OPUS unit uuids exactly as DIPEX does, so never change it',
    example: 'Andeby Kommune',
  }),
};

export const opusKeys = {
  xmlPath: setting('integrations.opus.import.xml_path', text, {
    description: 'local folder holding the ZLPE*_delta.xml dumps (used when neither SMB nor GCS is set)',
    example: '/opt/customer/opus',
  }),
  smbHost: setting('integrations.opus.smb_host', z.string().trim().regex(/^[^/\s]+\/[^/\s].*$/, 'must be "host/share" or "host/share/folder"'), {
    description: 'SMB share with the dumps, written "IP/share[/folder]"; a port may follow the host ("10.0.0.5:445/opus")',
    example: '10.0.0.5/opus',
  }),
  smbUser: setting('integrations.opus.smb_user', text, { description: 'SMB user name', example: 'opusreader' }),
  smbPassword: setting('integrations.opus.smb_password', z.string(), {
    description: 'SMB password',
    example: '********',
    secret: true,
  }),
  smbDomain: setting('integrations.opus.smb_domain', text, {
    description: 'SMB/NTLM domain of the user (default WORKGROUP)',
    example: 'KOMMUNE',
  }),
  gcloudBucket: setting('integrations.opus.gcloud_bucket_name', text, {
    description: 'Google Cloud Storage bucket with the dumps (uses the ambient service-account credentials)',
    example: 'andeby-opus',
  }),
  gcloudPrefix: setting('integrations.opus.gcloud_prefix', z.string().trim(), {
    description: 'folder inside the bucket; without it the bucket root and "production/" are read, as DIPEX did',
    example: 'production/',
  }),
  gcloudEndpoint: setting('integrations.opus.gcloud_api_endpoint', url, {
    description: 'Cloud Storage API endpoint, for an emulator or a private endpoint',
    example: 'http://127.0.0.1:9023',
  }),
  gcloudProject: setting('integrations.opus.gcloud_project', text, {
    description: 'Google Cloud project id (default: from the credentials)',
    example: 'andeby-opus-prod',
  }),
  filterIds: setting('integrations.opus.units.filter_ids', idList, {
    description: 'OPUS unit ids whose whole subtree is not imported',
    example: '["350", "812"]',
  }),
  unitUserKey: setting('integrations.opus.unit_user_key', z.enum(['@id', 'shortName']), {
    description: 'which OPUS field becomes the unit user_key: "@id" (default) or "shortName"',
    example: '@id',
  }),
  skipEmployees: setting('integrations.opus.skip_employees', flag, {
    description: 'import units only',
    example: 'false',
  }),
  skipEmployeeEmail: setting('integrations.opus.skip_employee_email', flag, {
    description: 'do not import employee e-mail addresses',
    example: 'false',
  }),
  skipEmployeePhone: setting('integrations.opus.skip_employee_phone', flag, {
    description: 'do not import employee phone numbers',
    example: 'false',
  }),
  skipEmployeeAddress: setting('integrations.opus.skip_employee_address', flag, {
    description: 'do not import employee postal addresses',
    example: 'false',
  }),
  cancelledEmployments: setting('integrations.opus.cancelled_employments', z.enum(['terminate', 'delete']), {
    description: 'what happens to an employment that vanishes from the dumps (cancelled in OPUS): "terminate" at the dump date (default) or "delete" it as DIPEX does',
    example: 'terminate',
  }),
  endGoneUnits: setting('integrations.opus.end_gone_units', flag, {
    description: 'end units that vanish from the dumps at the dump date (default true; DIPEX never ends units)',
    example: 'true',
  }),
  cprMapPath: setting('integrations.opus.import.cpr_uuid_map_path', text, {
    description: "DIPEX's CPR → uuid mapping file (cpr;mo_uuid;ad_guid;sam_account_name, from `moflow mo export-cpr-map`): a new person whose CPR it lists gets that uuid. DIPEX read settings/cpr_uuid_map.csv; set this to keep using it",
    example: '/opt/dipex/os2mo-data-import-and-export/settings/cpr_uuid_map.csv',
    env: ['CPR_UUID_MAP_PATH'],
  }),
  engTypesPrimaryOrder: setting('integrations.opus.eng_types_primary_order', idList, {
    description: 'engagement types, most primary first (class uuids as DIPEX, or user_keys/names): decides a person\'s primary engagement; ties go to the lowest employment number',
    example: '["Månedsløn", "Timeløn"]',
  }),
  massChangeShare: setting('integrations.opus.mass_change.max_share', z.coerce.number().min(0).max(1), {
    description: 'largest share of active engagements or units one dump may end before an operator must approve it (default 0.1)',
    example: '0.1',
  }),
  massChangeMinimum: setting('integrations.opus.mass_change.min_count', z.coerce.number().int().min(0), {
    description: 'endings or renames below this count never need approval (default 10)',
    example: '10',
  }),
  massChangeNameShare: setting('integrations.opus.mass_change.max_name_share', z.coerce.number().min(0).max(1), {
    description: 'largest share of the people a dump touches that it may rename before an operator must approve it (default 0.1; a dump in the wrong encoding renames nearly all)',
    example: '0.1',
  }),
  massChangeNewClasses: setting('integrations.opus.mass_change.max_new_classes', z.coerce.number().int().min(0), {
    description: 'most new classes (job functions, engagement types) one dump may create before an operator must approve it; the first import is exempt (default 25)',
    example: '25',
  }),
};

export const moKeys = {
  base: setting('mora.base', url, {
    description: 'OS2MO base URL; GraphQL is used at {mora.base}/graphql/v30',
    example: 'https://os2mo.andeby.dk',
    env: ['MORA_BASE'],
  }),
  clientId: setting('crontab.CLIENT_ID', text, {
    description: 'Keycloak client id for OS2MO',
    example: 'dipex',
    env: ['CLIENT_ID'],
  }),
  clientSecret: setting('crontab.CLIENT_SECRET', text, {
    description: 'Keycloak client secret for OS2MO',
    example: '********',
    env: ['CLIENT_SECRET'],
    secret: true,
  }),
  authServer: setting('crontab.AUTH_SERVER', url, {
    description: 'Keycloak base URL (realm "mo" is appended)',
    example: 'https://os2mo.andeby.dk/auth',
    env: ['AUTH_SERVER'],
  }),
  authRealm: setting('crontab.AUTH_REALM', text, {
    description: 'Keycloak realm (default mo)',
    example: 'mo',
    env: ['AUTH_REALM'],
  }),
  timeoutSeconds: setting('moflow.mo.timeout_seconds', positiveInt, {
    description: 'timeout of one request to OS2MO (default 120)',
    example: '120',
  }),
  batchSize: setting('moflow.mo.batch_size', positiveInt, {
    description: 'writes per request to OS2MO, applied in order in one transaction (default 200)',
    example: '200',
  }),
  requestsInFlight: setting('moflow.mo.requests_in_flight', positiveInt, {
    description: 'write requests sent to OS2MO at once where they do not depend on each other (default 8)',
    example: '8',
  }),
  bulkMutations: setting('moflow.mo.bulk_mutations', flag, {
    description: 'send runs of one kind of create/update as OS2MO bulk mutations instead of aliased single mutations (default false)',
    example: 'false',
  }),
};

export const localMoKeys = {
  databaseUrl: setting('moflow.mo.database_url', text, {
    description: 'PostgreSQL for the local OS2MO-compatible service; without it an embedded PostgreSQL is started under the data folder',
    example: 'postgres://moflow@127.0.0.1:5432/moflow_mo',
    env: ['DATABASE_URL'],
    secret: true,
  }),
  port: setting('moflow.mo.port', port, {
    description: 'HTTP port of the local OS2MO-compatible service (`moflow mo serve`)',
    example: '5000',
    env: ['MOFLOW_MO_PORT'],
  }),
  clientId: setting('moflow.mo.auth.client_id', text, {
    description: 'when set (with the secret), the local MO requires Keycloak-style client-credentials tokens',
    example: 'dipex',
  }),
  clientSecret: setting('moflow.mo.auth.client_secret', text, {
    description: 'client secret the local MO accepts at its token endpoint',
    example: '********',
    secret: true,
  }),
};

export const darKeys = {
  enabled: setting('moflow.dar.enabled', flag, {
    description: 'look postal addresses up in DAR (default true); false leaves MO\'s postal addresses as they are, e.g. where DAR cannot be reached',
    example: 'false',
  }),
  baseUrl: setting('moflow.dar.base_url', url, {
    description: "DAR (Danmarks Adresseregister) service base URL, for address look-ups and names",
    example: 'https://api.dataforsyningen.dk',
    env: ['DAR_BASE_URL'],
  }),
};

export const adKeys = {
  config: setting(AD_SETTINGS_KEY, adSettingsSchema, {
    description: 'Active Directory configurations (DIPEX format: a list; the first is the AD the OPUS import reads); AD is used when set',
    example: '[{"servers": ["dc1.kommune.local"], "search_base": "OU=Brugere,DC=kommune,DC=local", "cpr_field": "extensionAttribute1", "system_user": "CN=moflow,OU=Service,DC=kommune,DC=local", "password": "…"}]',
    secret: true,
  }),
};

/** Where Plan2Learn's files go (DIPEX's three keys, plus moflow's TLS and folder options). */
export const plan2learnFtpesKeys = {
  host: setting('exporters.plan2learn.host', text, {
    description: "Plan2Learn's FTPES (or SFTP) server; without it the export only writes files",
    example: 'ftp.plan2learn.dk',
    env: ['PLAN2LEARN_FTPES__HOSTNAME'],
  }),
  port: setting('exporters.plan2learn.port', port, {
    description: 'server port (default 21 for FTPES, explicit TLS; 22 for SFTP)',
    example: '21',
    env: ['PLAN2LEARN_FTPES__PORT'],
  }),
  user: setting('exporters.plan2learn.user', text, {
    description: 'FTPES or SFTP user name',
    example: 'kommune',
    env: ['PLAN2LEARN_FTPES__USERNAME'],
  }),
  password: setting('exporters.plan2learn.password', z.string().min(1), {
    description: 'FTPES or SFTP password (SFTP: or a private key)',
    example: '********',
    env: ['PLAN2LEARN_FTPES__PASSWORD'],
    secret: true,
  }),
  folder: setting('exporters.plan2learn.folder', text, {
    description: 'folder on the FTPES or SFTP server (default: the login folder); it must exist',
    example: 'import',
  }),
  caFile: setting('exporters.plan2learn.ca_file', text, {
    description: "PEM file with the CA that signed the FTPES server's certificate (default: the system CAs)",
    example: '/etc/moflow/plan2learn-ca.pem',
  }),
  verifyCertificate: setting('exporters.plan2learn.verify_certificate', flag, {
    description: "verify the FTPES server's certificate (default true; false is logged on every shipment)",
    example: 'true',
  }),
  servername: setting('exporters.plan2learn.servername', text, {
    description: 'name to check the certificate against when it differs from the host',
    example: 'ftp.plan2learn.dk',
  }),
  timeoutSeconds: setting('exporters.plan2learn.timeout_seconds', positiveInt, {
    description: 'timeout of each FTPES or SFTP operation (default 30)',
    example: '30',
  }),
};

/** Plan2Learn over SFTP instead of FTPES: the protocol, the private key, and the server's host key. */
export const plan2learnSftpKeys = {
  protocol: setting('exporters.plan2learn.protocol', z.enum(['ftpes', 'sftp']), {
    description: 'how the files are shipped: "ftpes" (default) or "sftp"',
    example: 'sftp',
  }),
  privateKeyFile: setting('exporters.plan2learn.private_key_file', text, {
    description: 'SFTP: file with the private key to log in with (OpenSSH or PEM format)',
    example: '/etc/moflow/plan2learn_ed25519',
  }),
  privateKey: setting('exporters.plan2learn.private_key', text, {
    description: 'SFTP: the private key itself, instead of private_key_file',
    example: '-----BEGIN OPENSSH PRIVATE KEY-----\n…',
    secret: true,
  }),
  privateKeyPassphrase: setting('exporters.plan2learn.private_key_passphrase', z.string().min(1), {
    description: 'SFTP: passphrase of the private key',
    example: '********',
    secret: true,
  }),
  hostKeySha256: setting('exporters.plan2learn.sftp_host_key_sha256', z.string().trim().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be "SHA256:" and 43 base64 characters, as ssh-keygen -lf prints it'), {
    description: "SFTP: the server's host key fingerprint as `ssh-keygen -lf` prints it; a server showing another key is refused",
    example: 'SHA256:PFRFxulDgGCz3H8GqjNnKE8jW7ZxX8olBWUtqNDCkNs',
  }),
  knownHostsFile: setting('exporters.plan2learn.known_hosts_file', text, {
    description: 'SFTP: OpenSSH known_hosts file with the server\'s host key, instead of (or besides) sftp_host_key_sha256',
    example: '/etc/moflow/plan2learn_known_hosts',
  }),
};

/** The export guard (src/plan2learn/guard.ts). */
export const plan2learnGuardKeys = {
  maxShrinkShare: setting('exporters.plan2learn.max_shrink_share', z.coerce.number().min(0).max(1, 'must be a share between 0 and 1, e.g. 0.1 for 10%'), {
    description: 'largest share of its rows a Plan2Learn file may lose against the file on the server before the shipment waits for approval (default 0.1); an empty file always waits',
    example: '0.1',
  }),
};

export const temporalKeys = {
  address: setting('moflow.temporal.address', text, {
    description: 'Temporal frontend host:port',
    example: '127.0.0.1:7233',
    env: ['TEMPORAL_ADDRESS'],
  }),
  namespace: setting('moflow.temporal.namespace', text, {
    description: 'Temporal namespace',
    example: 'default',
    env: ['TEMPORAL_NAMESPACE'],
  }),
  taskQueue: setting('moflow.temporal.task_queue', text, {
    description: 'task queue the moflow worker polls',
    example: 'moflow',
    env: ['TEMPORAL_TASK_QUEUE'],
  }),
  tls: setting('moflow.temporal.tls', flag, {
    description: 'connect to Temporal over TLS',
    example: 'true',
    env: ['TEMPORAL_TLS'],
  }),
  apiKey: setting('moflow.temporal.api_key', text, {
    description: 'Temporal Cloud API key (implies TLS)',
    example: '********',
    env: ['TEMPORAL_API_KEY'],
    secret: true,
  }),
};

export const generalKeys = {
  dataDir: setting('moflow.data_dir', text, {
    description: 'folder for moflow state (downloaded dumps, Temporal history of the embedded server)',
    example: '/var/lib/moflow',
    env: ['MOFLOW_DATA_DIR'],
  }),
};

/** DIPEX keys that moflow knows and deliberately ignores (Temporal's history replaces run_db). */
export const LEGACY_KEYS: Record<string, string> = {
  'integrations.opus.import.run_db': 'run history now lives in Temporal; the key is ignored',
  'mox.base': 'LoRa is gone from OS2MO; the key is ignored',
  'crontab.SAML_TOKEN': 'OS2MO uses Keycloak client credentials (crontab.CLIENT_ID/CLIENT_SECRET); the key is ignored',
  'crontab.RUN_OPUS_DIFF_IMPORT': 'moflow schedules the import in Temporal; the key is ignored',
};

export const ALL_SETTINGS: SettingSpec[] = [
  ...Object.values(municipalityKeys),
  ...Object.values(opusKeys),
  ...Object.values(moKeys),
  ...Object.values(localMoKeys),
  ...Object.values(darKeys),
  ...Object.values(adKeys),
  ...PLAN2LEARN_SETTINGS,
  ...Object.values(plan2learnFtpesKeys),
  ...Object.values(plan2learnSftpKeys),
  ...Object.values(plan2learnGuardKeys),
  ...Object.values(temporalKeys),
  ...SCHEDULE_SETTINGS,
  ...ALERT_SETTINGS,
  ...METRICS_SETTINGS,
  ...Object.values(generalKeys),
];

/** Key prefixes moflow owns: an unknown key under one of them is a typo, not another integration's key. */
export const OWNED_PREFIXES = ['integrations.opus.', 'moflow.', 'municipality.', 'mora.', 'exporters.plan2learn.', 'plan2learn.'];
