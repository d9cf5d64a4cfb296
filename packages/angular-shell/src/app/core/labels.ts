import { Pipe, type PipeTransform } from '@angular/core';
import type { Task, User } from '@taskbase/sdk';

/** How the shell names each status, priority and role (the API's keys are not for people). */
export const STATUS_LABELS: Record<Task['status'], string> = {
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
};

export const PRIORITY_LABELS: Record<Task['priority'], string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

export const ROLE_LABELS: Record<User['role'], string> = {
  member: 'Member',
  manager: 'Manager',
  admin: 'Admin',
};

/** `{{ role | roleLabel }}`: "Manager" rather than the API's "manager". */
@Pipe({ name: 'roleLabel' })
export class RoleLabelPipe implements PipeTransform {
  transform(role: User['role'] | null | undefined): string {
    return role ? ROLE_LABELS[role] : '';
  }
}
