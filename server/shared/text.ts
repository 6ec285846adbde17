/** Lower case, accents and ligatures folded to ASCII: "Œuvre Étienne" → "oeuvre etienne". */
export function foldToAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

/** Lowercase ASCII words joined by hyphens: "Point d'accès numérique CAF" → "point-d-acces-numerique-caf". */
export function slugify(text: string): string {
  return foldToAscii(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
