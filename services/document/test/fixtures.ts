import { PDFDocument, StandardFonts } from 'pdf-lib';

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
