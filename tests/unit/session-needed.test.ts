import { describe, expect, it } from 'vitest';
import { sessionNeeded } from '../../server/accounts/session.js';

const request = (method: string, path: string, cookie?: string) => ({
  method,
  path,
  headers: cookie === undefined ? {} : { cookie },
});

describe('which requests go through the sessions', () => {
  it('when a visitor without our cookie reads a public page, then no session is made for them', () => {
    for (const path of ['/', '/lieux/12-mediatheque', '/articles/un-article', '/labels/netpublic', '/connexions']) {
      expect(sessionNeeded(request('GET', path))).toBe(false);
      expect(sessionNeeded(request('HEAD', path, 'epn.csrf=abc; autre=1'))).toBe(false);
    }
  });

  it('when someone holds the session cookie, then every request of theirs reads their session', () => {
    expect(sessionNeeded(request('GET', '/', 'epn.sid=s%3Aabc'))).toBe(true);
    expect(sessionNeeded(request('GET', '/lieux/12', 'epn.csrf=x; epn.sid=s%3Aabc'))).toBe(true);
  });

  it('when a request writes, or reads a private path (a sign-in link is a GET), then it has a session', () => {
    expect(sessionNeeded(request('POST', '/lieux/12/signalement'))).toBe(true);
    expect(sessionNeeded(request('POST', '/connexion'))).toBe(true);
    for (const path of ['/connexion', '/connexion/lien/ouvrir', '/compte/verifier', '/mon-espace', '/deconnexion']) {
      expect(sessionNeeded(request('GET', path))).toBe(true);
    }
  });
});
