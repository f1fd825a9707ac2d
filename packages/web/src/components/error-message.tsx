import { describeError } from '../api/errors.js';

/** Any error, as a sentence a learner can act on; announced to screen readers. */
export function ErrorMessage({ error, accepted }: { error: unknown; accepted?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {describeError(error, accepted)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}
