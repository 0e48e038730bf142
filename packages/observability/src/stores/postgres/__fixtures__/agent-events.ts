import { testEvents } from '@agent/core/testing';

// Core's event builders, under the names these tests use.
export const { cancelled, completed, failed, responded, started, step } = testEvents;
