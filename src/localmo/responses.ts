// What the GraphQL types resolve to: a Response (uuid + current/validities over the object's slices) and,
// per kind, the object of one validity slice with MO's field names. Computed fields are methods, run only
// when selected; related objects are Responses that load lazily (batched by MoContext), so `person_response
// { uuid }` costs nothing.
import type { MoContext } from './context.js';
import { nameFromDar } from './dar.js';
import { KINDS, type Data, type KindName } from './kinds.js';
import { copenhagenDay, dateWindow, type Instant, type Window } from './time.js';
import { activeSliceAt, activeSlicesIn, type Slice } from './timeline.js';

interface CurrentArgs {
  at?: Instant | null;
  registration_time?: Instant | null;
}
interface ValiditiesArgs {
  start?: Instant | null;
  end?: Instant | null;
  registration_time?: Instant | null;
}

/** What a collection's filter loaded: its date window and registration time. */
export interface Loaded {
  window: Window;
  registrationTime: Instant | null;
}

export class MoResponse {
  constructor(
    readonly kind: KindName,
    readonly uuid: string,
    /** Active slices as registered now, when the page query already fetched them. */
    private readonly preloaded: readonly Slice[] | null = null,
    /**
     * The window of the collection filter that found the object. OS2MO primes its loader with what the filter
     * loaded, so `validities` and `current` without dates (and without registration_time) answer from that
     * window, not from the present: `validities` under `from_date: null, to_date: null` is the whole history.
     */
    private readonly loaded: Loaded | null = null,
  ) {}

  /** Sync when the page query preloaded them: most reads then resolve without a promise per object. */
  private slices(ctx: MoContext, registrationTime: Instant | null | undefined): Promise<readonly Slice[]> | readonly Slice[] {
    if ((registrationTime ?? null) === null && this.preloaded) return this.preloaded;
    return ctx.activeSlices(this.kind, this.uuid, registrationTime ?? null);
  }

  /** The window and registration time `validities(start, end, registration_time)` reads. */
  private view(args: ValiditiesArgs, ctx: MoContext): Loaded {
    if (args.start === undefined && args.end === undefined && (args.registration_time ?? null) === null && this.loaded) return this.loaded;
    return { window: dateWindow(args.start, args.end, ctx.now), registrationTime: args.registration_time ?? null };
  }

  /**
   * OS2MO's current_resolver: with `at` (or registration_time) the slice at that instant; otherwise, of the
   * slices `validities` would give, those whose dates include today (end date included, as MO compares dates
   * for DIPEX's sake), the one ending last.
   */
  current(args: CurrentArgs, ctx: MoContext): object | null | Promise<object | null> {
    const atInstant = args.at != null || args.registration_time != null;
    const { window, registrationTime } = atInstant
      ? { window: dateWindow(args.at, undefined, ctx.now), registrationTime: args.registration_time ?? null }
      : this.view({}, ctx);
    const today = copenhagenDay(ctx.now);
    const pick = (slices: readonly Slice[]) => {
      const candidates = activeSlicesIn(slices, window.start, window.end);
      const slice = atInstant
        ? candidates[0]
        : candidates
            .filter((s) => (s.from === -Infinity || copenhagenDay(s.from) <= today) && (s.to === Infinity || copenhagenDay(s.to) >= today))
            .reduce<Slice | undefined>((best, s) => (best === undefined || s.to > best.to ? s : best), undefined);
      return slice ? present(this.kind, this.uuid, slice) : null;
    };
    const slices = this.slices(ctx, registrationTime);
    return slices instanceof Promise ? slices.then(pick) : pick(slices);
  }

  validities(args: ValiditiesArgs, ctx: MoContext): object[] | Promise<object[]> {
    const { window, registrationTime } = this.view(args, ctx);
    const pick = (slices: readonly Slice[]) => activeSlicesIn(slices, window.start, window.end).map((s) => present(this.kind, this.uuid, s));
    const slices = this.slices(ctx, registrationTime);
    return slices instanceof Promise ? slices.then(pick) : pick(slices);
  }

  /** Deprecated in MO in favour of validities; same semantics. */
  objects(args: ValiditiesArgs, ctx: MoContext): object[] | Promise<object[]> {
    return this.validities(args, ctx);
  }
}

/** A list of uuids in OS2MO's order: sorted (OS2MO answers an object's relations of one kind sorted by uuid). */
function uuidOrder(list: unknown): string[] | null {
  return Array.isArray(list) ? (list as string[]).map((u) => u.toLowerCase()).sort() : null;
}

function ref(kind: KindName, uuid: unknown): MoResponse | null {
  return typeof uuid === 'string' ? new MoResponse(kind, uuid) : null;
}

