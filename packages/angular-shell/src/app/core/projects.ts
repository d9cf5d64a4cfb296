import { computed, inject, Injectable, signal } from '@angular/core';
import type { Project, StatusCategory } from '@taskbase/sdk';
import { TASKBASE_CLIENT } from './taskbase-client';

/** How the shell names each status category. */
export const CATEGORY_LABELS: Record<StatusCategory, string> = {
  backlog: 'Backlog',
  unstarted: 'Not started',
  started: 'Started',
  completed: 'Completed',
  canceled: 'Canceled',
};

/** A few distinct colours to start from (the API takes any #rrggbb). */
export const PROJECT_COLORS = ['#2563eb', '#7c3aed', '#db2777', '#dc2626', '#ea580c', '#ca8a04', '#16a34a', '#0891b2', '#475569'];

/** A project key from a name: initials of its words ("Billing v2" → "BV2"), else its first letters; 2–10 of A–Z, 0–9. */
export function suggestKey(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents go, their letters stay
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .toUpperCase()
    .replace(/[^A-Z0-9\s]/g, '')
    .split(/\s+/)
    .filter(Boolean);
  if (!words.length) return '';
  let key = words.length === 1 ? words[0].slice(0, 4) : words.map((word) => (/^\d+$/.test(word) ? word : word[0])).join('');
  key = key.replace(/^\d+/, '').slice(0, 10);
  if (key.length === 1) key = (words[0] + words.slice(1).join('')).replace(/^\d+/, '').slice(0, 3);
  return key.length >= 2 ? key : '';
}

/** A status key from its name ("In QA" → "in_qa"). */
export function suggestStatusKey(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40);
  return key;
}

/**
 * The active projects the signed-in person can see (for the side navigation
 * and the default-project redirects), and the project being looked at.
 */
@Injectable({ providedIn: 'root' })
export class ProjectStore {
  private readonly client = inject(TASKBASE_CLIENT);
  private loading: Promise<Project[]> | undefined;
  readonly projects = signal<Project[]>([]);
  readonly loaded = signal(false);
  /** The key of the project last opened (URL `/p/:key/…`), kept while other pages show. */
  readonly currentKey = signal<string | null>(null);
  readonly current = computed(() => {
    const key = this.currentKey();
    const projects = this.projects();
    return projects.find((project) => project.key === key) ?? this.defaultOf(projects);
  });
  readonly defaultProject = computed(() => this.defaultOf(this.projects()));

  /** Loads the list once; `refresh()` reloads it. */
  load(): Promise<Project[]> {
    this.loading ??= this.fetch();
    return this.loading;
  }

  refresh(): Promise<Project[]> {
    this.loading = this.fetch();
    return this.loading;
  }

  /** Forgets everything (after a sign-out). */
  clear(): void {
    this.loading = undefined;
    this.projects.set([]);
    this.loaded.set(false);
    this.currentKey.set(null);
  }

  private defaultOf(projects: Project[]): Project | null {
    return projects.find((project) => project.isDefault) ?? projects[0] ?? null;
  }

  private async fetch(): Promise<Project[]> {
    try {
      const projects: Project[] = [];
      for await (const project of this.client.projects.iterate()) projects.push(project);
      this.projects.set(projects);
      this.loaded.set(true);
      return projects;
    } catch (error) {
      this.loading = undefined;
      throw error;
    }
  }
}

/** What `/tasks/:ref` links use: the identifier (`CRM-42`), or the id of a task from before projects. */
export function taskRef(task: { id: number; identifier?: string | null }): string {
  return task.identifier || String(task.id);
}
