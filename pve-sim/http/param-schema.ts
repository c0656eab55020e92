// A small copy of PVE::JSONSchema's parameter checks, with its exact error texts, so that
// pve-sim rejects what a real server rejects: unknown parameters, `true` for a boolean, …
// Each route declares its parameters in the same shape as apidata.json; conformance.test.ts
// compares the declarations with the official schema.

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface ParamSchema {
  type: ParamType;
  optional?: 1;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: string | number;
  /** Another parameter that must be present when this one is (`requires` in apidata). */
  requires?: string;
  /** For `array`: the items' schema (pve-sim only needs strings). */
  items?: { type: 'string' };
}

export type ParamSchemas = Readonly<Record<string, ParamSchema>>;
export type ParamValue = string | number | boolean | string[];
export type Params = Record<string, ParamValue | undefined>;

const NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
// pve-poolid / pve-realm: letters, digits, and a few separators.
const CONFIG_ID = /^[A-Za-z][A-Za-z0-9\-_.]*[A-Za-z0-9]$|^[A-Za-z]$/;
/** PVE::JSONSchema::parse_id (storage IDs): at least two characters. */
const PARSE_ID = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
/** $PVE::JSONSchema::CONFIGID_RE: a letter, then at least one letter, digit, `_` or `-`. Snapshot
 * names are configuration IDs, so a one-letter name is refused. */
export const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const VMID = /^[1-9][0-9]{2,8}$/;
/** The content types pve-storage's verify_content accepts (those of a `dir` storage, and import). */
const STORAGE_CONTENT = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'];

/** PVE::Tools::split_list: items separated by commas, semicolons, NULs or white space. */
export function splitList(text: string): string[] {
  return text.split(/[,;\0\s]+/).filter((item) => item !== '');
}

/** Formats whose checks matter for the calls pve-sim serves; others are accepted as strings.
 * The texts are those of the format's verifier in pve-common / pve-storage. */
const FORMAT_CHECKS: Record<string, (v: string) => string | null> = {
  'pve-node': (v) => (NODE_NAME.test(v) ? null : 'value does not look like a valid node name'),
  'pve-poolid': (v) => (CONFIG_ID.test(v) ? null : `invalid pool ID '${v}'`),
  'pve-storage-id': (v) => {
    if (v.length < 2) return `storage ID '${v}' cannot be shorter than 2 characters`;
    return PARSE_ID.test(v) ? null : `storage ID '${v}' contains illegal characters`;
  },
  'pve-configid': (v) => (CONFIGID_RE.test(v) ? null : `invalid configuration ID '${v}'`),
  'pve-vmid-list': (v) => (splitList(v).every((id) => VMID.test(id)) ? null : 'value does not look like a valid VM ID'),
  'pve-storage-content': (v) => (STORAGE_CONTENT.includes(v) ? null : `invalid content type '${v}'`),
};

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'ARRAY';
  if (value !== null && typeof value === 'object') return 'HASH';
  return String(value);
}

/** Checks one value; returns the coerced value or the error text of PVE::JSONSchema::check_prop. */
function checkValue(schema: ParamSchema, raw: unknown): { value?: ParamValue; error?: string } {
  const typeError = { error: `type check ('${schema.type}') failed - got '${describe(raw)}'` };
  if (schema.type === 'array') {
    // RESTHandler wraps a single (form) value in a list; JSON bodies may send a list.
    const list = Array.isArray(raw) ? raw : [raw];
    if (!list.every((item) => typeof item === 'string' || typeof item === 'number')) {
      return { error: "type check ('string') failed - got a HASH" };
    }
    return { value: list.map(String) };
  }
  if (typeof raw === 'object' && raw !== null) {
    return { error: `type check ('${schema.type}') failed - got a ${describe(raw)}` };
  }
  let value: ParamValue;
  switch (schema.type) {
    case 'boolean':
      // Only 1 and 0 (JSON true/false in a JSON body): `true` in a form is rejected.
      if (raw === true || raw === false) value = raw;
      else if (raw === '1' || raw === 1) value = true;
      else if (raw === '0' || raw === 0) value = false;
      else return typeError;
      return { value };
    case 'integer':
      if (typeof raw === 'number' && Number.isInteger(raw)) value = raw;
      else if (typeof raw === 'string' && INTEGER.test(raw)) value = Number(raw);
      else return typeError;
      break;
    case 'number':
      if (typeof raw === 'number' && Number.isFinite(raw)) value = raw;
      else if (typeof raw === 'string' && NUMBER.test(raw)) value = Number(raw);
      else return typeError;
      break;
    case 'string':
      if (typeof raw === 'boolean') return typeError;
      value = String(raw);
      break;
    default:
      return typeError;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      return { error: `value must have a minimum value of ${schema.minimum}` };
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      return { error: `value must have a maximum value of ${schema.maximum}` };
    }
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      return { error: `value may only be ${schema.maxLength} characters long` };
    }
    if (schema.pattern !== undefined && !new RegExp(`^(?:${schema.pattern})$`).test(value)) {
      return { error: 'value does not match the regex pattern' };
    }
    const formatCheck = schema.format ? FORMAT_CHECKS[schema.format] : undefined;
    const formatError = formatCheck?.(value);
    if (formatError) return { error: `invalid format - ${formatError}\n` };
  }
  if (schema.enum && !schema.enum.includes(String(value))) {
    return { error: `value '${value}' does not have a value in the enumeration '${schema.enum.join(', ')}'` };
  }
  return { value };
}

/** Validates raw parameters (strings from a form or query, or JSON values) against a schema
 * that does not allow additional properties, as nearly every PVE method does (a few index
 * methods declare `additionalProperties => 1`; unknown parameters are then ignored). */
export function validateParams(
  schemas: ParamSchemas,
  raw: Readonly<Record<string, unknown>>,
  additionalProperties = false,
): { params: Params; errors: Record<string, string> | null } {
  const params: Params = {};
  const errors: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const schema = schemas[name];
    if (!schema) {
      if (additionalProperties) continue;
      errors[name] = 'property is not defined in schema and the schema does not allow additional properties';
      continue;
    }
    if (value === null || value === undefined) continue;
    const checked = checkValue(schema, value);
    if (checked.error !== undefined) errors[name] = checked.error;
    else params[name] = checked.value;
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (!schema.optional && params[name] === undefined && errors[name] === undefined) {
      errors[name] = 'property is missing and it is not optional';
    }
    // PVE::JSONSchema::validate: the error is reported on the parameter that is missing.
    if (schema.requires !== undefined && params[name] !== undefined && params[schema.requires] === undefined) {
      errors[schema.requires] ??= `missing property required by '${name}'`;
    }
  }
  return { params, errors: Object.keys(errors).length > 0 ? errors : null };
}

// Shorthands for route declarations; they mirror the apidata.json entries they stand for.
export const P = {
  node: { type: 'string', format: 'pve-node' },
  vmid: { type: 'integer', format: 'pve-vmid', minimum: 100, maximum: 999999999 },
  optBool: { type: 'boolean', optional: 1 },
  optString: { type: 'string', optional: 1 },
  optTimeout: { type: 'integer', optional: 1, minimum: 0 },
  /** pve-snapshot-name */
  snapname: { type: 'string', format: 'pve-configid', maxLength: 40 },
  storage: { type: 'string', format: 'pve-storage-id' },
} as const satisfies Record<string, ParamSchema>;
