import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeEmail, EMAILS_DIR, renderEmail, type EmailData, type EmailName } from '../../server/mail/emails.js';

const link = 'https://epn.test/compte/verifier?jeton=abc&retour=%2F';
const nom = 'L’EPN « d’Arles » & <Cie>';
const reason = 'Horaires corrigés';

/** One example of each e-mail's data: the type makes this list name every template. */
const examples: { [K in EmailName]: EmailData[K] } = {
  'verify-email': { link },
  'account-exists': { loginUrl: 'https://epn.test/connexion', resetUrl: 'https://epn.test/mot-de-passe-oublie' },
  'set-password': { link, newAdmin: false },
  'sign-in-link': { link },
  'role-changed': { roleName: 'Modérateur' },
  'claim-approved-automatically': { nom, spaceUrl: 'https://epn.test/mon-espace' },
  'claim-received': { nom },
  'claim-accepted': { nom, spaceUrl: 'https://epn.test/mon-espace' },
  'claim-rejected': { nom, reason },
  'claim-revoked': { nom, reason },
  'proposal-published': { nom, placeUrl: 'https://epn.test/lieux/3-epn', spaceUrl: 'https://epn.test/mon-espace' },
  'proposal-rejected': { nom, reason },
  'label-request-accepted': { adding: true, labelName: 'NetPublic', placeNom: nom },
  'label-request-rejected': { adding: false, labelName: 'NetPublic', placeNom: nom, reason },
  'report-accepted': { nom, reason },
  'report-rejected': { nom, reason: null },
};

describe('e-mail templates (server/views/emails)', () => {
  it('when the folder is listed, then every template has an example here and every example a template', () => {
    const files = readdirSync(EMAILS_DIR)
      .filter((file) => file.endsWith('.hbs'))
      .map((file) => file.replace(/\.hbs$/, ''));
    expect(files.sort()).toEqual(Object.keys(examples).sort());
  });

  it.each(Object.entries(examples))(
    'when %s is rendered with its data, then it has a subject and a greeting, and no "{{" is left',
    (name, data) => {
      const { subject, text } = renderEmail(name as EmailName, data as never);
      expect(subject).toMatch(/^\S.* — EPN Finder$/);
      expect(subject).not.toContain('\n');
      expect(text).toMatch(/^Bonjour,\n\n/);
      expect(text.endsWith('\n')).toBe(true);
      expect(`${subject}\n${text}`).not.toMatch(/\{\{|\}\}|undefined|null/);
    },
  );

  it('when values carry "&", "<" or apostrophes, then the plain text keeps them as is (nothing HTML-escaped)', () => {
    expect(renderEmail('verify-email', { link }).text).toContain(`\n\n${link}\n\n`);
    expect(renderEmail('claim-received', { nom }).subject).toBe(`Demande reçue pour « ${nom} » — EPN Finder`);
  });

  it('when a moderator gives a reason, then it follows "Motif :" on its own last line', () => {
    expect(renderEmail('claim-rejected', { nom: 'EPN du Port', reason }).text).toBe(
      'Bonjour,\n\nLa modération n’a pas accepté votre demande pour « EPN du Port ».\nMotif : Horaires corrigés\n',
    );
  });

  it('when a report is settled with or without a reason, then the sentence reads well both ways', () => {
    expect(renderEmail('report-accepted', { nom: 'EPN du Port', reason }).text).toContain(
      'a été pris en compte (Horaires corrigés).\n',
    );
    expect(renderEmail('report-accepted', { nom: 'EPN du Port', reason: null }).text).toContain(
      'a été pris en compte.\n',
    );
    expect(renderEmail('report-rejected', { nom: 'EPN du Port', reason: null }).text).toContain(
      'la fiche n’a pas été modifiée.\n',
    );
  });

  it('when a label request is decided, then the e-mail says it in words (add or remove, the label, the place)', () => {
    const text = renderEmail('label-request-rejected', {
      adding: false,
      labelName: 'NetPublic',
      placeNom: 'EPN du Port',
      reason,
    }).text;
    expect(text).toBe(
      'Bonjour,\n\n' +
        'Votre demande (retirer le label « NetPublic » pour « EPN du Port ») n’est pas acceptée.\n' +
        'Motif : Horaires corrigés\n',
    );
  });

  it('when the password e-mail goes to a new administrator, then it says the account was opened for them', () => {
    expect(renderEmail('set-password', { link, newAdmin: true }).text).toContain(
      'Un compte d’administration EPN Finder a été ouvert pour vous.\n',
    );
    expect(renderEmail('set-password', { link, newAdmin: false }).text).toContain(
      'Vous avez demandé à changer le mot de passe',
    );
  });

  it('when data is missing, then rendering fails instead of sending a message with a hole', () => {
    expect(() => renderEmail('claim-received', {} as never)).toThrow();
  });

  it('when a message is composed, then it carries the address, the rendered texts and the one link', () => {
    expect(composeEmail('a@exemple.test', 'verify-email', { link }, link)).toEqual({
      to: 'a@exemple.test',
      ...renderEmail('verify-email', { link }),
      link,
    });
    expect(composeEmail('a@exemple.test', 'role-changed', { roleName: 'Administrateur' })).not.toHaveProperty('link');
  });
});
