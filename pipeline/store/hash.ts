import { createHash } from 'node:crypto';

/** sha256 as hex: the identity of a file version (documents.sha256) and of a text (text_hash). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
