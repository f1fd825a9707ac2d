import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractPdfText, tidyPageText } from './pdf-text.js';
import { ProcessingError } from './processing-error.js';

async function twoPagePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('Alpha page text.', { x: 50, y: 700, size: 12, font });
  pdf.addPage().drawText('Beta page text.', { x: 50, y: 700, size: 12, font });
  return Buffer.from(await pdf.save());
}

describe('reading PDF text layers in a thread of its own', () => {
  it('answers the text of each page with its number', async () => {
    expect(await extractPdfText(await twoPagePdf())).toEqual([
      { page: 1, text: 'Alpha page text.' },
      { page: 2, text: 'Beta page text.' },
    ]);
  });

  it('cuts the reading off at the time limit with a readable error', async () => {
    const reading = extractPdfText(await twoPagePdf(), { timeoutMs: 1 });
    await expect(reading).rejects.toBeInstanceOf(ProcessingError);
    await expect(reading).rejects.toThrow(/took longer than/);
  });

  it('tidies table tabs, hyphenated line breaks and runs of blank lines', () => {
    expect(tidyPageText('Cell\tvalue  \r\nphoto-\nsynthesis\n\n\n\nend ')).toBe('Cell value\nphotosynthesis\n\nend');
    expect(tidyPageText('glyph\u0000less\u0003 text')).toBe('glyphless text');
  });
});
