import { Router } from 'express';
import { buildOpenApiDocument } from './openapi.js';

type Doc = ReturnType<typeof buildOpenApiDocument>;

const TYPE_NAMES: Partial<Record<string, string>> = {
  number: 'nombre',
  integer: 'entier',
  string: 'texte',
  boolean: 'booléen',
};
const typeName = (type: string | undefined) => TYPE_NAMES[type ?? 'string'] ?? type ?? 'texte';

/** The readable API page is rendered from the same generated OpenAPI document. */
function operationsOf(doc: Doc) {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const operation = op as {
        summary: string;
        description?: string;
        parameters?: { name: string; in: string; description?: string; schema: Record<string, unknown> }[];
        responses: Record<string, { description: string }>;
      };
      return {
        method: method.toUpperCase(),
        path,
        summary: operation.summary,
        description: operation.description,
        parameters: (operation.parameters ?? []).map((p) => {
          const schema = p.schema as { type?: string; enum?: string[]; items?: { enum?: string[]; type?: string } };
          return {
            name: p.name,
            in: p.in === 'query' ? 'requête' : 'chemin',
            description: p.description,
            type: schema.type === 'array' ? `liste (${typeName(schema.items?.type)})` : typeName(schema.type),
            values: schema.enum ?? schema.items?.enum,
          };
        }),
        responses: Object.entries(operation.responses).map(([code, r]) => ({ code, description: r.description })),
      };
    }),
  );
}

export function apiDocsRoutes(deps: { publicBaseUrl: string }): Router {
  const router = Router();
  const doc = buildOpenApiDocument(deps.publicBaseUrl);
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(doc);
  });
  router.get('/api', (_req, res) => {
    res.render('pages/api', {
      pageTitle: 'API ouverte',
      doc,
      operations: operationsOf(doc),
      baseUrl: doc.servers[0].url,
    });
  });
  return router;
}
