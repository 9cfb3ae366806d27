/** Arrows point inward only: apps -> libs/* -> libs/domain. Adapters depend on their port. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports nothing outside itself (zod, a pure validation library, is the one exception)',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: { pathNot: ['^libs/domain', '^node_modules/zod'] },
    },
    {
      name: 'privacy-needs-only-the-domain',
      comment: 'libs/privacy (keys and sealed values) builds on libs/domain alone; the command side and the edges use it',
      severity: 'error',
      from: { path: '^libs/privacy' },
      to: { path: '^(apps|libs)/', pathNot: ['^libs/privacy', '^libs/domain'] },
    },
    {
      name: 'nothing-imports-apps',
      severity: 'error',
      from: { pathNot: '^apps' },
      to: { path: '^apps' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-tests',
      severity: 'error',
      from: { path: '^(apps|libs)', pathNot: '\\.spec\\.ts$' },
      to: { path: '^tests/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist|node_modules)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
