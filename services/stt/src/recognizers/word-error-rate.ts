/**
 * Lower-case words without punctuation, the form recognizers are scored in. A typographic
 * apostrophe is the typewriter one (a text's "it’s" is the recogniser's "it's"), and apostrophes
 * that open or close a word are quotation marks, not part of it ('cell' is cell).
 */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/gu, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** One step of an alignment that is not a match: the reference word's index (for an added word, the next one's). */
interface WordError {
  at: number;
  said?: string;
  heard?: string;
}

/** The fewest substitutions, insertions and deletions that turn the hypothesis into the reference, in reading order. */
function align(ref: string[], hyp: string[]): WordError[] {
  // cost[i][j]: the fewest edits between the first i reference words and the first j heard ones.
  const cost = Array.from({ length: ref.length + 1 }, (_, i) => Array.from({ length: hyp.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= ref.length; i += 1) {
    for (let j = 1; j <= hyp.length; j += 1) {
      const substitution = cost[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      cost[i]![j] = Math.min(substitution, cost[i - 1]![j]! + 1, cost[i]![j - 1]! + 1);
    }
  }
  const errors: WordError[] = [];
  let i = ref.length;
  let j = hyp.length;
  while (i > 0 || j > 0) {
    const same = i > 0 && j > 0 && ref[i - 1] === hyp[j - 1];
    if (i > 0 && j > 0 && cost[i]![j] === cost[i - 1]![j - 1]! + (same ? 0 : 1)) {
      if (!same) errors.push({ at: i - 1, said: ref[i - 1]!, heard: hyp[j - 1]! });
      i -= 1;
      j -= 1;
    } else if (i > 0 && cost[i]![j] === cost[i - 1]![j]! + 1) {
      errors.push({ at: i - 1, said: ref[i - 1]! });
      i -= 1;
    } else {
      errors.push({ at: i, heard: hyp[j - 1]! });
      j -= 1;
    }
  }
  return errors.reverse();
}

/**
 * The word errors in reading order: "light->line" for a word heard as another, "-in" for one not
 * heard, "+the" for one heard that was not said.
 */
export function wordErrors(reference: string, hypothesis: string): string[] {
  return align(normalizeWords(reference), normalizeWords(hypothesis)).map((e) =>
    e.said === undefined ? `+${e.heard}` : e.heard === undefined ? `-${e.said}` : `${e.said}->${e.heard}`,
  );
}

/**
 * Where in the reference (indices of its normalized words) the errors are, an added word counted
 * at the word it came before: comparing two readings of one text, the places both got wrong.
 */
export function wordErrorPositions(reference: string, hypothesis: string): number[] {
  return align(normalizeWords(reference), normalizeWords(hypothesis)).map((e) => e.at);
}

/** Word error rate: the number of word errors divided by the reference's length. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const words = normalizeWords(reference).length;
  const errors = wordErrors(reference, hypothesis).length;
  if (words === 0) return errors === 0 ? 0 : 1;
  return errors / words;
}
