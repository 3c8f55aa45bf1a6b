/**
 * The stages of contract §2, in order. Each lives in its own folder and exports one Stage; the runner picks the
 * requested ones plus their prerequisites.
 */
import type { Stage } from '../pipeline/context.js';
import { identityStage } from './identity/index.js';
import { ingestStage } from './ingest/index.js';

export const ALL_STAGES: readonly Stage[] = [ingestStage, identityStage];
