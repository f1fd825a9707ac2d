import { z } from 'zod';

// PostgreSQL text cannot hold NUL, and other control characters have no place in titles or queries.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_FORM_FEED = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/** A string field that PostgreSQL can store: no NUL or other control characters except line breaks and tabs. */
export function plainText(options: { formFeed?: boolean } = {}) {
  const control = options.formFeed ? CONTROL_BUT_FORM_FEED : CONTROL;
  return z.string().refine((v) => !control.test(v), 'must not contain control characters');
}
