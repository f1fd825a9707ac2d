// Builds long study documents (50 pages) of the kind learners upload: chapters of prose with
// definitions, names, places, years and figures. Deterministic, so runs compare.

function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pick = (random, items) => items[Math.floor(random() * items.length)];

const subjects = {
  history: {
    title: 'A history of the early modern states',
    people: ['Catherine Medici', 'Henry Navarre', 'Gustav Vasa', 'Elizabeth Tudor', 'Philip Habsburg', 'Oliver Cromwell', 'Jean Colbert', 'Peter Romanov', 'Maria Theresa', 'Frederick Hohenzollern', 'Cardinal Richelieu', 'William Orange', 'Anne Boleyn', 'Thomas Cranmer', 'Martin Luther', 'John Calvin'],
    places: ['Paris', 'Madrid', 'Vienna', 'Stockholm', 'London', 'Amsterdam', 'Prague', 'Lisbon', 'Venice', 'Warsaw', 'Geneva', 'Antwerp', 'Seville', 'Naples'],
    orgs: ['Royal Council', 'Estates Assembly', 'East India Company', 'Hanseatic League', 'Privy Council', 'Holy League', 'Royal Navy', 'Catholic League'],
    concepts: [
      ['mercantilism', 'an economic policy', 'aims to increase national wealth by exporting more than the state imports'],
      ['absolutism', 'a form of monarchy', 'places unlimited power in the hands of the ruler'],
      ['the reformation', 'a religious movement', 'challenged the authority of the papacy over the church'],
      ['a standing army', 'a permanent force', 'is kept under arms in peace as well as in war'],
      ['a tariff', 'a tax', 'is charged on goods brought into a country'],
      ['a charter', 'a written grant', 'gives a company or town rights that the crown protects'],
      ['the enlightenment', 'an intellectual movement', 'valued reason and evidence over tradition'],
      ['a treaty', 'a formal agreement', 'ends a war or settles a dispute between states'],
    ],
    details: ['the number of soldiers', 'the annual revenue', 'the population of the capital', 'the size of the fleet', 'the price of grain'],
  },
  biology: {
    title: 'Principles of cell and plant biology',
    people: ['Robert Brown', 'Barbara McClintock', 'Gregor Mendel', 'Rosalind Franklin', 'Lynn Margulis', 'Antonie Leeuwenhoek', 'Theodor Schwann', 'Hans Krebs', 'Peter Mitchell', 'Carl Woese'],
    places: ['Cambridge', 'Leiden', 'Berlin', 'Vienna', 'Pasadena', 'Edinburgh', 'Uppsala', 'Heidelberg'],
    orgs: ['Royal Society', 'Pasteur Institute', 'Marine Biological Laboratory', 'Carnegie Institution'],
    concepts: [
      ['the mitochondrion', 'an organelle', 'releases energy from glucose during aerobic respiration'],
      ['the ribosome', 'a molecular machine', 'joins amino acids into proteins'],
      ['osmosis', 'a kind of diffusion', 'moves water across a partially permeable membrane'],
      ['an enzyme', 'a protein catalyst', 'speeds up a reaction without being used up'],
      ['the chloroplast', 'an organelle', 'captures light energy for photosynthesis'],
      ['meiosis', 'a type of cell division', 'halves the number of chromosomes in a cell'],
      ['a gene', 'a section of DNA', 'carries the instructions for one protein'],
      ['transpiration', 'a process', 'moves water from the roots to the leaves and out of the stomata'],
      ['the cytoskeleton', 'a network of fibres', 'gives the cell its shape and moves organelles'],
      ['homeostasis', 'a state of balance', 'keeps the internal conditions of an organism stable'],
    ],
    details: ['the diameter of the cell', 'the rate of respiration', 'the number of chromosomes', 'the length of the cycle', 'the optimum temperature'],
  },
  geography: {
    title: 'Physical geography: rivers, climate and landforms',
    people: ['Alexander Humboldt', 'Wladimir Koppen', 'Alfred Wegener', 'Marie Tharp', 'Arthur Holmes', 'William Morris Davis', 'Luke Howard', 'Gilbert White'],
    places: ['Amazon Basin', 'Sahara', 'Himalaya', 'Nile Delta', 'Rocky Mountains', 'Ganges Plain', 'Atacama Desert', 'Great Rift Valley', 'Andes', 'Mekong Delta'],
    orgs: ['Royal Geographical Society', 'World Meteorological Organization', 'Geological Survey', 'National Weather Service'],
    concepts: [
      ['erosion', 'a process', 'wears away rock and soil by water, wind or ice'],
      ['a meander', 'a bend in a river', 'forms where water flows faster on the outer bank'],
      ['the water cycle', 'a continuous cycle', 'moves water between the oceans, the air and the land'],
      ['a delta', 'a landform', 'builds up where a river deposits sediment at its mouth'],
      ['weathering', 'the breakdown of rock', 'happens in place without the rock being moved'],
      ['a monsoon', 'a seasonal wind', 'brings heavy rain to south Asia in summer'],
      ['plate tectonics', 'a theory', 'explains the movement of the plates of the lithosphere'],
      ['an aquifer', 'a layer of rock', 'holds groundwater that wells can draw on'],
    ],
    details: ['the discharge of the river', 'the annual rainfall', 'the height of the peak', 'the area of the basin', 'the average temperature'],
  },
};

