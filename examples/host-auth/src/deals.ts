/**
 * An object of the host app that gets its own Taskbase project: here a sales
 * deal, as a CRM would have. Its `id` becomes the project's externalId, so
 * Taskbase can be asked for "the project of deal-42" (`ext:deal-42`).
 */
export interface Deal {
  id: string;
  name: string;
  customer: string;
}

// The host's deals, hard-coded for the example (a real app reads its database).
const DEALS: Deal[] = [
  { id: 'deal-42', name: 'Acme Corp renewal', customer: 'Acme Corp' },
  { id: 'deal-7', name: 'Globex pilot', customer: 'Globex' },
];

export const listDeals = (): readonly Deal[] => DEALS;

export const findDeal = (id: string): Deal | undefined => DEALS.find((deal) => deal.id === id);
