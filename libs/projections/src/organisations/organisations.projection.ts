/**
 * Organisations with the partnerships they take part in (so departments working with the same
 * partner see each other: each partnership entry carries its owning department). A partnership
 * may name an organisation before it is registered: its document then exists with
 * `registered: false` until OrganizationRegistered fills it in.
 */
import type { OrganisationEvent, PartnershipEvent } from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';
import { defineCollection, put, type Change, type Document } from '@ppl/read-model';
import { defineProjection, type ProjectionView } from '../runner/projection';
import { businessTimeOf, domainEventOf, idOfStream } from '../support/domain-event';

export const ORGANIZATIONS = 'organizations';
/** One document per organisation and partnership it takes part in (now or before: withdrawn, or the partnership ended). */
export const ORGANIZATION_MEMBERSHIPS = 'organization_memberships';
const PARTNERSHIP_NAMES = 'organization_partnerships';

export const organizationCollection = defineCollection({
  name: ORGANIZATIONS,
  indexes: { name: 'string', kind: 'string', isHome: 'boolean', registered: 'boolean' },
});
export const membershipCollection = defineCollection({
  name: ORGANIZATION_MEMBERSHIPS,
  indexes: { organisationId: 'string', partnershipId: 'string', active: 'boolean', since: 'string' },
});
const partnershipNames = defineCollection({ name: PARTNERSHIP_NAMES, indexes: {} });

/**
 * A membership is its own document (not a list inside the organisation's): the home
 * organisation takes part in every partnership, and rewriting one growing document per event
 * would make the projection quadratic in the size of the portfolio.
 */
export interface OrganizationPartnership extends Document {
  id: string;
  organisationId: string;
  partnershipId: string;
  name: string;
  owningDepartmentId: string;
  active: boolean;
  since: string;
  until: string | null;
}

export interface OrganizationDoc extends Document {
  id: string;
  registered: boolean;
  name: string | null;
  kind: string | null;
  isHome: boolean;
  departments: { departmentId: string; name: string }[];
  registeredAt: string | null;
  position: number;
}

interface NameDoc extends Document {
  id: string;
  name: string;
  owningDepartmentId: string;
  /** The organisations that joined it (the lead party first): whose memberships its ending closes. */
  members: string[];
}

const blank = (id: string): OrganizationDoc => ({
  id,
  registered: false,
  name: null,
  kind: null,
  isHome: false,
  departments: [],
  registeredAt: null,
  position: -1,
});

export const membershipId = (organisationId: string, partnershipId: string): string => `${organisationId}:${partnershipId}`;

export const organizationsProjection = defineProjection({
  name: 'organizations',
  // 3: a partnership's ending closes its memberships (active false, until its end).
  version: 3,
  collections: [organizationCollection, membershipCollection, partnershipNames],
  filter: {
    types: ['OrganizationRegistered', 'PartnershipProposed', 'PartyAdmitted', 'PartyWithdrawn', 'PartnershipEnded'],
  },
  async apply(recorded: RecordedEvent, view: ProjectionView): Promise<Change[]> {
    const event = domainEventOf(recorded) as OrganisationEvent | PartnershipEvent | null;
    if (event === null) return [];
    const at = businessTimeOf(recorded, event);
    const load = async (id: string) => (await view.get<OrganizationDoc>(ORGANIZATIONS, id)) ?? blank(id);
    /** The organisation named by a partnership exists (unregistered until it registers). */
    const known = async (organisationId: string): Promise<Change[]> =>
      (await view.get<OrganizationDoc>(ORGANIZATIONS, organisationId)) ? [] : [put(ORGANIZATIONS, organisationId, blank(organisationId))];
    const join = async (partnershipId: string, organisationId: string, entry: NameDoc): Promise<Change[]> => [
      ...(await known(organisationId)),
      put(PARTNERSHIP_NAMES, partnershipId, { ...entry, members: [...new Set([...entry.members, organisationId])] }),
      put(ORGANIZATION_MEMBERSHIPS, membershipId(organisationId, partnershipId), {
        id: membershipId(organisationId, partnershipId),
        organisationId,
        partnershipId,
        name: entry.name,
        owningDepartmentId: entry.owningDepartmentId,
        active: true,
        since: at,
        until: null,
      }),
    ];
    // The filter feeds only these four types; others (none expected) change nothing.
    if (event.type === 'OrganizationRegistered') {
      const d = event.data;
      const doc = await load(d.organisationId);
      return [
        put(ORGANIZATIONS, d.organisationId, {
          ...doc,
          registered: true,
          name: d.name,
          kind: d.kind,
          isHome: d.isHome,
          departments: d.departments.map((x) => ({ ...x })),
          registeredAt: d.at,
          position: recorded.position,
        }),
      ];
    }
    if (event.type === 'PartnershipProposed') {
      const d = event.data;
      const entry: NameDoc = { id: d.partnershipId, name: d.name, owningDepartmentId: d.owningDepartmentId, members: [] };
      return join(d.partnershipId, d.leadParty.organisationId, entry);
    }
    if (event.type === 'PartyAdmitted') {
      const partnershipId = idOfStream(recorded.streamId, 'partnership-');
      const entry = (await view.get<NameDoc>(PARTNERSHIP_NAMES, partnershipId)) ?? { id: partnershipId, name: partnershipId, owningDepartmentId: '', members: [] };
      return join(partnershipId, event.data.organisationId, entry);
    }
    if (event.type === 'PartyWithdrawn') {
      const partnershipId = idOfStream(recorded.streamId, 'partnership-');
      const id = membershipId(event.data.organisationId, partnershipId);
      const membership = await view.get<OrganizationPartnership>(ORGANIZATION_MEMBERSHIPS, id);
      return membership ? [put(ORGANIZATION_MEMBERSHIPS, id, { ...membership, active: false, until: at })] : [];
    }
    if (event.type === 'PartnershipEnded') {
      // Nobody takes part in an ended partnership any more: its active memberships close at its end.
      const partnershipId = idOfStream(recorded.streamId, 'partnership-');
      const entry = await view.get<NameDoc>(PARTNERSHIP_NAMES, partnershipId);
      const changes: Change[] = [];
      for (const organisationId of entry?.members ?? []) {
        const id = membershipId(organisationId, partnershipId);
        const membership = await view.get<OrganizationPartnership>(ORGANIZATION_MEMBERSHIPS, id);
        if (membership?.active) changes.push(put(ORGANIZATION_MEMBERSHIPS, id, { ...membership, active: false, until: at }));
      }
      return changes;
    }
    return [];
  },
});
