import { describe, expect, it } from 'vitest';
import { ValidationError } from '@learner/common/errors';
import { spokenParts, validateSsml, withSpeakingRate } from './ssml.js';

describe('validateSsml', () => {
  it('returns the spoken text with entities decoded and pauses kept apart', () => {
    expect(validateSsml('<?xml version="1.0"?><speak><p>One.</p><p>Two &amp; three</p></speak>').text).toBe('One. Two & three');
  });

  it('refuses a document that is not well-formed, naming the line', () => {
    expect(() => validateSsml('<speak>open <emphasis></speak>')).toThrow(ValidationError);
    try {
      validateSsml('<speak>\nopen <emphasis></speak>');
    } catch (err) {
      expect((err as ValidationError).details.ssml).toMatch(/line 2/);
    }
  });

  it('refuses elements neither engine supports, such as audio that names a file', () => {
    expect(() => validateSsml('<speak>Hi <audio src="/etc/passwd"/></speak>')).toThrow(/<audio>/);
    expect(validateSsml('<speak><amazon:effect name="whispered">psst</amazon:effect></speak>').text).toBe('psst');
  });

  it('refuses a root other than speak, and plain text', () => {
    expect(() => validateSsml('<prosody>Hi</prosody>')).toThrow(/<speak>/);
    expect(() => validateSsml('just words')).toThrow(ValidationError);
  });
});

describe('withSpeakingRate', () => {
  it('wraps plain text, escaped, in a prosody rate', () => {
    expect(withSpeakingRate({ text: 'a < b', textType: 'text' }, 1.5)).toBe(
      '<speak><prosody rate="150%">a &lt; b</prosody></speak>',
    );
  });

  it('wraps the content of an SSML document and keeps the root attributes', () => {
    const out = withSpeakingRate({ text: '<speak xml:lang="en-US">Hi <break/></speak>', textType: 'ssml' }, 0.5);
    expect(out).toBe('<speak xml:lang="en-US"><prosody rate="50%">Hi <break/></prosody></speak>');
    expect(validateSsml(out).text).toBe('Hi');
  });
});

describe('spokenParts', () => {
  it('cuts the text at breaks, with the pause each asks for by time or strength', () => {
    const ssml = '<speak>Hello <break time="300ms"/> <emphasis>students</emphasis> &amp; teachers.<break time="1.5s"/>Now<break strength="strong"/>go<break/>on</speak>';
    expect(spokenParts(ssml)).toEqual([
      { text: 'Hello' },
      { pauseMs: 300 },
      { text: 'students & teachers.' },
      { pauseMs: 1500 },
      { text: 'Now' },
      { pauseMs: 750 },
      { text: 'go' },
      { pauseMs: 400 },
      { text: 'on' },
    ]);
  });

  it('keeps sentences and paragraphs apart, pauses between paragraphs, and reads a sub by its alias', () => {
    const ssml = '<speak><p><s>One</s><s>Two <sub alias="World Wide Web">WWW</sub></s></p><p>Three</p></speak>';
    expect(spokenParts(ssml)).toEqual([{ text: 'One' }, { text: 'Two World Wide Web' }, { pauseMs: 500 }, { text: 'Three' }]);
  });

  it('caps a break at ten seconds and drops a break of none', () => {
    expect(spokenParts('<speak>a<break time="60s"/>b<break strength="none"/>c</speak>')).toEqual([
      { text: 'a' },
      { pauseMs: 10_000 },
      { text: 'b' },
      { text: 'c' },
    ]);
  });
});
