import express, { type Express } from 'express';
import { apiDocsRoutes } from './api/api.routes.js';
import { articlesAdminRoutes } from './articles/articles.admin.js';
import { articlesApiRoutes } from './articles/articles.api.js';
import { articlesPagesRoutes } from './articles/articles.routes.js';
import { createArticlesService } from './articles/articles.service.js';
import { feedRoutes } from './articles/feed.routes.js';
import { geocodingApiRoutes } from './geocoding/geocoding.api.js';
import { createGeocoder } from './geocoding/index.js';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';
import { cancelQueriesOnDisconnect } from './db/cancel-on-disconnect.js';
import { createReadRouting } from './db/read-routing.js';
import { healthRoutes } from './health/health.routes.js';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { requireRole } from './accounts/auth.middleware.js';
import { editingRoutes } from './editing/editing.routes.js';
import { createEditingService } from './editing/editing.service.js';
import { moderationRoutes } from './moderation/moderation.routes.js';
import { createModerationService } from './moderation/moderation.service.js';
import { qualityRoutes } from './moderation/quality.routes.js';
import { duplicatesRoutes } from './moderation/duplicates.routes.js';
import { IMPORT_UPLOAD_PATH, importRoutes, importUploadBody } from './moderation/import.routes.js';
import { createImportUploads } from './opendata/upload/import-uploads.service.js';
import { createDuplicatesService } from './places/duplicates.service.js';
import { movePlaceLinks, movePlaceLinksBack } from './articles/article-links.repository.js';
import { createQualityDashboard } from './places/place-quality.service.js';
import { createAccountsService } from './accounts/accounts.service.js';
import { createAfterResponse, type AfterResponse } from './accounts/after-response.js';
import { loadCurrentUser, sessionMiddleware } from './accounts/session.js';
import { cachePolicy } from './http/cache-policy.js';
import { csrfProtection } from './http/csrf.js';
import { createRateLimits, securityHeaders } from './http/security.js';
import { compressWhenAccepted } from './http/compress.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { createErrorHandler, notFoundHandler } from './http/error-handler.js';
import { precompressedStatic } from './http/precompressed.js';
import { limitRequestsInFlight } from './http/requests-in-flight.js';
import { rejectNulBytes } from './http/reject-nul.js';
import { bodyParsers } from './http/body-parsers.js';
import { openApiCors } from './http/cors.js';
import { labelsApiRoutes } from './labels/labels.api.js';
import { labelPagesRoutes } from './labels/labels.pages.js';
import { createLabelsService } from './labels/labels.service.js';
import { labelIdsBySlug } from './labels/labels.read.js';
import { exportRoutes } from './opendata/export.routes.js';
import { createExportService } from './opendata/export.service.js';
import { placesApiRoutes } from './places/places.api.js';
import { createDetailAnswers } from './places/detail-answers.js';
import { createListAnswers } from './places/list-answers.js';
import { createMapService, mapApiRoutes } from './places/map.api.js';
import { placePagesRoutes } from './places/places.pages.js';
import { createPlaceWrites } from './places/place-writes.service.js';
import { reportsPerEmail } from './reports/reports.limits.js';
import { reportsRoutes } from './reports/reports.routes.js';
import { REPORT_FORM_CATEGORIES } from './reports/reports.schemas.js';
import { searchPageRoutes } from './search/search.routes.js';
import { createSearchService } from './search/search.service.js';
import { createPlacesService } from './places/places.service.js';
import type { PlaceIndex } from './places/index/place-index.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createViewEngine, VIEWS_DIR } from './views/handlebars.js';
import { requestLogger } from './http/request-logger.js';
import { warnOnInsecureRequests } from './http/insecure-request-warning.js';
import { createSilentLogger, type Logger } from './logging/logger.js';
import { PUBLIC_DIR } from './shared/public-dir.js';

export { PUBLIC_DIR };

export interface AppDeps {
  config: Config;
  /** The primary: every write, and the reads that must see them (server/db/read-routing.ts). */
  db: Db;
  /** A read replica (DATABASE_READ_URL) for the read-only features; the primary when absent. */
  readDb?: Db;
  clock?: Clock;
  /** E-mail (SMTP or the outbox by default); tests pass createMemoryMailer(). */
  mailer?: Mailer;
  /** Created in main.ts; silent when absent (tests). */
  logger?: Logger;
  /** Where features report unexpected errors; defaults to `logger.error`. */
  log?: (message: string, error?: unknown) => void;
  /** Work run once a response is sent (e-mails of sign-up, reset…); tests await its `settled()`. */
  afterResponse?: AfterResponse;
  /** The read path's in-memory place index (main.ts loads it before listening); without it, SQL. */
  placeIndex?: PlaceIndex;
  /** Apps with the same scope share abuse-limit counters (all instances in production: ''); tests isolate files. */
  rateLimitScope?: string;
}

