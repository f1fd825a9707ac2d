import { join } from 'node:path';
import { runCommand } from './run-command.js';

const DEFAULT_DPI = 300;

/**
 * The resolution a scanned page was made at, from its largest embedded image (`pdfimages -list`).
 * Rendering at the scan's own resolution keeps OCR accurate; upscaling blurs the glyphs.
 */
export async function scanDpi(pdfPath: string, page: number, timeoutMs: number): Promise<number> {
  const { stdout } = await runCommand('pdfimages', ['-list', '-f', String(page), '-l', String(page), pdfPath], {
    timeoutMs,
  });
  let best: { area: number; dpi: number } | undefined;
  for (const line of stdout.split('\n').slice(2)) {
    const cols = line.trim().split(/\s+/);
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    const width = Number(cols[3]);
    const height = Number(cols[4]);
    const dpi = Number(cols[12]);
    if (!Number.isFinite(width) || !Number.isFinite(height) || !Number.isFinite(dpi) || dpi <= 0) continue;
    if (!best || width * height > best.area) best = { area: width * height, dpi };
  }
  if (!best) return DEFAULT_DPI;
  return Math.min(600, Math.max(150, Math.round(best.dpi)));
}

/** Renders one page to a grayscale image in `dir` (PGM, or PNG when asked); returns its path. */
export async function renderPage(
  pdfPath: string,
  page: number,
  options: { dir: string; dpi: number; format?: 'pgm' | 'png'; timeoutMs: number },
): Promise<string> {
  const base = join(options.dir, `page-${page}`);
  const format = options.format ?? 'pgm';
  await runCommand(
    'pdftoppm',
    ['-r', String(options.dpi), '-gray', ...(format === 'png' ? ['-png'] : []), '-f', String(page), '-l', String(page), '-singlefile', pdfPath, base],
    { timeoutMs: options.timeoutMs },
  );
  return `${base}.${format}`;
}
