import { describe, expect, it } from 'vitest';
import { labelSchema } from '../../server/labels/labels.schemas.js';
import { placeFieldSchemas } from '../../server/places/places.schemas.js';
import { withAbsoluteUrls } from '../../server/places/places.mapping.js';

const NOT_WEB = [
  'javascript:alert(1)',
  ' JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://exemple.fr/fichier',
  'mailto:contact@exemple.fr',
  'exemple.fr',
];
const WEB = ['https://exemple.fr', 'http://exemple.fr/rdv?lieu=12', 'HTTPS://EXEMPLE.FR/Chemin'];

const fields = [
  { field: 'site_web', name: 'Site web', parse: (url: string) => placeFieldSchemas.site_web.safeParse([url]) },
  {
    field: 'prise_rdv',
    name: 'Lien de prise de rendez-vous',
    parse: (url: string) => placeFieldSchemas.prise_rdv.safeParse(url),
  },
  {
    field: 'fiche_acces_libre',
    name: 'Fiche Acceslibre',
    parse: (url: string) => placeFieldSchemas.fiche_acces_libre.safeParse(url),
  },
];

describe('URL fields accept only http(s) addresses', () => {
  for (const { field, name, parse } of fields) {
    it(`when ${field} holds another scheme, then it is refused with a French message naming the field`, () => {
      for (const url of NOT_WEB) {
        const result = parse(url);
        expect(result.success, url).toBe(false);
        expect(result.error?.issues[0].message).toBe(
          `${name} : adresse web invalide (elle doit commencer par http:// ou https://).`,
        );
      }
    });
    it(`when ${field} holds an http(s) address, then it is accepted`, () => {
      for (const url of WEB) expect(parse(url).success, url).toBe(true);
    });
  }

  it('when a label’s official website is not http(s), then the label is refused', () => {
    const label = {
      slug: 'essai',
      name: 'Essai',
      kind: 'local',
      issuer: null,
      description: null,
      history: null,
      website: 'javascript:alert(1)',
      active_from_year: null,
      active_until_year: null,
      standard_field: null,
      standard_value: null,
    };
    expect(labelSchema.safeParse(label).success).toBe(false);
    expect(labelSchema.safeParse({ ...label, website: 'https://exemple.fr' }).success).toBe(true);
  });
});

describe("the API's absolute page addresses", () => {
  const paths = ['/lieux/12-mediatheque', '/lieux/7-lieu', '//autre.example/x', '/lieux/5-é t', 'lieux/3', '/a?b=c#d'];
  const bases = [
    'https://epn.example',
    'http://localhost:3000',
    'https://epn.example/annuaire/',
    'https://Epn.Example:443',
  ];

  it('when a list is given absolute addresses, then each is what the URL standard resolves', () => {
    for (const baseUrl of bases) {
      const page = withAbsoluteUrls({ items: paths.map((url) => ({ url })) }, baseUrl);
      expect(page.items.map((item) => item.url)).toEqual(paths.map((path) => new URL(path, baseUrl).toString()));
    }
  });
});
