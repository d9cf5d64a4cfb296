// Type-checked (tsc, NodeNext) against the installed tarballs: the `import`
// conditions' types resolve, and they are real types, not `any`.
import { createClient, NotFoundError, type Task } from '@taskbase/sdk';
import { TbTaskBoard, configure } from '@taskbase/widgets';
import '@taskbase/widgets/define';

const client = createClient({ url: 'http://127.0.0.1:3000' });
export async function firstTitle(): Promise<string | undefined> {
  const page = await client.tasks.list({ limit: 1 });
  const first: Task | undefined = page.data[0];
  return first?.title;
}
// @ts-expect-error a title is a string; with untyped exports this line would not be an error
client.tasks.create({ title: 42 });

export const board: TbTaskBoard = document.createElement('tb-task-board');
export const same: typeof client = configure(client);
export const isNotFound = (error: unknown) => error instanceof NotFoundError;
