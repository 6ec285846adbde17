import type { Knex } from 'knex';

// The 32 fields of "Lieux de médiation numérique" v1.0.2. Multi-valued fields are text[] whose
// values are checked against the standard's lists (copied here: a migration never changes meaning).
// dispositif_programmes_nationaux and formations_labels live in place_labels (labels are data).
const ENUMS: Record<string, string[]> = {
  services: [
    'Aide aux démarches administratives',
    'Maîtrise des outils numériques du quotidien',
    'Insertion professionnelle via le numérique',
    'Utilisation sécurisée du numérique',
    'Parentalité et éducation avec le numérique',
    'Loisirs et créations numériques',
    'Compréhension du monde numérique',
    'Accès internet et matériel informatique',
    'Acquisition de matériel informatique à prix solidaire',
  ],
  publics_specifiquement_adresses: ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'],
  prise_en_charge_specifique: [
    'Surdité',
    'Handicaps moteurs',
    'Handicaps mentaux',
    'Illettrisme',
    'Langues étrangères (anglais)',
    'Langues étrangères (autres)',
    'Déficience visuelle',
  ],
  frais_a_charge: ['Gratuit', 'Gratuit sous condition', 'Payant'],
  itinerance: ['Itinérant', 'Fixe'],
  modalites_acces: [
    'Se présenter',
    'Téléphoner',
    'Contacter par mail',
    'Prendre un RDV en ligne',
    "Ce lieu n'accueille pas de public",
    'Envoyer un mail avec une fiche de prescription',
  ],
  modalites_accompagnement: ['En autonomie', 'Accompagnement individuel', 'Dans un atelier collectif', 'À distance'],
};

const sqlList = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('places', (table) => {
    table.bigIncrements('id').primary();
    table.text('source').notNullable();
    table.text('source_id').notNullable();
    table.unique(['source', 'source_id']);
    table.text('pivot').notNullable().defaultTo('00000000000000');
    table.text('nom').notNullable();
    table.text('commune').notNullable();
    table.text('code_postal').notNullable();
    table.text('code_insee');
    table.text('adresse').notNullable();
    table.text('complement_adresse');
    table.double('latitude');
    table.double('longitude');
    table.specificType('typologie', 'text[]').notNullable().defaultTo('{}');
    table.text('telephone');
    table.specificType('courriels', 'text[]').notNullable().defaultTo('{}');
    table.specificType('site_web', 'text[]').notNullable().defaultTo('{}');
    table.text('horaires');
    table.string('presentation_resume', 280);
    table.text('presentation_detail');
    table.specificType('itinerance', 'text[]').notNullable().defaultTo('{}');
    table.text('structure_parente');
    table.date('date_maj').notNullable();
    for (const column of Object.keys(ENUMS)) {
      if (column !== 'itinerance') table.specificType(column, 'text[]').notNullable().defaultTo('{}');
    }
    table.specificType('autres_formations_labels', 'text[]').notNullable().defaultTo('{}');
    table.text('fiche_acces_libre');
    table.text('prise_rdv');
    table.text('status').notNullable().defaultTo('published');
    table.jsonb('import_issues').notNullable().defaultTo('[]');
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('verified_at', { useTz: true });
  });

  await knex.raw(`ALTER TABLE places
    ADD CONSTRAINT places_status_known CHECK (status IN ('published', 'hidden')),
    ADD CONSTRAINT places_pivot_format CHECK (pivot ~ '^[a-zA-Z0-9]{9,14}$'),
    ADD CONSTRAINT places_code_postal_format CHECK (code_postal ~ '^\\d{5}$'),
    ADD CONSTRAINT places_code_insee_format CHECK (code_insee IS NULL OR code_insee ~ '^([013-9]\\d|2[AB1-9])\\d{3}$'),
    ADD CONSTRAINT places_telephone_format CHECK (telephone IS NULL OR telephone ~
      '^(\\+33|\\+590|\\+594|\\+262|\\+596|\\+269|\\+687|\\+689|\\+508|\\+681)\\d{6,9}$'),
    ADD CONSTRAINT places_latitude_range CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    ADD CONSTRAINT places_longitude_range CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    ADD CONSTRAINT places_coordinates_paired CHECK ((latitude IS NULL) = (longitude IS NULL)),
    ADD CONSTRAINT places_nom_not_blank CHECK (length(btrim(nom)) > 0)`);
  for (const [column, values] of Object.entries(ENUMS)) {
    await knex.raw(`ALTER TABLE places ADD CONSTRAINT places_${column}_known
      CHECK (${column} <@ ARRAY[${sqlList(values)}]::text[])`);
  }

  // Text search: one normalised string (no accents, lower case) for trigram similarity, and a
  // French full-text vector for stemmed word matches.
  await knex.raw(`ALTER TABLE places ADD COLUMN search_text text GENERATED ALWAYS AS (
    search_normalize(nom || ' ' || commune || ' ' || code_postal || ' ' || adresse)) STORED`);
  await knex.raw(`ALTER TABLE places ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('french', immutable_unaccent(nom || ' ' || commune || ' ' || adresse))) STORED`);

  await knex.raw('CREATE INDEX places_search_text_trgm ON places USING gin (search_text gin_trgm_ops)');
  await knex.raw('CREATE INDEX places_search_vector ON places USING gin (search_vector)');
  // Nearest-first ordering uses this index only when a query orders by exactly this expression.
  await knex.raw(`CREATE INDEX places_earth ON places USING gist (ll_to_earth(latitude, longitude))
    WHERE latitude IS NOT NULL`);
  await knex.raw(`CREATE INDEX places_point ON places USING gist (point(longitude, latitude))
    WHERE latitude IS NOT NULL`);
  for (const column of [
    'services',
    'publics_specifiquement_adresses',
    'prise_en_charge_specifique',
    'frais_a_charge',
    'modalites_acces',
    'modalites_accompagnement',
  ]) {
    await knex.raw(`CREATE INDEX places_${column}_gin ON places USING gin (${column})`);
  }
  await knex.raw('CREATE INDEX places_code_insee ON places (code_insee)');
  await knex.raw('CREATE INDEX places_code_postal ON places (code_postal)');
  await knex.raw('CREATE INDEX places_name_order ON places (lower(nom), id)');

  await knex.schema.createTable('place_labels', (table) => {
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    table.integer('label_id').notNullable().references('labels.id').onDelete('RESTRICT');
    table.primary(['place_id', 'label_id']);
    table.date('since');
    table.date('until');
    table.text('verification_status').notNullable().defaultTo('verified');
    table.text('origin').notNullable().defaultTo('import');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['label_id']);
  });
  await knex.raw(`ALTER TABLE place_labels
    ADD CONSTRAINT place_labels_status_known CHECK (verification_status IN ('verified', 'pending', 'rejected')),
    ADD CONSTRAINT place_labels_origin_known CHECK (origin IN ('import', 'mediator', 'moderator')),
    ADD CONSTRAINT place_labels_dates_ordered CHECK (until IS NULL OR since IS NULL OR until >= since)`);

  // Idempotent seeding: a seed file already loaded with the same content is skipped.
  await knex.schema.createTable('seed_runs', (table) => {
    table.text('name').primary();
    table.text('checksum').notNullable();
    table.jsonb('report').notNullable().defaultTo('{}');
    table.timestamp('loaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('seed_runs');
  await knex.schema.dropTable('place_labels');
  await knex.schema.dropTable('places');
}
