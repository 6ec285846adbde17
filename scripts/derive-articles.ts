/**
 * Derives the ten seed articles (seeds/articles/NN-slug.md) from the blog
 * "Médiateur Numérique" as given (plain text, ten articles, newest first).
 *
 * Usage:
 *   tsx scripts/derive-articles.ts <blog-mediateur-numerique.txt> [outDir]
 *   BLOG_SOURCE=<path> tsx scripts/derive-articles.ts [--check]
 *
 * The source is only read by this build-time script; the app reads seeds/articles/.
 * Editorial metadata (tags, labels, services, image captions, dates) is curated by
 * hand in ARTICLES below; the script asserts it against the source text and fails
 * loudly if anything does not match (title not found, caption not where expected…).
 *
 * --check: do not write, compare the would-be output with the files in outDir.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type LabelSlug =
  | 'netpublic'
  | 'cyber-base'
  | 'france-services'
  | 'conseillers-numeriques'
  | 'aidants-connect'
  | 'pass-numerique'
  | 'emmaus-connect'
  | 'promeneurs-du-net'
  | 'certification-pix'
  | 'grande-ecole-du-numerique'
  | 'fabriques-de-territoire';

type ServiceV1 =
  | 'Aide aux démarches administratives'
  | 'Maîtrise des outils numériques du quotidien'
  | 'Insertion professionnelle via le numérique'
  | 'Utilisation sécurisée du numérique'
  | 'Parentalité et éducation avec le numérique'
  | 'Loisirs et créations numériques'
  | 'Compréhension du monde numérique'
  | 'Accès internet et matériel informatique'
  | 'Acquisition de matériel informatique à prix solidaire';

interface ArticleMeta {
  /** Exact title line of the source. */
  title: string;
  /** ISO date, only when the text itself establishes it. */
  date?: string;
  tags: string[];
  labels: LabelSlug[];
  services: ServiceV1[];
  /** Specific places named by the text that could not be resolved to a place id. */
  unresolvedPlaces?: string[];
  /**
   * Image captions / alt texts: either a whole line of its own, or a file name glued
   * to the first words of the first paragraph. Removed from the prose.
   */
  captions: string[];
}

// Newest first, as in the source.
const ARTICLES: ArticleMeta[] = [
  {
    title: 'Je suis Médiateur Numérique',
    tags: ['médiation', 'métier'],
    labels: [],
    services: [],
    captions: ['4xfSG6OBjs-9z8B_0l1DPzl72eJkfbmt4t8yenImKBVvK0kTmF0xjctABnaLJIm9'],
  },
  {
    title: 'Tiers Lieux et ruralité',
    tags: ['ruralité', 'tiers lieux', 'couverture réseau'],
    labels: [],
    services: ['Accès internet et matériel informatique'],
    unresolvedPlaces: ['Château de Vixouze (venue of the Ruralitic meetings, an event venue, not a mediation place)'],
    captions: ['IMG_0925'],
  },
  {
    title: 'Littératie numérique pour tous',
    tags: ['littératie', 'formation', 'compétences', 'emploi'],
    labels: [],
    services: ['Compréhension du monde numérique', 'Maîtrise des outils numériques du quotidien'],
    captions: ['41785_16720836937_6242187_n'],
  },
  {
    title: 'Coopération entre bibliothécaires et animateurs multimédia',
    // "ce jeudi 30 avril" + "ouvert en 1995. En vingt ans" → 2015; 2015-04-30 is a Thursday.
    date: '2015-04-30',
    tags: ['bibliothèques', 'médiation', 'métier', 'littératie'],
    labels: [],
    services: ['Compréhension du monde numérique', 'Maîtrise des outils numériques du quotidien'],
    unresolvedPlaces: ['"rencontres de Romans" (study day in Romans; venue not named)'],
    captions: ['affiche-anim-multi-et-biblio-4'],
  },
  {
    title: 'Soyez motivés qu’ils disaient…!',
    tags: ['politique', 'labels', 'éducation', 'fracture numérique'],
    labels: ['cyber-base', 'netpublic'],
    services: ['Parentalité et éducation avec le numérique'],
    captions: ["What's your motivation?"],
  },
  {
    title: 'Médiations Numériques et Open Data',
    tags: ['open data', 'médiation', 'citoyenneté'],
    labels: [],
    services: ['Compréhension du monde numérique'],
    captions: ['Stickers'],
  },
  {
    title: 'Pôle Emploi et l’accompagnement aux usages numériques',
    tags: ['emploi', 'pôle emploi', 'médiation'],
    labels: [],
    services: ['Insertion professionnelle via le numérique', 'Aide aux démarches administratives'],
    captions: ['Entrée Chomeurs / Ingang Werklozen'],
  },
  {
    title: 'Une campagne numérique ?',
    tags: ['politique', 'élections', 'réseaux sociaux'],
    labels: [],
    services: ['Compréhension du monde numérique'],
    captions: [],
  },
  {
    title: 'On a sauvé maryvette',
    tags: ['réseaux sociaux', 'citoyenneté', 'associations', 'médiation'],
    labels: [],
    services: ['Compréhension du monde numérique'],
    captions: [],
  },
  {
    title: 'Améliorer la relation numérique à l’usager',
    tags: ['politique', 'e-administration', 'seniors', 'médiation'],
    labels: [],
    services: [
      'Aide aux démarches administratives',
      'Insertion professionnelle via le numérique',
      'Maîtrise des outils numériques du quotidien',
    ],
    captions: [],
  },
];

