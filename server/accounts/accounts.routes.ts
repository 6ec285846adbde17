import { Router, type Request, type Response } from 'express';
import type { Clock } from '../shared/clock.js';
import { parseOrThrow } from '../http/validation.js';
import { rotateCsrf } from '../http/csrf.js';
import { noStore, PRIVATE_PATHS, type RateLimits } from '../http/security.js';
import {
  forgotSchema,
  idParamSchema,
  loginSchema,
  PASSWORD_MIN,
  resetSchema,
  returnTo,
  roleChangeSchema,
  signupSchema,
  tokenQuerySchema,
} from './accounts.schemas.js';
import type { AfterResponse } from './after-response.js';
import type { AccountsService } from './accounts.service.js';
import { ROLE_NAMES, ROLES } from './accounts.types.js';
import { requireRole, requireUser, signedInUser } from './auth.middleware.js';
import { errorSummary, parseForm } from '../shared/forms.js';
import { signInLinkRoutes } from './sign-in-link.routes.js';
import { destroySession, startSignedInSession } from './session.js';
import { SESSION_COOKIE } from '../http/request-kind.js';

const field = (body: unknown, name: string) => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/**
 * Sign-up, e-mail verification, log-in (password or e-mailed link), log-out, password reset, and
 * the admins' user list. What e-mails an address that a visitor typed runs after the answer
 * (`afterResponse`), so that the answer's timing does not tell whether the address has an account.
 */
