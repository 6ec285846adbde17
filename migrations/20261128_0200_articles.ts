import type { Knex } from 'knex';

// The blog: articles in Markdown, linked to labels, places and the standard's services.
// Copied from the standard (a migration never changes meaning when the code does).
const SERVICES = [
  'Aide aux démarches administratives',
  'Maîtrise des outils numériques du quotidien',
  'Insertion professionnelle via le numérique',
  'Utilisation sécurisée du numérique',
  'Parentalité et éducation avec le numérique',
  'Loisirs et créations numériques',
  'Compréhension du monde numérique',
  'Accès internet et matériel informatique',
  'Acquisition de matériel informatique à prix solidaire',
];
const sqlList = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('articles', (table) => {
    table.increments('id').primary();
    table.text('slug').notNullable().unique();
    table.text('title').notNullable();
    table.text('body_markdown').notNullable().defaultTo('');
    // The source only gave the beginning of the text ("Continue reading …"): shown as an excerpt.
    table.boolean('teaser').notNullable().defaultTo(false);
    table.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    table.specificType('services', 'text[]').notNullable().defaultTo('{}');
    table.text('status').notNullable().defaultTo('draft');
    // Only when established (by the text itself, or by a publication in this application).
    table.timestamp('published_at', { useTz: true });
    // Blog order, smallest first (= newest first); new articles go before the others.
    table.integer('position').notNullable();
    // Which seed file created the row (kept when an administrator changes the slug).
    table.text('seed_key').unique();
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE articles
    ADD CONSTRAINT articles_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    ADD CONSTRAINT articles_status_known CHECK (status IN ('draft', 'published')),
    ADD CONSTRAINT articles_title_not_blank CHECK (length(btrim(title)) > 0),
    ADD CONSTRAINT articles_services_known CHECK (services <@ ARRAY[${sqlList(SERVICES)}]::text[])`);
  // French full text, accents ignored: "litteratie" finds "Littératie". Title weighs more than body.
  await knex.raw(`ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', immutable_unaccent(title)), 'A') ||
    setweight(to_tsvector('french', immutable_unaccent(body_markdown)), 'B')) STORED`);
  await knex.raw('CREATE INDEX articles_search_vector ON articles USING gin (search_vector)');
  await knex.raw('CREATE INDEX articles_tags_gin ON articles USING gin (tags)');
  await knex.raw('CREATE INDEX articles_services_gin ON articles USING gin (services)');
  await knex.raw('CREATE INDEX articles_listing ON articles (status, position, id)');

  await knex.schema.createTable('article_slug_redirects', (table) => {
    table.text('old_slug').primary();
    table.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['article_id']);
  });

  await knex.schema.createTable('article_labels', (table) => {
    table.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
    table.integer('label_id').notNullable().references('labels.id').onDelete('CASCADE');
    table.primary(['article_id', 'label_id']);
    table.index(['label_id']);
  });

  await knex.schema.createTable('article_places', (table) => {
    table.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    table.primary(['article_id', 'place_id']);
    table.index(['place_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('article_places');
  await knex.schema.dropTable('article_labels');
  await knex.schema.dropTable('article_slug_redirects');
  await knex.schema.dropTable('articles');
}
