import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OcrEngine } from './ocr-engine.js';
import { renderPage, scanDpi } from './pdf-raster.js';
import { runCommand } from './run-command.js';
import { inTempDir } from './temp-dir.js';

/** OCR with the tesseract binary; scanned PDF pages are rendered with poppler's pdftoppm first. */
export function createTesseractOcr(options: { lang?: string; timeoutMs: number; binary?: string }): OcrEngine {
  const binary = options.binary ?? 'tesseract';
  const lang = options.lang ?? 'eng';
  const recognize = async (imagePath: string): Promise<string> => {
    const { stdout } = await runCommand(binary, [imagePath, 'stdout', '-l', lang, '--psm', '3'], {
      timeoutMs: options.timeoutMs,
    });
    return stdout.replace(/\f/g, '').trim();
  };

  return {
    name: 'tesseract',
    image: (bytes) =>
      inTempDir(async (dir) => {
        const path = join(dir, 'image');
        await writeFile(path, bytes);
        return recognize(path);
      }),
    pdfPages: (pdf, pages) =>
      inTempDir(async (dir) => {
        const pdfPath = join(dir, 'document.pdf');
        await writeFile(pdfPath, pdf.bytes);
        const texts = new Map<number, string>();
        for (const page of pages) {
          const dpi = await scanDpi(pdfPath, page, options.timeoutMs);
          const image = await renderPage(pdfPath, page, { dir, dpi, timeoutMs: options.timeoutMs });
          texts.set(page, await recognize(image));
          await rm(image, { force: true });
        }
        return texts;
      }),
    async check() {
      await runCommand(binary, ['--version'], { timeoutMs: options.timeoutMs });
    },
  };
}
