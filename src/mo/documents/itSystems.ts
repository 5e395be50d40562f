// IT systems ("Opus", "Active Directory"): read by user_key (current), created when missing.
import { currentRead, mutation } from './spec.js';

export const IT_SYSTEM_FIELDS = 'uuid user_key name';

export const readItSystems = currentRead('MoItSystems', 'itsystems', 'ITSystemFilter', IT_SYSTEM_FIELDS);

export const itSystemMutations = [mutation('itSystem', 'create', 'itsystem_create', 'ITSystemCreateInput')];
