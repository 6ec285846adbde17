import { Router, type RequestHandler, type Response } from 'express';
import { ConflictError, ValidationError, type FieldError } from '../http/errors.js';
import { parseOrThrow } from '../http/validation.js';
import { toFieldErrors } from '../http/validation.js';
import { SERVICES } from '../places/standard.js';
import {
  articleIdParamsSchema,
  articleInputSchema,
  articleUpdateSchema,
  type ArticleUpdate,
} from './articles.schemas.js';
import type { ArticlesService, ArticleView } from './articles.service.js';

/** The raw form values, shown back as typed when the form is re-displayed. */
interface FormValues {
  title: string;
  slug: string;
  body_markdown: string;
  teaser: boolean;
  status: string;
  tags: string;
  services: string[];
  labels: string[];
  places: string;
  version?: number | string;
}

// Checkboxes post nothing, one string, or several; anything else (a hand-made nested body) counts as none.
const asList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : typeof value === 'string' && value !== ''
      ? [value]
      : [];

const formBody = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};

function valuesFromBody(body: Record<string, unknown>): FormValues {
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : '');
  return {
    title: text('title'),
    slug: text('slug'),
    body_markdown: text('body_markdown').replace(/\r\n/g, '\n'),
    teaser: body.teaser === 'on' || body.teaser === 'true',
    status: text('status') || 'draft',
    tags: text('tags'),
    services: asList(body.services),
    labels: asList(body.labels),
    places: text('places'),
    // Shown back as posted (a missing or mangled version is not replaced by the current one:
    // that would skip the conflict check).
    version: typeof body.version === 'string' ? body.version.trim() : undefined,
  };
}

function valuesFromArticle(article: ArticleView): FormValues {
  return {
    title: article.title,
    slug: article.slug,
    body_markdown: article.bodyMarkdown,
    teaser: article.teaser,
    status: article.status,
    tags: article.tags.join(', '),
    services: article.services,
    labels: article.labels.map((l) => l.slug),
    places: article.places.map((p) => p.id).join(', '),
    version: article.version,
  };
}

const EMPTY: FormValues = {
  title: '',
  slug: '',
  body_markdown: '',
  teaser: false,
  status: 'draft',
  tags: '',
  services: [],
  labels: [],
  places: '',
};

/**
 * The administrators' editor: list, new, edit, Markdown preview (a submit button, no script),
 * drafts. Every route sits behind `guard` (requireRole('admin')).
 */
export function articlesAdminRoutes(deps: { articles: ArticlesService; guard: RequestHandler }): Router {
  const router = Router();
  router.use('/admin/articles', deps.guard);

  async function renderForm(
    res: Response,
    options: {
      article?: ArticleView;
      values: FormValues;
      errors?: FieldError[];
      preview?: string;
      message?: string;
      status?: number;
    },
  ) {
    const labels = await deps.articles.labelChoices();
    const errors = options.errors ?? [];
    const errorFor = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    res.status(options.status ?? 200).render('pages/articles/admin-form', {
      pageTitle: options.article ? `Modifier « ${options.article.title} »` : 'Nouvel article',
      nav: 'admin-articles',
      article: options.article,
      action: options.article ? `/admin/articles/${options.article.id}` : '/admin/articles',
      values: options.values,
      errors,
      errorFor,
      preview: options.preview,
      message: options.message,
      serviceChoices: SERVICES.map((s) => ({ value: s, checked: options.values.services.includes(s) })),
      labelChoices: labels.map((l) => ({
        value: l.slug,
        name: l.name,
        checked: options.values.labels.includes(l.slug),
      })),
      statusChoices: [
        { value: 'draft', name: 'Brouillon (invisible du public)', selected: options.values.status !== 'published' },
        { value: 'published', name: 'Publié', selected: options.values.status === 'published' },
      ],
    });
  }

  router.get('/admin/articles', async (req, res) => {
    const articles = await deps.articles.listAll();
    res.render('pages/articles/admin-list', {
      pageTitle: 'Articles (administration)',
      nav: 'admin-articles',
      saved: req.query.enregistre === '1',
      articles: articles.map((a) => ({
        id: a.id,
        title: a.title,
        url: a.url,
        slug: a.slug,
        teaser: a.teaser,
        published: a.status === 'published',
        editUrl: `/admin/articles/${a.id}/modifier`,
        updatedAt: a.updatedAt,
      })),
    });
  });

  router.get('/admin/articles/nouveau', async (_req, res) => {
    await renderForm(res, { values: EMPTY });
  });

  router.get('/admin/articles/:id/modifier', async (req, res) => {
    const { id } = parseOrThrow(articleIdParamsSchema, req.params);
    const article = await deps.articles.getForEdit(id);
    await renderForm(res, {
      article,
      values: valuesFromArticle(article),
      message: req.query.enregistre === '1' ? 'Article enregistré.' : undefined,
    });
  });

  async function handleSubmit(res: Response, body: Record<string, unknown>, article?: ArticleView) {
    const values = valuesFromBody(body);
    if (body.action === 'preview') {
      await renderForm(res, { article, values, preview: await deps.articles.renderPreview(values.body_markdown) });
      return;
    }
    // Editing needs the version the form was read at (optimistic locking); creating has none.
    const parsed = article ? articleUpdateSchema.safeParse(body) : articleInputSchema.safeParse(body);
    if (!parsed.success) {
      await renderForm(res, { article, values, errors: toFieldErrors(parsed.error), status: 400 });
      return;
    }
    try {
      const saved = article
        ? await deps.articles.update(article.id, parsed.data as ArticleUpdate)
        : await deps.articles.create(parsed.data);
      res.redirect(303, `/admin/articles/${saved.id}/modifier?enregistre=1`);
    } catch (error) {
      if (error instanceof ValidationError) {
        await renderForm(res, { article, values, errors: error.fieldErrors, status: 400 });
      } else if (error instanceof ConflictError) {
        await renderForm(res, { article, values, errors: [{ field: 'version', message: error.message }], status: 409 });
      } else {
        throw error;
      }
    }
  }

  router.post('/admin/articles', async (req, res) => {
    await handleSubmit(res, formBody(req.body));
  });

  router.post('/admin/articles/:id', async (req, res) => {
    const { id } = parseOrThrow(articleIdParamsSchema, req.params);
    const article = await deps.articles.getForEdit(id);
    await handleSubmit(res, formBody(req.body), article);
  });

  return router;
}
