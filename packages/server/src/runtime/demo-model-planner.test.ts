import { type AgentEvent, EventBus, PlannerExecutor } from '@agent/core';
import { currentTime } from '@agent/tools';
import { describe, expect, it } from 'vitest';
import { createDemoModel } from './demo-model.js';
import { createDemoTools } from './demo-tools.js';

const fixedClock = { now: () => Date.parse('2030-01-02T03:04:05.000Z') };

/** An event bus and the plan it saw. */
function planRecorder() {
  const events = new EventBus();
  const seen: AgentEvent[] = [];
  events.tap((event) => seen.push(event));
  const plan = () => {
    const created = seen.find((event) => event.type === 'plan.created');
    return created?.type === 'plan.created' ? created.plan : undefined;
  };
  return { events, plan };
}

// The demo model recognises core's planner prompts by their wording: these runs fail if core
// changes that wording without the demo model following.
describe('createDemoModel with a PlannerExecutor', () => {
  it('plans a tool step when a tool answers the task, runs it, and answers from its result', async () => {
    const recorder = planRecorder();
    const agent = new PlannerExecutor({
      name: 'demo',
      planner: createDemoModel({ latencyMs: 0 }),
      tools: [currentTime({ clock: fixedClock }), ...createDemoTools()],
      events: recorder.events,
    });

    const result = await agent.run('What time is it?');

    expect(recorder.plan()?.steps).toEqual([{ description: 'Use current_time', tool: 'current_time' }]);
    expect(result.output).toContain('2030-01-02T03:04:05.000Z');
    expect(result.output).toContain('demo model');
  });

  it('plans one step without a tool for anything else, and completes', async () => {
    const recorder = planRecorder();
    const agent = new PlannerExecutor({
      name: 'demo',
      planner: createDemoModel({ latencyMs: 0 }),
      tools: [],
      events: recorder.events,
    });

    const result = await agent.run('hello');

    expect(recorder.plan()?.steps).toHaveLength(1);
    expect(recorder.plan()?.steps[0]?.tool).toBeUndefined();
    expect(result.output).toContain('The steps found:');
  });
});
