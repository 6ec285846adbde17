import type { Knex } from 'knex';

// E-mailed sign-in links (issue 11, defect 2): an owner whose address is flooded with wrong
// passwords can still get in. Same one-time token table, a third purpose.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE account_tokens
    DROP CONSTRAINT account_tokens_purpose_known,
    ADD CONSTRAINT account_tokens_purpose_known CHECK (purpose IN ('verify_email', 'reset_password', 'sign_in'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DELETE FROM account_tokens WHERE purpose = 'sign_in'`);
  await knex.raw(`ALTER TABLE account_tokens
    DROP CONSTRAINT account_tokens_purpose_known,
    ADD CONSTRAINT account_tokens_purpose_known CHECK (purpose IN ('verify_email', 'reset_password'))`);
}
