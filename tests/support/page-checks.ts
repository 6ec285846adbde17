import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD } from './session.js';

/**
 * What the browser refused or ran on a page: Content-Security-Policy violations (the event and the
 * console line), script errors, and dialogs (alert/confirm/prompt, which an XSS payload would open).
 * The listener is added before any page script, from outside the page, so the CSP does not stop it.
 */
export async function watchPage(context: BrowserContext, page: Page) {
  const seen = { violations: [] as string[], errors: [] as string[], dialogs: [] as string[] };
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const list = ((window as unknown as { __cspViolations?: string[] }).__cspViolations ??= []);
      list.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.violations.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    seen,
    /** Violations the page itself recorded (events), added to those read from the console. */
    async violations(): Promise<string[]> {
      const fromEvents = await page.evaluate(
        () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
      );
      return [...seen.violations, ...fromEvents];
    },
  };
}

/** Signs in through the real form in this browser tab. */
export async function signInInBrowser(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
}
