import { Router } from 'express';
import { assetUrls } from '../shared/asset-url.js';
import { z } from 'zod';
import { NotFoundError } from '../http/errors.js';
import { parseOrThrow } from '../http/validation.js';
import { PLACE_PAGE_ASSETS, type PlacePageDeps } from '../places/places.pages.js';
import { placesQueryShape } from '../places/places.query.js';
import { cardOf, markerOf } from '../places/place-cards.js';
import { parisToday } from '../shared/paris-time.js';
import { labelParamsSchema, LABEL_KINDS, LABEL_KIND_NAMES } from './labels.schemas.js';
import type { LabelsService } from './labels.service.js';

const KIND_INTROS: Record<(typeof LABEL_KINDS)[number], string> = {
  label_historique: 'Les premiers labels des espaces publics numériques, de la fin des années 1990 aux années 2010.',
  programme_national:
    'Les dispositifs nationaux d’aujourd’hui (champ « dispositif_programmes_nationaux » du standard).',
  formation_label:
    'Les formations suivies et labels obtenus par les médiateurs (champ « formations_labels » du standard).',
  local: 'Des labels régionaux ou locaux.',
};

const labelPageQuerySchema = z.object({ page: placesQueryShape.cursor });

/** The place pages' dependencies, plus the labels. */
export type LabelPagesDeps = PlacePageDeps & { labels: LabelsService };

export function labelPagesRoutes(deps: LabelPagesDeps): Router {
  const router = Router();

  router.get('/labels', async (_req, res) => {
    const labels = await deps.labels.list();
    const groups = LABEL_KINDS.map((kind) => ({
      kind,
      name: LABEL_KIND_NAMES[kind],
      intro: KIND_INTROS[kind],
      labels: labels.filter((l) => l.kind === kind),
    })).filter((group) => group.labels.length > 0);
    res.render('pages/labels/index', { pageTitle: 'Labels et dispositifs', nav: 'labels', groups });
  });

  router.get('/labels/:slug', async (req, res) => {
    // A malformed slug is a page that does not exist (404); the API keeps its 400.
    const params = labelParamsSchema.safeParse(req.params);
    if (!params.success) throw new NotFoundError('Ce label n’existe pas.');
    const { slug } = params.data;
    const { page } = parseOrThrow(labelPageQuerySchema, req.query);
    const label = await deps.labels.get(slug);
    const [result, all, relatedArticles] = await Promise.all([
      deps.places.search({ labels: [label.slug], limit: 50, cursor: page }),
      deps.labels.list(),
      deps.articles ? deps.articles.articlesForLabel(label.slug) : Promise.resolve([]),
    ]);
    const today = parisToday(deps.clock.now());
    const names = new Map(all.map((l) => [l.slug, l.name]));
    const cards = result.items.map((item) => cardOf(item, names, today));
    const markers = cards.map(markerOf).filter(Boolean);
    res.render('pages/labels/show', {
      pageTitle: `${label.name} — label`,
      metaDescription: label.description ?? `${label.name} : ce que c’est et les lieux qui l’ont.`,
      nav: 'labels',
      canonicalUrl: deps.publicBaseUrl ? new URL(`/labels/${label.slug}`, deps.publicBaseUrl).toString() : undefined,
      scripts: assetUrls(PLACE_PAGE_ASSETS.scripts),
      stylesheets: assetUrls(PLACE_PAGE_ASSETS.stylesheets),
      map: { tilesUrl: deps.mapTilesUrl, attribution: deps.mapTilesAttribution },
      label: { ...label, kindName: LABEL_KIND_NAMES[label.kind] },
      cards,
      mapData: markers.length ? { markers } : null,
      nextUrl: result.next_cursor ? `/labels/${label.slug}?page=${encodeURIComponent(result.next_cursor)}` : null,
      firstUrl: page ? `/labels/${label.slug}` : null,
      relatedArticles,
    });
  });

  return router;
}
