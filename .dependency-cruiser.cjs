// Architecture rules (issue 8), checked by `npm run lint:arch`. See docs/ARCHITECTURE.md: layout by
// feature, SQL only in repositories, each table owned by one feature whose service the others call.
// Folders of server/ that are not features: anything may use them, and they use no feature.
const SERVER_INFRASTRUCTURE = '^server/(shared|db|http|mail)/|^server/config\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: two modules that need each other belong together, or share a third one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-other-feature-repository',
      severity: 'error',
      comment:
        "A feature reads and writes its own tables only; it calls another feature's service (or a read " +
        'model that feature exposes), never its repository.',
      from: { path: '^server/([^/]+)/' },
      to: { path: '^server/[^/]+/[^/]+\\.repository\\.ts$', pathNot: '^server/$1/' },
    },
    {
      name: 'client-not-to-server',
      severity: 'error',
      comment:
        'The browser bundle must not pull in server code. Logic both sides need lives in one module ' +
        'outside server/ features that both import.',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'shared-not-to-features',
      severity: 'error',
      comment: 'server/shared/ holds helpers every feature may use, so it depends on no feature.',
      from: { path: '^server/shared/' },
      to: { path: '^server/', pathNot: SERVER_INFRASTRUCTURE },
    },
    {
      name: 'migrations-not-to-repositories',
      severity: 'error',
      comment:
        'A migration is frozen once it lands; repositories change with the code. Migrations write their ' +
        'own SQL (Ghost keeps the same rule).',
      from: { path: '^migrations/' },
      to: { path: '(^server/|\\.repository\\.ts$)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a typo or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|public|dist|\\.data|bench/results|seeds/data)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
