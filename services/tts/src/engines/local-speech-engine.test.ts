import { describe, expect, it } from 'vitest';
import { parseEspeakVoices, parseFliteVoices, toLanguageTag } from './local-speech-engine.js';

describe('voice discovery output parsing', () => {
  it("keeps only flite's natural voices", () => {
    expect(parseFliteVoices('Voices available: kal awb_time kal16 awb rms slt \n').map((v) => v.id)).toEqual([
      'flite-awb',
      'flite-rms',
      'flite-slt',
    ]);
  });

  it('reads the espeak-ng table, naming voices by their file so ids stay unique', () => {
    const table = [
      'Pty Language       Age/Gender VoiceName          File                 Other Languages',
      ' 5  en-us           --/M      English_(America)  gmw/en-US            (en 3)',
      ' 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)',
      ' 5  yue             --/F      Chinese_(Cantonese,_latin_as_Jyutping) sit/yue-Latn-jyutping (zh-yue 5)(zh 8)',
      '',
    ].join('\n');
    expect(parseEspeakVoices(table)).toEqual([
      { id: 'espeak-en-US', name: 'English (America) (espeak-ng)', language: 'en-US', gender: 'male', engine: 'espeak-ng' },
      { id: 'espeak-yue', name: 'Chinese (Cantonese) (espeak-ng)', language: 'yue', gender: 'male', engine: 'espeak-ng' },
      {
        id: 'espeak-yue-Latn-jyutping',
        name: 'Chinese (Cantonese, latin as Jyutping) (espeak-ng)',
        language: 'yue',
        gender: 'female',
        engine: 'espeak-ng',
      },
    ]);
  });

  it('writes language names as BCP 47 tags', () => {
    expect(toLanguageTag('en-gb-x-rp')).toBe('en-GB-x-rp');
    expect(toLanguageTag('sr-latn')).toBe('sr-Latn');
    expect(toLanguageTag('cmn')).toBe('cmn');
  });
});
