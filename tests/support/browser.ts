import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { resolveChromium } from './chromium.js';

/**
 * A real Chromium (CHROMIUM_PATH, else the system's, else the one inside @sparticuz/chromium: see
 * ./chromium.ts) driven by playwright-core, against the real app listening on a free loopback port.
 * Every request to another host is refused, so tests never touch the network.
 */
export function useBrowser(getApp: () => Express) {
  const state: { browser?: Browser; server?: Server; baseUrl: string } = { baseUrl: '' };
  beforeAll(async () => {
    state.server = await new Promise<Server>((resolve) => {
      const server = getApp().listen(0, '127.0.0.1', () => resolve(server));
    });
    state.baseUrl = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
    const { executablePath } = await resolveChromium(process.env);
    state.browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
  });
  afterAll(async () => {
    await state.browser?.close();
    await new Promise((resolve) => state.server?.close(resolve));
  });
  return {
    get baseUrl() {
      return state.baseUrl;
    },
    /** A fresh context; outside requests are aborted (tiles included, unless a test routes them). */
    async newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
      const context = await state.browser!.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', ...options });
      await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort('blockedbyclient'));
      return context;
    },
  };
}
