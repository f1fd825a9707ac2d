// A second domain for the learning benchmark: three chapters of the Python tutorial (Debian's python3 docs,
// installed when missing and root) with 30 keyed questions written for this project, measured by run.mjs.
// The dev set is textbook sociology; this one is technical prose, where similarities between a question and an
// unrelated chapter of the same book run higher. Its tutor figures say how far the tutor's thresholds carry to
// material they were not set on. No glossary: the notes' and quizzes' figures against key terms read 0% here.
//
// Run: the same as run.mjs (`pnpm build`, scripts/infra/up.sh), then `pnpm --filter @learner/bench run learning-python`.
// The data set is written to bench/results/python-tutorial/ (git-ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = import.meta.dirname;
const out = resolve(here, '..', 'results', 'python-tutorial');

/** The tutorial's reST sources of the newest Python docs on the machine, installing Debian's when missing. */
function tutorialSources() {
  const find = () =>
    (existsSync('/usr/share/doc') ? readdirSync('/usr/share/doc') : [])
      .filter((d) => /^python3(?:\.\d+)?$/.test(d))
      .map((d) => join('/usr/share/doc', d, 'html', '_sources', 'tutorial'))
      .filter((d) => existsSync(join(d, 'classes.rst.txt')))
      .sort()
      .at(-1);
  if (find()) return find();
  if (process.getuid?.() === 0) {
    console.log('installing python3-doc (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'python3-doc'], { stdio: 'ignore', env });
  }
  return find();
}

/** A reST chapter as a learner would paste it: prose only, no code blocks, directives or role markup. */
function plainText(rest) {
  const lines = [];
  for (const line of rest.split('\n')) {
    if (/^\s*(?:\.\.|>>>|\.\.\.)/.test(line) || /^(?: {3}|\t)/.test(line)) continue;
    if (/^[=\-~*^"#]{3,}\s*$/.test(line)) continue;
    lines.push(
      line
        .replace(/:[a-z:]+:`~?([^`<]+?)(?:\s*<[^>]+>)?`/g, '$1')
        .replace(/`+([^`]+)`+_?/g, '$1')
        .replaceAll('**', '')
        .replaceAll('*', ''),
    );
  }
  return lines.join('\n');
}

// [question, options with the key first]; the options are shuffled into the items.
const CHAPTERS = {
  classes: [
    ['What is a namespace?', ['a mapping from names to objects', 'a list of reserved keywords', 'a file that holds a module', 'a loop over a sequence']],
    ["Which statement makes a variable refer to the module's global scope?", ['global', 'nonlocal', 'import', 'return']],
    ['The nonlocal statement rebinds a variable found in:', ["an enclosing function's scope", 'the built-in names', 'the class namespace', 'a separate module file']],
    ['What does class instantiation use?', ['function notation', 'square brackets', 'a decorator', 'the import statement']],
    ['Which special method does class instantiation call automatically to initialize a new instance?', ['__init__()', '__next__()', '__iter__()', '__del__()']],
    ['Data attributes correspond to what in Smalltalk?', ['instance variables', 'class methods', 'private functions', 'global constants']],
    ['What is special about methods regarding the instance object?', ['the instance object is passed as the first argument', 'they cannot change the object', 'they are stored in the module', 'they run only once']],
    ['What does a derived class definition name in parentheses?', ['the base class', 'the module', 'a decorator', 'an iterator']],
    ['Name mangling replaces an identifier of the form __spam with:', ['_classname__spam', 'spam__', 'self.spam', '__spam__']],
    ['What do generators use to return data?', ['the yield statement', 'the raise statement', 'the pass statement', 'the del statement']],
  ],
  datastructures: [
    ['Which list method adds an item to the end of the list?', ['append', 'insert', 'remove', 'pop']],
    ['Using a list as a stack means the last element added is:', ['the first element retrieved', 'the last element retrieved', 'never retrieved', 'sorted first']],
    ['Which is designed to have fast appends and pops from both ends?', ['collections.deque', 'a tuple', 'a dictionary', 'a set']],
    ['What provides a concise way to create lists?', ['list comprehensions', 'tuple packing', 'the del statement', 'dictionary views']],
    ['What does the del statement remove?', ['an item from a list given its index', 'a module from disk', 'a class definition', 'a loop variable only']],
    ['A tuple consists of:', ['a number of values separated by commas', 'keys and values', 'unique elements without order', 'a single string']],
    ['Tuples are usually what, compared with lists which are mutable?', ['immutable', 'sorted', 'indexed by keys', 'empty']],
    ['A set is an unordered collection with no:', ['duplicate elements', 'numbers', 'strings', 'methods']],
    ['Dictionaries are indexed by:', ['keys', 'position numbers only', 'slices', 'tuples of lists']],
    ['Which function returns the position index and corresponding value when looping through a sequence?', ['enumerate()', 'zip()', 'sorted()', 'reversed()']],
  ],
  errors: [
    ['What kind of error is also known as a parsing error?', ['syntax error', 'exception', 'KeyError', 'warning']],
    ['Errors detected during execution are called:', ['exceptions', 'syntax errors', 'tracebacks', 'modules']],
    ['Which statement lets a program handle selected exceptions?', ['try', 'raise', 'global', 'with']],
    ['The optional else clause of a try statement runs when:', ['the try clause does not raise an exception', 'an exception is raised', 'the program ends', 'the loop breaks']],
    ['Which statement forces a specified exception to occur?', ['raise', 'try', 'finally', 'pass']],
    ['Which clause runs as the last task before the try statement completes, whether or not an exception occurred?', ['finally', 'else', 'except', 'elif']],
    ['User-defined exceptions should typically be derived from which class?', ['Exception', 'object', 'KeyboardInterrupt', 'SyntaxError']],
    ['Which statement allows objects like files to be used in a way that ensures they are always cleaned up promptly?', ['with', 'del', 'global', 'assert']],
    ['Pressing Control-C while a program runs raises which exception?', ['KeyboardInterrupt', 'ValueError', 'NameError', 'SystemExit']],
    ['What lets a program raise and handle several unrelated exceptions together?', ['ExceptionGroup', 'a tuple of strings', 'a finally clause', 'the pass statement']],
  ],
};

const sources = tutorialSources();
if (!sources) {
  console.log('python-tutorial: the Python docs (Debian python3-doc) are not installed and cannot be installed here; nothing measured.');
  process.exit(0);
}
mkdirSync(out, { recursive: true });
let turn = 7;
const shuffled = (options) => {
  const rest = [...options];
  const order = [];
  while (rest.length) order.push(rest.splice((turn = (turn * 31 + 11) % 97) % rest.length, 1)[0]);
  return order;
};
const sections = [];
const items = [];
Object.entries(CHAPTERS).forEach(([name, questions], i) => {
  const text = plainText(readFileSync(join(sources, `${name}.rst.txt`), 'utf8'));
  const section = { module_id: `python-${name}`, chapter: 1, section: `1.${i + 1}`, title: name, text, key_terms: [] };
  sections.push(section);
  questions.forEach(([question, options], j) => {
    const order = shuffled(options);
    const answer = order.indexOf(options[0]);
    items.push({ id: `${section.module_id}-${j + 1}`, chapter: 1, section: section.section, module_id: section.module_id, title: name, text, question, options: order, answer_index: answer, answer_letter: 'ABCD'[answer] });
  });
});
writeFileSync(join(out, 'sections.jsonl'), sections.map((s) => JSON.stringify(s)).join('\n') + '\n');
writeFileSync(join(out, 'items.jsonl'), items.map((s) => JSON.stringify(s)).join('\n') + '\n');
console.log(`python-tutorial: ${sections.length} chapters from ${sources}, ${items.length} questions, written to ${out}`);
const run = spawnSync(process.execPath, [join(here, 'run.mjs')], { stdio: 'inherit', env: { ...process.env, LEARNING_DATASET: out } });
process.exit(run.status ?? 1);
