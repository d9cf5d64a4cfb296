import type { Readable } from 'node:stream';

/** A file part as it arrives: its bytes as a stream, and the name the client gave it. */
export interface IncomingFile {
  stream: Readable;
  filename: string;
}

/** Raised into a file's stream when it grows past its limit; the consumer's failure then carries it out. */
export class FileTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file exceeds ${limitBytes} bytes`);
  }
}
