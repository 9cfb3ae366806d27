export * from './runner/projection';
export * from './runner/errors';
export {
  PROJECTION_STATES,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionState,
  type ProjectionStatus,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
} from './runner/projection-runner';

/** DI token for the application's ProjectionRunner. */
export const PROJECTION_RUNNER = Symbol.for('ppl.ProjectionRunner');

export * from './portfolio/partnership-view';
export * from './portfolio/portfolio.projection';
export * from './organisations/organisations.projection';
export * from './audit-timeline/audit-timeline.projection';
export * from './audit-timeline/audit-timeline.port';
export * from './audit-timeline/read-model-audit-timeline';
export * from './read-side';
