// Engagements, with their history.
import { mutation, validitiesRead, VALIDITY } from './spec.js';

const EXTENSIONS = Array.from({ length: 10 }, (_, i) => `extension_${i + 1}`).join(' ');

// Not is_primary: OS2MO looks the primary class up once per slice for it, which more than doubles the cost of
// an engagement read (6.1 against 2.7 ms per engagement, `npm run bench:mo:reads`). The client works it out
// from the primary classes' scopes instead, as OS2MO does (kinds/engagements.ts).
export const ENGAGEMENT_FIELDS =
  'uuid user_key person_response { uuid } org_unit_uuid job_function_uuid engagement_type_uuid primary_uuid fraction ' +
  `${EXTENSIONS} ${VALIDITY}`;

export const readEngagements = validitiesRead('MoEngagements', 'engagements', 'EngagementFilter', ENGAGEMENT_FIELDS);

export const engagementMutations = [
  mutation('engagement', 'create', 'engagement_create', 'EngagementCreateInput', 'engagements_create'),
  mutation('engagement', 'update', 'engagement_update', 'EngagementUpdateInput', 'engagements_update'),
  mutation('engagement', 'terminate', 'engagement_terminate', 'EngagementTerminateInput'),
  mutation('engagement', 'delete', 'engagement_delete', null),
];
