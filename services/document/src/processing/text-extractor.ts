import type { FileKind } from '../documents/detect-file-type.js';
import type { PageText } from '../documents/document-repository.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { extractPdfText, tidyPageText } from './pdf-text.js';

/** A page with fewer letters and digits than this has no usable text layer (a scan, or a figure). */
const MIN_TEXT_LAYER_CHARS = 20;

function meaningfulChars(text: string): number {
  return text.replace(/[^\p{L}\p{N}]/gu, '').length;
}

/** Text files are one page, unless they carry form feeds, which mark page breaks. */
export function textFilePages(bytes: Buffer): PageText[] {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return text
    .split('\f')
    .map((part, i) => ({ page: i + 1, text: part.trim(), method: 'text' as const }));
}

export interface Extraction {
  pages: PageText[];
  ocrPages: number;
}

/** Text per page: text layers first, OCR for scanned pages and images. */
export function createTextExtractor(deps: { ocr: OcrEngine; pdfTimeoutMs?: number }) {
  return {
    async extract(file: { bytes: Buffer; fileType: FileKind; storageKey: string }): Promise<Extraction> {
      switch (file.fileType) {
        case 'txt':
        case 'md':
          return { pages: textFilePages(file.bytes), ocrPages: 0 };
        case 'png':
        case 'jpg':
          return { pages: [{ page: 1, text: tidyPageText(await deps.ocr.image(file.bytes)), method: 'ocr' }], ocrPages: 1 };
        case 'pdf': {
          const layers = await extractPdfText(file.bytes, { timeoutMs: deps.pdfTimeoutMs });
          const scanned = layers.filter((p) => meaningfulChars(p.text) < MIN_TEXT_LAYER_CHARS).map((p) => p.page);
          const ocrText = scanned.length
            ? await deps.ocr.pdfPages({ bytes: file.bytes, storageKey: file.storageKey, pageCount: layers.length }, scanned)
            : new Map<number, string>();
          const pages = layers.map((p): PageText => {
            const recognized = ocrText.get(p.page);
            return recognized !== undefined && meaningfulChars(recognized) > meaningfulChars(p.text)
              ? { page: p.page, text: tidyPageText(recognized), method: 'ocr' }
              : { page: p.page, text: p.text, method: 'text' };
          });
          return { pages, ocrPages: pages.filter((p) => p.method === 'ocr').length };
        }
      }
    },
  };
}

export type TextExtractor = ReturnType<typeof createTextExtractor>;
