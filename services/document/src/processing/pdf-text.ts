import { PDFParse, PasswordException } from 'pdf-parse';
import { ProcessingError } from './processing-error.js';

export interface PdfPageText {
  page: number;
  text: string;
}

/** Tidies text-layer output: pdf-parse separates table cells with tabs and keeps trailing spaces. */
export function tidyPageText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t+/g, ' ')
    .replace(/[ \u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/(\w)-\n(\w)/g, '$1$2')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The text layer of every page. Encrypted or damaged files become a ProcessingError. */
export async function extractPdfText(bytes: Buffer): Promise<PdfPageText[]> {
  // pdf.js takes ownership of (detaches) the buffer it is given, so it gets a copy.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const result = await parser.getText({ pageJoiner: '' });
    return result.pages.map((p) => ({ page: p.num, text: tidyPageText(p.text) }));
  } catch (err) {
    if (err instanceof PasswordException || (err as Error).name === 'PasswordException') {
      throw new ProcessingError('The PDF is encrypted (password-protected); upload a copy without a password', {
        cause: err,
      });
    }
    throw new ProcessingError('The file could not be read as a PDF; it may be damaged or incomplete', { cause: err });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
