import { describe, expect, it } from 'vitest';
import { termKey } from '@learner/text';
import { blankOut, definitionPart, inNumber, namesAlike, standsAlone, swapTerm, termSpans, wordsWritten } from './concepts.js';

describe('standsAlone: a sentence a question may quote on its own', () => {
  it('refuses sentences that lean on the one before them', () => {
    for (const sentence of [
      'This is called the looking-glass self by most sociologists.',
      'Other globalization efforts, however, are more complex.',
      'Other cultural universals include customs like funeral rites, weddings, and celebrations of births.',
      'One is attachment, or the bond that people form with each other.',
      'In it, they argued that society is created by humans and human interaction, which they call habitualization.',
      'In this section, we will review class and caste stratification systems.',
      'By this definition, the level of modernization within a society is judged by its technology.',
    ]) {
      expect(standsAlone(sentence), sentence).toBe(false);
    }
  });

  it('accepts sentences that say what they mean by themselves', () => {
    for (const sentence of [
      'The means of enforcing rules are known as sanctions.',
      'Positive sanctions are rewards given for conforming to norms.',
      'Online communities often form around shared interests rather than shared places.',
      'Today, Native Americans are citizens of three sovereigns.',
      'Once people marry, they form a family of procreation.',
    ]) {
      expect(standsAlone(sentence), sentence).toBe(true);
    }
  });
});

