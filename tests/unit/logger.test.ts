import { describe, expect, it } from 'vitest';
import { maskEmailAddresses, writtenByTurn } from '../../server/logging/logger.js';
import { captureLogs } from '../support/log-capture.js';

describe('the logger', () => {
  it('when cookies, CSRF and reset tokens, passwords and e-mails are logged, then their values are not written', () => {
    const { logger, text, lines } = captureLogs();
    logger.info(
      {
        cookie: 'epn.sid=s%3Asecret-session',
        headers: { cookie: 'epn.csrf=csrf-cookie-value', 'x-csrf-token': 'csrf-header-value' },
        body: {
          _csrf: 'csrf-field-value',
          password: 'mot-de-passe-secret',
          email: 'personne@exemple.fr',
          token: 'reset-token-value',
        },
        jeton: 'jeton-value',
      },
      'connexion',
    );
    const written = text();
    for (const secret of [
      'secret-session',
      'csrf-cookie-value',
      'csrf-header-value',
      'csrf-field-value',
      'mot-de-passe-secret',
      'personne@exemple.fr',
      'reset-token-value',
      'jeton-value',
    ]) {
      expect(written).not.toContain(secret);
    }
    expect(lines()).toHaveLength(1);
    expect(lines()[0].msg).toBe('connexion');
  });

  it('when an e-mail address appears in a message or an error, then it is masked, also percent-encoded', () => {
    const { logger, text } = captureLogs();
    logger.error(
      { err: new Error('duplicate key: Key (email)=(marie.dupont@exemple.fr) already exists') },
      'lien pour jean@exemple.org envoyé',
    );
    logger.info('GET /connexion?retour=%2F&email=paul%40exemple.fr');
    expect(text()).not.toMatch(/marie\.dupont|jean@|paul%40/);
    expect(text()).toContain('[masqué]');
  });

  it('when a text has no address, then it is left as it is', () => {
    expect(maskEmailAddresses('GET /lieux/12 200 @home')).toBe('GET /lieux/12 200 @home');
  });
});

describe('log lines written by turn of the event loop', () => {
  it('when lines are logged in one turn, then they go out in one write at its end, in order', async () => {
    const writes: string[] = [];
    const stream = writtenByTurn({ write: (text: string) => void writes.push(text) });
    stream.write('un\n');
    stream.write('deux\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['un\ndeux\n']);
    stream.write('trois\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['un\ndeux\n', 'trois\n']);
  });
});
