// The alert activity: a workflow's event delivered by e-mail and/or webhook (src/alerts). Built from the
// worker's settings; the store lives in the worker's data folder. Workflows call it with bounded retries and
// never fail because of it (workflows/alert.ts).
import { join } from 'node:path';
import { ApplicationFailure, log } from '@temporalio/activity';
import { deliverAlert, secretValuesOf, type Delivery } from '../src/alerts/deliver.js';
import type { AlertEvent } from '../src/alerts/events.js';
import { AlertSendError } from '../src/alerts/senders.js';
import { alertConfig } from '../src/alerts/settings.js';
import { AlertStore } from '../src/alerts/store.js';
import { dataDirOf } from '../src/config/dataDir.js';
import { municipalityKeys } from '../src/config/keys.js';
import type { Settings } from '../src/config/load.js';
import { asActivityFailure } from './support.js';

export function alertActivities(settings: Settings) {
  // A half-configured channel stops the worker at start, not at the first alert (read again for each alert,
  // so a renewed CA file is picked up).
  alertConfig(settings);
  return {
    async sendAlert(event: AlertEvent): Promise<Delivery> {
      try {
        return await deliverAlert(event, {
          config: alertConfig(settings),
          store: new AlertStore(join(dataDirOf(settings), 'alerts')),
          municipality: settings.get(municipalityKeys.name) ?? null,
          secrets: secretValuesOf(settings),
          log: (line) => log.info(line),
        });
      } catch (error) {
        if (error instanceof AlertSendError) {
          log.warn(error.message);
          throw ApplicationFailure.create({ type: 'AlertNotSent', message: error.message, nonRetryable: error.permanent });
        }
        throw asActivityFailure(error);
      }
    },
  };
}
