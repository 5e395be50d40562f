// When the nightly jobs run (`moflow schedules apply` turns these into Temporal schedules). DIPEX ran them from
// cron (crontab.RUN_OPUS_DIFF_IMPORT …); the cron syntax stays, the time zone is explicit.
import { z } from 'zod';
import type { Settings } from './load.js';
import { flag, setting, text, type SettingSpec } from './setting.js';

const cron = z
  .string()
  .trim()
  .regex(/^(off|(\S+\s+){4}\S+)$/, 'must be a cron expression of five fields ("30 1 * * *"), or "off"');

export const scheduleKeys = {
  opusSync: setting('moflow.schedules.opus_sync', cron, {
    description: 'cron expression for the nightly OPUS sync (default "30 1 * * *", after KMD delivers the dump at about 22:40); "off" for none',
    example: '30 1 * * *',
  }),
  plan2learnExport: setting('moflow.schedules.plan2learn_export', cron, {
    description: 'cron expression for the nightly Plan2Learn export (default "0 5 * * *", after the sync); "off" for none',
    example: '0 5 * * *',
  }),
  opusDrift: setting('moflow.schedules.opus_drift', cron, {
    description: 'cron expression for the drift check, which compares MO with the newest imported dump (default "0 3 * * 0", Sundays at 03:00); "off" for none',
    example: '0 3 * * 0',
  }),
  timeZone: setting('moflow.schedules.time_zone', text.refine(isTimeZone, 'must be an IANA time zone such as Europe/Copenhagen'), {
    description: 'time zone of the cron expressions (default Europe/Copenhagen)',
    example: 'Europe/Copenhagen',
  }),
} satisfies Record<string, SettingSpec>;

export const driftKeys = {
  fix: setting('moflow.drift.fix', flag, {
    description: 'the scheduled drift check writes the differences it finds back to MO as the dump has them (default false: report and alert only)',
    example: 'false',
  }),
} satisfies Record<string, SettingSpec>;

export const SCHEDULE_SETTINGS: SettingSpec[] = [...Object.values(scheduleKeys), ...Object.values(driftKeys)];

export interface ScheduleConfig {
  timeZone: string;
  /** null: no schedule (removed if one exists). */
  opusSync: string | null;
  plan2learnExport: string | null;
  opusDrift: string | null;
}

export function scheduleConfig(settings: Settings): ScheduleConfig {
  const cronOf = (value: string | undefined, fallback: string) => (value === 'off' ? null : (value ?? fallback));
  return {
    timeZone: settings.get(scheduleKeys.timeZone) ?? 'Europe/Copenhagen',
    opusSync: cronOf(settings.get(scheduleKeys.opusSync), '30 1 * * *'),
    plan2learnExport: cronOf(settings.get(scheduleKeys.plan2learnExport), '0 5 * * *'),
    opusDrift: cronOf(settings.get(scheduleKeys.opusDrift), '0 3 * * 0'),
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
