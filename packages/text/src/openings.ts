/**
 * The words that open a sentence before its main clause, shared by the readers of a sentence's
 * introduction (apposition.ts) and of what its main clause opens on (context.ts).
 */

// Prepositions that open a phrase before the main clause: "In sociology, …", "According to Durkheim, …",
// "Throughout the 1960s, …".
export const OPENING_PREPOSITIONS =
  'according to|in|for|to|within|among|on|at|by|from|during|under|over|throughout|until|with|without|through|unlike|like|as|of|after|before|since|given|despite';
// Conjunctions that open a clause of its own: "When a group …, …", "Although X, …".
export const OPENING_CONJUNCTIONS = 'when|while|although|because|if|once';
// A word or two that open a sentence and close with a comma: "Historically, …", "In short, …", "As a result, …".
export const OPENING_ADVERBS =
  '\\p{L}+ly|however|thus|therefore|today|now|instead|finally|first|second|third|also|still|yet|again|later|meanwhile|nevertheless|moreover|furthermore|indeed|in short|in sum|in fact|in addition|in contrast|in turn|in particular|in other words|as a result|for example|for instance';
