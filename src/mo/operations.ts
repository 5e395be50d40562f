// A write as data: `{ kind, action, input }`, e.g. `{ kind: 'engagement', action: 'create', input: {…} }`.
// The input types come from the per-kind mappers, so an operation can only name what MO offers.
import { mutationSpec } from './documents/registry.js';
import type { MoAction, MoKind, MutationSpec } from './documents/spec.js';
import { addressInputs } from './kinds/addresses.js';
import { classInputs } from './kinds/classes.js';
import { engagementInputs } from './kinds/engagements.js';
import { facetInputs } from './kinds/facets.js';
import { itSystemInputs } from './kinds/itSystems.js';
import { itUserInputs } from './kinds/itUsers.js';
import { managerInputs } from './kinds/managers.js';
import { orgUnitInputs } from './kinds/orgUnits.js';
import { personInputs } from './kinds/persons.js';
import { roleBindingInputs } from './kinds/roleBindings.js';

const INPUTS = {
  facet: facetInputs,
  class: classInputs,
  itSystem: itSystemInputs,
  orgUnit: orgUnitInputs,
  person: personInputs,
  engagement: engagementInputs,
  address: addressInputs,
  manager: managerInputs,
  itUser: itUserInputs,
  roleBinding: roleBindingInputs,
} satisfies Record<MoKind, Partial<Record<MoAction, (input: never) => unknown>>>;

type Inputs = typeof INPUTS;

/** The moflow input of each kind's actions, e.g. `MoInput<'engagement', 'create'>` = EngagementCreate. */
export type MoInput<K extends MoKind, A extends keyof Inputs[K]> = Inputs[K][A] extends (input: infer I) => unknown ? I : never;

export type MoActionsOf<K extends MoKind> = keyof Inputs[K] & MoAction;

export type MoOperation = {
  [K in MoKind]: { [A in MoActionsOf<K>]: { kind: K; action: A; input: MoInput<K, A> } }[MoActionsOf<K>];
}[MoKind];

export interface PreparedOperation {
  spec: MutationSpec;
  /** MO's snake_case input, or a uuid. */
  variable: unknown;
  /** The object written; null for a create that lets MO choose the uuid (always a distinct object). */
  uuid: string | null;
}

/** The mutation an operation uses, the value of its variable, and the object it writes. */
export function prepareOperation(op: MoOperation): PreparedOperation {
  const mappers = INPUTS[op.kind] as Partial<Record<MoAction, (input: unknown) => unknown>>;
  const mapper = mappers[op.action];
  if (!mapper) throw new Error(`OS2MO has no ${op.action} mutation for ${op.kind} in the subset moflow uses`);
  const { uuid } = op.input as { uuid?: unknown };
  return { spec: mutationSpec(op.kind, op.action), variable: mapper(op.input), uuid: typeof uuid === 'string' ? uuid : null };
}