describe('termSpans', () => {
  it("takes in an editor's bracket that the term opens, so a blank or a swap leaves none behind", () => {
    const sentence = 'According to Jagose (1996), Queer [Theory] focuses on mismatches between anatomical sex and gender identity.';
    const spans = termSpans(sentence, termKey('queer theory'));
    expect(blankOut(sentence, spans)).toBe('According to Jagose (1996), _____ focuses on mismatches between anatomical sex and gender identity.');
    expect(swapTerm(sentence, spans, 'feminist theory')).toBe(
      'According to Jagose (1996), feminist theory focuses on mismatches between anatomical sex and gender identity.',
    );
  });

  it('capitalises a swapped-in term only where the sentence starts, not after an abbreviation', () => {
    const sentence = 'Each of the three branches of the U.S. government is held in check by the other branches.';
    expect(swapTerm(sentence, termSpans(sentence, termKey('government')), 'monarchy')).toBe(
      'Each of the three branches of the U.S. monarchy is held in check by the other branches.',
    );
    const opening = 'Government is the formal system that rules a state.';
    expect(swapTerm(opening, termSpans(opening, termKey('government')), 'monarchy')).toBe('Monarchy is the formal system that rules a state.');
  });

  it('takes in the term\'s own abbreviation in brackets after it, so a blank does not spell the answer\'s initials and a swap does not give itself away', () => {
    const named = 'To include unmarried, cohabitating, and same-sex couples, family sociologists have created the term intimate partner violence (IPV).';
    expect(blankOut(named, termSpans(named, termKey('intimate partner violence')))).toBe(
      'To include unmarried, cohabitating, and same-sex couples, family sociologists have created the term _____.',
    );
    const pair = 'We include an independent variable (IV), which is the cause of the change, and a dependent variable (DV), which is the effect.';
    expect(swapTerm(pair, termSpans(pair, termKey('dependent variable')), 'reliability')).toBe(
      'We include an independent variable (IV), which is the cause of the change, and a reliability, which is the effect.',
    );
    const status = 'Socioeconomic status (SES) combines income, education and occupation.';
    expect(blankOut(status, termSpans(status, termKey('socioeconomic status')))).toBe('_____ combines income, education and occupation.');
    // Brackets that hold something else stay: another name, a year, an abbreviation of something else.
    for (const [sentence, term] of [
      ['She lives with her husband’s blood relatives (or family of orientation).', 'blood relatives'],
      ['The survey (NCVS) asks about crime.', 'survey'],
      ['Consanguinity (1990) was studied.', 'consanguinity'],
    ] as const) {
      expect(blankOut(sentence, termSpans(sentence, termKey(term))), sentence).toMatch(/_____ \(/);
    }
  });

  it('writes "a(n)" for the article before a blank, which would tell whether the answer starts with a vowel', () => {
    const sentence = 'An ideology is a set of beliefs, and a norm is a rule; an ideology justifies a norm.';
    expect(blankOut(sentence, termSpans(sentence, termKey('ideology')))).toBe('A(n) _____ is a set of beliefs, and a norm is a rule; a(n) _____ justifies a norm.');
    expect(blankOut(sentence, termSpans(sentence, termKey('norm')))).toBe('An ideology is a set of beliefs, and a(n) _____ is a rule; an ideology justifies a(n) _____.');
    const plain = 'Many hold an ideology without a name.';
    expect(blankOut(plain, termSpans(plain, termKey('name')))).toBe('Many hold an ideology without a(n) _____.');
  });

  it('leaves brackets around a whole term as they are', () => {
    const sentence = 'Sociologists study norms (folkways and mores) in every society.';
    expect(blankOut(sentence, termSpans(sentence, termKey('folkways')))).toBe('Sociologists study norms (_____ and mores) in every society.');
  });
});

describe('inNumber', () => {
  const written = wordsWritten('Critical theories and conflict theories differ. A fiefdom was land. Mores matter more than folkways. The media reach all.');
  it('gives a term in the number asked for where the document writes it so, and as it is where not', () => {
    expect(inNumber('critical theory', true, written)).toBe('critical theories');
    expect(inNumber('conflict theories', true, written)).toBe('conflict theories');
    expect(inNumber('fiefdoms', false, written)).toBe('fiefdom');
    expect(inNumber('symbolic interactionism', true, written)).toBe('symbolic interactionism');
    expect(inNumber('macro-level theory', true, written)).toBe('macro-level theory');
  });

  it('never turns a term into a common word or another noun ("mores" is not "more")', () => {
    expect(inNumber('mores', false, written)).toBe('mores');
  });
});

describe('definitionPart: what a sentence says plainly a term is', () => {
  const definitionOf = (sentence: string, term: string): string | null => {
    const spans = termSpans(sentence, termKey(term));
    return definitionPart(sentence, spans[0]!, termKey(term));
  };

  it('reads the term set beside what it is, and "X is Y"', () => {
    expect(definitionOf('Durkheim wrote about anomie, which is a state of normlessness in a society.', 'anomie')).toBe('a state of normlessness in a society');
    expect(definitionOf('Every group keeps its folkways, which are the everyday customs of its members.', 'folkways')).toBe('the everyday customs of its members');
    expect(definitionOf('Morbidity is the incidence of disease in a population.', 'morbidity')).toBe('the incidence of disease in a population');
  });

  it('reads what "a term that refers to …" says the term means, and nothing from a remark about the word', () => {
    expect(definitionOf('Durkheim wrote of anomie, a term that refers to a state of normlessness in a society.', 'anomie')).toBe('a state of normlessness in a society');
    expect(
      definitionOf('Critics say the act will create a system of socialized medicine, a term that for many people has negative connotations from the Cold War era.', 'system of socialized medicine'),
    ).toBeNull();
  });

  it('takes no definition from the next item of a list, from ", which is" about the clause, or from a judgement', () => {
    for (const [sentence, term] of [
      ['Globally, the mortality rate for children was 38 per 1,000 live births, which is a dramatic change from previous decades.', 'live births'],
      ['Researchers will study the advent of mobile phones, the Internet, or social media.', 'mobile phones'],
      ['Simmel addressed topics such as social conflict, the function of money, and the European fear of outsiders.', 'social conflict'],
      ['The lower class is divided into the working class, the working poor, and the underclass.', 'working class'],
      ['Asian individuals are the most likely to marry within their own group.', 'asian individuals'],
      ['What stands out about breast cancer is the fact that the group has raised millions of dollars.', 'breast cancer'],
      ['Families have been defined as private entities, the consequence of which has been to leave family matters alone.', 'private entities'],
      ['Even with these clear majorities in favor of comprehensive education, the Federal government funds other programs.', 'comprehensive education'],
      ['Citizenship was a crucial factor for the supporters of slavery in the South.', 'citizenship'],
    ]) {
      expect(definitionOf(sentence!, term!), sentence).toBeNull();
    }
  });
});

describe('namesAlike: two names that may not stand as two options of one question', () => {
  it('takes another form of the same words for the same name, and a different word for another concept', () => {
    const alike = (a: string, b: string): boolean => namesAlike(termKey(a), termKey(b));
    expect(alike('baby boomers', 'baby boom generation')).toBe(true);
    expect(alike('ethnography', 'ethnographic study')).toBe(true);
    // "A democratic society is a form of government that …" is no false statement about democracy.
    expect(alike('democracy', 'democratic society')).toBe(true);
    expect(alike('deviance', 'primary deviance')).toBe(true);
    expect(alike('formal norms', 'informal norms')).toBe(false);
    expect(alike('classism', 'social class')).toBe(false);
    expect(alike('dependent variable', 'independent variable')).toBe(false);
    expect(alike('primary deviance', 'secondary deviance')).toBe(false);
    expect(alike('sex', 'sexism')).toBe(false);
  });
});