/** The scope of a class as registered now (from the slice in force, else its latest); cached per request. */
export function classScope(ctx: MoContext, classUuid: unknown): string | null | Promise<string | null> {
  if (typeof classUuid !== 'string') return null;
  const cached = ctx.classScopes.get(classUuid);
  if (cached !== undefined) return cached;
  return ctx.activeSlices('class', classUuid).then((slices) => {
    const slice = activeSliceAt(slices, ctx.now) ?? slices[slices.length - 1];
    const scope = typeof slice?.data.scope === 'string' ? slice.data.scope : null;
    ctx.classScopes.set(classUuid, scope);
    return scope;
  });
}

/** MO: `is_primary` when the primary class's scope is an integer ≥ 3000 (MINIMUM_PRIMARY_SCOPE_VALUE). */
export function isPrimaryScope(scope: string | null): boolean {
  return scope !== null && /^-?\d+$/.test(scope.trim()) && Number(scope) >= 3000;
}

/** One validity slice as MO's object: the stored attributes plus uuid and validity. */
export class View {
  readonly validity: { from: Instant | null; to: Instant | null };
  constructor(
    readonly uuid: string,
    /** The stored attributes; fields without a method of the view are read from here (no copying). */
    readonly data: Data,
    slice: Slice,
  ) {
    this.validity = { from: Number.isFinite(slice.from) ? slice.from : null, to: Number.isFinite(slice.to) ? slice.to : null };
  }
}

class ClassView extends View {
  facet_response() {
    return ref('facet', this.data.facet_uuid);
  }
  parent_response() {
    return ref('class', this.data.parent_uuid);
  }
  it_system_response() {
    return ref('itsystem', this.data.it_system_uuid);
  }
}

class OrgUnitView extends View {
  parent_response() {
    return ref('org_unit', this.data.parent_uuid);
  }
  unit_type_response() {
    return ref('class', this.data.unit_type_uuid);
  }
  unit_level_response() {
    return ref('class', this.data.org_unit_level_uuid);
  }
}

class PersonView extends View {
  name() {
    return [this.data.given_name, this.data.surname].filter(Boolean).join(' ');
  }
  nickname() {
    return [this.data.nickname_given_name, this.data.nickname_surname].filter(Boolean).join(' ');
  }
}

/** The kinds that belong to a person and/or a unit: engagements, addresses, managers, IT users. */
class PersonOrUnitView extends View {
  person_response() {
    return ref('person', this.data.person_uuid);
  }
  employee_uuid() {
    return this.data.person_uuid ?? null;
  }
  org_unit_response() {
    return ref('org_unit', this.data.org_unit_uuid);
  }
}

class EngagementView extends PersonOrUnitView {
  job_function_response() {
    return ref('class', this.data.job_function_uuid);
  }
  engagement_type_response() {
    return ref('class', this.data.engagement_type_uuid);
  }
  primary_response() {
    return ref('class', this.data.primary_uuid);
  }
  leave_uuid() {
    return null;
  }
  is_primary(_args: unknown, ctx: MoContext) {
    const scope = classScope(ctx, this.data.primary_uuid);
    return scope instanceof Promise ? scope.then(isPrimaryScope) : isPrimaryScope(scope);
  }
}

class AddressView extends PersonOrUnitView {
  engagement_response() {
    return ref('engagement', this.data.engagement_uuid);
  }
  ituser_response() {
    return ref('ituser', this.data.ituser_uuid);
  }
  address_type_response() {
    return ref('class', this.data.address_type_uuid);
  }
  visibility_response() {
    return ref('class', this.data.visibility_uuid);
  }
  value2() {
    return null;
  }
  /**
   * The value, except for DAR addresses: the address text DAR has now ("Ukendt" when it has none; the read
   * fails when DAR cannot be asked), as OS2MO names it; without a DAR service the stored value.
   */
  name(_args: unknown, ctx: MoContext) {
    const value = String(this.data.value);
    const named = (scope: string | null) => (scope === 'DAR' && ctx.dar.enabled ? ctx.dar.lookUp(value).then(nameFromDar) : value);
    const scope = classScope(ctx, this.data.address_type_uuid);
    return scope instanceof Promise ? scope.then(named) : named(scope);
  }
}

class ManagerView extends PersonOrUnitView {
  engagement_response() {
    return ref('engagement', this.data.engagement_uuid);
  }
  manager_type_response() {
    return ref('class', this.data.manager_type_uuid);
  }
  manager_level_response() {
    return ref('class', this.data.manager_level_uuid);
  }
  /** In uuid order, as OS2MO answers them (whatever order they were written in). */
  responsibility_uuids() {
    return uuidOrder(this.data.responsibility_uuids);
  }
}

