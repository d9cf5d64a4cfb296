/**
 * The parts of Trello's board export we read (Trello REST API objects:
 * board, list, card, label, member, checklist, action). Every field is
 * optional: an export is input, checked as it is read.
 */
export interface TrelloBoard {
  id?: string;
  name?: string;
  desc?: string;
  lists?: TrelloList[];
  cards?: TrelloCard[];
  labels?: TrelloLabel[];
  members?: TrelloMember[];
  checklists?: TrelloChecklist[];
  actions?: TrelloAction[];
}

export interface TrelloList {
  id: string;
  name?: string;
  closed?: boolean;
  pos?: number;
}

export interface TrelloCard {
  id: string;
  name?: string;
  desc?: string;
  closed?: boolean;
  idList?: string;
  idLabels?: string[];
  idMembers?: string[];
  due?: string | null;
  dateLastActivity?: string;
  pos?: number;
  attachments?: Array<{ id?: string; name?: string; url?: string }>;
}

export interface TrelloLabel {
  id: string;
  name?: string;
  color?: string | null;
}

export interface TrelloMember {
  id: string;
  fullName?: string;
  username?: string;
  /** Present only in some exports (an Enterprise admin's); never guessed. */
  email?: string;
}

export interface TrelloChecklist {
  id: string;
  name?: string;
  idCard?: string;
  checkItems?: Array<{ id: string; name?: string; state?: 'complete' | 'incomplete'; due?: string | null; idMember?: string | null }>;
}

export interface TrelloAction {
  id: string;
  type?: string;
  date?: string;
  idMemberCreator?: string;
  memberCreator?: { fullName?: string; username?: string };
  data?: { text?: string; card?: { id?: string } };
}

/** Trello's label colours (their `_light`/`_dark` shades map to the base colour). */
const COLORS: Record<string, string> = {
  green: '#61bd4f',
  yellow: '#f2d600',
  orange: '#ff9f1a',
  red: '#eb5a46',
  purple: '#c377e0',
  blue: '#0079bf',
  sky: '#00c2e0',
  lime: '#51e898',
  pink: '#ff78cb',
  black: '#344563',
};

export function labelColor(color: string | null | undefined): string | undefined {
  return color ? COLORS[color.replace(/_(light|dark)$/, '')] : undefined;
}
