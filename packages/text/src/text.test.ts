import { describe, expect, it } from 'vitest';
import { analyseKeyTerms, asksQuestion, documentFromPassages, extractKeyTerms, isPlural, leansOnContext, listedAmongOthers, mentionsTerm, segmentDocument, sentences, stem, termKey, tokens, withoutLinkingWords, type KeyTerm } from './index.js';

describe('segmenting a document', () => {
  it('does not end a sentence at an abbreviation, an initial, a citation or a decimal point', () => {
    expect(sentences('Dr. Watson met J. Smith 3.5 km from St. Ives, e.g. near the coast. Smith et al. (2016) agreed. Then he left.')).toEqual([
      'Dr. Watson met J. Smith 3.5 km from St. Ives, e.g. near the coast.',
      'Smith et al. (2016) agreed.',
      'Then he left.',
    ]);
    expect(sentences('The Court decided Reynolds v. Sims in 1964. Districts were redrawn.')).toEqual(['The Court decided Reynolds v. Sims in 1964.', 'Districts were redrawn.']);
  });

  it('joins wrapped lines, undoes line-break hyphenation and keeps list items apart', () => {
    const text = 'Cells divide by mi-\ntosis in most tissues\nof the body.\n- first item of a list\n- second item of a list\n';
    expect(sentences(text)).toEqual(['Cells divide by mitosis in most tissues of the body.', 'first item of a list', 'second item of a list']);
  });

  it('finds headings, puts sentences under them, and gives page offsets of each sentence', () => {
    const page1 = 'The Scientific Method\n\nSociologists use experiments. They also\nuse surveys.\n\nStep 3: Formulate a Hypothesis\n\nA hypothesis is a testable guess.';
    const doc = segmentDocument([
      { page: 1, text: page1 },
      { page: 2, text: 'Validity is the degree to which a measure measures what it claims.' },
    ]);
    expect(doc.headings.map((h) => [h.text, h.page])).toEqual([
      ['The Scientific Method', 1],
      ['Step 3: Formulate a Hypothesis', 1],
    ]);
    expect(doc.sentences.map((s) => [s.text, s.page, s.heading])).toEqual([
      ['Sociologists use experiments.', 1, 'The Scientific Method'],
      ['They also use surveys.', 1, 'The Scientific Method'],
      ['A hypothesis is a testable guess.', 1, 'Step 3: Formulate a Hypothesis'],
      ['Validity is the degree to which a measure measures what it claims.', 2, 'Step 3: Formulate a Hypothesis'],
    ]);
    const second = doc.sentences[1]!;
    expect(page1.slice(second.start, second.end)).toBe('They also\nuse surveys.');
    // Passages never run across a heading, and every sentence's text is in exactly one passage.
    expect(doc.passages.map((p) => [p.page, p.heading])).toEqual([
      [1, 'The Scientific Method'],
      [1, 'Step 3: Formulate a Hypothesis'],
      [2, 'Step 3: Formulate a Hypothesis'],
    ]);
  });

  it('cuts a long page into passages of whole sentences, 300 to 800 characters', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} explains one more idea about the water cycle in some detail.`).join(' ');
    const { passages } = segmentDocument([{ page: 4, text }]);
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.text.length).toBeGreaterThanOrEqual(300);
      expect(p.text.length).toBeLessThanOrEqual(800);
      expect(p.text).toMatch(/^Sentence number \d+ .*detail\.$/);
      expect(text.slice(p.start, p.end)).toBe(p.text);
    }
    expect(passages.map((p) => p.text).join(' ')).toBe(text);
  });

  it('splits fifty thousand sentences in linear time', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `Sentence ${i} is here.`).join(' ');
    expect(segmentDocument([{ page: 1, text }]).sentences).toHaveLength(50_000);
  });
});

describe('sentences that read alone', () => {
  /** Expects each of `leaning` not to read alone and each of `standing` to. */
  const expectLeaning = (leaning: string[], standing: string[]): void => {
    for (const sentence of leaning) expect(leansOnContext(sentence), sentence).toBe(true);
    for (const sentence of standing) expect(leansOnContext(sentence), sentence).toBe(false);
  };

  it('tells a sentence that leans on the one before it or points elsewhere in the text from one that stands alone', () => {
    expectLeaning(
      [
        'They also determined that social disorganization was associated with high rates of crime.',
        'This is called the looking-glass self.',
        'However, people labeled deviant do not always accept the label.',
        'Each of these reactions to strain is a way of adapting.',
        'In this section, we look at three theories.',
        'In the example above, unemployment is the independent variable.',
        'The following sections describe these approaches to knowledge.',
        'The first is differential class-based access to technology in the form of the digital divide.',
        'The latter focuses on the meanings people give to small interactions.',
        'The second type involves the state as the employer.',
        'Using this definition, it can be said that the major Abrahamic religions are ecclesia.',
        'As discussed in the chapter introduction, women have been entering the workforce for decades.',
        'When researchers collect data outside a laboratory, they are conducting field research, which is our next topic.',
        'Tao can describe a spiritual reality, or the way of modern life in harmony with the former two.',
        'In either case, the stereotype is a generalization that does not take individual differences into account.',
        'In sociology, we call this culture shock.',
        'Rather, it was Asch’s study on the pressures of conformity.',
        'In other countries, LGBTQ people can face even more danger.',
        'In another example, a mining company pursued the land for its gold.',
        'For other people, old age is not a phase that they look forward to.',
        'For others, retirement is a time of loss.',
      ],
      [
        'Theologians study religion, while sociologists study society.',
        'The first mainstream device for portable data storage was a floppy disk.',
        'The former Soviet Union broke up in 1991.',
        'Cities grew fast in the latter part of the century.',
        'Using surveys, researchers collect data from many people at once.',
        'In case studies, researchers look at one case in depth.',
        'Xenocentrism refers to the belief that another culture is superior to one’s own.',
        'Media is a term that refers to all print, digital, and electronic means of communication.',
        'Assuming that people act rationally, economists predict prices.',
        'Everything that a child learns at home shapes later behavior.',
        'In 1986, federal law mandated a ten-year sentence for possession of crack.',
        'Each culture has its own norms.',
        'Thematic analysis looks for patterns across interviews.',
      ],
    );
  });

  it('tells a sentence that refers inside it to things named before it ("these factors") from one that names them itself or means people ("those who")', () => {
    expectLeaning(
      [
        'Unlike functionalists, conflict theorists don’t see these factors as positive functions of society.',
        'Access to these two technological shifts has allowed corporations to recruit workers in call centers.',
        'The goal of all these pink products is to raise awareness and money for breast cancer.',
        'Prices fell, but these produced in factories stayed high.',
      ],
      [
        'Students often conflate the terms race, ethnicity and minority group, but these three terms have distinct meanings.',
        'Sociologists use different terms, like ecclesia, denomination, and sect, to define these types of organizations.',
        'Contested illnesses are those that are questioned by some medical professionals.',
        'Local social movements typically refer to those in cities or towns.',
        'Each sociological theory answers other questions, and these theories are tested against evidence.',
        'A society changes as its economy changes, and these societies differ in how they feed their members.',
        'The problems a family meets in Stage 1 are likely much different than those experienced in Stage 5.',
      ],
    );
  });

  it('tells a sentence whose main clause opens on something said before ("In 2010, that group …") from one whose opening phrase names it or whose "it" stands for what follows', () => {
    expectLeaning(
      [
        'In 2010, that group was age forty-five to sixty-five.',
        'Consequently, it cannot be treated as purely objective.',
        'For example, they show the child how to use objects.',
        'In the United States, this life transition point is socialized quite differently.',
        'To test her theory, she conducted research.',
        'Like other institutions, these places teach participants how to interact with the religion’s material culture.',
        'Ultimately, this damage threatens local fisheries.',
        'Of course, this has not exactly happened.',
      ],
      [
        'In some Middle Eastern cultures, it is common to stand close to others in conversation.',
        'In Barger’s own culture, he had learned to value victory.',
        'By not having women in government, their issues are decided by people who do not share their perspective.',
        'For instance, those who are staunchly Republican can avoid centrist cable news shows.',
        'In 2010, the baby boom generation was age forty-five to sixty-five.',
        'As norms vary across cultures and time, it also makes sense that notions of deviance change.',
      ],
    );
  });

  it('tells a sentence whose opening phrase refers back ("Because of this, …", "In all three cases, …") or whose claim holds only given the one before ("Otherwise, …", "to do so") from one whose opening names what it means', () => {
    expectLeaning(
      [
        'Because of this, they are also sometimes called “property crimes.”',
        'According to this belief, our temperaments, interests, and talents are set before birth.',
        'In situations like these, other methods are needed.',
        'For him, religion was just an extension of working-class economic suffering.',
        'In all three cases, the fertility rates have dropped in recent years.',
        'In other situations, the degradation ceremony can be more extreme.',
        'For that reason, the survey was repeated.',
        'Otherwise, the group would dissolve.',
        'If so, chances are they will try to convince students to join them.',
        'Fail to do so and you will likely be scolded.',
        'Digital tribalism is the tendency to do so online.',
      ],
      [
        'In countries such as Niger and Sierra Leone, child labor remains common and socially acceptable.',
        'In many societies that enjoy public transportation, a passenger will find a marked bus stop.',
        'Unlike other theories, functionalism looks at society as a whole.',
        'People who enter into the union do so with the expectation that it will last.',
        'In 2010, the baby boom generation was age forty-five to sixty-five.',
      ],
    );
  });

  it('drops the linking words that only tie a sentence to the one before, so that it reads alone, and keeps those its claim depends on', () => {
    const lifted: Array<[string, string]> = [
      ['In contrast, nonmaterial culture consists of the ideas, attitudes, and beliefs of a society.', 'Nonmaterial culture consists of the ideas, attitudes, and beliefs of a society.'],
      ['Nonmaterial culture, in contrast, consists of the ideas, attitudes, and beliefs of a society.', 'Nonmaterial culture consists of the ideas, attitudes, and beliefs of a society.'],
      ['Formal sanctions, on the other hand, are ways to officially recognize and enforce norm violations.', 'Formal sanctions are ways to officially recognize and enforce norm violations.'],
      ['Girls, on the other hand, seem to have a care and responsibility perspective.', 'Girls seem to have a care and responsibility perspective.'],
      ['In a triad, however, the dynamic is quite different.', 'In a triad, the dynamic is quite different.'],
      ['Keep in mind, however, that families do not socialize children in a vacuum.', 'Keep in mind that families do not socialize children in a vacuum.'],
      ['For example, a hypothesis might be in the form of an “if, then” statement.', 'A hypothesis might be in the form of an “if, then” statement.'],
      ['However, people labeled deviant do not always accept the label.', 'People labeled deviant do not always accept the label.'],
      ['Informal sanctions, on the other hand, emerge in face-to-face social interactions.', 'Informal sanctions emerge in face-to-face social interactions.'],
      ['Conflict theorists, however, view social structure as inherently unequal.', 'Conflict theorists view social structure as inherently unequal.'],
      ['Taken as a whole, then, alienation means that an individual has no control over his life.', 'Taken as a whole, alienation means that an individual has no control over his life.'],
      ['Note, however, this hypothesis can also work the other way around.', 'Note, this hypothesis can also work the other way around.'],
      ['Open societies, however, allow movement between classes.', 'Open societies allow movement between classes.'],
      ['Society is, in fact, “habit.”', 'Society is “habit.”'],
      ['As a result, in fact, the dictionary chose the word.', 'The dictionary chose the word.'],
      // A conjunction opening the sentence, with or without its comma.
      ['But ideal culture differs from real culture.', 'Ideal culture differs from real culture.'],
      ['And if a researcher told the students they were observed, the students might change.', 'If a researcher told the students they were observed, the students might change.'],
      ['Or a conflict theorist might examine the power of local farmers.', 'A conflict theorist might examine the power of local farmers.'],
      ['And yet the data were limited.', 'The data were limited.'],
      ['But, in fact, norms vary.', 'Norms vary.'],
      ['So the water in the river carries sand and stones downstream.', 'The water in the river carries sand and stones downstream.'],
      // A purpose that points back: what was done is true without it.
      [
        'To deal with this problem, Weber and Wilhelm Dilthey introduced the concept of verstehen, a German word that means to understand in a deep way.',
        'Weber and Wilhelm Dilthey introduced the concept of verstehen, a German word that means to understand in a deep way.',
      ],
      ['In order to avoid this, the state passed a law against it.', 'The state passed a law against it.'],
    ];
    for (const [sentence, alone] of lifted) {
      expect(withoutLinkingWords(sentence)).toBe(alone);
      expect(leansOnContext(alone), alone).toBe(false);
    }
    // Words that carry the claim stay: an adverb of time or manner, a condition.
    for (const sentence of ['Historically, women were excluded from the vote.', 'Otherwise, the group would dissolve.', 'Butterflies migrate south.', 'Andean societies farm terraces.', 'So far, many examples have shown it.', 'So many people came to the rally.'])
      expect(withoutLinkingWords(sentence)).toBe(sentence);
    // "To" before whom a claim holds, or a time, is no purpose: the claim depends on it. Nor is a comma inside a
    // quotation the end of a purpose.
    for (const sentence of [
      'To people who are not from such a culture, arranged marriages may seem risky.',
      'To a person raised in this culture, the custom seems odd.',
      'To this day, many people believe it.',
      'In order to engage in this process of “self,” an individual has to view himself through the eyes of others.',
    ])
      expect(withoutLinkingWords(sentence)).toBe(sentence);
    // "And so on." is no sentence without its conjunction either.
    expect(leansOnContext(withoutLinkingWords('And so on.'))).toBe(true);
    expect(leansOnContext(withoutLinkingWords('But they are enforced to varying degrees.'))).toBe(true);
    // Without its linking word a sentence that opens on a pronoun still leans.
    expect(leansOnContext(withoutLinkingWords('Instead, he favored a form of government that allowed market forces to control capitalism.'))).toBe(true);
  });

  it('reads a comma after an opening phrase as closing the introduction, and one after a list item as starting the next item', () => {
    for (const before of ['Throughout the 1960s, ', 'Until the war, ', 'Over time, the ', 'Meanwhile, ', 'As a result, ', 'Historically, '])
      expect(listedAmongOthers(before, ', a movement against the war, grew.'), before).toBe(false);
    expect(listedAmongOthers('Children learn from the family, ', ', or the place of worship.')).toBe(true);
    expect(listedAmongOthers('mobile phones, ', ', the Internet, or social media')).toBe(true);
  });

  it('tells a question from a statement', () => {
    expect(asksQuestion('How does the employee deal with this label?')).toBe(true);
    expect(asksQuestion('What do you think? ')).toBe(true);
    expect(asksQuestion('Is it “deviant?”')).toBe(true);
    expect(asksQuestion('Sociologists ask why people conform.')).toBe(false);
  });
});

describe('words', () => {
  it('tokenises, stems with Porter and keys terms by their stems', () => {
    expect(tokens("The cell's membranes, 3.5 times")).toEqual(['the', 'cell', 'membranes', '3', '5', 'times']);
    expect(stem('producing')).toBe(stem('produces'));
    expect(termKey('Operational definitions')).toBe(termKey('operational definition'));
    expect(mentionsTerm('Researchers write an operational definition first.', termKey('operational definitions'))).toBe(true);
    expect(mentionsTerm('Definitions are operational.', termKey('operational definitions'))).toBe(false);
  });

  it('keys an irregular plural as its singular ("feral children", "criteria"), "media" and "data" as they are', () => {
    expect(termKey('feral children')).toBe(termKey('feral child'));
    expect(termKey('working women')).toBe(termKey('working woman'));
    expect(termKey('diagnostic criteria')).toBe(termKey('diagnostic criterion'));
    expect(termKey('social media')).not.toBe(termKey('social medium'));
  });

  it('keys a Greek plural as its singular ("hypotheses", "analyses"), and only those', () => {
    expect(termKey('null hypotheses')).toBe(termKey('null hypothesis'));
    expect(termKey('content analyses')).toBe(termKey('content analysis'));
    expect(stem('theses')).toBe(stem('thesis'));
    expect(stem('houses')).toBe(stem('house'));
    expect(stem('scenes')).toBe(stem('scene'));
    expect(stem('uses')).toBe(stem('use'));
  });
});

/** Every candidate key term of a one-page text of these paragraphs, by its name. */
function everyTermOf(paragraphs: string[]): Map<string, KeyTerm> {
  const doc = segmentDocument([{ page: 1, text: paragraphs.join('\n\n') }]);
  return new Map(extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => [t.term, t]));
}

/** Expects the text to read each of `defined` as defined and none of `notDefined`, naming what it found when not. */
function expectDefinitions(found: Map<string, KeyTerm>, defined: string[], notDefined: string[]): void {
  const terms = [...found.keys()].join(', ');
  for (const term of defined) expect(found.get(term)?.defined, `${term} in ${terms}`).toBe(true);
  for (const term of notDefined) expect(found.get(term)?.defined ?? false, `${term} in ${terms}`).toBe(false);
}

describe('key terms and their definitions', () => {
  const text = [
    'Research Methods',
    '',
    'Sociologists study how people live together. A hypothesis is a testable educated guess about the relationship between two or more variables. Every study starts with a hypothesis.',
    '',
    'Researchers then choose an independent variable (IV), which is the cause of the change, and a dependent variable (DV), which is the effect. The dependent variable changes when the independent variable changes.',
    '',
    'Chemical messages, known as pheromones, tell members of a species about the reproductive status of a mate. Pheromones travel through the air.',
    '',
    'Ethnocentrism refers to judging another culture by the standards of your own. Ethnocentrism is common. People often talk about the weather, about 2016, and about Table 3.',
  ].join('\n');
  const terms = extractKeyTerms(segmentDocument([{ page: 7, text }]));
  const byTerm = new Map(terms.map((t) => [t.term, t]));

  it('finds the terms the text defines, with the defining sentence and its page', () => {
    for (const term of ['hypothesis', 'independent variable', 'dependent variable', 'pheromones', 'ethnocentrism']) {
      expect(byTerm.has(term), `${term} in ${[...byTerm.keys()].join(', ')}`).toBe(true);
      expect(byTerm.get(term)!.defined).toBe(true);
      expect(byTerm.get(term)!.page).toBe(7);
    }
    expect(byTerm.get('hypothesis')!.sentence).toBe('A hypothesis is a testable educated guess about the relationship between two or more variables.');
    expect(byTerm.get('pheromones')!.sentence).toMatch(/^Chemical messages, known as pheromones/);
    expect(byTerm.get('ethnocentrism')!.sentence).toMatch(/^Ethnocentrism refers to/);
  });

  it('shows a term the text does not define in a sentence a reader can follow without the one before it', () => {
    const lifeCourse = segmentDocument([
      {
        page: 1,
        text: [
          'Erik Erikson studied how people grow over a whole life.',
          'He divided the maturation process into stages, and posited that self-development is closely linked to the early stages.',
          'Erikson’s view of self-development gave credit to social aspects, like the way we negotiate between our desires and what is accepted.',
          'Later work on self-development looked at how children learn the roles of others.',
        ].join(' '),
      },
    ]);
    const found = new Map(extractKeyTerms(lifeCourse, { minScore: -100, max: 100 }).map((t) => [t.term, t]));
    expect(found.get('self-development')?.defined, [...found.keys()].join(', ')).toBe(false);
    expect(found.get('self-development')?.sentence).toMatch(/^Erikson’s view of self-development/);
  });

  it('reads definitions written in other ways: "occurs when", "is called the …", "call these …", a dash, "of" phrases, hyphenated words', () => {
    const doc = segmentDocument([
      {
        page: 2,
        text: [
          'Structural mobility occurs when societal changes move a whole group of people up or down the class ladder. Structural mobility is rare.',
          'Students behave differently when watched. This is called the Hawthorne effect. Researchers try to avoid the Hawthorne effect.',
          'Some sects never grow into denominations. Sociologists call these established sects. Established sects fall between sect and denomination.',
          'A written answer is qualitative data—conveyed through words. Qualitative data is hard to tabulate.',
          'Every profession has a code of ethics. The code of ethics guides how members treat the people they study.',
          'The in-group is the group a person belongs to. Members of an in-group favour each other.',
          'Researchers design studies to maximize reliability, which refers to how likely results are to be repeated.',
          'Some behaviour is treated as illness. A related process is demedicalization, in which sick behaviour is normalized again.',
          'Old norms stopped guiding people. This condition is described by sociologist Emile Durkheim as social anomie.',
          'Religious rituals are behaviors or practices that members of a group are expected to perform.',
        ].join('\n\n'),
      },
    ]);
    const found = new Map(extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => [t.term, t]));
    for (const term of ['structural mobility', 'Hawthorne effect', 'established sects', 'qualitative data', 'reliability', 'in-group', 'demedicalization', 'social anomie', 'religious rituals']) {
      expect(found.get(term)?.defined, `${term} in ${[...found.keys()].join(', ')}`).toBe(true);
    }
    expect(found.has('code of ethics')).toBe(true);
    expect(found.has('maximize reliability')).toBe(false);
  });

  it('lists a concept the text gives two names once ("X, also called Y", "X (also known as Y)", "also called Y or Z"), and takes no name from part of a longer phrase', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text: [
          'Functionalism, also called structural-functional theory, sees society as a structure with interrelated parts. Functionalism asks what each part does. Critics of structural-functional theory say it ignores change.',
          'Conflict theory looks at society as a competition for limited resources. Conflict theory explains inequality.',
          'Systemic racism, also called structural racism or institutional racism, is built into the rules of institutions. Systemic racism outlasts the people who built it. Structural racism is hard to see. Institutional racism shapes schools.',
          'Implicit bias (also referred to as unconscious bias) is the process of associating stereotypes with a group without meaning to. Implicit bias affects hiring. Unconscious bias is measured in tests.',
          'Violent crimes (also known as "crimes against a person") are based on the use of force. Violent crimes are counted every year. Other crimes are counted too.',
        ].join('\n\n'),
      },
    ]);
    const found = extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => t.term.toLowerCase());
    const listed = (...names: string[]) => names.filter((n) => found.includes(n));
    expect(listed('functionalism', 'structural-functional theory'), found.join(', ')).toHaveLength(1);
    expect(listed('systemic racism', 'structural racism', 'institutional racism'), found.join(', ')).toHaveLength(1);
    expect(listed('implicit bias', 'unconscious bias'), found.join(', ')).toHaveLength(1);
    // Told apart still: another theory, and "crimes" of "crimes against a person", which names no alias of "violent crimes".
    expect(found).toContain('conflict theory');
    expect(found).toContain('violent crimes');
  });

  it('lists a view the text names ("symbolic interactionism"), not those who hold it ("symbolic interactionists") beside it', () => {
    const found = everyTermOf([
      'Symbolic interactionism is a theoretical approach that looks at how people use symbols in their everyday interactions.',
      'Symbolic interactionists study face-to-face meetings. Symbolic interactionists also study gestures.',
    ]);
    expect(found.has('symbolic interactionism'), [...found.keys()].join(', ')).toBe(true);
    expect(found.has('symbolic interactionists'), [...found.keys()].join(', ')).toBe(false);
  });

  it('takes a word made with anti-, pro-, non-, pre- or post- for what it describes ("anti-LGBTQ laws"), unless it names a thing itself ("anti-racism")', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text: [
          'Police raided gay bars, and anti-LGBTQ violence was rarely prosecuted.',
          'Many anti-LGBTQ laws have been repealed, but anti-LGBTQ penalties remain in some countries.',
          'Even where the criminal code is silent, anti-LGBTQ ordinances may be enforced by local agents.',
          'Anti-racism is a continuous process that calls for the sustained commitment of all members of a society.',
          'Supporters of anti-racism work to change institutions as well as attitudes.',
        ].join(' '),
      },
    ]);
    const found = extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => t.term);
    expect(found.filter((t) => /^anti-lgbtq$/i.test(t)), found.join(', ')).toEqual([]);
    expect(found.map((t) => t.toLowerCase())).toContain('anti-racism');
  });

  it('reads a term a naming cue introduces whatever its words look like ("the term X refers to"), and more ways of glossing one (a gloss in brackets or after a colon, what a theory states), and names the kinds of something a list gives', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text: [
          'Some statuses are ascribed at birth. Others, called achieved statuses, are obtained by choice.',
          'For Weber, rationalization results in what he referred to as the iron cage, in which the individual is trapped.',
          'Shoemaker and Vos define gatekeeping as the sorting process by which messages are shaped for the media.',
          'Population can outgrow the carrying capacity, or how many people can live in a given area.',
          'Many people equate marriage with monogamy, when someone is married to only one person at a time.',
          'Sociologists study culture with the sociological imagination, which sociologist C. Wright Mills described as an awareness of the wider culture.',
          'The behaviour of some students was called deviant by their teachers.',
          'The term senescence refers to the aging process, including biological and social changes.',
          'The term representative democracy, which is virtually synonymous with republic, describes an elected government.',
          'Unilateral descent (the tracing of kinship through one parent only) is practiced in many societies.',
          'Finally, authoritarian leaders issue orders and assign tasks with little feedback.',
          'This concept is defined by sociologist Robert K. Merton as a self-fulfilling prophecy.',
          'Students learn to think with the political imagination, which pioneer political scientist C. Wright Brown described as a way of seeing power.',
          'An out-group, conversely, is a group someone does not belong to.',
          'When we think of crime, we often picture street crime, or offenses committed by ordinary people in public.',
          'Children learn manners from the family, school, or place of worship.',
          'Among large social factors, control theory states that social control depends on the strength of social bonds.',
          'According to continuity theory, the elderly keep the habits of their middle years.',
          'Her work is a major contribution to thanatology: the systematic study of death and dying.',
          'The lower class can be divided into three subsets: the working class, the working poor, and the underclass.',
          'Some unemployment is structural unemployment, which describes a mismatch between the jobs offered and the skills of workers.',
          'Sociologists study three primary forms of collective behavior: the crowd, the mass, and the public.',
          'Do you eat a grinder, a sub, or a hero?',
          'An ethnographic study might observe a small fishing town, an Inuit community, a village in Thailand, or a monastery.',
          'Convergence theory explains that as an economy grows, its society changes to look like an industrialized one.',
          'A family of procreation describes one that is formed through marriage.',
          'Entering into marriage while still married to another person is referred to as bigamy and is considered a felony.',
          'Durkheim called the communal beliefs, morals, and attitudes of a society the collective conscience.',
          'The witness called the police after the accident.',
        ].join('\n\n'),
      },
    ]);
    const found = new Map(extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => [t.term, t]));
    for (const term of ['achieved statuses', 'iron cage', 'gatekeeping', 'carrying capacity', 'monogamy', 'sociological imagination', 'senescence', 'representative democracy', 'unilateral descent', 'self-fulfilling prophecy', 'political imagination', 'out-group', 'street crime', 'control theory', 'continuity theory', 'thanatology', 'structural unemployment', 'convergence theory', 'family of procreation', 'bigamy', 'collective conscience']) {
      expect(found.get(term)?.defined, `${term} in ${[...found.keys()].join(', ')}`).toBe(true);
    }
    expect(found.get('iron cage')?.sentence).toMatch(/^For Weber/);
    // The kinds a list names are terms of the text, but the list does not say what each is.
    for (const kind of ['crowd', 'mass']) expect(found.get(kind)?.defined, `${kind} in ${[...found.keys()].join(', ')}`).toBe(false);
    // A kind of people named by a trait the tagger took for a noun is a term all the same.
    expect(found.has('authoritarian leaders'), [...found.keys()].join(', ')).toBe(true);
    // An item of a list is not glossed by the "or" after it, nor a list's name by the list after a colon.
    expect(found.get('school')?.defined ?? false).toBe(false);
    expect(found.get('subsets')?.defined ?? false).toBe(false);
    // What was called comes before the name, not after a preposition ("called the police after the accident").
    expect(found.get('accident')?.defined ?? false).toBe(false);
    // Nor does a question define anything, nor an item of a list the next item.
    for (const term of ['grinder', 'sub', 'fishing town', 'town']) expect(found.get(term)?.defined ?? false, term).toBe(false);
    // A quality after "called" is not a term.
    expect(found.has('deviant')).toBe(false);
  });

  it('takes no gloss for a term from the rest of a list after it, or from ", which is" that agrees with the clause and not the term', () => {
    const paragraphs = [
      'Globally, the mortality rate for children was 38 per 1,000 live births, which is a dramatic change from previous decades.',
      'Researchers will study the advent of mobile phones, the Internet, or social media.',
      'Simmel addressed topics such as social conflict, the function of money, and the European fear of outsiders.',
      'Durkheim wrote about anomie, which is a state of normlessness in a society.',
      'Every group keeps its folkways, which are the everyday customs of its members.',
      'In Durkheim’s view, egoism, a state of weak ties to the group, follows rapid change.',
    ];
    const found = everyTermOf(paragraphs);
    for (const term of ['live births', 'mobile phones', 'social conflict']) expect(found.get(term)?.defined ?? false, term).toBe(false);
    // A comma that closes the sentence's introduction is no list before the term.
    for (const term of ['anomie', 'folkways', 'egoism']) expect(found.get(term)?.defined, `${term} in ${[...found.keys()].join(', ')}`).toBe(true);
  });

  it('takes no gloss for a term that stands inside the sentence\'s opening phrase, where the comma closes that phrase', () => {
    const paragraphs = [
      'In his study of suicide, a French sociologist counted the dead of every region.',
      'According to the records of the census, a quarter of the town had moved within ten years.',
      'In Durkheim’s view, egoism, a state of weak ties to the group, follows rapid change.',
    ];
    const found = everyTermOf(paragraphs);
    for (const term of ['suicide', 'census']) expect(found.get(term)?.defined ?? false, `${term} in ${[...found.keys()].join(', ')}`).toBe(false);
    expect(found.get('egoism')?.defined).toBe(true);
  });

  it('reads "called" after a pronoun as a deed, not a name ("they called the police"), and after a noun as a name', () => {
    const paragraphs = [
      'When the neighbours heard the noise, they called the police.',
      'Goffman used a technique called dramaturgical analysis to study everyday life.',
    ];
    const found = everyTermOf(paragraphs);
    expect(found.get('police')?.defined ?? false, [...found.keys()].join(', ')).toBe(false);
    expect(found.get('dramaturgical analysis')?.defined).toBe(true);
  });

  it('leaves out a phrase the text only names in the plural and never defines, where a singular phrase as common stays; a defined plural stays', () => {
    const paragraphs = [
      'The garment industry moved its work overseas in the last decades of the century.',
      'Garment factories in Dhaka employ thousands of young workers on long shifts.',
      'Wages in the garment industry stay low because buyers can move orders elsewhere.',
      'Inspections of garment factories rose after a building collapsed in 2013.',
      'Critics of the garment industry say consumers rarely see how clothing is made.',
      'Some garment factories now publish audits of their working conditions.',
      'Sweatshops are workplaces that pay below a living wage and ignore safety rules.',
    ];
    const doc = segmentDocument([{ page: 1, text: paragraphs.join('\n\n') }]);
    const listed = extractKeyTerms(doc).map((t) => t.term);
    expect(listed).toContain('garment industry');
    expect(listed).toContain('sweatshops');
    expect(listed).not.toContain('garment factories');
  });

  it('lists the subject of a whole text when the text says what it is, and not a word it only keeps using', () => {
    // "crime" and "police" stand in nearly every paragraph; only crime is said to be something.
    const paragraphs = [
      'Crime is a behavior that violates official law and is punishable through formal sanctions.',
      'The police record every reported crime in a national database.',
      'Most crime in cities is reported to the police within a day.',
      'Rates of violent crime fell in the 1990s, although the police made fewer arrests.',
      'The police and the courts treat a first crime more leniently than a second one.',
      'Victims of crime often wait years before the police close their case.',
      'The police publish crime figures every spring.',
      'Street crime worries voters more than the police budget does.',
      'Deviance is a violation of established contextual, cultural, or social norms, and only some of it is crime the police pursue.',
    ];
    const found = everyTermOf(paragraphs);
    expectDefinitions(found, ['crime', 'deviance'], []);
    expect([...found.keys()]).not.toContain('police');
  });

  it('reads each mention of a term where it stands: a definition after its second mention in a sentence is its own, one after a longer term that ends in it or that an aside interrupts is not, nor a name kept at arm\'s length ("so-called")', () => {
    const found = everyTermOf([
      'Durkheim wrote about anomie in his studies of suicide, and anomie is a situation in which society no longer has the support of a firm community.',
      'When we talk about conformity, conformity is the extent to which an individual complies with group norms or expectations.',
      'These could all be examples of public sociology, a branch of sociology that strives to bring sociological dialogue to public forums.',
      'Functionalists contend that education contributes manifest (or primary) functions, which are the intended and visible functions of education.',
      'The so-termed developed nations should provide foreign aid to the rest.',
      'Critics point to the so-called culture wars, fought over schools.',
    ]);
    expectDefinitions(found, ['anomie', 'conformity', 'public sociology'], ['sociology', 'functions', 'developed nations', 'culture wars']);
  });

  it('takes no definition from a reputation ("best known as"), a purpose ("are to …") or a comparison ("the greater X, the lower Y"), and no term from how one thing stands to another ("the goals of X")', () => {
    const paragraphs = [
      'Robert E. Park is best known as the founder of social ecology.',
      'The goals of public sociology are to increase understanding of social problems.',
      'The greater the availability of affordable housing, the lower the homeless rate.',
      'A final outcome of industrialization is a loss of connectivity between a worker and her occupation.',
      'The division of labor is the way work is split into specialized tasks.',
      'Marx is best known as the father of conflict theory.',
      'Applied research is to solve problems of everyday practice.',
      'The issue of net neutrality, the principle that all Internet data should be treated equally, is part of a national debate.',
    ];
    const found = everyTermOf(paragraphs);
    const terms = [...found.keys()].join(', ');
    for (const term of ['founder of social ecology', 'goals of public sociology', 'availability of affordable housing', 'final outcome of industrialization', 'issue of net neutrality']) {
      expect(found.has(term), `${term} in ${terms}`).toBe(false);
    }
    expectDefinitions(found, ['division of labor'], ['social ecology', 'public sociology', 'affordable housing', 'father of conflict theory', 'applied research']);
  });

  it.each([
    {
      reads: 'takes no definition from a list item after a possessive, a naming cue with other words before the term, or a denial ("X is not a …")',
      paragraphs: [
        'Your list might include the Internet, television’s entertainment value, or how advertising shapes social norms.',
        'We may associate the term with freedom, power, corruption, or rhetoric.',
        'For many people, old age is not a phase that they look forward to.',
        'In fact, anomie, a state of normlessness, follows rapid change.',
      ],
      defined: ['anomie'],
      notDefined: ['entertainment value', 'freedom', 'old age'],
    },
    {
      reads: 'takes no definition from "X are examples of …", from ", a number that …" about a clause, or from ", which is …" that judges or places the term ("which is on the rise", "which is a necessary part")',
      paragraphs: [
        'Sports teams, unions, and sororities are examples of in-groups and out-groups.',
        'This labor may make up 10 percent of the overall U.S. economy, a number that will likely grow.',
        'This outlet gives way to reproduction, which is a necessary part of ensuring the survival of society.',
        'Obesity, which is on the rise in high-income nations, has been linked to many diseases.',
        'The population composition includes the sex ratio, the number of men for every hundred women.',
        'Mores, which are norms that embody the moral views of a group, vary from place to place.',
      ],
      defined: ['sex ratio', 'mores'],
      notDefined: ['sororities', 'economy', 'reproduction', 'obesity'],
    },
    {
      reads: 'finds a term in its defining sentence as whole words only ("merit" is not defined by "the concept of meritocracy"), and takes no definition from a dash before "that\'s", a place ("were underway in regions of") or a hedge ("which is somewhat …")',
      paragraphs: [
        'The concept of meritocracy is an ideal, because no society has ever rewarded merit alone.',
        'Standing is never based on merit in a caste system.',
        'Members of United Students Against Sweatshops—that’s exactly what they do.',
        'Sweatshops pay low wages, and sweatshops ignore safety rules.',
        'In 2020, armed conflicts were underway in regions of several nations.',
        'Many armed conflicts displaced families.',
        'Women are engaged in the informal sector, which is somewhat buffered from the downturn.',
        'The informal sector grew in many nations.',
      ],
      defined: ['meritocracy'],
      notDefined: ['merit', 'sweatshops', 'armed conflicts', 'informal sector'],
    },
    {
      reads: 'takes no gloss from the subject of the main clause after a comma ("old age, the challenge is …"), nor a definition from "X are the most likely to …"',
      paragraphs: [
        'In the final stage, old age, the challenge is to embrace integrity over despair.',
        'Beyond the quality of schools, the disparity was most noticeable in testing.',
        'Asian individuals are the most likely to marry.',
        'Values portray an ideal culture, the standards society would like to live up to.',
      ],
      defined: ['ideal culture'],
      notDefined: ['old age', 'schools', 'asian individuals'],
    },
    {
      reads: 'takes what follows "<noun> of/for X," as being about the noun ("a model of technological change, in which …"), unless the noun only names X or picks out part of it',
      paragraphs: [
        'Anderson and Tushman suggest an evolutionary model of technological change, in which a breakthrough leads to a number of variations.',
        'John Calvin popularized the Christian concept of predestination, the idea that all events have already been decided by God.',
        'This is an example of the process of institutionalization, the act of implanting a convention or norm into society.',
        'Students often compete for prestige, the respect that others give a person.',
      ],
      defined: ['predestination', 'institutionalization', 'prestige'],
      notDefined: ['technological change'],
    },
    {
      reads: 'takes no gloss from a clause of its own after the comma ("data, the Lynds described …", "concerns, the study’s validity has …", "villages, the field study is …", "propriety, that is, there are …") or from inside "And since …,"',
      paragraphs: [
        'Recording interviews and using surveys to gather data, the Lynds objectively described what they observed.',
        'Beyond the ethical concerns, the study’s validity has been questioned after participants revealed they had been coached.',
        'Commuting to work shows cultural propriety, that is, there are many expected behaviors.',
        'And since there are very few feral children, the researchers study each one closely.',
        'Researchers rarely reach isolated villages, the field study is then the usual method.',
        'Sociologists develop an operational definition, that is, they define each concept in terms of the steps it takes to measure it.',
      ],
      defined: ['operational definition'],
      notDefined: ['data', 'ethical concerns', 'cultural propriety', 'feral children', 'isolated villages'],
    },
    {
      reads: 'takes no definition from a dash that closes an aside ("mission—to find a cure for breast cancer—or …") or tells what the phrase did ("—which now included …")',
      paragraphs: [
        'No one can argue with the foundation’s mission—to find a cure for breast cancer—or with the money it has raised.',
        'In particular, the dominant group—which now included second-generation Germans—saw Italian immigrants as a threat.',
        'The digital divide—the increasing gap between the technological haves and have-nots—exists both locally and globally.',
        'The show follows an extended family—which is a household that includes a parent, a child and other relatives.',
      ],
      defined: ['digital divide', 'extended family'],
      notDefined: ['breast cancer', 'dominant group'],
    },
    {
      reads: 'takes no definition from "X is a significant …", "X is a cause of …", "X are physically incapable of …" or "X describe the women as …", and one from "X is typically a …"',
      paragraphs: [
        'Domestic violence is a significant social problem in the United States.',
        'Cyberbullying is a special feature of the Internet.',
        'Awareness has grown, but autism is a cause of significant fear among parents.',
        'In many cases, elderly prisoners are physically incapable of committing a violent crime.',
        'The textbooks describe the women as having been drafted to work.',
        'Formal norms are the most specific and clearly stated of the various types of norms.',
        'Conspicuous consumption is the purchase and use of certain products to make a social statement about status.',
        'A dyad is typically a group of two people who share a bond.',
      ],
      defined: ['formal norms', 'conspicuous consumption', 'dyad'],
      notDefined: ['domestic violence', 'cyberbullying', 'autism', 'elderly prisoners', 'textbooks'],
    },
    {
      reads: 'takes "the concept of X" for a definition only where the sentence goes on to say what X is, and "The hypothesis suggests …" for none',
      paragraphs: [
        'Historically, the concept of race has changed across cultures and eras.',
        'Murdock identified other universals, including language, the concept of personal names, and jokes.',
        'Sociologists use the term status to describe the responsibilities and benefits that a person experiences according to their rank.',
        'A key factor is the concept of carrying capacity, which describes the maximum amount of life that an area can sustain.',
        'The hypothesis suggests that language shapes thought and thus behavior.',
        'Conflict theory suggests that people struggle over scarce resources.',
      ],
      defined: ['status', 'carrying capacity', 'conflict theory'],
      notDefined: ['race', 'personal names', 'hypothesis'],
    },
    {
      reads: 'takes no gloss from the next item of a list ("economic systems, the family, health and hygiene, …"), nor from ", the final type," or ", the figures show"',
      paragraphs: [
        'Ideas about economic systems, the family, health and hygiene, and national defense were among the concerns of social life.',
        'Homophobia, an extreme or irrational aversion to gay, lesbian, bisexual, or all LGBTQ people, often shows as prejudice.',
        'A meander, a feature that geographers, engineers and farmers watch with interest, is a wide bend in a river.',
        'Plant patents, the final type, recognize the discovery of new plant types.',
        'Poverty grew fastest in peripheral nations, the figures show.',
      ],
      defined: ['homophobia', 'meander'],
      notDefined: ['economic systems', 'plant patents', 'peripheral nations'],
    },
    {
      reads: 'takes peoples and places opening a sentence each for no kinds the text teaches ("Chinese immigration …", "Mexican immigration …")',
      paragraphs: [
        'Chinese immigration came to an abrupt end with the Chinese Exclusion Act of 1882.',
        'Japanese immigration began in the 1880s, on the heels of the Chinese Exclusion Act of 1882.',
        'Irish immigration rose sharply during the famine of the 1840s.',
        'Mexican immigration grew after the Mexican Revolution.',
        'Many Irish families settled in Boston.',
      ],
      defined: [],
      notDefined: ['chinese immigration', 'japanese immigration', 'mexican immigration'],
    },
    {
      reads: 'takes from a naming cue the whole name ("called hospital “merger mania”" names no "hospital"), and no other name for a concept just named ("Class traits, also called class markers, are …" defines the traits; "(also referred to as …)")',
      paragraphs: [
        'Class traits, also called class markers, are the typical behaviors that mark each class.',
        'In the 1990s, providers consolidated in what was called hospital “merger mania.”',
        'Functionalism, also called structural-functional theory, sees society as a structure with interrelated parts.',
        'Stereotypes grow out of implicit bias (also referred to as unconscious bias) which is the process of associating attitudes with groups.',
        'Growth must come without damaging the natural environment, also called sustainable development.',
      ],
      defined: ['class traits', 'sustainable development'],
      notDefined: ['class', 'class markers', 'hospital', 'structural-functional theory', 'unconscious bias'],
    },
    {
      reads: 'takes no definition from a phrase set beside "known as" ("people of different ages, referred to as …"), from "define X as follows" or "define situations as real", but reads a kind named after its place ("The first type, diagnostic framing, states …")',
      paragraphs: [
        'Aging also concerns relationships between people of different ages, referred to as age-gap relationships by researchers.',
        'The Census Bureau defines racial groups as follows: White, Black, Asian.',
        'Thomas wrote that if men define situations as real, they are real in their consequences.',
        'The first type, diagnostic framing, states the problem in a clear, easily understood way.',
      ],
      defined: ['age-gap relationships', 'diagnostic framing'],
      notDefined: ['people of different ages', 'racial groups', 'situations'],
    },
    {
      reads: 'reads a noun the tagger took for a verb after a singular noun ("the family life cycle was …") as part of the term',
      paragraphs: [
        'The set of steps families go through over time is referred to as the family life cycle.',
        'The family life cycle was first described in 1955. Researchers still use the family life cycle to study families.',
      ],
      defined: ['family life cycle'],
      notDefined: ['family life'],
    },
    {
      reads: 'ends a term before an -ing word that follows a plural noun ("the forces driving social change, which is …" defines social change)',
      paragraphs: ['Social movements are two of the forces driving social change, which is the change in society created through social movements.'],
      defined: ['social change'],
      notDefined: ['forces driving social change'],
    },
    {
      reads: 'reads a phrase inside an opening that follows a linking word or another opening, or beside a phrase that points back, as no term the sentence glosses ("In short, rather than offering X, the …", "This last example, X, is what …")',
      paragraphs: [
        'In short, rather than offering them more opportunities, the increased competition of a global market makes it harder for poorer nations to move forward.',
        'Most recently, with the end of feudalism, a new revolutionary class dominated the laborers.',
        'This last example, homelessness, is what caused her to give up money.',
        'In sociology, anomie is a state of normlessness in a society.',
      ],
      defined: ['anomie'],
      notDefined: ['opportunities', 'feudalism', 'homelessness'],
    },
    {
      reads: 'leaves out of a term the words that pick out some of a kind ("a specific population, people who are …" glosses no "specific population")',
      paragraphs: ['A survey targets a specific population, people who are the focus of a study, such as college athletes.', 'An experiment tests a particular hypothesis, a testable guess about the relationship between variables.'],
      defined: ['hypothesis'],
      notDefined: ['specific population', 'particular hypothesis'],
    },
    {
      reads: 'reads no gloss in a pair of examples, a pointer to a later explanation, a name given to something else, or a label put on something ("older people, the driver and the shopper, were …", "ethnic groups, which are described below", "a mental disorder called drapetomania")',
      paragraphs: [
        'Peter’s responses to both older people, the driver and the shopper, were prejudiced.',
        'Some members of racial groups (or ethnic groups, which are described below) reclaim terms once used to insult them.',
        'Some products are said to contribute to breast cancer, a phenomenon critics call “pinkwashing.”',
        'A more recent example is homosexuality, which was labeled a mental disorder by the American Psychiatric Association until 1973.',
        'Escaped slaves were diagnosed with a mental disorder called drapetomania.',
      ],
      defined: ['drapetomania'],
      notDefined: ['older people', 'ethnic groups', 'breast cancer', 'mental disorder'],
    },
    {
      reads: 'reads what is said of a few subjects listed together as said of all of them, a purpose clause as no definition, and a name that goes on through "of" as that whole name ("Functionalism, conflict theory, and symbolic interactionism are …", "districts were redrawn so that …", "known as the graying of America")',
      paragraphs: [
        'Functionalism, conflict theory, and symbolic interactionism are a few of the more widely recognized stances in sociology today.',
        'Age, much like race, class, and gender, is a hierarchy in which some categories are valued more than others.',
        'After the ruling, districts were redrawn so that they would include equal numbers of voters.',
        'This increase has been known as the graying of America, and it affects every region.',
        'Larceny and vandalism are types of nonviolent crime, while ageism is a form of discrimination based on age.',
        'Positive sanctions are rewards, negative ones are punishments, and informal sanctions are reactions that come from casual social interactions.',
      ],
      defined: ['ageism', 'informal sanctions'],
      notDefined: ['symbolic interactionism', 'gender', 'districts', 'graying'],
    },
  ])('$reads', ({ paragraphs, defined, notDefined }) => {
    expectDefinitions(everyTermOf(paragraphs), defined, notDefined);
  });

  it('reads "X are <plural noun> for …" as a definition ("negative sanctions are punishments for …"), not "X are ready for …"', () => {
    const doc = segmentDocument([
      { page: 1, text: 'Negative sanctions are punishments for violating norms.\n\nPositive sanctions are rewards given for conforming to norms.\n\nExam candidates are ready for the test in June.' },
    ]);
    const found = new Map(extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => [t.term, t]));
    expect(found.get('negative sanctions')?.defined, [...found.keys()].join(', ')).toBe(true);
    expect(found.get('positive sanctions')?.defined, [...found.keys()].join(', ')).toBe(true);
    expect(found.get('exam candidates')?.defined ?? false).toBe(false);
  });

  it('reads "the generalized other" and "significant others" as terms, though the tagger takes "other" for an adjective or a pronoun', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text: 'Children learn the idea of the generalized other, the common behavioral expectations of general society.\n\nThe people who had the greatest impact on a child were significant others.',
      },
    ]);
    const found = new Map(extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => [t.term, t]));
    expect(found.get('generalized other')?.defined, [...found.keys()].join(', ')).toBe(true);
    expect(found.has('significant others'), [...found.keys()].join(', ')).toBe(true);
  });

  it('reads "bias" and "status" as singular, "norms" and "communities" as plural', () => {
    expect(['unconscious bias', 'socioeconomic status', 'analysis', 'norms', 'communities', 'gender roles'].map(isPlural)).toEqual([false, false, false, true, true, true]);
  });

  it('reads plurals without an s as plural ("feral children", "working women", "Indigenous people"), and "specimen" as singular', () => {
    const plural = ['feral children', 'working women', 'Indigenous people', 'grandchildren', 'businessmen', 'criteria', 'men', 'firemen', 'policemen', 'middlemen'];
    const singular = ['specimen', 'abdomen', 'regimen', 'stamen', 'omen', 'social media', 'secondary data', 'child', 'woman'];
    expect(plural.filter((p) => !isPlural(p))).toEqual([]);
    expect(singular.filter(isPlural)).toEqual([]);
  });

  it('lists each defined kind of one thing, not only the thing ("casual crowds", "conventional crowds", …)', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text: [
          'Collective Behavior',
          'Collective behavior is any group behavior that is not mandated by an institution. A crowd is a large number of people in close proximity. Crowds gather at concerts, games and services. Every crowd has a purpose of its own.',
          'Sociologists identified four types of crowds. Casual crowds consist of people who are in the same place at the same time but who are not really interacting. Conventional crowds are those who come together for a scheduled event that occurs regularly. Expressive crowds are people who join together to express emotion. The final type, acting crowds, focuses on a specific goal or action.',
          'A flash mob is a large group of people who gather together in a spontaneous activity that lasts a limited amount of time. Flash mobs are organized through social media. The police watch a flash mob closely.',
          'Value-added theory is a functionalist perspective that several conditions must be in place for collective behavior to occur. The theory lists structural strain and a precipitating factor. Emergent norm theory holds that people perceive and respond to the crowd situation with their own norms, which may change as the situation develops.',
        ].join('\n\n'),
      },
    ]);
    const terms = extractKeyTerms(doc).map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['casual crowds', 'conventional crowds', 'expressive crowds']));
  });

  it('lists the kinds a text teaches a sentence each, each sentence opening with its kind, though none says "is" ("Reform movements seek to …")', () => {
    const paragraphs = [
      'Social movements are purposeful, organized groups that strive to work toward a common social goal. Sociologists group social movements by what they want to change.',
      'Reform movements seek to change something specific about the social structure. Revolutionary movements seek to completely change every aspect of society. Resistance movements seek to prevent or undo change to the social structure.',
      'The risk of death rises with age. Viewing death as natural helps families. Fear of death is common in every society.',
    ];
    const terms = extractKeyTerms(segmentDocument([{ page: 1, text: paragraphs.join('\n\n') }]));
    const listed = new Map(terms.map((t) => [t.term, t]));
    for (const kind of ['reform movements', 'revolutionary movements', 'resistance movements']) {
      expect(listed.get(kind)?.defined, `${kind} in ${[...listed.keys()].join(', ')}`).toBe(true);
      expect(listed.get(kind)?.sentence).toMatch(/^\p{Lu}\p{Ll}+ movements seek to/u);
    }
    // Phrases about a thing that open sentences are no kinds of it.
    for (const phrase of ['risk of death', 'viewing death']) expect(listed.get(phrase)?.defined ?? false, phrase).toBe(false);
  });

  it('never lists a unit of time or measure as a term ("decades", "mph", "years old")', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text: 'Ageism is prejudice against people because of their age. For decades, people 65 years old were thought frail. Drivers 80 years old drive slower, at 40 mph. Ageism lasted for decades. Ageism is common at 50 mph too.',
      },
    ]);
    const found = extractKeyTerms(doc, { minScore: -100, max: 100 }).map((t) => t.term);
    expect(found).toContain('ageism');
    expect(found.filter((t) => /\b(?:decades|years|mph)\b/.test(t))).toEqual([]);
  });

  it('never takes a predicate for a term ("women report experiencing IPV")', () => {
    const doc = segmentDocument([
      { page: 1, text: 'Many bisexual women report experiencing IPV in their lives. Older women report experiencing IPV less often. IPV is a pattern of abuse.' },
    ]);
    const found = extractKeyTerms(doc, { minScore: -100 }).map((t) => t.term);
    expect(found.filter((t) => /report|experiencing/.test(t))).toEqual([]);
  });

  it('keeps the noun of a fixed phrase out of the term after it ("take into account underemployment", "in terms of", "on behalf of")', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text:
          'Unemployment statistics do not take into account underemployment, a state in which a person accepts a lower paying job than their education qualifies them for. ' +
          'Underemployment is common after a recession. Unions bargain on behalf of workers. In terms of wages, the losses are large. ' +
          'Structural unemployment is a mismatch between the jobs available and the skills of those seeking work.',
      },
    ]);
    const terms = extractKeyTerms(doc, { minScore: -100, max: 100 });
    const underemployment = terms.find((t) => t.term === 'underemployment');
    expect(underemployment?.defined).toBe(true);
    expect(underemployment?.sentence).toMatch(/^Unemployment statistics do not take into account underemployment, a state/);
    expect(terms.map((t) => t.term).filter((t) => /\b(?:account|behalf|terms)\b/.test(t))).toEqual([]);
  });

  it('names a term as its definition writes it, not by another word with its stem ("commitment", not "committing")', () => {
    const doc = segmentDocument([
      {
        page: 1,
        text:
          'In one year, 51 players had been convicted of committing domestic violence. ' +
          'Commitment refers to the investments we make in the community. ' +
          'A respected local businessperson has more to lose from committing a crime than a person who does not. ' +
          'Attachment refers to our connections to others.',
      },
    ]);
    const terms = extractKeyTerms(doc).map((t) => t.term);
    expect(terms).toContain('commitment');
    expect(terms).not.toContain('committing');
  });

  it('leaves out everyday words, numbers, people nouns and words about the text', () => {
    for (const junk of ['people', 'weather', '2016', 'table', 'sociologists', 'researchers']) expect(byTerm.has(junk)).toBe(false);
  });

  it('lists a phrase the text uses but never defines only when some passage is about it, when asked for the explained terms only; a defined term stays either way', () => {
    const text = [
      'Urban sociology is the study of social life in cities. Participatory budgeting came up in the debate.',
      'Gentrification refers to the arrival of wealthier residents in a poorer neighborhood. Residents tried participatory budgeting in two districts.',
      'Segregation is the separation of groups of people in where they live. Participatory budgeting spread to other towns.',
      'Suburbanization is the movement of people from cities to the areas around them. The participatory budgeting office later published a report.',
      'Urbanization is the growth of cities as people move from the countryside. Critics of participatory budgeting wrote letters to the paper.',
    ].join('\n\n');
    const analysis = analyseKeyTerms(segmentDocument([{ page: 1, text }]));
    const candidates = analysis.select({ max: 30 });
    const undefinedPhrase = candidates.find((t) => t.term === 'participatory budgeting')!;
    expect(undefinedPhrase.defined).toBe(false);
    expect(analysis.select().map((t) => t.term)).toContain('participatory budgeting');

    // The phrase and a defined term both measured as far from every passage (their relatedness the lowest).
    const measured = (value: number) => new Map(candidates.map((t) => [t.key, ['participatory budgeting', 'segregation'].includes(t.term) ? value : 0.8]));
    const weak = analysis.select({ relatedness: measured(0.5), explainedOnly: true }).map((t) => t.term);
    expect(weak).not.toContain('participatory budgeting');
    expect(weak).toContain('segregation');
    expect(weak).toEqual(expect.arrayContaining(['gentrification', 'suburbanization', 'urbanization', 'urban sociology']));
    // Measured as what a passage is about, it is listed.
    expect(analysis.select({ relatedness: measured(0.95), explainedOnly: true }).map((t) => t.term)).toContain('participatory budgeting');
    // Unless told, the choice keeps it (the quiz builds questions from the terms).
    expect(analysis.select({ relatedness: measured(0.5) }).map((t) => t.term)).toContain('participatory budgeting');
  });
});

describe('a document rebuilt from its stored passages', () => {
  const pages = [
    {
      page: 1,
      text: 'The Scientific Method\n\nSociologists use experiments, e.g. field trials. They also\nuse surveys of 3.5 thousand people.\n\nStep 3: Formulate a Hypothesis\n\nA hypothesis is a testable guess. Dr. Smith tested one.',
    },
    { page: 2, text: 'Validity is the degree to which a measure measures what it claims. Reliability is consistency.' },
  ];
  const stored = segmentDocument(pages).passages;

  it('has the sentences, pages and headings that segmenting the pages gives', () => {
    const doc = documentFromPassages([...stored].reverse());
    const direct = segmentDocument(pages);
    expect(doc.sentences.map((s) => [s.index, s.text, s.page, s.heading])).toEqual(direct.sentences.map((s) => [s.index, s.text, s.page, s.heading]));
    expect(doc.headings.map((h) => [h.text, h.page])).toEqual([
      ['The Scientific Method', 1],
      ['Step 3: Formulate a Hypothesis', 1],
    ]);
    expect(doc.passages).toEqual(direct.passages);
  });

  it('keeps a paragraph without a sentence’s end apart from the next, as segmenting the pages does', () => {
    const page = {
      page: 1,
      text: 'Creating a Discipline\n\nAuguste Comte (1798 – 1857)\n\nThe term sociology was first coined in 1780 by the French essayist Emmanuel Joseph Sieyès. In 1838, the term was reintroduced by Auguste Comte.\n\nTools of the trade\n\nSurveys are questionnaires given to a sample of people.',
    };
    const direct = segmentDocument([page]);
    const rebuilt = documentFromPassages(direct.passages);
    expect(rebuilt.sentences.map((s) => s.text)).toEqual(direct.sentences.map((s) => s.text));
    expect(rebuilt.sentences.map((s) => s.text)).toContain('The term sociology was first coined in 1780 by the French essayist Emmanuel Joseph Sieyès.');
    const comte = rebuilt.sentences.find((s) => s.text.startsWith('Auguste Comte'))!;
    expect(page.text.slice(comte.start, comte.end)).toBe('Auguste Comte (1798 – 1857)');
  });

  it('places each sentence in its page by the passage’s offsets', () => {
    const doc = documentFromPassages(stored);
    const hypothesis = doc.sentences.find((s) => s.text.startsWith('A hypothesis'))!;
    expect(pages[0]!.text.slice(hypothesis.start, hypothesis.end)).toBe('A hypothesis is a testable guess.');
    const reliability = doc.sentences.find((s) => s.text.startsWith('Reliability'))!;
    expect(pages[1]!.text.slice(reliability.start, reliability.end)).toBe('Reliability is consistency.');
  });

  it('finds the key terms of a document from its passages, and nothing in no passages', () => {
    const fromPassages = extractKeyTerms(documentFromPassages(stored)).map((t) => t.key);
    expect(fromPassages).toContain(termKey('hypothesis'));
    expect(documentFromPassages([])).toEqual({ headings: [], sentences: [], passages: [] });
  });
});
