// Feature folders depend one way (issue 8: no "imports running back up" between features). Checked on
// the folder graph of server/, in a second pass because the composition roots have to be left out of it:
// server/main.ts, server/app.ts and the command-line programs (seed-cli.ts, accounts/admin-cli.ts) wire
// features together and sit next to config.ts, which every feature imports, so with them every feature
// would be in a cycle through server/. Dependency-cruiser's folder
// rules take no `via` filter, hence the separate exclusion.
const base = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular-between-features',
      severity: 'error',
      comment:
        'When places imports from search and search from places, what both need belongs in server/shared/ ' +
        '(or in the one feature that owns it).',
      scope: 'folder',
      from: { path: '^server/' },
      to: { circular: true },
    },
  ],
  options: {
    ...base.options,
    exclude: {
      path: [base.options.exclude.path, '^server/(main|app|seed-cli)\\.ts$', '^server/accounts/admin-cli\\.ts$'],
    },
  },
};
