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

/** What a voice that reads no markup has to say: runs of text, and the pauses between them. */
export type SpokenPart = { text: string } | { pauseMs: number };

// Pause lengths of <break strength>, as Polly documents them (medium is the default), and the
// longest break Polly allows.
const BREAK_STRENGTH_MS: Record<string, number> = { none: 0, 'x-weak': 100, weak: 250, medium: 400, strong: 750, 'x-strong': 1200 };
const MAX_BREAK_MS = 10_000;
const PARAGRAPH_PAUSE_MS = 500;

function breakMs(attributes: Record<string, unknown> | undefined): number {
  const time = attributes?.['@_time'];
  if (typeof time === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/i.exec(time);
    if (match) return Math.min(MAX_BREAK_MS, Math.round(Number(match[1]) * (match[2]!.toLowerCase() === 's' ? 1000 : 1)));
  }
  const strength = attributes?.['@_strength'];
  return BREAK_STRENGTH_MS[typeof strength === 'string' ? strength : 'medium'] ?? BREAK_STRENGTH_MS.medium!;
}

/**
 * The text of a (validated) SSML document in reading order, cut at its breaks, sentences and
 * paragraphs, with the pause each break asks for; `<sub alias>` reads its alias.
 */
export function spokenParts(ssml: string): SpokenPart[] {
  const parts: SpokenPart[] = [];
  let text = '';
  const flush = (): void => {
    const run = text.replace(/\s+/g, ' ').trim();
    if (run) parts.push({ text: run });
    text = '';
  };
  const walk = (nodes: OrderedNode[]): void => {
    for (const node of nodes) {
      if (typeof node['#text'] === 'string' || typeof node['#text'] === 'number') {
        text += String(node['#text']);
        continue;
      }
      const name = elementName(node)?.toLowerCase();
      if (!name) continue;
      const attributes = node[':@'];
      if (name === 'break') {
        flush();
        const ms = breakMs(attributes);
        if (ms > 0) parts.push({ pauseMs: ms });
        continue;
      }
      const alias = attributes?.['@_alias'];
      if (name === 'sub' && typeof alias === 'string') {
        text += ` ${alias} `;
        continue;
      }
      const children = node[elementName(node)!];
      if (Array.isArray(children)) walk(children as OrderedNode[]);
      if (name === 's' || name === 'sentence') flush();
      if (name === 'p' || name === 'paragraph') {
        flush();
        parts.push({ pauseMs: PARAGRAPH_PAUSE_MS });
      }
      if (BREAKING.has(name)) text += ' ';
    }
  };
  walk(parser.parse(ssml) as OrderedNode[]);
  flush();
  while (parts.length && 'pauseMs' in parts[parts.length - 1]!) parts.pop();
  return parts;
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
