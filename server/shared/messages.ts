/** French messages that several features show: written once, so the wording stays the same everywhere. */
export const MESSAGES = {
  emailNotVerified: 'Confirmez d’abord votre adresse e-mail (lien reçu à l’inscription).',
  placeNotPublished: 'Ce lieu n’existe pas ou n’est plus publié.',
  textSearchBusy: 'Trop de recherches par mots en ce moment. Réessayez dans un instant.',
  dateDoesNotExist: 'Cette date n’existe pas.',
  labelSlugExpected: 'Identifiant de label attendu (ex. netpublic).',
} as const;
