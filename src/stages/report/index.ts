/**
 * Stage `report`: renders report.html (self-contained) and summary.md into the run folder from the published
 * `out_*` tables. Each section lives in src/report/sections/ and says plainly when it has nothing to show.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import type { ReportContext, ReportSection } from '../../report/context.js';
import { page, section } from '../../report/html.js';
import { anomaliesSection } from '../../report/sections/anomalies.js';
import { basketRecommendationsSection } from '../../report/sections/basket-recommendations.js';
import { basketRulesSection } from '../../report/sections/basket-rules.js';
import { customersSection } from '../../report/sections/customers.js';
import { dataQualitySection } from '../../report/sections/data-quality.js';
import { identitySection } from '../../report/sections/identity.js';
import { overviewSection } from '../../report/sections/overview.js';
import { retentionChurnSection } from '../../report/sections/retention-churn.js';
import { retentionCohortsSection } from '../../report/sections/retention-cohorts.js';
import { retentionLeadsSection } from '../../report/sections/retention-leads.js';
import { satisfactionSection } from '../../report/sections/satisfaction.js';
import { segmentsModelSection } from '../../report/sections/segments-model.js';
import { segmentsSection } from '../../report/sections/segments.js';
import { stagesSection } from '../../report/sections/stages.js';
import { valueClvSection } from '../../report/sections/value-clv.js';
import { valueProfitSection } from '../../report/sections/value-profit.js';
import { valueRfmSection } from '../../report/sections/value-rfm.js';
import { renderSummaryMarkdown } from '../../report/summary-md.js';

export const SECTIONS: ReportSection[] = [overviewSection, dataQualitySection, identitySection, customersSection, valueProfitSection, valueRfmSection, valueClvSection, segmentsSection, segmentsModelSection, retentionChurnSection, retentionCohortsSection, retentionLeadsSection, basketRulesSection, basketRecommendationsSection, anomaliesSection, satisfactionSection, stagesSection];

export function reportContext(ctx: RunContext): ReportContext {
  return {
    db: ctx.db, pipeline: ctx.pipeline.config.name, asOf: ctx.asOf, runId: ctx.runId,
    stages: ctx.stages, inputs: ctx.inputs, models: ctx.models,
    has: (table) => ctx.db.tableExists(`out_${table}`),
  };
}

async function run(ctx: RunContext): Promise<StageResult> {
  const rc = reportContext(ctx);
  const rendered = [];
  for (const s of SECTIONS) {
    const content = await s.render(rc);
    rendered.push(typeof content === 'string' ? section(s.id, s.title, [], content) : section(s.id, s.title, content));
  }
  const html = page(`${rc.pipeline}: customer analytics`, `as of ${rc.asOf}`, SECTIONS.map((s) => ({ id: s.id, label: s.title })), rendered);
  await writeFile(path.join(ctx.runDir, 'report.html'), html);
  await writeFile(path.join(ctx.runDir, 'summary.md'), await renderSummaryMarkdown(rc));
  return {};
}

export const reportStage: Stage = { name: 'report', needs: [], run };
