export { describeRateLimiter } from './describe-rate-limiter.js';
export type {
  LimiterConformanceContext,
  LimiterConformanceOptions,
  LimiterUnderTest,
} from './limiter-conformance-options.js';
