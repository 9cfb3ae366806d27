import type { Projection } from './runner/projection';
import { auditTimelineProjection } from './audit-timeline/audit-timeline.projection';
import { organizationsProjection } from './organisations/organisations.projection';
import { portfolioProjection } from './portfolio/portfolio.projection';

/** Every projection of the read side, as the service, the projector and the rebuild CLI run them. */
export const READ_SIDE_PROJECTIONS: readonly Projection[] = [portfolioProjection, organizationsProjection, auditTimelineProjection];
