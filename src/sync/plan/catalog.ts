// Classes, facets and IT systems the plan refers to. Like DIPEX's ensure_class_in_facet, a class matches an
// existing one by user_key or name, ignoring case; a missing one is planned as a creation with a
// deterministic uuid, so the writes that refer to it can be planned before it exists.
import { findClass, type MoClass, type MoItSystem } from '../../mo/index.js';
import type { MoFacet } from '../../mo/kinds/facets.js';
import { classKey, type ClassRef } from '../mapping/classes.js';
import type { OpusUuids } from '../uuids.js';
import type { PlanOp } from './types.js';

export interface ResolvedClass {
  uuid: string;
  /** The scope MO validates against: the existing class's, or the one a new class gets. */
  scope: string | null;
}

export class Catalog {
  private readonly ops: PlanOp[] = [];
  private readonly created = new Set<string>();
  private readonly facetUuids = new Map<string, string>();

  private readonly classes: Map<string, MoClass[]>;
  private readonly itSystems: MoItSystem[];

  /** MO's classes and IT systems are copied: what the catalog plans to create must not leak into MO's state. */
  constructor(
    facets: readonly MoFacet[],
    classes: ReadonlyMap<string, readonly MoClass[]>,
    itSystems: readonly MoItSystem[],
    private readonly uuids: OpusUuids,
    /** Owner of created classes: DIPEX uses the OPUS root unit. */
    private readonly owner: string | null,
  ) {
    for (const facet of facets) this.facetUuids.set(facet.userKey, facet.uuid);
    this.classes = new Map([...classes].map(([facet, list]) => [facet, [...list]]));
    this.itSystems = [...itSystems];
  }

  /** The class for a reference, planning its creation (and its facet's) when MO has none. */
  resolve(ref: ClassRef): ResolvedClass {
    const existing = findClass(this.classes.get(ref.facet) ?? [], ref.userKey, ref.name);
    if (existing) return { uuid: existing.uuid, scope: existing.scope };
    const uuid = this.uuids.of('class', classKey(ref));
    if (!this.created.has(uuid)) {
      this.created.add(uuid);
      const facetUuid = this.facet(ref.facet);
      this.ops.push({
        op: { kind: 'class', action: 'create', input: { uuid, facetUuid, userKey: ref.userKey, name: ref.name, scope: ref.scope, owner: this.owner } },
        phase: 'catalog',
        subject: { kind: 'class', opusId: null, label: `class ${ref.facet}/${ref.userKey}` },
        reason: `no class "${ref.name}" in facet ${ref.facet}`,
        needs: this.created.has(facetUuid) ? [facetUuid] : [],
      });
      const list = this.classes.get(ref.facet) ?? [];
      list.push({ uuid, userKey: ref.userKey, name: ref.name, scope: ref.scope, facetUuid, owner: this.owner, itSystemUuid: null, parentUuid: null });
      this.classes.set(ref.facet, list);
    }
    return { uuid, scope: ref.scope };
  }

  /** The IT system with this user_key or name, planning its creation when MO has none. */
  itSystem(userKey: string): string {
    const existing = findClass(this.itSystems, userKey, userKey);
    if (existing) return existing.uuid;
    const uuid = this.uuids.of('itsystem', userKey);
    this.itSystems.push({ uuid, userKey, name: userKey });
    this.created.add(uuid);
    this.ops.push({
      op: { kind: 'itSystem', action: 'create', input: { uuid, userKey, name: userKey } },
      phase: 'catalog',
      subject: { kind: 'itSystem', opusId: null, label: `IT system ${userKey}` },
      reason: `MO has no IT system "${userKey}"`,
      needs: [],
    });
    return uuid;
  }

  /** True for a class, facet or IT system this plan creates: writes referring to it need it. */
  isPlanned(uuid: string): boolean {
    return this.created.has(uuid);
  }

  plannedOps(): PlanOp[] {
    return this.ops;
  }

  private facet(userKey: string): string {
    const known = this.facetUuids.get(userKey);
    if (known) return known;
    const uuid = this.uuids.of('class', `facet:${userKey}`);
    this.facetUuids.set(userKey, uuid);
    this.created.add(uuid);
    this.ops.push({
      op: { kind: 'facet', action: 'create', input: { uuid, userKey } },
      phase: 'catalog',
      subject: { kind: 'facet', opusId: null, label: `facet ${userKey}` },
      reason: `MO has no facet "${userKey}"`,
      needs: [],
    });
    return uuid;
  }
}
