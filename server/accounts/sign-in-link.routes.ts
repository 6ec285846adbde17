import { Router, type Response } from 'express';
import { rotateCsrf } from '../http/csrf.js';
import type { RateLimits } from '../http/security.js';
import { parseOrThrow } from '../http/validation.js';
import type { Clock } from '../shared/clock.js';
import type { AfterResponse } from './after-response.js';
import { forgotSchema, tokenFormSchema, tokenQuerySchema } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';
import { errorSummary, parseForm } from '../shared/forms.js';
import { startSignedInSession } from './session.js';

/**
 * "Recevoir un lien de connexion": a one-time link (15 minutes, its SHA-256 only in the database)
 * e-mailed to the address, so that someone flooding an address with wrong passwords never keeps
 * its owner out (issue 11, defect 2). The answer is the same whether or not the address has an
 * account, and the e-mail goes after it.
 */
export function signInLinkRoutes(deps: {
  accounts: AccountsService;
  limits: RateLimits;
  clock: Clock;
  afterResponse: AfterResponse;
}) {
  const { accounts, limits, clock, afterResponse } = deps;
  const router = Router();

  const renderRequest = (res: Response, status: number, view: Record<string, unknown>) =>
    res
      .status(status)
      .render('pages/accounts/sign-in-link', { pageTitle: 'Recevoir un lien de connexion', nav: 'login', ...view });

  const deadLink = (res: Response) =>
    res.status(400).render('pages/accounts/message', {
      pageTitle: 'Lien invalide',
      title: 'Ce lien ne fonctionne plus',
      text: 'Le lien de connexion a déjà servi ou a expiré (il est valable 15 minutes). Demandez-en un nouveau.',
      link: { href: '/connexion/lien', label: 'Recevoir un nouveau lien' },
    });

  router.get('/connexion/lien', (req, res) => {
    if (res.locals.currentUser) return res.redirect(302, '/mon-espace');
    renderRequest(res, 200, {});
  });

  router.post('/connexion/lien', limits.signInLinkRequestPerIp, limits.signInLinkMailsPerAddress, (req, res) => {
    const parsed = parseForm(forgotSchema, req.body);
    if (!parsed.ok) {
      const typed = (req.body as Record<string, unknown> | undefined)?.email;
      const email = typeof typed === 'string' ? typed : '';
      return renderRequest(res, 400, { errors: parsed.errors, errorList: errorSummary(parsed.errors), email });
    }
    const email = parsed.data.email;
    if (!res.locals.mailThrottled) afterResponse.run(res, () => accounts.requestSignInLink(email));
    res.render('pages/accounts/message', {
      pageTitle: 'Vérifiez votre boîte e-mail',
      title: 'Vérifiez votre boîte e-mail',
      text: `Si un compte existe pour ${email}, un lien de connexion vient d’y être envoyé. Il est valable 15 minutes.`,
    });
  });

  // Opening the link shows a button: mail scanners that follow links do not use it up.
  router.get('/connexion/lien/ouvrir', async (req, res) => {
    const { jeton } = parseOrThrow(tokenQuerySchema, req.query);
    if (!jeton || !(await accounts.isSignInTokenUsable(jeton))) return deadLink(res);
    res.set('Referrer-Policy', 'same-origin');
    res.render('pages/accounts/sign-in-link-open', { pageTitle: 'Se connecter', jeton });
  });

  router.post('/connexion/lien/ouvrir', limits.signInLinkPerIp, async (req, res) => {
    const parsed = tokenFormSchema.safeParse(req.body);
    const userId = parsed.success ? await accounts.signInWithLink(parsed.data.jeton) : undefined;
    if (!userId) return deadLink(res);
    await startSignedInSession(req, userId, clock.now());
    rotateCsrf(res);
    res.redirect(303, '/mon-espace');
  });

  return router;
}
