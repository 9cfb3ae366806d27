import { type Session, gql } from './api';
import { ORGANISATIONS } from './queries';

export interface Org { id: string; name: string | null; isHome: boolean; departments: { departmentId: string; name: string }[] }

let cache: Promise<Org[]> | null = null;

/** The organisations (names, the home organisation's departments), read once per page load; a failed read is tried again next time. */
export function organisations(session: Session): Promise<Org[]> {
  cache ??= gql<{ organizations: { nodes: Org[] } }>(session, ORGANISATIONS)
    .then((d) => d.organizations.nodes)
    .catch(() => {
      cache = null;
      return [];
    });
  return cache;
}
