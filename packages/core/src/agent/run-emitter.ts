import type { AgentEvent, AgentEventPayloads, AgentEventType } from '../events/agent-event.js';
import type { EventBus } from '../events/event-bus.js';
import type { Clock } from '../util/clock.js';

/** Numbers the events of one run (contiguous `seq` from 0) and sends them to every listener. */
export class RunEmitter {
  private seq = 0;
  /** Whether anyone listens; when nobody does, events are not even built. */
  readonly active: boolean;

  constructor(
    private readonly runId: string,
    private readonly agent: string,
    private readonly tenant: string | undefined,
    private readonly clock: Clock,
    private readonly bus: EventBus | undefined,
    private readonly onEvent: ((event: AgentEvent) => void) | undefined,
    private readonly sink: ((event: AgentEvent) => void) | undefined,
    private readonly onEventError?: (error: unknown, event: AgentEvent) => void,
  ) {
    this.active = bus !== undefined || onEvent !== undefined || sink !== undefined;
  }

  /**
   * Builds and delivers one event. `seq` is assigned synchronously, so events of parallel tool
   * calls are still contiguous and ordered as they happened. Returns the event's timestamp, so
   * callers can use it as a start time instead of reading the clock again.
   */
  emit<TType extends AgentEventType>(type: TType, payload: AgentEventPayloads[TType]): number {
    const timestamp = this.clock.now();
    if (!this.active) return timestamp;
    const event = {
      runId: this.runId,
      seq: this.seq++,
      timestamp,
      agent: this.agent,
      // Always present (undefined when there is none): one object shape for every event, and
      // JSON.stringify leaves an undefined tenant out anyway.
      tenant: this.tenant,
      type,
      ...payload,
    } as unknown as AgentEvent;
    if (this.onEvent) {
      try {
        this.onEvent(event);
      } catch (error) {
        // A broken observer must not change the run's outcome or lose the remaining events.
        this.onEventError?.(error, event);
      }
    }
    this.sink?.(event);
    this.bus?.publish(event);
    return timestamp;
  }

  /** Events emitted so far. */
  get count(): number {
    return this.seq;
  }
}
