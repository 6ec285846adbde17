import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../server/http/redact.js';

describe('logged URLs', () => {
  it('when a URL carries a one-time token, then its value is masked', () => {
    expect(redactUrl('/mot-de-passe/nouveau?jeton=abcDEF123_-x&b=1')).toBe('/mot-de-passe/nouveau?jeton=[masqué]&b=1');
    expect(redactUrl('/compte/verifier?x=1&jeton=abc')).toBe('/compte/verifier?x=1&jeton=[masqué]');
    expect(redactUrl('/lieux?q=jeton')).toBe('/lieux?q=jeton');
  });
});
