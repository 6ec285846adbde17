/**
 * When a mediator's claim on a place is approved at once, and when a moderator must decide: the address
 * or domain the place itself lists proves it, a webmail or a shared national domain does not.
 */

/** Webmail domains: sharing one proves nothing about belonging to a place. */
const PUBLIC_WEBMAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.fr',
  'yahoo.com',
  'hotmail.fr',
  'hotmail.com',
  'outlook.fr',
  'outlook.com',
  'live.fr',
  'live.com',
  'msn.com',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'sfr.fr',
  'neuf.fr',
  'laposte.net',
  'gmx.fr',
  'gmx.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'aol.fr',
  'protonmail.com',
  'proton.me',
  'bbox.fr',
  'numericable.fr',
  'club-internet.fr',
  'aliceadsl.fr',
  'voila.fr',
  'yandex.com',
  'mail.com',
  'tutanota.com',
  'hotmail.be',
  'skynet.be',
]);

export const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * National networks and organisations whose one domain is used by many places all over France:
 * an address there says who employs someone, not which place they run.
 */
const SHARED_DOMAINS = new Set([
  'france-services.gouv.fr',
  'conseiller-numerique.fr',
  'conseiller-numerique.gouv.fr',
  'anct.gouv.fr',
  'laposte.fr',
  'croix-rouge.fr',
  'afpa.fr',
  'emmaus-connect.org',
  'emmaus-france.org',
  'groupe-sos.org',
  'famillesrurales.org',
  'pimms.org',
  'pimmsmediation.fr',
  'adoma.fr',
  'cdc-habitat.fr',
  'apf.asso.fr',
  'apf-francehandicap.org',
  'fondationface.org',
  'accorderie.fr',
  'apprentis-auteuil.org',
  'secours-populaire.fr',
  'secours-catholique.org',
  'caf.fr',
  'msa.fr',
  'francetravail.fr',
  'pole-emploi.fr',
  'pole-emploi.net',
  'assurance-maladie.fr',
  'ameli.fr',
  'cnfs.fr',
  'numerique.email',
  'mission-locale.fr',
  'unml.info',
  'ligue-enseignement.org',
  'laligue.org',
  'habitat-humanisme.org',
  'restosducoeur.org',
  'wecount.fr',
]);

/** Above this many published places sharing a domain, the domain proves nothing by itself. */
const MAX_PLACES_PER_CLAIM_DOMAIN = 3;

/** A shared national / organisation domain (or one of its sub-domains), or any State domain (*.gouv.fr). */
export function isSharedDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (d === 'gouv.fr' || d.endsWith('.gouv.fr')) return true;
  for (const shared of SHARED_DOMAINS) if (d === shared || d.endsWith(`.${shared}`)) return true;
  return false;
}

/**
 * How a claim can be approved at once: the exact listed address; or its domain, when the place
 * lists an address at that domain, the domain is neither a webmail nor a shared national one, and
 * at most MAX_PLACES_PER_CLAIM_DOMAIN published places list it (`placesWithDomain`). Otherwise null:
 * a moderator decides.
 */
export function automaticClaimMethod(
  userEmail: string,
  placeEmails: string[],
  placesWithDomain = 1,
): 'email' | 'domain' | null {
  const email = userEmail.toLowerCase();
  const listed = placeEmails.map((e) => e.toLowerCase());
  if (listed.includes(email)) return 'email';
  const domain = domainOf(email);
  if (PUBLIC_WEBMAIL.has(domain) || isSharedDomain(domain)) return null;
  if (!listed.some((e) => domainOf(e) === domain)) return null;
  return placesWithDomain <= MAX_PLACES_PER_CLAIM_DOMAIN ? 'domain' : null;
}
