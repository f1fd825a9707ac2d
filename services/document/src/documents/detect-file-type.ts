import { fileTypeFromBuffer } from 'file-type';

export type FileKind = 'pdf' | 'txt' | 'md' | 'png' | 'jpg';

export interface DetectedType {
  fileType: FileKind;
  contentType: string;
}

const BINARY: Record<string, DetectedType> = {
  pdf: { fileType: 'pdf', contentType: 'application/pdf' },
  png: { fileType: 'png', contentType: 'image/png' },
  jpg: { fileType: 'jpg', contentType: 'image/jpeg' },
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isPlainText(bytes: Buffer): boolean {
  try {
    const text = utf8.decode(bytes);
    // Control characters other than whitespace (and the form feed of page breaks) mean binary data.
    // eslint-disable-next-line no-control-regex
    return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

/**
 * The type of an upload decided from its bytes. The name only chooses between text and markdown,
 * which have no magic numbers of their own. Undefined means the type is not accepted.
 */
export async function detectFileType(bytes: Buffer, filename: string): Promise<DetectedType | undefined> {
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) return BINARY[sniffed.ext];
  if (!isPlainText(bytes)) return undefined;
  return /\.(md|markdown)$/i.test(filename)
    ? { fileType: 'md', contentType: 'text/markdown; charset=utf-8' }
    : { fileType: 'txt', contentType: 'text/plain; charset=utf-8' };
}
