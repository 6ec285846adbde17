import type { Knex } from 'knex';

// Some sources give no coordinates: placing such a place at its commune's centre keeps it findable
// by distance, as long as people are told the position is approximate ('commune').
// A trigger keeps the flag true whoever writes: coordinates written without a precision are exact
// (a mediator moving the pin), and removing coordinates clears it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE places ADD COLUMN location_precision text
    CONSTRAINT places_location_precision_known CHECK (location_precision IN ('exact', 'commune'))`);
  await knex.raw(`UPDATE places SET location_precision = 'exact' WHERE latitude IS NOT NULL`);
  await knex.raw(`
    CREATE FUNCTION places_location_precision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.latitude IS NULL THEN
        NEW.location_precision := NULL;
      ELSIF TG_OP = 'INSERT' THEN
        NEW.location_precision := coalesce(NEW.location_precision, 'exact');
      ELSIF (NEW.latitude, NEW.longitude) IS DISTINCT FROM (OLD.latitude, OLD.longitude)
            AND NEW.location_precision IS NOT DISTINCT FROM OLD.location_precision THEN
        NEW.location_precision := 'exact';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER places_location_precision BEFORE INSERT OR UPDATE ON places
    FOR EACH ROW EXECUTE FUNCTION places_location_precision()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER places_location_precision ON places');
  await knex.raw('DROP FUNCTION places_location_precision()');
  await knex.raw('ALTER TABLE places DROP COLUMN location_precision');
}
