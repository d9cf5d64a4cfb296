import { CalendarFeed as CalendarFeedSchema, type CalendarFeedDto } from '../schemas/calendarFeeds.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/** A calendar feed as the API lists it; the row also holds its owner, secret hash and project limit. */
export type CalendarFeedRow = StoredRow<CalendarFeedDto>;
export const CALENDAR_FEED_COLUMNS = Object.keys(CalendarFeedSchema.properties) as Array<keyof CalendarFeedRow>;
export const toCalendarFeedDto = rowSerializer<CalendarFeedDto>(CalendarFeedSchema);

export class CalendarFeed extends BaseModel {
  static override tableName = 'calendar_feeds';
}
