// Persons (MO's query collection is `persons`; its mutations keep the name `employee`).
import { mutation, validitiesRead, VALIDITY } from './spec.js';

export const PERSON_FIELDS = `uuid user_key given_name surname cpr_number ${VALIDITY}`;

export const readPersons = validitiesRead('MoPersons', 'persons', 'EmployeeFilter', PERSON_FIELDS);

export const personMutations = [
  mutation('person', 'create', 'employee_create', 'EmployeeCreateInput'),
  mutation('person', 'update', 'employee_update', 'EmployeeUpdateInput'),
];