/** Builds the whole application without listening: main.ts and the tests both call it. */
export function createApp(deps: AppDeps): Express {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createSilentLogger();
  const log =
    deps.log ??
    ((message: string, error?: unknown) => logger.error(error === undefined ? {} : { err: error }, message));
  const publicBaseUrl = config.PUBLIC_BASE_URL;
  const mailer = deps.mailer ?? createMailer(config, (message) => logger.info(message));
  /** Per-IP / per-account limits: `limits.reportsPerIp` guards visitors' error reports. */
  const limits = createRateLimits(config, { db, clock, scope: deps.rateLimitScope });
  const afterResponse = deps.afterResponse ?? createAfterResponse(log);
  // Read-only features get `reads`: the replica, unless this request writes or must see its own writes.
  const readRouting = createReadRouting({ db, readDb: deps.readDb, secureCookie: config.NODE_ENV === 'production' });
  const reads = readRouting.reads;
  const accounts = createAccountsService({ db, clock, mailer, publicBaseUrl });
  // The one writer of the place record; editing and moderation decide whether, it decides how.
  const placeWrites = createPlaceWrites({ db, clock });
  const editing = createEditingService({ db, clock, mailer, publicBaseUrl, placeWrites });
  const moderation = createModerationService({ db, clock, mailer, publicBaseUrl, placeWrites });

  const places = createPlacesService({
    db: reads,
    clock,
    index: deps.placeIndex,
    knownLabels: () => labelIdsBySlug(reads),
    readsMayLag: deps.readDb !== undefined && deps.readDb !== db,
    // A burst of rare words never takes every connection, nor every core, from the other reads.
    textSearchSlots: {
      slots: Math.max(1, Math.min(config.TEXT_SEARCH_SLOTS, Math.floor(config.DB_POOL_MAX / 2))),
      waitMs: config.DB_ACQUIRE_TIMEOUT_MS,
    },
  });
  const labels = createLabelsService({ db: reads, places });
  // "Lieux près de chez vous" on an article: what the visitor typed, through the geocoder below.
  const articles = createArticlesService({
    db: reads,
    clock,
    places,
    locate: (text) => geocoder.geocode(text),
    labelPlaceCounts: () => labels.placeCounts(),
  });
  const geocoder = createGeocoder({ db: reads, config, log });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  // Overload: a bounded number of requests at once, the rest of the reads turned away at once and
  // cheaply, before anything else (they are counted in one log line every ten seconds).
  app.use(limitRequestsInFlight(config.MAX_REQUESTS_IN_FLIGHT, (message) => logger.warn(message)));
  // Then, so that every other request, even a static file or a refused one, leaves its one line.
  app.use(requestLogger(logger));
  // A visitor who gives up frees their pool connections at once: their queries are cancelled.
  const disconnects = cancelQueriesOnDisconnect([db, deps.readDb ?? db], log);
  app.use(disconnects.middleware);
  app.use(readRouting.middleware);
  // Anonymous reads may be kept by a CDN for a minute; anything personal stays private.
  app.use(cachePolicy);
  if (config.NODE_ENV === 'production') app.use(warnOnInsecureRequests(logger));
  const views = createViewEngine();
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- express-handlebars answers through the callback
  app.engine('.hbs', views.engine);
  app.set('view engine', '.hbs');
  app.set('views', VIEWS_DIR);
  if (config.NODE_ENV === 'production') app.enable('view cache');

  app.use(securityHeaders(config));
  // Pages and JSON travel compressed (a results page: ~32 KB → ~6 KB on a slow line); built
  // assets already have .br/.gz twins, which compression() leaves alone.
  app.use(compressWhenAccepted());
  app.use(
    '/static',
    precompressedStatic(PUBLIC_DIR, { maxAge: config.NODE_ENV === 'production' ? 7 * 86_400_000 : 0 }),
  );
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: config.NODE_ENV === 'production' ? '7d' : 0 }));
  app.use(bodyParsers({ multipartPaths: [IMPORT_UPLOAD_PATH] }));
  app.use(rejectNulBytes);
  app.use('/api/v1', openApiCors);

  app.use(healthRoutes({ db }));
  // The directory's read API (GET only, the same for everyone) answers before the session and CSRF
  // layers: an anonymous search then creates no session and signs no token (~10 % of its CPU at 1M).
  const details = createDetailAnswers({ places, clock, publicBaseUrl });
  const lists = createListAnswers({ places, clock, publicBaseUrl });
  app.use('/api/v1', placesApiRoutes({ places, details, lists }));
  if (deps.placeIndex) {
    app.use(
      '/api/v1',
      mapApiRoutes({
        map: createMapService({
          db: reads,
          index: deps.placeIndex,
          publicBaseUrl,
          clock,
          freshVersion: () => places.freshVersion(),
          log,
        }),
      }),
    );
  }
  // Who is there (res.locals.currentUser), then CSRF on every mutating request (res.locals.csrfToken).
  app.use(sessionMiddleware({ config, db, log }), loadCurrentUser({ db, clock, config }));
  // The upload form's file (multipart) is read here, after the role check, so that CSRF finds its _csrf.
  app.post(IMPORT_UPLOAD_PATH, importUploadBody);
  app.use(
    csrfProtection({
      secret: config.SESSION_SECRET,
      secure: config.NODE_ENV === 'production',
      publicBaseUrl,
      acceptRequestHost: config.NODE_ENV !== 'production',
    }),
  );
  // Search (home), place and label pages (issue 3): the pages most asked, so first after the session
  // and CSRF layers. Every router mounted before them is asked for each of their requests in turn
  // (~100 path tests: a tenth of an anonymous place page's CPU); none of those routers has their paths.
  const pageDeps = {
    places,
    clock,
    articles,
    mapTilesUrl: config.MAP_TILES_URL,
    mapTilesAttribution: config.MAP_TILES_ATTRIBUTION,
    publicBaseUrl,
    reportCategories: REPORT_FORM_CATEGORIES,
    stewardship: editing.stewardship,
  };
  app.use(searchPageRoutes({ ...pageDeps, search: createSearchService({ places, labels, geocoder, clock }) }));
  app.use(placePagesRoutes(pageDeps));
  app.use(labelPagesRoutes({ ...pageDeps, labels }));
  app.use('/api/v1', labelsApiRoutes({ labels, places, publicBaseUrl }));
  app.use('/api/v1', geocodingApiRoutes({ geocoder }));
  app.use('/api/v1', articlesApiRoutes({ articles, publicBaseUrl }));
  app.use(apiDocsRoutes({ publicBaseUrl }));
  app.use(exportRoutes({ exports: createExportService({ db: reads, clock }), publicBaseUrl, log }));
  app.use(accountsRoutes({ accounts, limits, clock, afterResponse }));
  // Claims are public writes too: counted per IP and per account before the editing routes see them.
  app.post('/mon-espace/lieux/:id/demande', limits.claimsPerIp, limits.claimsPerAccount);
  app.use(
    editingRoutes({
      editing,
      clock,
      map: { tilesUrl: config.MAP_TILES_URL, attribution: config.MAP_TILES_ATTRIBUTION },
    }),
  );
  app.use(moderationRoutes({ moderation }));
  app.use(qualityRoutes({ quality: createQualityDashboard({ db, clock }) }));
  // Merging duplicates moves the blog's links to the kept place, in the merge's transaction.
  const articleLinks = { move: movePlaceLinks, moveBack: movePlaceLinksBack };
  app.use(duplicatesRoutes({ duplicates: createDuplicatesService({ db, clock, placeWrites, articleLinks }) }));
  app.use(importRoutes({ uploads: createImportUploads({ db, clock }) }));
  app.use(articlesPagesRoutes({ articles, places, publicBaseUrl }));
  app.use(feedRoutes({ db: reads, articles, publicBaseUrl }));
  app.use(articlesAdminRoutes({ articles, guard: requireRole('admin') }));

  // Visitors' error reports on place pages (issue 3).
  app.use(
    reportsRoutes({ ...pageDeps, db, limit: limits.reportsPerIp, limitPerEmail: reportsPerEmail(limits.limiter) }),
  );

  app.use(notFoundHandler);
  app.use(disconnects.dropAnswersToGoneClients);
  app.use(createErrorHandler({ exposeStack: config.NODE_ENV !== 'production', logger }));
  return app;
}
