import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** What a text may link to: the workspace's members (for @mentions) and its project keys (for `CRM-42`). */
export interface MarkdownContext {
  members: ReadonlyArray<{ id: number; name: string }>;
  projectKeys: ReadonlySet<string>;
}

export const NO_LINKS: MarkdownContext = { members: [], projectKeys: new Set() };

/** The one image source Markdown may use: an attachment, by its stable path (widgets swap in a signed URL). */
export const ATTACHMENT_IMAGE = /^\/api\/attachments\/(\d{1,18})\/content$/;
const TASK_REFERENCE = /^([A-Z][A-Z0-9]{1,9})-(\d{1,9})(?![\p{L}\p{N}_-])/u;

/**
 * Renders Markdown (CommonMark + GFM) to HTML that is safe to insert in any
 * page: marked parses, sanitize-html keeps an allowlist of tags, attributes
 * and URL schemes, so scripts, event handlers, `javascript:` URLs, iframes and
 * foreign images never survive whatever the source holds.
 */
export function renderMarkdown(source: string, context: MarkdownContext = NO_LINKS): string {
  if (source.trim() === '') return '';
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  marked.use({ extensions: [mentionExtension(context), taskReferenceExtension(context)] });
  return sanitizeHtml(marked.parse(source) as string, SANITIZE);
}

function mentionExtension(context: MarkdownContext): TokenizerAndRendererExtension {
  // Longest names first, so `@Ada Lovelace` wins over a member called `Ada`.
  const members = [...context.members].sort((a, b) => b.name.length - a.name.length);
  return {
    name: 'mention',
    level: 'inline',
    start: (src) => (members.length ? src.match(/(?<![\p{L}\p{N}._-])@/u)?.index : undefined),
    tokenizer(src) {
      if (!src.startsWith('@')) return undefined;
      const lower = src.toLowerCase();
      for (const member of members) {
        const handles = [member.name, member.name.replace(/\s+/g, '')];
        for (const handle of handles) {
          const raw = `@${handle}`;
          if (lower.startsWith(raw.toLowerCase()) && !/[\p{L}\p{N}_-]/u.test(src[raw.length] ?? ' ')) {
            return { type: 'mention', raw: src.slice(0, raw.length), userId: member.id, tokens: [{ type: 'text', raw: `@${member.name}`, text: `@${member.name}` }] };
          }
        }
      }
      return undefined;
    },
    renderer(token) {
      return `<span class="tb-mention" data-user-id="${Number(token.userId)}">${this.parser.parseInline(token.tokens ?? [])}</span>`;
    },
  };
}

function taskReferenceExtension(context: MarkdownContext): TokenizerAndRendererExtension {
  return {
    name: 'taskReference',
    level: 'inline',
    start: (src) => (context.projectKeys.size ? src.match(/(?<![\p{L}\p{N}_-])[A-Z][A-Z0-9]{1,9}-\d/u)?.index : undefined),
    tokenizer(src) {
      const match = TASK_REFERENCE.exec(src);
      if (!match || !context.projectKeys.has(match[1]!)) return undefined;
      return { type: 'taskReference', raw: match[0], identifier: match[0] };
    },
    renderer(token) {
      // The identifier matched TASK_REFERENCE: letters, digits and one hyphen, nothing to escape.
      const identifier = (token as Tokens.Generic).identifier as string;
      return `<a class="tb-task-ref" data-task="${identifier}" href="#${identifier}">${identifier}</a>`;
    },
  };
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'strong', 'em', 'del', 's',
    'ul', 'ol', 'li', 'input', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'img',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'class', 'data-task', 'rel', 'target'],
    span: ['class', 'data-user-id'],
    img: ['src', 'alt', 'title', 'data-attachment-id'],
    input: ['type', 'checked', 'disabled'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
  },
  allowedClasses: { a: ['tb-task-ref'], span: ['tb-mention'], code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      if (attribs['data-task'] || href.startsWith('#')) return { tagName, attribs };
      return { tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } };
    },
    // GFM task list items: a checkbox that shows the state and cannot be toggled in place.
    input: (_tagName, attribs) => ({ tagName: 'input', attribs: { type: 'checkbox', disabled: '', ...(attribs.checked !== undefined ? { checked: '' } : {}) } }),
    img: (tagName, attribs) => {
      const id = ATTACHMENT_IMAGE.exec(attribs.src ?? '')?.[1];
      const { src: _src, ...rest } = attribs;
      return id ? { tagName, attribs: { ...rest, src: attribs.src!, 'data-attachment-id': id } } : { tagName, attribs: rest };
    },
  },
  // An image that is not an attachment (a tracking pixel, a foreign host) is dropped.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** The attachment ids a Markdown source shows as images, so they can be tied to the text that uses them. */
export function attachmentImagesIn(source: string): number[] {
  const ids = new Set<number>();
  for (const match of source.matchAll(/\/api\/attachments\/(\d{1,18})\/content/g)) ids.add(Number(match[1]));
  return [...ids];
}
