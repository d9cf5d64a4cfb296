import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import type { Project, ProjectMember, User } from '@taskbase/sdk';
import { errorMessage } from '../../core/error-message';
import { RoleLabelPipe } from '../../core/labels';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';

/** Who sees a private project (besides admins): add and remove people. */
@Component({
  selector: 'tb-shell-members-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatListModule, MatProgressBarModule, MatSelectModule, RoleLabelPipe],
  template: `
    <h2 mat-dialog-title>Members of {{ project.name }}</h2>
    <mat-dialog-content>
      <p class="muted">
        @if (project.visibility === 'private') { Only these people and the workspace's admins see this project. }
        @else { Everyone in the workspace sees this project; members matter once it is private. }
      </p>
      @if (loading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading the members" /> }
      @if (failure(); as message) { <p class="form-error" role="alert">{{ message }}</p> }
      @if (!loading() && !members().length) { <p class="muted" data-testid="no-members">No members yet.</p> }
      <ul class="members" aria-label="Members">
        @for (member of members(); track member.userId) {
          <li>
            <span class="who"><strong>{{ member.name }}</strong> <span class="muted">{{ member.role | roleLabel }}</span></span>
            @if (canManage) {
              <button mat-icon-button type="button" [attr.aria-label]="'Remove ' + member.name" (click)="remove(member)" [disabled]="busy()">
                <mat-icon>person_remove</mat-icon>
              </button>
            }
          </li>
        }
      </ul>
      @if (canManage) {
        <div class="add">
          <mat-form-field appearance="outline">
            <mat-label>Add a person</mat-label>
            <mat-select [value]="chosen()" (selectionChange)="chosen.set($event.value)" data-testid="member-select">
              @for (user of candidates(); track user.id) { <mat-option [value]="user.id">{{ user.name }}</mat-option> }
            </mat-select>
          </mat-form-field>
          <button mat-flat-button type="button" (click)="add()" [disabled]="busy() || chosen() === null">Add</button>
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end"><button mat-button type="button" mat-dialog-close>Close</button></mat-dialog-actions>
  `,
  styles: `
    .members { list-style: none; padding: 0; margin: 8px 0 16px; min-width: min(420px, 76vw); }
    .members li { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 4px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .add { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; mat-form-field { flex: 1 1 200px; } }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MembersDialog {
  private readonly client = inject(TASKBASE_CLIENT);
  protected readonly project = inject<Project>(MAT_DIALOG_DATA);
  protected readonly canManage = this.project.can.includes('manage_members');
  protected readonly members = signal<ProjectMember[]>([]);
  protected readonly users = signal<User[]>([]);
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly chosen = signal<number | null>(null);
  protected readonly candidates = computed(() => {
    const taken = new Set(this.members().map((member) => member.userId));
    return this.users().filter((user) => user.active && !taken.has(user.id));
  });

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [members, users] = await Promise.all([this.client.projects.members(this.project.id), this.client.users.list({ limit: 100 })]);
      this.members.set(members);
      this.users.set(users.data);
    } catch (error) {
      this.failure.set(errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected async add(): Promise<void> {
    const userId = this.chosen();
    if (userId === null) return;
    await this.act(async () => {
      this.members.set(await this.client.projects.addMember(this.project.id, userId));
      this.chosen.set(null);
    });
  }

  protected async remove(member: ProjectMember): Promise<void> {
    await this.act(async () => {
      await this.client.projects.removeMember(this.project.id, member.userId);
      this.members.update((members) => members.filter((m) => m.userId !== member.userId));
    });
  }

  private async act(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    try {
      await work();
    } catch (error) {
      this.failure.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