/** A paragraph this short inside an article (and not its last one) is a sub-heading. */
const SUBHEADING_MAX_CHARS = 60;
const CONTINUE_READING = /\s*Continue reading “([^”]*)”\s*$/;

export function slugify(title: string): string {
  return title
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Escapes what would turn a prose paragraph into something else in Markdown. */
function escapeParagraph(p: string): string {
  return p
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)([#>+*=-])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2')
        .replace(/([\\`*[\]<])/g, '\\$1'),
    )
    .join('\n');
}

function yamlString(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

function yamlList(items: readonly string[]): string {
  return `[${items.map(yamlString).join(', ')}]`;
}

interface Derived {
  fileName: string;
  content: string;
  report: { order: number; title: string; slug: string; teaser: boolean; subheadings: string[] };
}

export function deriveArticles(source: string): Derived[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const titleLineIdx = ARTICLES.map((a) => {
    const hits = lines.flatMap((l, i) => (l === a.title ? [i] : []));
    if (hits.length !== 1) throw new Error(`title ${JSON.stringify(a.title)} found ${hits.length} times as a line`);
    return hits[0];
  });
  titleLineIdx.forEach((idx, i) => {
    if (i > 0 && idx <= titleLineIdx[i - 1]) throw new Error(`title ${ARTICLES[i].title} out of order`);
  });
  if (lines.slice(0, titleLineIdx[0]).some((l) => l.trim() !== '')) throw new Error('text before first title');

  return ARTICLES.map((meta, i) => {
    const order = i + 1;
    const slug = slugify(meta.title);
    const start = titleLineIdx[i] + 1;
    const end = i + 1 < ARTICLES.length ? titleLineIdx[i + 1] : lines.length;
    // Paragraphs = non-blank lines (the source has one paragraph per line; NBSP-only lines are blank).
    let paras = lines.slice(start, end).filter((l) => l.replace(/[\s\u00a0]/g, '') !== '');

    // Teaser: the article ends with `Continue reading “<title>”` (own line or end of last paragraph).
    let teaser = false;
    const last = paras[paras.length - 1] ?? '';
    const m = CONTINUE_READING.exec(last);
    if (m) {
      if (m[1] !== meta.title) throw new Error(`Continue reading "${m[1]}" does not match title ${meta.title}`);
      teaser = true;
      const rest = last.slice(0, m.index);
      paras = rest.trim() === '' ? paras.slice(0, -1) : [...paras.slice(0, -1), rest];
    }
    if (paras.some((p) => p.includes('Continue reading'))) throw new Error(`stray Continue reading in ${meta.title}`);

    // Captions: a whole paragraph, or a prefix glued to the first paragraph of prose.
    for (const cap of meta.captions) {
      const whole = paras.findIndex((p) => p === cap);
      if (whole >= 0) {
        paras.splice(whole, 1);
        continue;
      }
      const glued = paras.findIndex((p) => p.startsWith(cap));
      if (glued !== 0) throw new Error(`caption ${JSON.stringify(cap)} not found in ${meta.title}`);
      paras[0] = paras[0].slice(cap.length);
    }
    for (const cap of meta.captions) {
      if (paras.some((p) => p.includes(cap))) throw new Error(`caption ${JSON.stringify(cap)} still in ${meta.title}`);
    }

    const subheadings: string[] = [];
    const body = paras
      .map((p, j) => {
        const isHeading = j < paras.length - 1 && p.trim().length <= SUBHEADING_MAX_CHARS;
        if (isHeading) {
          subheadings.push(p.trim());
          return `## ${escapeParagraph(p.trim())}`;
        }
        return escapeParagraph(p);
      })
      .join('\n\n');

    const fm = [
      '---',
      `title: ${yamlString(meta.title)}`,
      `slug: ${slug}`,
      `order: ${order}`,
      `teaser: ${String(teaser)}`,
      ...(meta.date ? [`date: ${meta.date}`] : []),
      `tags: ${yamlList(meta.tags)}`,
      `labels: ${yamlList(meta.labels)}`,
      `services: ${yamlList(meta.services)}`,
      ...(meta.unresolvedPlaces?.length
        ? ['places: []', ...meta.unresolvedPlaces.map((p) => `# unresolved place: ${p}`)]
        : ['places: []']),
      `caption_removed: ${yamlList(meta.captions)}`,
      '---',
    ].join('\n');

    return {
      fileName: `${String(order).padStart(2, '0')}-${slug}.md`,
      content: `${fm}\n\n${body}\n`,
      report: { order, title: meta.title, slug, teaser, subheadings },
    };
  });
}

