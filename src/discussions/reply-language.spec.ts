import { detectLanguage } from './reply-language.js';

describe('detectLanguage', () => {
  it('tells the three languages apart', () => {
    expect(detectLanguage('Nuestra experiencia con la digitalización del transporte público fue positiva')).toBe('es');
    expect(detectLanguage('Les mobilités douces transforment nos quartiers depuis deux ans')).toBe('fr');
    expect(detectLanguage('Our city council opened new protected bike lanes last spring')).toBe('en');
  });

  it('does not guess from a word or two', () => {
    expect(detectLanguage('Bogotá')).toBeNull();
    expect(detectLanguage('**ok** https://example.org/a-long-link')).toBeNull();
  });
});
