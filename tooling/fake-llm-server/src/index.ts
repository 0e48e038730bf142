export { startFakeLlmServer } from './fake-llm-server.js';
export type {
  FakeFinishReason,
  FakeLlmServer,
  FakeProvider,
  FakeReply,
  FakeToolCall,
  FakeUsage,
  RecordedRequest,
} from './types.js';
