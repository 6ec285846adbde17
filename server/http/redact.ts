/** One-time tokens and passwords never reach the logs: their values are masked in logged URLs. */
const SECRET_PARAMS = /([?&](?:jeton|token|password|mot_de_passe|_csrf)=)[^&#]*/gi;

export const redactUrl = (url: string) => url.replace(SECRET_PARAMS, '$1[masqué]');