class ITUserView extends PersonOrUnitView {
  itsystem_response() {
    return ref('itsystem', this.data.itsystem_uuid);
  }
  primary_response() {
    return ref('class', this.data.primary_uuid);
  }
  engagement_response() {
    return ref('engagement', uuidOrder(this.data.engagement_uuids)?.[0]);
  }
  /** In uuid order, as OS2MO answers them. */
  engagement_uuids() {
    return uuidOrder(this.data.engagement_uuids);
  }
}

class RoleBindingView extends View {
  ituser_response() {
    return ref('ituser', this.data.ituser_uuid);
  }
  org_unit_response() {
    return ref('org_unit', this.data.org_unit_uuid);
  }
  role_response() {
    return ref('class', this.data.role_uuid);
  }
}

const VIEWS: Record<KindName, new (uuid: string, data: Data, slice: Slice) => View> = {
  organisation: View,
  facet: View,
  class: ClassView,
  itsystem: View,
  org_unit: OrgUnitView,
  person: PersonView,
  engagement: EngagementView,
  address: AddressView,
  manager: ManagerView,
  ituser: ITUserView,
  rolebinding: RoleBindingView,
};

export function present(kind: KindName, uuid: string, slice: Slice): View {
  return new VIEWS[kind](uuid, slice.data, slice);
}

/**
 * The fields of each GraphQL type the local MO answers (checked against the real schema at start). Every
 * other field of these types, and every field of any other type, is an error "not supported".
 */
export const SUPPORTED_FIELDS: Record<string, readonly string[]> = {
  Organisation: ['uuid', 'user_key', 'name'],
  Facet: ['uuid', 'user_key', 'published', 'validity'],
  Class: ['uuid', 'user_key', 'name', 'scope', 'facet_uuid', 'owner', 'it_system_uuid', 'parent_uuid', 'published', 'example', 'description', 'validity', 'facet_response', 'parent_response', 'it_system_response'],
  ITSystem: ['uuid', 'user_key', 'name', 'system_type', 'validity'],
  OrganisationUnit: ['uuid', 'user_key', 'name', 'parent_uuid', 'unit_type_uuid', 'org_unit_level_uuid', 'org_unit_hierarchy', 'time_planning_uuid', 'validity', 'parent_response', 'unit_type_response', 'unit_level_response'],
  Employee: ['uuid', 'user_key', 'given_name', 'surname', 'name', 'nickname', 'nickname_given_name', 'nickname_surname', 'cpr_number', 'seniority', 'validity'],
  Engagement: [
    'uuid', 'user_key', 'person_response', 'employee_uuid', 'org_unit_uuid', 'org_unit_response', 'job_function_uuid', 'job_function_response',
    'engagement_type_uuid', 'engagement_type_response', 'primary_uuid', 'primary_response', 'is_primary', 'fraction', 'leave_uuid', 'validity',
    ...Array.from({ length: 10 }, (_, i) => `extension_${i + 1}`),
  ],
  Address: ['uuid', 'user_key', 'value', 'value2', 'name', 'address_type_uuid', 'address_type_response', 'visibility_uuid', 'visibility_response', 'person_response', 'employee_uuid', 'org_unit_uuid', 'org_unit_response', 'engagement_uuid', 'engagement_response', 'ituser_uuid', 'ituser_response', 'validity'],
  Manager: ['uuid', 'user_key', 'person_response', 'employee_uuid', 'org_unit_uuid', 'org_unit_response', 'engagement_response', 'manager_type_uuid', 'manager_type_response', 'manager_level_uuid', 'manager_level_response', 'responsibility_uuids', 'validity'],
  ITUser: ['uuid', 'user_key', 'itsystem_uuid', 'itsystem_response', 'person_response', 'employee_uuid', 'org_unit_uuid', 'org_unit_response', 'external_id', 'binding_type', 'engagement_uuids', 'engagement_uuid', 'engagement_response', 'primary_response', 'validity'],
  RoleBinding: ['uuid', 'user_key', 'ituser_response', 'org_unit_response', 'role_response', 'validity'],
  Validity: ['from', 'to'],
  OpenValidity: ['from', 'to'],
  PageInfo: ['next_cursor'],
  ...Object.fromEntries(
    Object.values(KINDS)
      .filter((k) => k.name !== 'organisation')
      .flatMap((k) => [
        [k.responseType, ['uuid', 'current', 'validities', 'objects']],
        [`${k.responseType}Paged`, ['objects', 'page_info']],
      ]),
  ),
};

