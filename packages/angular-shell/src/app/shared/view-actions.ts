import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CatalogApi, type SavedView } from '../core/catalog';
import { Notifier } from '../core/notifier';
import { ViewStore } from '../core/views';
import { askToConfirm } from './confirm-dialog';
import { ViewDialog, type ViewDialogData, type ViewDraft } from './view-dialog';

/** Save, edit and delete saved views, from the board and list pages, the view page and the side navigation. */
@Injectable({ providedIn: 'root' })
export class ViewActions {
  private readonly api = inject(CatalogApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly store = inject(ViewStore);

  /** "Save view": names the draft, saves it, and opens it. */
  async save(draft: ViewDraft): Promise<SavedView | undefined> {
    const view = await this.open({ draft });
    if (!view) return undefined;
    this.store.put(view);
    this.notifier.confirm(`Saved the view “${view.name}”`);
    await this.router.navigate(['/views', view.id]);
    return view;
  }

  /** Renames a view (or shares it, or stops sharing it). */
  async edit(view: SavedView): Promise<SavedView | undefined> {
    const saved = await this.open({ view });
    if (!saved) return undefined;
    this.store.put(saved);
    this.notifier.confirm(`Saved the view “${saved.name}”`);
    return saved;
  }

  /** Deletes a view after asking; leaves its page if it shows. */
  async remove(view: SavedView): Promise<boolean> {
    if (!(await askToConfirm(this.dialog, {
      title: `Delete the view “${view.name}”?`,
      message: view.shared
        ? 'It leaves the navigation of everyone in the workspace. Its tasks stay as they are.'
        : 'It leaves your navigation. Its tasks stay as they are.',
      action: 'Delete view',
      danger: true,
    }))) return false;
    try {
      await this.api.deleteView(view.id);
    } catch (error) {
      this.notifier.fail(error, 'Could not delete the view');
      return false;
    }
    this.store.drop(view.id);
    this.notifier.confirm(`Deleted the view “${view.name}”`);
    if (this.router.url.split(/[?#]/)[0] === `/views/${view.id}`) await this.router.navigate(['/dashboard']);
    return true;
  }

  private open(data: ViewDialogData): Promise<SavedView | undefined> {
    return firstValueFrom(this.dialog.open<ViewDialog, ViewDialogData, SavedView>(ViewDialog, { data, width: '480px', maxWidth: '94vw' }).afterClosed());
  }
}
