// @koa/send 6 ships types, but its export map lists them after "import",
// so NodeNext resolution does not find them for the ESM entry.
declare module '@koa/send' {
  import type { ParameterizedContext } from 'koa';
  export interface SendOptions {
    root?: string;
    index?: string | false;
    maxage?: number;
    immutable?: boolean;
    hidden?: boolean;
    gzip?: boolean;
    brotli?: boolean;
  }
  export function send(ctx: ParameterizedContext, path: string, options?: SendOptions): Promise<string | undefined>;
}
