/**
 * Predictive customer lifetime value: BG/NBD (purchase counts and churn) and Gamma-Gamma (spend), fitted by
 * maximum likelihood, combined into a monthly-discounted CLV. Pure functions over typed arrays; no I/O.
 */
export { bgnbdLogLik, fitBgNbd, type BgNbdParams } from './bgnbd.js';
export { bgnbdExpectedPurchases, bgnbdPAlive, bgnbdUnconditionalExpected, expectedPurchasesOne, rfmTriples } from './bgnbd-predict.js';
export { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLik, type GammaGammaParams } from './gamma-gamma.js';
export { DAYS_PER_MONTH, discountedClv, monthSchedule, type ClvInput } from './clv.js';
export { simulateCustomers, type SimulateOptions, type SimulatedCustomers } from './simulate.js';
export type { FitOptions, FitResult, FitStart } from './fit-common.js';
export { hyp2f1, hyp2f1Reduced, lgamma } from './special-functions.js';
