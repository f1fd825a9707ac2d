/** Common English function words; they carry no topic. */
export const STOPWORDS = new Set(
  `a about above after again against all almost also although always am among an and another any anyone anything are
  around as at be became because become becomes been before being below between both but by can cannot could did do does
  doing done down during each either else enough etc even ever every few for from further get gets getting give given
  gives go goes going got had has have having he her here hers herself him himself his how however i if in including
  instead into is it its itself just least less let like likely made make makes many may me might more most mostly much
  must my myself neither never no nor not now of off often on once one only onto or other others otherwise our ours
  ourselves out over own per perhaps quite rather really said same say says see seen several shall she should since so
  some something sometimes still such than that the their theirs them themselves then there therefore these they thing
  things this those though through thus to together too toward towards under until up upon us use used uses using usually
  very via was way ways we well were what whatever when where whether which while who whom whose why will with within
  without would yet you your yours yourself yourselves first second third new also called known`.split(/\s+/),
);

const WORD = /[\p{L}][\p{L}\p{N}'’-]*[\p{L}\p{N}]|[\p{L}]/gu;

/** The words of a text as written. */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * A light stem: folds case, possessives and regular plurals, so that "cells" and "cell's" count as
 * "cell". Deliberately mild: a wrong merge of two terms does more harm than a missed one.
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s?$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ches|shes|sses|xes)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is|ous)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Topic-bearing terms of a text: stems of words that are not stopwords or numbers. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w.toLowerCase()))
    .map(stem);
}
