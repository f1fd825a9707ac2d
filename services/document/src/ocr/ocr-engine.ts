/** Reads text from images: tesseract on this machine, Amazon Textract when AWS is configured. */
export interface OcrEngine {
  readonly name: 'tesseract' | 'textract';
  /** The text of a PNG or JPEG image. */
  image(bytes: Buffer): Promise<string>;
  /**
   * The text of some pages of a PDF (the ones without a text layer), keyed by page number.
   * `storageKey` names the stored file, for engines that read it from object storage.
   */
  pdfPages(pdf: { bytes: Buffer; storageKey: string; pageCount: number }, pages: number[]): Promise<Map<number, string>>;
  /** Resolves when the engine can be used (the binary runs, the AWS endpoint answers); for /ready. */
  check(): Promise<void>;
}
