import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project templates of `agent init`. */
export const TEMPLATE_NAMES = ['basic', 'planner-executor', 'tool-plugin'] as const;

/** One of {@link TEMPLATE_NAMES}. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A file to write: its path inside the project and its text. */
export interface ProjectFile {
  path: string;
  content: string;
}

/** The values substituted for `{{name}}`-style placeholders in template files. */
export interface TemplateValues {
  name: string;
  sdkRange: string;
  pm: string;
}

// dist/init/templates.js and src/init/templates.ts both sit two levels below the package root.
const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

// npm drops `.gitignore` from published packages and some tools treat `.env*` specially, so they
// are stored under other names and renamed on the way out.
const RENAMES: Record<string, string> = { gitignore: '.gitignore', 'env.example': '.env.example' };

// Each template is layers of directories; a later layer's file replaces an earlier one's. The
// planner-executor project is the basic one with another config, test and README.
const LAYERS: Record<TemplateName, readonly string[]> = {
  basic: ['shared', 'basic'],
  'planner-executor': ['shared', 'basic', 'planner-executor'],
  'tool-plugin': ['shared', 'tool-plugin'],
};

/** The files of a template (its layers, later ones winning), with placeholders filled in. */
export async function templateFiles(template: TemplateName, values: TemplateValues): Promise<ProjectFile[]> {
  const files = new Map<string, string>();
  for (const directory of LAYERS[template]) {
    const root = join(TEMPLATES_DIR, directory);
    for (const file of await listFiles(root)) {
      const path = relative(root, file).split('\\').join('/');
      files.set(RENAMES[path] ?? path, fill(await readFile(file, 'utf8'), values));
    }
  }
  return [...files].map(([path, content]) => ({ path, content }));
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(directory, entry.name)) : [join(directory, entry.name)],
    ),
  );
  return files.flat().sort();
}

function fill(text: string, values: TemplateValues): string {
  return text.replace(/\{\{(name|sdkRange|pm)\}\}/g, (_, key: keyof TemplateValues) => values[key]);
}
