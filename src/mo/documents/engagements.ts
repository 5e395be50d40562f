// Engagements, with their history.
import { mutation, validitiesRead, VALIDITY } from './spec.js';

const EXTENSIONS = Array.from({ length: 10 }, (_, i) => `extension_${i + 1}`).join(' ');

export const ENGAGEMENT_FIELDS =
  'uuid user_key person_response { uuid } org_unit_uuid job_function_uuid engagement_type_uuid primary_uuid is_primary fraction ' +
  `${EXTENSIONS} ${VALIDITY}`;

export const readEngagements = validitiesRead('MoEngagements', 'engagements', 'EngagementFilter', ENGAGEMENT_FIELDS);

export const engagementMutations = [
  mutation('engagement', 'create', 'engagement_create', 'EngagementCreateInput', 'engagements_create'),
  mutation('engagement', 'update', 'engagement_update', 'EngagementUpdateInput', 'engagements_update'),
  mutation('engagement', 'terminate', 'engagement_terminate', 'EngagementTerminateInput'),
  mutation('engagement', 'delete', 'engagement_delete', null),
];
