// Classes: read by facet user_key or uuid (current); created and replaced (class_update is a full write).
import { currentRead, mutation } from './spec.js';

export const CLASS_FIELDS = 'uuid user_key name scope facet_uuid owner it_system_uuid parent_uuid';

export const readClasses = currentRead('MoClasses', 'classes', 'ClassFilter', CLASS_FIELDS);

export const classMutations = [
  mutation('class', 'create', 'class_create', 'ClassCreateInput'),
  mutation('class', 'update', 'class_update', 'ClassUpdateInput'),
];
