import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ValidationError } from '@learner/common/errors';

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, unknown> };

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false });

// Elements after which a listener hears a pause; their text is kept apart from the next words.
const BREAKING = new Set(['p', 's', 'break', 'speak', 'paragraph', 'sentence']);

// The SSML both Polly and espeak-ng speak. Anything else is refused, above all <audio>, which
// would make espeak-ng open a file of the server named by the request.
const ALLOWED = new Set(['speak', 'p', 's', 'paragraph', 'sentence', 'break', 'emphasis', 'prosody', 'say-as', 'sub', 'voice', 'lang', 'phoneme', 'mark', 'w']);

function checkElements(nodes: OrderedNode[]): void {
  for (const node of nodes) {
    const name = elementName(node);
    if (!name) continue;
    if (!ALLOWED.has(name) && !name.startsWith('amazon:')) {
      throw new ValidationError(`The SSML element <${name}> is not supported`, { ssml: `unsupported element <${name}>` });
    }
    const children = node[name];
    if (Array.isArray(children)) checkElements(children as OrderedNode[]);
  }
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && !key.startsWith('?'));
}

function collectText(nodes: OrderedNode[], out: string[]): void {
  for (const node of nodes) {
    if (typeof node['#text'] === 'string' || typeof node['#text'] === 'number') {
      out.push(String(node['#text']));
      continue;
    }
    const name = elementName(node);
    if (!name) continue;
    const children = node[name];
    if (Array.isArray(children)) collectText(children as OrderedNode[], out);
    if (BREAKING.has(name.toLowerCase())) out.push(' ');
  }
}

/**
 * Checks that `ssml` is well-formed XML with one `<speak>` root and only supported elements, and returns its spoken text
 * (entities decoded, whitespace collapsed). Anything else is a 400 naming the problem.
 */
export function validateSsml(ssml: string): { text: string } {
  const result = XMLValidator.validate(ssml);
  if (result !== true) {
    throw new ValidationError('The SSML is not well-formed XML', {
      ssml: `${result.err.msg} (line ${result.err.line}, column ${result.err.col})`,
    });
  }
  // A document type declaration is how XML entity tricks (external files, expansion bombs) get
  // in; SSML has no use for one, and neither engine reads it.
  if (/<!DOCTYPE/i.test(ssml)) {
    throw new ValidationError('The SSML must not contain a DOCTYPE declaration', { ssml: 'remove the <!DOCTYPE ...> declaration' });
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(ssml) as OrderedNode[];
  } catch (err) {
    throw new ValidationError('The SSML could not be read', { ssml: (err as Error).message.slice(0, 200) });
  }
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1 || elementName(roots[0]!) !== 'speak') {
    throw new ValidationError('The SSML must have a single <speak> root element', { ssml: 'root must be <speak>' });
  }
  checkElements(roots);
  const parts: string[] = [];
  collectText(roots, parts);
  return { text: parts.join('').replace(/\s+/g, ' ').trim() };
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Wraps the content of a (validated) SSML document, or plain text, in a prosody rate. */
export function withSpeakingRate(input: { text: string; textType: 'text' | 'ssml' }, speed: number): string {
  const rate = `${Math.round(speed * 100)}%`;
  if (input.textType === 'text') return `<speak><prosody rate="${rate}">${escapeXml(input.text)}</prosody></speak>`;
  const open = /<speak\b[^>]*>/.exec(input.text);
  const close = input.text.lastIndexOf('</speak>');
  if (!open || close < 0) return input.text;
  const start = open.index + open[0].length;
  return `${input.text.slice(0, start)}<prosody rate="${rate}">${input.text.slice(start, close)}</prosody>${input.text.slice(close)}`;
}
