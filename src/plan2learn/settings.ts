// The Plan2Learn export's settings: DIPEX's settings.json keys (spec §3, on-prem mode) with the environment
// variables of its Kubernetes mode as aliases. Lists are JSON arrays, in the file or in the environment
// (`EXPORTERS_PLAN2LEARN_ALLOWED_ENGAGEMENT_TYPES='["uuid1","uuid2"]'`); comma-separated text works too.
// The FTPES target (exporters.plan2learn.host/user/password) belongs to the shipping step.
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import type { Settings } from '../config/load.js';
import { idList, setting, text, type SettingSpec } from '../config/setting.js';
import { DEFAULT_JOB_TITLE_FIELD, JOB_TITLE_FIELDS } from './jobTitle.js';
import type { Plan2LearnOptions, Plan2LearnVariant } from './options.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_HINT = 'must be a uuid such as 7db54183-1f2c-87ba-d4c3-de22a101ebc1';

// MO answers with lower-case uuids; DIPEX compared UUID objects, so the case in settings never mattered.
const uuid = z.string().trim().regex(UUID_RE, UUID_HINT).transform((s) => s.toLowerCase());
const uuidList = idList.pipe(z.array(z.string().regex(UUID_RE, UUID_HINT).transform((s) => s.toLowerCase())));

const EXAMPLE_TYPES = '["d3ffdf48-0ea2-72dc-6319-8597bdaa81d3", "ac485d1c-025f-9818-f2c9-fafea2c1d282"]';

export const plan2learnKeys = {
  variant: setting('exporters.plan2learn.variant', z.enum(['RSD', 'Viborg'], { message: 'must be "RSD" or "Viborg"' }), {
    description: 'which customer\'s rules the export follows: "Viborg" or "RSD" (Stilling, start dates, managers)',
    example: 'Viborg',
    env: ['PLAN2LEARN_VARIANT'],
  }),
  rootUnit: setting('exporters.plan2learn.root_unit', uuid, {
    description: 'uuid of the org unit whose subtree is exported',
    example: 'f06ee470-9f17-566f-acbe-e938112d46d9',
  }),
  allowedEngagementTypes: setting(
    'exporters.plan2learn.allowed_engagement_types',
    uuidList.refine((list) => list.length > 0, {
      message: 'an empty list would export no users and no engagements; set exporters.plan2learn.allowed_engagement_types to the engagement type uuids to export',
    }),
    {
      description: 'engagement type class uuids (e.g. Timeløn, Månedsløn) whose engagements and persons are exported',
      example: EXAMPLE_TYPES,
    },
  ),
  // DIPEX reads both spellings of the priority keys into one field.
  phonePriority: setting('plan2learn.phone.priority', uuidList, {
    description: 'phone address type uuids, best first; only these types are exported (none when empty)',
    example: '["7db54183-1f2c-87ba-d4c3-de22a101ebc1"]',
  }),
  phonePriorityUnderscore: setting('plan2learn.phone_priority', uuidList, {
    description: 'the same as plan2learn.phone.priority (DIPEX accepts both spellings)',
    example: '["7db54183-1f2c-87ba-d4c3-de22a101ebc1"]',
  }),
  emailPriority: setting('plan2learn.email.priority', uuidList, {
    description: 'e-mail address type uuids, best first; other public e-mails are the last resort',
    example: '["fa865555-58b5-327d-e7dc-2990b0d28ff9"]',
  }),
  emailPriorityUnderscore: setting('plan2learn.email_priority', uuidList, {
    description: 'the same as plan2learn.email.priority (DIPEX accepts both spellings)',
    example: '["fa865555-58b5-327d-e7dc-2990b0d28ff9"]',
  }),
  tooDeep: setting('integrations.SD_Lon.import.too_deep', idList, {
    description: 'org unit level NAMES whose units are left out of organisation.csv (their sub-units are still exported)',
    example: '["Afdelings-niveau", "NY1-niveau"]',
  }),
  jobTitleField: setting(
    'exporters.plan2learn.job_title_field',
    z.enum(JOB_TITLE_FIELDS, { message: `must be one of ${JOB_TITLE_FIELDS.join(', ')}` }),
    {
      description:
        `engagement field bruger.csv's Stilling is read from: extension_1 … extension_10 or job_function (the job function's name); ` +
        `default ${DEFAULT_JOB_TITLE_FIELD.RSD} for RSD, ${DEFAULT_JOB_TITLE_FIELD.Viborg} for Viborg (falling back to the job function's name)`,
      example: 'extension_3',
    },
  ),
  outputDir: setting('moflow.plan2learn.output_dir', text, {
    description: 'local folder the five CSV files and manifest.json are written to (default: plan2learn/ in the data folder)',
    example: '/var/lib/moflow/plan2learn',
  }),
} satisfies Record<string, SettingSpec>;

export const PLAN2LEARN_SETTINGS: SettingSpec[] = Object.values(plan2learnKeys);

export interface Plan2LearnSettings extends Omit<Plan2LearnOptions, 'today'> {
  /** null: the caller's default (plan2learn/ under moflow.data_dir). */
  outputDir: string | null;
}

export function plan2learnSettings(settings: Settings): Plan2LearnSettings {
  const purpose = 'the Plan2Learn export';
  const problems: string[] = [];
  const required = <T>(spec: SettingSpec<z.ZodType<T>>): T | undefined => {
    try {
      return settings.require(spec, purpose);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const variant = required(plan2learnKeys.variant) as Plan2LearnVariant | undefined;
  const rootUnitUuid = required(plan2learnKeys.rootUnit);
  const allowedEngagementTypes = required(plan2learnKeys.allowedEngagementTypes);
  const phonePriority = oneOfSpellings(settings, plan2learnKeys.phonePriority, plan2learnKeys.phonePriorityUnderscore, problems);
  const emailPriority = oneOfSpellings(settings, plan2learnKeys.emailPriority, plan2learnKeys.emailPriorityUnderscore, problems);
  if (problems.length > 0 || variant === undefined || rootUnitUuid === undefined || allowedEngagementTypes === undefined) {
    throw new ConfigError(problems);
  }
  return {
    variant,
    rootUnitUuid,
    allowedEngagementTypes,
    phonePriority,
    emailPriority,
    tooDeepLevels: settings.get(plan2learnKeys.tooDeep) ?? [],
    jobTitleField: settings.get(plan2learnKeys.jobTitleField) ?? DEFAULT_JOB_TITLE_FIELD[variant],
    outputDir: settings.get(plan2learnKeys.outputDir) ?? null,
  };
}

/** Either spelling; both set to different lists is a mistake worth stopping for. */
function oneOfSpellings(
  settings: Settings,
  dotted: SettingSpec<typeof uuidList>,
  underscore: SettingSpec<typeof uuidList>,
  problems: string[],
): string[] {
  const a = settings.get(dotted);
  const b = settings.get(underscore);
  if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) {
    problems.push(`${dotted.key} and ${underscore.key} are both set, to different lists. Fix: keep one of them (they mean the same).`);
  }
  return a ?? b ?? [];
}
