// A user's variants, saved by name per task in <home>/variants/<task>/<name>.json. Each file is a
// variant as `maxent train <task> --variant file.json` reads it, so what the studio saves a terminal
// can train on, and a file written by hand shows up in the studio. Every file is checked against
// its task when listed; one that fails is reported, never removed or rewritten.
import fs from 'node:fs';
import path from 'node:path';
import { listTasks, parseVariant } from '../sim/index.ts';
import type { SavedVariant, SavedVariants } from './api.ts';
import { writeFileAtomic } from './runs/atomic.ts';

/** The file a variant name saves to: the name with anything but letters, digits, `.`, `_`, `-` as `-`. */
export function variantFileName(name: string): string {
  const slug = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '');
  if (!slug) throw new Error(`variant name ${JSON.stringify(name)}: needs a letter or digit to name its file`);
  return `${slug.slice(0, 80)}.json`;
}

function taskDir(home: string, task: string): string {
  return path.join(home, 'variants', ...task.split('/'));
}

function builtInNames(task: string): string[] {
  return (
    listTasks()
      .find((t) => t.id === task)
      ?.variants.map((v) => v.name) ?? []
  );
}

function nameOf(json: unknown): string {
  const n = (json as { name?: unknown }).name;
  return typeof n === 'string' && n.trim() ? n.trim() : 'custom';
}

export function listSavedVariants(home: string, task: string): SavedVariants {
  const dir = taskDir(home, task);
  const variants: SavedVariant[] = [];
  const problems: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { variants, problems };
    throw e;
  }
  for (const f of names.sort()) {
    const file = path.join(dir, f);
    try {
      const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a variant object');
      parseVariant(json, task); // names a bad field
      variants.push({ task, name: nameOf(json), json, file, savedAt: fs.statSync(file).mtime.toISOString() });
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
    }
  }
  return { variants, problems };
}

/** Saves a variant of `task` under its name (replacing the one saved under that name). */
export function saveVariant(home: string, task: string, json: unknown): SavedVariant {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('a saved variant is a JSON object (a built-in variant is there already by its name)');
  parseVariant(json, task); // names a bad field
  const name = nameOf(json);
  // `--variant NAME` picks a built-in before a saved one, so a saved one may not hide behind it.
  if (builtInNames(task).includes(name)) throw new Error(`"${name}" is a built-in variant of ${task}: give yours another name`);
  const file = path.join(taskDir(home, task), variantFileName(name));
  if (fs.existsSync(file)) {
    let other: string;
    try {
      other = nameOf(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      // Unreadable: the list reports it; it is not overwritten, the user may want it back.
      throw new Error(`${file} exists and is not a readable variant: move it away or choose another name`);
    }
    if (other !== name) throw new Error(`the saved variant "${other}" uses ${path.basename(file)} already: choose another name`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify({ ...json, name }, null, 2) + '\n');
  return { task, name, json: { ...json, name }, file, savedAt: fs.statSync(file).mtime.toISOString() };
}

/**
 * What `--variant X` means for `task`: the JSON file X where one exists, else the task's built-in
 * variant X (its name, as run.json keeps it), else the variant saved as X. Anything else is named,
 * with the choices, so a typo does not train the plain task.
 */
export function resolveVariantArg(home: string, task: string, arg: string): unknown {
  if (fs.existsSync(arg)) {
    if (fs.statSync(arg).isDirectory()) throw new Error(`--variant: ${arg} is a folder, not a variant file (.json)`);
    let text: string;
    try {
      text = fs.readFileSync(arg, 'utf8');
    } catch (e) {
      throw new Error(`--variant: cannot read ${arg} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`--variant: ${arg} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
    }
    // `null` would read as "no variant" and train the plain task.
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error(
        `--variant: ${arg} holds ${json === null ? 'null' : Array.isArray(json) ? 'a list' : typeof json}, not a variant object`,
      );
    return json;
  }
  const builtIn = builtInNames(task);
  if (builtIn.includes(arg)) return arg;
  const { variants } = listSavedVariants(home, task);
  const saved = variants.find((v) => v.name === arg);
  if (saved) return saved.json;
  const names = [...builtIn, ...variants.map((v) => v.name)];
  throw new Error(
    `--variant: ${JSON.stringify(arg)} is neither a file nor a variant of ${task} (${names.length ? `built in and saved: ${names.join(', ')}` : 'it has none built in or saved'})`,
  );
}

/** Removes the variant saved under `name` for `task`. */
export function removeSavedVariant(home: string, task: string, name: string): { deleted: string } {
  const found = listSavedVariants(home, task).variants.find((v) => v.name === name);
  if (!found) throw new Error(`no variant named ${JSON.stringify(name)} is saved for ${task}`);
  fs.rmSync(found.file);
  return { deleted: found.file };
}
