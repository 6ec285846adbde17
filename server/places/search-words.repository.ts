import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

/**
 * The query's words, each unknown one put to the nearest word of the places (migration
 * 20261202_1400): "marseile" becomes "marseille", "mediath" "mediatheque". Nearest: the highest
 * word similarity (the search's own measure), then the highest similarity, which prefers
 * "marseille" to "marseillan" (equally similar as words). A word of the places,
 * a word under three letters, or one with no near word (word similarity under pg_trgm's threshold,
 * as the search itself) stays as typed. Normalised as the search text (no accents, lower case).
 * One query on a table of a few tens of thousands of words, through its trigram index.
 */
export async function correctedSearchText(db: Db | Knex.Transaction, q: string): Promise<string> {
  const result = await db.raw<{ rows: { corrected: string | null }[] }>(
    `SELECT string_agg(coalesce(
        (SELECT s.word FROM search_words s WHERE s.word = t.w),
        CASE WHEN length(t.w) < 3 THEN t.w END,
        (SELECT s.word FROM search_words s WHERE s.word %> t.w
          ORDER BY s.word <->> t.w, s.word <-> t.w, s.word LIMIT 1),
        t.w), ' ' ORDER BY t.n) AS corrected
     FROM regexp_split_to_table(search_normalize(?), '[^a-z0-9]+') WITH ORDINALITY AS t(w, n)
     WHERE t.w <> ''`,
    [q],
  );
  return result.rows[0]?.corrected ?? q;
}
