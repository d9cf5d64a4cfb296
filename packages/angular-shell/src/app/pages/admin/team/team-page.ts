import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginator, MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSort, MatSortModule } from '@angular/material/sort';
import { MatTableDataSource, MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { User } from '@taskbase/sdk';
import { ROLE_LABELS, RoleLabelPipe } from '../../../core/labels';
import { Notifier } from '../../../core/notifier';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { UserSession, type Role } from '../../../core/user-session';
import { askToConfirm } from '../../../shared/confirm-dialog';
import { SecretDialog, type SecretDialogData } from '../../../shared/secret-dialog';
import { InviteDialog, type Invitation } from './invite-dialog';

/** The people of the workspace: invite, change role, deactivate or reactivate. */
@Component({
  selector: 'tb-shell-team-page',
  imports: [MatTableModule, MatSortModule, MatPaginatorModule, MatButtonModule, MatIconModule, MatSelectModule, MatProgressBarModule, MatTooltipModule, DatePipe, RoleLabelPipe],
  templateUrl: './team-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamPage {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  protected readonly session = inject(UserSession);

  protected readonly roles: Role[] = ['admin', 'manager', 'member'];
  protected readonly columns = ['name', 'email', 'role', 'active', 'createdAt', 'actions'];
  protected readonly people = new MatTableDataSource<User>([]);
  protected readonly loading = signal(true);
  private readonly sort = viewChild(MatSort);
  private readonly paginator = viewChild(MatPaginator);

  constructor() {
    effect(() => {
      this.people.sort = this.sort() ?? null;
      this.people.paginator = this.paginator() ?? null;
    });
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const people: User[] = [];
      for await (const user of this.client.users.iterate()) people.push(user);
      this.people.data = people;
    } catch (error) {
      this.notifier.fail(error, 'Could not load the team');
    } finally {
      this.loading.set(false);
    }
  }

  protected async invite(): Promise<void> {
    const ref = this.dialog.open<InviteDialog, void, Invitation>(InviteDialog, { width: '480px' });
    ref.afterClosed().subscribe((invitation) => {
      if (!invitation) return;
      this.people.data = [...this.people.data, invitation.user];
      if (invitation.temporaryPassword) {
        this.dialog.open<SecretDialog, SecretDialogData>(SecretDialog, {
          width: '520px',
          data: {
            title: `${invitation.user.name} is invited`,
            message: 'Give them this temporary password to sign in. It is shown only once.',
            secret: invitation.temporaryPassword,
            label: 'temporary password',
          },
        });
      } else {
        this.notifier.confirm(`${invitation.user.name} is invited`);
      }
    });
  }

  protected async changeRole(person: User, role: Role): Promise<void> {
    await this.save(person, { role }, `${person.name}’s role is now ${ROLE_LABELS[role]}`);
  }

  protected async setActive(person: User, active: boolean): Promise<void> {
    if (!active) {
      const sure = await askToConfirm(this.dialog, {
        title: `Deactivate ${person.name}?`,
        message: 'They are signed out at once and cannot sign in again until reactivated. Their tasks and comments stay.',
        action: 'Deactivate',
        danger: true,
      });
      if (!sure) return;
    }
    await this.save(person, { active }, `${person.name} is ${active ? 'reactivated' : 'deactivated'}`);
  }

  private async save(person: User, changes: { role?: Role; active?: boolean }, done: string): Promise<void> {
    try {
      const updated = await this.client.users.update(person.id, changes);
      this.people.data = this.people.data.map((user) => (user.id === updated.id ? updated : user));
      this.notifier.confirm(done);
    } catch (error) {
      this.people.data = [...this.people.data]; // puts the select back
      this.notifier.fail(error, `Could not update ${person.name}`);
    }
  }
}