function main(argv: string[]): void {
  const check = argv.includes('--check');
  const args = argv.filter((a) => a !== '--check');
  const sourcePath = args[0] ?? process.env.BLOG_SOURCE;
  if (!sourcePath) {
    console.error('usage: tsx scripts/derive-articles.ts <blog-mediateur-numerique.txt> [outDir] [--check]');
    process.exit(2);
  }
  const outDir = resolve(args[1] ?? 'seeds/articles');
  const derived = deriveArticles(readFileSync(sourcePath, 'utf8'));

  if (check) {
    const existing = readdirSync(outDir)
      .filter((f) => f.endsWith('.md'))
      .sort();
    const expected = derived.map((d) => d.fileName).sort();
    let ok = JSON.stringify(existing) === JSON.stringify(expected);
    if (!ok) console.error(`file set differs:\n  have ${existing.join(', ')}\n  want ${expected.join(', ')}`);
    for (const d of derived) {
      let have = '';
      try {
        have = readFileSync(join(outDir, d.fileName), 'utf8');
      } catch {
        /* missing, reported above */
      }
      if (have !== d.content) {
        ok = false;
        console.error(`${d.fileName} differs from derivation`);
      }
    }
    if (!ok) process.exit(1);
    console.log(`ok: ${derived.length} articles up to date in ${outDir}`);
    return;
  }

  mkdirSync(outDir, { recursive: true });
  for (const d of derived) {
    writeFileSync(join(outDir, d.fileName), d.content);
    const r = d.report;
    console.log(
      `${r.order}\t${d.fileName}\tteaser=${String(r.teaser)}` +
        (r.subheadings.length ? `\t## ${r.subheadings.join(' | ')}` : ''),
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('derive-articles.ts')) {
  main(process.argv.slice(2));
}
