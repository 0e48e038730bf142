import { ToolError } from '../errors/errors.js';
import type { ToolDefinition } from '../model/language-model.js';
import type { AnyTool } from './define-tool.js';

/**
 * The tools one agent (or server) can use, by name. An instance, never global: two agents never
 * share tools by accident.
 *
 * @example
 * ```ts
 * const registry = new ToolRegistry([add, weather]);
 * registry.get('add'); // the tool
 * registry.jsonSchema('add'); // { type: 'object', properties: { a: ..., b: ... }, ... }
 * ```
 */
export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();
  private definitionsCache: ToolDefinition[] | undefined;

  constructor(tools: Iterable<AnyTool> = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Adds a tool. Throws `TOOL_DUPLICATE` when the name is taken. */
  register(tool: AnyTool): this {
    const existing = this.tools.get(tool.name);
    if (existing) {
      throw new ToolError(
        'TOOL_DUPLICATE',
        tool.name,
        `A tool named "${tool.name}" is already registered${existing === tool ? ' (the same tool was added twice)' : ''}. Rename one of them, or remove the duplicate from the agent's tools.`,
      );
    }
    this.tools.set(tool.name, tool);
    this.definitionsCache = undefined;
    return this;
  }

  /** Removes a tool; resolves to whether it was there. */
  unregister(name: string): boolean {
    const removed = this.tools.delete(name);
    if (removed) this.definitionsCache = undefined;
    return removed;
  }

  /** The tool with this name, or `undefined`. */
  get(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }

  /** Whether a tool with this name is registered. */
  has(name: string): boolean {
    return this.tools.has(name);
  }

  /** Every tool, in registration order. */
  list(): AnyTool[] {
    return [...this.tools.values()];
  }

  /** Number of tools. */
  get size(): number {
    return this.tools.size;
  }

  /** The JSON Schema of a tool's input. Throws `TOOL_NOT_FOUND` for an unknown name. */
  jsonSchema(name: string): Record<string, unknown> {
    const tool = this.tools.get(name);
    if (!tool) {
      throw new ToolError(
        'TOOL_NOT_FOUND',
        name,
        `No tool named "${name}". Registered tools: ${this.namesForMessage()}.`,
      );
    }
    return tool.inputJsonSchema;
  }

  /** The tools as the model sees them; cached until the registry changes. */
  definitions(): ToolDefinition[] {
    if (!this.definitionsCache) {
      this.definitionsCache = this.list().map((tool) => ({
        name: tool.name,
        description: tool.description,
        inputSchema: tool.inputJsonSchema,
      }));
    }
    return this.definitionsCache;
  }

  /** Tool names joined for error messages. */
  namesForMessage(): string {
    return this.tools.size === 0 ? '(none)' : [...this.tools.keys()].join(', ');
  }
}
