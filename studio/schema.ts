// A tiny runtime schema checker for messages that cross a process boundary (WebSocket, IPC,
// worker). Errors name the path of the offending field and what was expected.

export type Schema<T> = {
  readonly describe: string;
  check(value: unknown, path: string): T;
};

export class SchemaError extends Error {
  override name = 'SchemaError';
}

function fail(path: string, expected: string, value: unknown): never {
  const got =
    value === undefined
      ? 'undefined'
      : typeof value === 'string'
        ? JSON.stringify(value).slice(0, 40)
        : typeof value === 'number'
          ? String(value)
          : Array.isArray(value)
            ? 'an array'
            : value === null
              ? 'null'
              : typeof value;
  throw new SchemaError(`${path || 'value'}: expected ${expected}, got ${got}`);
}

export const t = {
  string(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
    const describe = opts.pattern ? `a string matching ${opts.pattern}` : 'a string';
    return {
      describe,
      check(v, path) {
        if (typeof v !== 'string') fail(path, describe, v);
        if (opts.min !== undefined && v.length < opts.min) fail(path, `${describe} of at least ${opts.min} characters`, v);
        if (opts.max !== undefined && v.length > opts.max) fail(path, `${describe} of at most ${opts.max} characters`, v);
        if (opts.pattern && !opts.pattern.test(v)) fail(path, describe, v);
        return v;
      },
    };
  },
  number(opts: { min?: number; above?: number; max?: number; int?: boolean } = {}): Schema<number> {
    const parts = [opts.int ? 'an integer' : 'a finite number'];
    if (opts.min !== undefined) parts.push(`>= ${opts.min}`);
    if (opts.above !== undefined) parts.push(`> ${opts.above}`);
    if (opts.max !== undefined) parts.push(`<= ${opts.max}`);
    const describe = parts.join(' ');
    return {
      describe,
      check(v, path) {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, describe, v);
        if (opts.int && !Number.isInteger(v)) fail(path, describe, v);
        if (opts.min !== undefined && v < opts.min) fail(path, describe, v);
        if (opts.above !== undefined && v <= opts.above) fail(path, describe, v);
        if (opts.max !== undefined && v > opts.max) fail(path, describe, v);
        return v;
      },
    };
  },
  boolean(): Schema<boolean> {
    return {
      describe: 'a boolean',
      check(v, path) {
        if (typeof v !== 'boolean') fail(path, 'a boolean', v);
        return v;
      },
    };
  },
  literal<L extends string>(...values: L[]): Schema<L> {
    const describe = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
    return {
      describe,
      check(v, path) {
        if (typeof v !== 'string' || !(values as string[]).includes(v)) fail(path, describe, v);
        return v as L;
      },
    };
  },
  optional<T>(inner: Schema<T>): Schema<T | undefined> {
    return {
      describe: `${inner.describe} (optional)`,
      check(v, path) {
        return v === undefined || v === null ? undefined : inner.check(v, path);
      },
    };
  },
  array<T>(inner: Schema<T>, opts: { max?: number } = {}): Schema<T[]> {
    const describe = `an array of ${inner.describe}`;
    return {
      describe,
      check(v, path) {
        if (!Array.isArray(v)) fail(path, describe, v);
        if (opts.max !== undefined && v.length > opts.max) fail(path, `${describe} with at most ${opts.max} items`, v);
        return v.map((x, i) => inner.check(x, `${path}[${i}]`));
      },
    };
  },
  /** Unknown keys are rejected so that typos in configs do not pass silently. */
  object<S extends Record<string, Schema<unknown>>>(shape: S, opts: { allowUnknown?: boolean } = {}): Schema<ObjectOut<S>> {
    const describe = 'an object';
    return {
      describe,
      check(v, path) {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, describe, v);
        const src = v as Record<string, unknown>;
        if (!opts.allowUnknown) {
          for (const k of Object.keys(src)) {
            if (!Object.hasOwn(shape, k)) {
              throw new SchemaError(`${path ? path + '.' : ''}${k}: unknown field (allowed: ${Object.keys(shape).join(', ')})`);
            }
          }
        }
        const out: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(shape)) {
          const r = s.check(src[k], path ? `${path}.${k}` : k);
          if (r !== undefined) out[k] = r;
        }
        return out as ObjectOut<S>;
      },
    };
  },
  /** A record of free-form JSON values (used for bytes and opaque payloads). */
  any(): Schema<unknown> {
    return { describe: 'any value', check: (v) => v };
  },
};

type Out<X> = X extends Schema<infer T> ? T : never;
/** Fields whose schema may yield undefined become optional properties. */
type ObjectOut<S> = { [K in keyof S as undefined extends Out<S[K]> ? never : K]: Out<S[K]> } & {
  [K in keyof S as undefined extends Out<S[K]> ? K : never]?: Out<S[K]>;
};

export type Infer<S> = S extends Schema<infer T> ? T : never;
