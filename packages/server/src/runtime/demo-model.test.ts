import { AbortedError, Agent, type ModelStreamEvent, userMessage } from '@agent/core';
import { currentTime } from '@agent/tools';
import { describe, expect, it } from 'vitest';
import { createDemoModel } from './demo-model.js';
import { createDemoTools } from './demo-tools.js';

const fixedClock = { now: () => Date.parse('2030-01-02T03:04:05.000Z') };

describe('createDemoModel', () => {
  it('calls current_time when asked the time, then reports its result', async () => {
    const agent = new Agent({
      name: 'demo',
      model: createDemoModel({ latencyMs: 0 }),
      tools: [currentTime({ clock: fixedClock }), ...createDemoTools()],
    });

    const result = await agent.run('What time is it?');

    expect(result.steps[0]?.message.toolCalls?.[0]).toMatchObject({ name: 'current_time', arguments: {} });
    expect(result.output).toContain('2030-01-02T03:04:05.000Z');
    expect(result.output).toContain('demo model');
    expect(result.usage.costUsd).toBe(0);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('counts the quoted words with word_count', async () => {
    const agent = new Agent({
      name: 'demo',
      model: createDemoModel({ latencyMs: 0 }),
      tools: createDemoTools(),
    });

    const result = await agent.run('Count the words in "one two three"');

    expect(result.steps[0]?.message.toolCalls?.[0]).toMatchObject({
      name: 'word_count',
      arguments: { text: 'one two three' },
    });
    expect(result.output).toContain('"words":3');
  });

  it('counts nothing in an empty text', async () => {
    const wordCount = createDemoTools()[0];

    const counted = await wordCount?.execute({ text: '   ' }, {} as never);

    expect(counted).toEqual({ words: 0, characters: 3 });
  });

  it('answers other input with a text that quotes it and says how to configure a real model', async () => {
    const model = createDemoModel({ latencyMs: 0, configureHint: 'set OPENAI_API_KEY' });

    const response = await model.generate({ messages: [userMessage('Tell me a joke')] });

    expect(response.finishReason).toBe('stop');
    expect(response.message.content).toContain('"Tell me a joke"');
    expect(response.message.content).toContain('built-in demo model');
    expect(response.message.content).toContain('set OPENAI_API_KEY');
    expect(model).toMatchObject({ provider: 'demo', modelId: 'demo' });
  });

  it('does not call a tool that is not offered', async () => {
    const model = createDemoModel({ latencyMs: 0 });

    const response = await model.generate({ messages: [userMessage('What time is it?')] });

    expect(response.message.toolCalls).toBeUndefined();
  });

  it('greets when the conversation has no user message last', async () => {
    const model = createDemoModel({ latencyMs: 0 });

    const response = await model.generate({ messages: [{ role: 'system', content: 'Be brief.' }] });

    expect(response.message.content).toMatch(/^Hello!/);
  });

  it('reports a failed tool call', async () => {
    const model = createDemoModel({ latencyMs: 0 });

    const response = await model.generate({
      messages: [
        userMessage('time?'),
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'current_time', arguments: {} }] },
        { role: 'tool', toolCallId: 'c1', toolName: 'current_time', content: 'clock broken', isError: true },
      ],
    });

    expect(response.message.content).toContain('current_time failed: clock broken');
  });

  it('streams its text in a few chunks ending with finish', async () => {
    const model = createDemoModel({ latencyMs: 0 });

    const events: ModelStreamEvent[] = [];
    for await (const event of model.stream({ messages: [userMessage('Hello there')] })) events.push(event);

    const deltas = events.filter((event) => event.type === 'text-delta');
    const finish = events.at(-1);
    expect(deltas.length).toBeGreaterThan(1);
    expect(finish?.type).toBe('finish');
    if (finish?.type === 'finish') {
      expect(deltas.map((event) => event.delta).join('')).toBe(finish.response.message.content);
    }
  });

  it('streams tool calls', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    const clockTool = currentTime();

    const events: ModelStreamEvent[] = [];
    const tools = [{ name: 'current_time', description: 'time', inputSchema: clockTool.inputJsonSchema }];
    for await (const event of model.stream({ messages: [userMessage('what day is it')], tools }))
      events.push(event);

    expect(events.map((event) => event.type)).toEqual(['tool-call', 'finish']);
  });

  it('waits its latency through the given sleep and stops when aborted', async () => {
    const waits: number[] = [];
    const controller = new AbortController();
    const model = createDemoModel({
      latencyMs: 150,
      sleep: async (ms) => {
        waits.push(ms);
        controller.abort();
      },
    });

    const outcome = model.generate({ messages: [userMessage('Hi')], signal: controller.signal });

    await expect(outcome).rejects.toBeInstanceOf(AbortedError);
    expect(waits).toEqual([150]);
  });
});
