// The local MO's database schema, applied by src/db/migrations.ts on every start (each migration once).
import type { Migration } from '../db/migrations.js';
import { seedBootstrap } from './bootstrap.js';
import { INDEXED_COLUMNS } from './kinds.js';

// Every index is partial on the current registration: reads of the present state never touch history.
const CURRENT = `WHERE reg_to = 'infinity'`;

const tables = `
CREATE TABLE mo_object (
  uuid uuid NOT NULL,
  kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (uuid, kind)
);

-- Append-only: one row per write of one object.
CREATE TABLE mo_registration (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  uuid uuid NOT NULL,
  action text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mo_slice (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  uuid uuid NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL,
  active boolean NOT NULL,
  reg_from timestamptz NOT NULL DEFAULT now(),
  reg_to timestamptz NOT NULL DEFAULT 'infinity',
  user_key text NOT NULL,
  cpr text,
  person uuid,
  org_unit uuid,
  parent uuid,
  facet uuid,
  itsystem uuid,
  ituser uuid,
  address_type uuid,
  engagement uuid,
  data jsonb NOT NULL,
  CHECK (valid_from < valid_to)
);

CREATE INDEX mo_slice_current ON mo_slice (kind, uuid, valid_from) ${CURRENT};
CREATE INDEX mo_slice_user_key ON mo_slice (kind, user_key) ${CURRENT};
${INDEXED_COLUMNS.map((c) => `CREATE INDEX mo_slice_${c} ON mo_slice (${c}) ${CURRENT} AND ${c} IS NOT NULL;`).join('\n')}
-- registration_time reads of superseded rows.
CREATE INDEX mo_slice_history ON mo_slice (uuid) WHERE reg_to <> 'infinity';

-- DAR address texts (betegnelse) by DAR uuid, so a name is fetched once.
CREATE TABLE dar_address_name (
  uuid uuid PRIMARY KEY,
  name text NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);
`;

export const LOCAL_MO_MIGRATIONS: Migration[] = [
  { id: '001_bitemporal_tables', up: tables },
  { id: '002_bootstrap_organisation_facets_classes', up: seedBootstrap },
  // DAR names are no longer kept: like OS2MO the local MO asks DAR on every read (src/localmo/dar.ts).
  { id: '003_no_dar_name_cache', up: 'DROP TABLE IF EXISTS dar_address_name;' },
];
