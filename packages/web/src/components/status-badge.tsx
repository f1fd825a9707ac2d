const LABELS: Record<string, string> = {
  uploaded: 'Waiting to be processed',
  processing: 'Processing…',
  completed: 'Ready',
  failed: 'Failed',
  queued: 'Queued',
  in_progress: 'Transcribing…',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{LABELS[status] ?? status}</span>;
}
