import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const execFileAsync = promisify(execFile);

/** A PDF with a text layer: each page is a list of paragraphs, wrapped to the page width. */
export async function textPdf(pages: string[][]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const size = 11;
  const width = 612 - 2 * 56;
  for (const paragraphs of pages) {
    const page = pdf.addPage([612, 792]);
    let y = 792 - 64;
    for (const paragraph of paragraphs) {
      let line = '';
      const lines: string[] = [];
      for (const word of paragraph.split(/\s+/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) > width && line) {
          lines.push(line);
          line = word;
        } else {
          line = candidate;
        }
      }
      if (line) lines.push(line);
      for (const text of lines) {
        page.drawText(text, { x: 56, y, size, font });
        y -= size * 1.4;
      }
      y -= size;
    }
  }
  return Buffer.from(await pdf.save());
}

/** The smallest valid PNG: one white pixel. */
export const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAW9UX+gAAAABJRU5ErkJggg==',
  'base64',
);

/** Renders the first page of a PDF to a grayscale PNG at `dpi`, as a scanner would see it. */
export async function renderPng(pdf: Buffer, dpi: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'document-fixture-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await execFileAsync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-f', '1', '-l', '1', '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
    return await readFile(join(dir, 'out.png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A scanned page: the paragraphs typeset, rendered to an image at 300 dpi, and that image alone
 * wrapped as a PDF page, so the page has no text layer.
 */
export async function scannedPdfPage(paragraphs: string[]): Promise<{ png: Buffer; pdfDoc: PDFDocument }> {
  const png = await renderPng(await textPdf([paragraphs]), 300);
  const pdfDoc = await PDFDocument.create();
  const image = await pdfDoc.embedPng(png);
  const page = pdfDoc.addPage([612, 792]);
  page.drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  return { png, pdfDoc };
}

/** Words of `expected` found in `actual`, as a share: OCR may get a few wrong. */
export function wordRecall(expected: string, actual: string): number {
  const found = new Set(actual.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const wanted = expected.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return wanted.filter((w) => found.has(w)).length / Math.max(1, wanted.length);
}

/**
 * A PDF protected by a user password (standard security handler, RC4 40-bit). The /U entry does
 * not match the empty password, so a reader without the password must refuse it.
 */
export function encryptedPdf(): Buffer {
  const hex = (n: number) => 'ab'.repeat(n);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${'cd'.repeat(32)}> /P -4 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex(16)}> <${hex(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
