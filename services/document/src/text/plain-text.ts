export { plainText } from '@learner/common/http';

/** Removes control characters (other than tab and line breaks) from text read out of a file. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