const verbs = ['studied', 'described', 'challenged', 'supported', 'reformed', 'measured', 'mapped', 'explained'];
const relations = ['because', 'after', 'before', 'while', 'which led to'];

function sentenceFor(subject, random) {
  const year = 1500 + Math.floor(random() * 480);
  const person = pick(random, subject.people);
  const place = pick(random, subject.places);
  const org = pick(random, subject.orgs);
  const [term, genus, differentia] = pick(random, subject.concepts);
  const other = pick(random, subject.concepts)[0];
  const detail = pick(random, subject.details);
  const figure = Math.floor(random() * 900) + 12;
  const capitalTerm = term.charAt(0).toUpperCase() + term.slice(1);
  switch (Math.floor(random() * 9)) {
    case 0:
      return `${capitalTerm} is ${genus} that ${differentia}.`;
    case 1:
      return `In ${year}, ${person} ${pick(random, verbs)} ${term} in ${place}.`;
    case 2:
      return `${person} worked with the ${org} in ${place} for many years.`;
    case 3:
      return `Records from ${year} put ${detail} at about ${figure} in ${place}.`;
    case 4:
      return `The ${org} was founded in ${place} in ${year}, ${pick(random, relations)} ${person} argued for it.`;
    case 5:
      return `Students often confuse ${term} with ${other}, although the two differ in important ways.`;
    case 6:
      return `According to ${person}, ${term} matters more than ${other} in ${place}.`;
    case 7:
      return `By ${year} ${detail} had risen to ${figure}, ${pick(random, relations)} ${term} became widespread.`;
    default:
      return `Historians of the subject still debate how ${term} shaped events in ${place}.`;
  }
}

/** A document of `pageCount` pages on one subject, as `[{page, text}]`. */
export function studyDocument(subjectName, pageCount, seed) {
  const subject = subjects[subjectName];
  const random = createRandom(seed);
  const pages = [];
  for (let page = 1; page <= pageCount; page++) {
    const paragraphs = [];
    if (page === 1) paragraphs.push(subject.title);
    for (let p = 0; p < 4; p++) {
      const sentences = Array.from({ length: 5 + Math.floor(random() * 3) }, () => sentenceFor(subject, random));
      paragraphs.push(sentences.join(' '));
    }
    pages.push({ page, text: paragraphs.join('\n\n') });
  }
  return pages;
}

export const subjectNames = Object.keys(subjects);
