export { SELECTING_WORDS, STOP_WORDS, contentStems, contentWords, isStopWord, stem, termKey, tokens } from './words.js';
export { documentFromPassages, paragraphs, segmentDocument, sentences, type Heading, type PageText, type Passage, type SegmentedDocument, type Sentence } from './segment.js';
export { analyseKeyTerms, extractKeyTerms, mentionsTerm, type KeyTerm, type KeyTermAnalysis } from './key-terms.js';
export { asksQuestion, leansOnContext, withoutLinkingWords } from './context.js';
export { rarity } from './general-english.js';
export { spread } from './spread.js';
export { insideIntroduction, isPlural, listedAmongOthers, whichAgrees } from './apposition.js';
