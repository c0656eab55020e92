// fast-check arbitraries derived from the OpenAPI (JSON Schema) descriptions of requests:
// values that fit the schema, and values that break it in the ways clients get things wrong.
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e\u0041\u0042',
  '\ud800',
  '😀'.repeat(50),
  '<img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%2e%2e%2f',
  'a'.repeat(70_000),
  '\r\nX-Injected: 1',
  'null',
  '__proto__',
];

const BOUNDARY_NUMBERS = [
  0,
  -1,
  1,
  0.5,
  -0,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  99,
  100,
  999_999_999,
  1_000_000_000,
];

export const oddString = fc.oneof(fc.constantFrom(...ODD_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }));
export const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...BOUNDARY_NUMBERS),
  oddString,
  fc.constant([]),
  fc.constant({}),
  fc.constant({ nested: { deep: [1, 'two', null] } }),
);

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

/** A value that satisfies the schema (best effort: formats and patterns get plausible samples). */
export function validArb(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => validArb(a, depth + 1)));
  if (s.allOf?.length) return validArb(Object.assign({}, ...s.allOf), depth + 1);
  const base = (() => {
    switch (typeOf(s)) {
      case 'string':
        return stringArb(s);
      case 'integer':
        return fc.integer({ min: Math.ceil(s.minimum ?? -1000), max: Math.floor(s.maximum ?? 1_000_000) });
      case 'number':
        return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(s.items && depth < 4 ? validArb(s.items, depth + 1) : anyJson, {
          minLength: s.minItems ?? 0,
          maxLength: Math.min(s.maxItems ?? 4, 4),
        });
      case 'object': {
        const props = s.properties ?? {};
        const required = new Set(s.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) record[k] = depth < 4 ? validArb(v, depth + 1) : anyJson;
        return fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
      }
      default:
        return anyJson;
    }
  })();
  return s.nullable || (Array.isArray(s.type) && s.type.includes('null')) ? fc.option(base, { nil: null }) : base;
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 200));
    } catch {
      // not a JavaScript regex: fall through
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 60) });
}

/** A value that breaks the schema: wrong type, missing or extra fields, huge or odd values. */
export function invalidArb(s: JsonSchema): fc.Arbitrary<unknown> {
  const variants: fc.Arbitrary<unknown>[] = [anyJson];
  const t = typeOf(s);
  if (t === 'object' && s.properties) {
    const valid = validArb(s) as fc.Arbitrary<Record<string, unknown>>;
    const keys = Object.keys(s.properties);
    if (keys.length > 0) {
      variants.push(
        fc.tuple(valid, fc.constantFrom(...keys), anyJson).map(([v, k, bad]) => ({ ...v, [k]: bad })),
        fc.tuple(valid, fc.constantFrom(...keys)).map(([v, k]) => {
          const copy = { ...v };
          delete copy[k];
          return copy;
        }),
      );
    }
    variants.push(valid.map((v) => ({ ...v, unexpectedField: 'x', __proto__: { admin: true } })));
  }
  if (t === 'string') variants.push(oddString);
  if (t === 'integer' || t === 'number') variants.push(fc.constantFrom(...BOUNDARY_NUMBERS, '12', 'NaN', 1.5));
  return fc.oneof(...variants);
}
