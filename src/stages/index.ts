/**
 * The stages of contract §2, in order. Each lives in its own folder and exports one Stage; the runner picks the
 * requested ones plus their prerequisites.
 */
import type { Stage } from '../pipeline/context.js';
import { anomaliesStage } from './anomalies/index.js';
import { basketStage } from './basket/index.js';
import { featuresStage } from './features/index.js';
import { identityStage } from './identity/index.js';
import { ingestStage } from './ingest/index.js';
import { reportStage } from './report/index.js';
import { retentionStage } from './retention/index.js';
import { satisfactionStage } from './satisfaction/index.js';
import { segmentsStage } from './segments/index.js';
import { valueStage } from './value/index.js';

export const ALL_STAGES: readonly Stage[] = [ingestStage, identityStage, featuresStage, valueStage, segmentsStage, retentionStage, basketStage, anomaliesStage, satisfactionStage, reportStage];
