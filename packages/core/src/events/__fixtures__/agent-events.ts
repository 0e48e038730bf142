// The builders live in @agent/core/testing (as `testEvents`) so other packages' tests share them.
export { cancelled, completed, failed, responded, started, step } from '../../testing/agent-events.js';
