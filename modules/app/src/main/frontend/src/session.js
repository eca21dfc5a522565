import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The signed-in caller, from GET /api/v1/me: subject, role, organisation, apiKeyId, can {admin, runAgents, callTools}. */
export const Me = createContext(null);

export function useMe() {
  return useContext(Me);
}

export const ROLES = ['viewer', 'analyst', 'engineer', 'admin', 'owner'];

export function roleRank(role) {
  return ROLES.indexOf(role);
}
