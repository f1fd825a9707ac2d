/**
 * The words that open a sentence before its main clause, shared by the readers of a sentence's
 * introduction (apposition.ts) and of what its main clause opens on (context.ts).
 */

// Prepositions that open a phrase before the main clause: "In sociology, …", "According to Durkheim, …",
// "Throughout the 1960s, …", "Rather than X, …".
export const OPENING_PREPOSITIONS =
  'according to|in|for|to|within|among|on|at|by|from|during|under|over|throughout|until|with|without|through|unlike|like|as|of|after|before|since|given|despite|beyond|besides|apart from|along with|rather than|instead of';
// Conjunctions that open a clause of its own: "When a group …, …", "Although X, …".
export const OPENING_CONJUNCTIONS = 'when|while|although|because|if|once';
// Linking words: they tie a sentence to the one before without its claim depending on it ("In contrast,
// nonmaterial culture consists of …" says, lifted out, what "Nonmaterial culture consists of …" says).
export const LINKING_WORDS =
  'as a result|in contrast|by contrast|conversely|consequently|hence|accordingly|instead|nevertheless|nonetheless|even so|likewise|similarly|in turn|in other words|on the other hand|at the same time|still|yet|after all|moreover|furthermore|additionally|in addition|also|however|thus|therefore|then|finally|first|second|third|indeed|in fact|interestingly|importantly|notably|of course|in short|in sum|again|besides|further|too|though|for example|for instance|rather';
// A word or two that open a sentence and close with a comma: "Historically, …", "In short, …", "As a result, …".
export const OPENING_ADVERBS = `\\p{L}+ly|today|now|later|meanwhile|in particular|${LINKING_WORDS}`;
