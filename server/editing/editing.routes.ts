import { Router } from 'express';
import { requireUser } from '../accounts/auth.middleware.js';

/** "Mon espace" and the section edit forms of the places a mediator manages. */
export function editingRoutes() {
  const router = Router();
  router.get('/mon-espace', requireUser, (req, res) => {
    res.render('pages/editing/dashboard', {
      pageTitle: 'Mon espace',
      nav: 'account',
      verificationSent: req.query.message === 'verification-envoyee',
    });
  });
  return router;
}
