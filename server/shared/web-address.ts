import { z } from 'zod';

/**
 * A web address that may become a link: http or https only. Any other scheme — `javascript:` and
 * `data:` run in the page on click, `file:`, `ftp:` and the like point nowhere useful — is refused
 * with a French message naming the field, so a form shows it next to the field and an import's
 * report says which value of which field was set aside.
 */
export const webAddress = (field: string) =>
  z.url({
    protocol: /^https?$/,
    error: `${field} : adresse web invalide (elle doit commencer par http:// ou https://).`,
  });