export function accountsRoutes(deps: {
  accounts: AccountsService;
  limits: RateLimits;
  clock: Clock;
  afterResponse: AfterResponse;
}) {
  const { accounts, limits, clock, afterResponse } = deps;
  const router = Router();
  // Account and token pages, and the private areas (anonymous visitors get their redirects): never cached.
  router.use(PRIVATE_PATHS, noStore);
  router.use(signInLinkRoutes(deps));

  const renderLogin = (res: Response, status: number, view: Record<string, unknown>) =>
    res
      .status(status)
      .render('pages/accounts/login', { pageTitle: 'Connexion', nav: 'login', passwordMin: PASSWORD_MIN, ...view });

  router.get('/connexion', (req, res) => {
    if (res.locals.currentUser) return res.redirect(302, '/mon-espace');
    const retour = returnTo.parse(typeof req.query.retour === 'string' ? req.query.retour : undefined);
    const notice =
      req.query.message === 'mot-de-passe-change' ? 'Votre mot de passe est changé : connectez-vous.' : undefined;
    renderLogin(res, 200, { retour, notice });
  });

  router.post('/connexion', limits.loginPerIp, limits.loginPerAccountAndIp, async (req, res) => {
    const parsed = parseForm(loginSchema, req.body);
    const email = field(req.body, 'email');
    if (!parsed.ok)
      return renderLogin(res, 400, {
        errors: parsed.errors,
        errorList: errorSummary(parsed.errors),
        email,
        retour: returnTo.parse(field(req.body, 'retour')),
      });
    const user = await accounts.authenticate(parsed.data.email, parsed.data.password);
    if (!user) {
      const message = 'Adresse e-mail ou mot de passe incorrect.';
      return renderLogin(res, 401, { formError: message, email, retour: parsed.data.retour });
    }
    await startSignedInSession(req, user.id, clock.now());
    rotateCsrf(res);
    res.redirect(303, parsed.data.retour ?? '/mon-espace');
  });

  router.post('/deconnexion', async (req, res) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    rotateCsrf(res);
    res.redirect(303, '/');
  });

  const renderSignup = (res: Response, status: number, view: Record<string, unknown>) =>
    res.status(status).render('pages/accounts/signup', {
      pageTitle: 'Créer un compte',
      nav: 'login',
      passwordMin: PASSWORD_MIN,
      ...view,
    });

  router.get('/inscription', (_req, res) => renderSignup(res, 200, {}));

  router.post('/inscription', limits.signupPerIp, limits.signupMailsPerAddress, (req, res) => {
    const parsed = parseForm(signupSchema, req.body);
    if (!parsed.ok)
      return renderSignup(res, 400, {
        errors: parsed.errors,
        errorList: errorSummary(parsed.errors),
        email: field(req.body, 'email'),
      });
    // Past the per-address limit, nothing more is sent, and the answer does not change.
    if (!res.locals.mailThrottled) afterResponse.run(res, () => accounts.signUp(parsed.data));
    res.status(200).render('pages/accounts/message', {
      pageTitle: 'Vérifiez votre boîte e-mail',
      title: 'Vérifiez votre boîte e-mail',
      text:
        `Si l’adresse ${parsed.data.email} peut être utilisée, un message vient d’y être envoyé ` +
        'avec un lien pour confirmer votre compte et choisir votre mot de passe.',
    });
  });

  const renderConfirm = (res: Response, status: number, view: Record<string, unknown>) =>
    res
      .status(status)
      .render('pages/accounts/confirm', { pageTitle: 'Confirmer votre adresse', passwordMin: PASSWORD_MIN, ...view });

  const deadConfirmationLink = (res: Response) =>
    res.status(400).render('pages/accounts/message', {
      pageTitle: 'Lien invalide',
      title: 'Ce lien ne fonctionne plus',
      text:
        'Le lien a déjà servi, a expiré ou est incomplet. ' +
        'Connectez-vous pour en recevoir un nouveau, ou demandez un lien de connexion.',
      link: res.locals.currentUser
        ? { href: '/mon-espace', label: 'Aller à mon espace' }
        : { href: '/connexion', label: 'Se connecter' },
    });

  // Opening the link only shows the form: mail scanners that follow links use nothing.
  router.get('/compte/verifier', async (req, res) => {
    const { jeton } = parseOrThrow(tokenQuerySchema, req.query);
    if (!jeton || !(await accounts.isVerifyTokenUsable(jeton))) return deadConfirmationLink(res);
    // The token never leaves the site in a Referer, and the form still posts with our Origin
    // ('no-referrer' would make it `null`, which the CSRF check refuses as another site).
    res.set('Referrer-Policy', 'same-origin');
    renderConfirm(res, 200, { jeton });
  });

  router.post('/compte/verifier', limits.confirmPerIp, async (req, res) => {
    const parsed = parseForm(resetSchema, req.body);
    const jeton = field(req.body, 'jeton');
    if (!parsed.ok) {
      if (parsed.errors.jeton) return deadConfirmationLink(res);
      return renderConfirm(res, 400, { jeton, errors: parsed.errors, errorList: errorSummary(parsed.errors) });
    }
    const userId = await accounts.confirmAccount(parsed.data.jeton, parsed.data.password);
    if (!userId) return deadConfirmationLink(res);
    // The person who clicked holds the mailbox and has just chosen the password: they are signed in.
    await startSignedInSession(req, userId, clock.now());
    rotateCsrf(res);
    res.redirect(303, '/mon-espace?message=adresse-confirmee');
  });

  router.post('/compte/renvoyer-verification', requireUser, limits.resendVerificationPerIp, async (_req, res) => {
    await accounts.resendVerification(signedInUser(res).id);
    res.redirect(303, '/mon-espace?message=verification-envoyee');
  });

  const renderForgot = (res: Response, status: number, view: Record<string, unknown>) =>
    res.status(status).render('pages/accounts/forgot', { pageTitle: 'Mot de passe oublié', nav: 'login', ...view });

  router.get('/mot-de-passe-oublie', (_req, res) => renderForgot(res, 200, {}));

  router.post('/mot-de-passe-oublie', limits.resetRequestPerIp, limits.resetMailsPerAddress, (req, res) => {
    const parsed = parseForm(forgotSchema, req.body);
    if (!parsed.ok)
      return renderForgot(res, 400, {
        errors: parsed.errors,
        errorList: errorSummary(parsed.errors),
        email: field(req.body, 'email'),
      });
    // Past the per-address limit, nothing more is sent, and the answer does not change.
    const email = parsed.data.email;
    if (!res.locals.mailThrottled) afterResponse.run(res, () => accounts.requestReset(email));
    res.render('pages/accounts/message', {
      pageTitle: 'Vérifiez votre boîte e-mail',
      title: 'Vérifiez votre boîte e-mail',
      text:
        `Si un compte existe pour ${parsed.data.email}, un lien pour choisir un nouveau mot de passe ` +
        'vient d’y être envoyé. Il est valable une heure.',
    });
  });

  const renderReset = (res: Response, status: number, view: Record<string, unknown>) =>
    res
      .status(status)
      .render('pages/accounts/reset', { pageTitle: 'Nouveau mot de passe', passwordMin: PASSWORD_MIN, ...view });

  const invalidLink = (res: Response) =>
    res.status(400).render('pages/accounts/message', {
      pageTitle: 'Lien invalide',
      title: 'Ce lien ne fonctionne plus',
      text: 'Le lien a déjà servi ou a expiré (il est valable une heure). Demandez-en un nouveau.',
      link: { href: '/mot-de-passe-oublie', label: 'Recevoir un nouveau lien' },
    });

  router.get('/mot-de-passe/nouveau', async (req, res) => {
    const { jeton } = parseOrThrow(tokenQuerySchema, req.query);
    if (!jeton || !(await accounts.isResetTokenUsable(jeton))) return invalidLink(res);
    // The token stays out of Referer headers sent to other sites.
    res.set('Referrer-Policy', 'same-origin');
    renderReset(res, 200, { jeton });
  });

  router.post('/mot-de-passe/nouveau', limits.resetPerIp, async (req: Request, res) => {
    const parsed = parseForm(resetSchema, req.body);
    const jeton = field(req.body, 'jeton');
    if (!parsed.ok) {
      if (parsed.errors.jeton) return invalidLink(res);
      return renderReset(res, 400, { jeton, errors: parsed.errors, errorList: errorSummary(parsed.errors) });
    }
    const ok = await accounts.resetPassword(parsed.data.jeton, parsed.data.password);
    if (!ok) return invalidLink(res);
    await destroySession(req);
    rotateCsrf(res);
    res.redirect(303, '/connexion?message=mot-de-passe-change');
  });

  // ---------- Administration: roles ----------

  router.get('/admin/utilisateurs', requireRole('admin'), async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : undefined;
    const users = await accounts.listUsers(q);
    res.render('pages/accounts/admin-users', {
      pageTitle: 'Comptes',
      nav: 'account',
      q,
      users: users.map((u) => ({
        ...u,
        roleName: ROLE_NAMES[u.role],
        roles: ROLES.map((r) => ({ value: r, name: ROLE_NAMES[r], selected: r === u.role })),
      })),
      saved: req.query.message === 'role',
    });
  });

  router.post('/admin/utilisateurs/:id/role', requireRole('admin'), async (req, res) => {
    const { id } = parseOrThrow(idParamSchema, req.params);
    const { role } = parseOrThrow(roleChangeSchema, req.body);
    await accounts.changeRole(signedInUser(res), id, role);
    res.redirect(303, '/admin/utilisateurs?message=role');
  });

  return router;
}
