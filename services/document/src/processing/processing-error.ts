/** A processing failure whose message is fit to show the document's owner. */
export class ProcessingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProcessingError';
  }
}
