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
const PARTNERSHIP_NAMES = 'organization_partnerships';

export const organizationCollection = defineCollection({
  name: ORGANIZATIONS,
  indexes: {
    name: 'string',
    kind: 'string',
    isHome: 'boolean',
    registered: 'boolean',
    partnershipIds: 'string[]',
    activePartnershipIds: 'string[]',
  },
});
const partnershipNames = defineCollection({ name: PARTNERSHIP_NAMES, indexes: {} });

export type OrganizationPartnership = {
  partnershipId: string;
  name: string;
  owningDepartmentId: string;
  active: boolean;
  since: string;
  until: string | null;
};

export interface OrganizationDoc extends Document {
  id: string;
  registered: boolean;
  name: string | null;
  kind: string | null;
  isHome: boolean;
  departments: { departmentId: string; name: string }[];
  registeredAt: string | null;
  partnerships: OrganizationPartnership[];
  partnershipIds: string[];
  activePartnershipIds: string[];
  position: number;
}

interface NameDoc extends Document {
  id: string;
  name: string;
  owningDepartmentId: string;
}

const blank = (id: string): OrganizationDoc => ({
  id,
  registered: false,
  name: null,
  kind: null,
  isHome: false,
  departments: [],
  registeredAt: null,
  partnerships: [],
  partnershipIds: [],
  activePartnershipIds: [],
  position: -1,
});

function withPartnerships(
  doc: OrganizationDoc,
  partnerships: OrganizationPartnership[],
  position: number,
): OrganizationDoc {
  return {
    ...doc,
    partnerships,
    partnershipIds: partnerships.map((p) => p.partnershipId),
    activePartnershipIds: partnerships.filter((p) => p.active).map((p) => p.partnershipId),
    position,
  };
}

export const organizationsProjection = defineProjection({
  name: 'organizations',
  version: 1,
  collections: [organizationCollection, partnershipNames],
  filter: {
    types: ['OrganizationRegistered', 'PartnershipProposed', 'PartyAdmitted', 'PartyWithdrawn'],
  },
  async apply(recorded: RecordedEvent, view: ProjectionView): Promise<Change[]> {
    const event = domainEventOf(recorded) as OrganisationEvent | PartnershipEvent | null;
    if (event === null) return [];
    const at = businessTimeOf(recorded, event);
    const load = async (id: string) =>
      (await view.get<OrganizationDoc>(ORGANIZATIONS, id)) ?? blank(id);
    const join = async (
      partnershipId: string,
      organisationId: string,
      entry: NameDoc,
    ): Promise<Change> => {
      const doc = await load(organisationId);
      const others = doc.partnerships.filter((p) => p.partnershipId !== partnershipId);
      const partnerships = [
        ...others,
        {
          partnershipId,
          name: entry.name,
          owningDepartmentId: entry.owningDepartmentId,
          active: true,
          since: at,
          until: null,
        },
      ];
      return put(
        ORGANIZATIONS,
        organisationId,
        withPartnerships(doc, partnerships, recorded.position),
      );
    };
    // The filter feeds only these four types; others (none expected) change nothing.
    if (event.type === 'OrganizationRegistered') {
      {
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
    }
    if (event.type === 'PartnershipProposed') {
      {
        const d = event.data;
        const entry: NameDoc = {
          id: d.partnershipId,
          name: d.name,
          owningDepartmentId: d.owningDepartmentId,
        };
        return [
          put(PARTNERSHIP_NAMES, d.partnershipId, entry),
          await join(d.partnershipId, d.leadParty.organisationId, entry),
        ];
      }
    }
    if (event.type === 'PartyAdmitted') {
      {
        const partnershipId = idOfStream(recorded.streamId, 'partnership-');
        const entry = (await view.get<NameDoc>(PARTNERSHIP_NAMES, partnershipId)) ?? {
          id: partnershipId,
          name: partnershipId,
          owningDepartmentId: '',
        };
        return [await join(partnershipId, event.data.organisationId, entry)];
      }
    }
    if (event.type === 'PartyWithdrawn') {
      {
        const partnershipId = idOfStream(recorded.streamId, 'partnership-');
        const doc = await load(event.data.organisationId);
        const partnerships = doc.partnerships.map((p) =>
          p.partnershipId === partnershipId ? { ...p, active: false, until: at } : p,
        );
        return [put(ORGANIZATIONS, doc.id, withPartnerships(doc, partnerships, recorded.position))];
      }
    }
    return [];
  },
});
