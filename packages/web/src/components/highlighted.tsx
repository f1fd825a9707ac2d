/**
 * A search snippet with its matches marked. The server marks them with <b>…</b> in otherwise
 * plain text; everything else is shown as text, never parsed as HTML.
 */
export function Highlighted({ snippet }: { snippet: string }) {
  const parts = snippet.split(/(<b>.*?<\/b>)/s);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith('<b>') && part.endsWith('</b>') ? <mark key={i}>{part.slice(3, -4)}</mark> : <span key={i}>{part}</span>,
      )}
    </>
  );
}
