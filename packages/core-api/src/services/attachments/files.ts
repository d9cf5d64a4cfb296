import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { DomainError, notFound } from '../../domain/errors.js';
import { Attachment } from '../../models/Attachment.js';
import { INLINE_IMAGE_TYPES } from '../../schemas/attachments.js';
import { ObjectNotFound, type ObjectStorage } from '../../storage/storage.js';
import type { FileUrls, FileVariant } from './fileUrls.js';

export interface OpenedFile {
  body: Readable;
  size: number;
  contentType: string;
  filename: string;
  /** Whether a browser may show it in place (a raster image); anything else is a download. */
  inline: boolean;
  /** Seconds the response may be cached: until the URL expires. */
  maxAgeSeconds: number;
}

/** Serves the bytes behind a signed URL: the signature is the only credential. */
export class AttachmentFiles {
  constructor(
    private readonly knex: Knex,
    private readonly storage: ObjectStorage,
    private readonly urls: FileUrls,
  ) {}

  async open(id: number, variant: FileVariant, exp: number, sig: string): Promise<OpenedFile> {
    const verdict = this.urls.verify(id, variant, exp, sig);
    if (verdict !== 'ok') {
      throw new DomainError(403, {
        code: verdict === 'expired' ? 'url_expired' : 'invalid_signature',
        detail: verdict === 'expired' ? 'This link has expired: ask the API for the attachment again' : 'This link is not valid',
      });
    }
    const row = (await Attachment.rows(this.knex).where({ id }).first('filename', 'contentType', 'storageKey', 'thumbnailKey')) as
      | { filename: string; contentType: string; storageKey: string; thumbnailKey: string | null }
      | undefined;
    const key = variant === 'thumbnail' ? row?.thumbnailKey : row?.storageKey;
    if (!row || !key) throw notFound('File');
    try {
      const object = await this.storage.get(key);
      const contentType = variant === 'thumbnail' ? 'image/webp' : row.contentType;
      return { ...object, contentType, filename: row.filename, inline: INLINE_IMAGE_TYPES.has(contentType), maxAgeSeconds: this.urls.secondsLeft(exp) };
    } catch (error) {
      // Removed between the row's read and now (deleted meanwhile): gone, not broken.
      if (error instanceof ObjectNotFound) throw notFound('File');
      throw error;
    }
  }
}
