/**
 * The insight dashboard, `GET /console/insights?days=7|30|90` (30 when not given), registered
 * inside the console scope (src/http/consoleRoutes.ts): the same session check, security
 * headers and error pages as every console page. It only reads aggregates (src/insights/).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConsoleSession } from '../console/auth.js';
import { insightsPage } from '../console/insightsPage.js';
import type { PageContext } from '../console/pages.js';
import { DEFAULT_PERIOD, PERIODS, type PeriodDays } from '../insights/aggregate.js';
import type { InsightLabels, Insights } from '../insights/insights.js';

/** What the console scope lends this route. */
export interface InsightRouteKit {
  insights: Insights;
  labels: InsightLabels;
  ctx: () => PageContext;
  session: (request: FastifyRequest) => ConsoleSession;
  page: (reply: FastifyReply, status: number, body: string) => FastifyReply;
  /** An error the console shows as a page with this status and sentence. */
  refuse: (status: number, title: string, message: string) => Error;
}

const PeriodQuery = z.object({ days: z.enum(PERIODS.map(String) as [string, ...string[]]).optional() });

/** Registers the dashboard on the console scope. */
export function registerInsightRoutes(scope: FastifyInstance, kit: InsightRouteKit): void {
  scope.get('/insights', async (request, reply) => {
    const query = PeriodQuery.safeParse(request.query);
    if (!query.success) throw kit.refuse(400, 'Unknown period', `Choose one of the periods: ${PERIODS.join(', ')} days.`);
    const period = (query.data.days ? Number(query.data.days) : DEFAULT_PERIOD) as PeriodDays;
    const data = await kit.insights.load(period);
    const s = kit.session(request);
    return kit.page(reply, 200, insightsPage({ ctx: kit.ctx(), staff: { name: s.name, csrf: s.csrf }, data, labels: kit.labels }));
  });
}
