import { describe, expect, it } from 'vitest';
import { P, type ParamSchemas, validateParams } from './param-schema';

const schema: ParamSchemas = {
  node: P.node,
  vmid: P.vmid,
  flag: P.optBool,
  timeframe: { type: 'string', enum: ['hour', 'day'] },
  note: { type: 'string', optional: 1, maxLength: 5 },
  ratio: { type: 'number', optional: 1 },
};
const base = { node: 'pve1', vmid: '100', timeframe: 'hour' };

describe('validateParams (PVE::JSONSchema texts)', () => {
  it('accepts valid form strings and coerces them', () => {
    const { params, errors } = validateParams(schema, { ...base, flag: '1', ratio: '0.5' });
    expect(errors).toBeNull();
    expect(params).toEqual({ node: 'pve1', vmid: 100, timeframe: 'hour', flag: true, ratio: 0.5 });
  });

  it.each(['true', 'false', 'yes', 'on', ''])('rejects the form boolean %j', (value) => {
    const { errors } = validateParams(schema, { ...base, flag: value });
    expect(errors).toEqual({ flag: `type check ('boolean') failed - got '${value}'` });
  });

  it('accepts JSON booleans and 0/1 numbers from a JSON body', () => {
    expect(validateParams(schema, { ...base, flag: true }).params.flag).toBe(true);
    expect(validateParams(schema, { ...base, flag: 0 }).params.flag).toBe(false);
  });

  it('reports unknown and missing properties', () => {
    const { errors } = validateParams(schema, { node: 'pve1', vmid: '100', bogus: 'x' });
    expect(errors).toEqual({
      bogus: 'property is not defined in schema and the schema does not allow additional properties',
      timeframe: 'property is missing and it is not optional',
    });
  });

  it('checks integer type, minimum and maximum', () => {
    expect(validateParams(schema, { ...base, vmid: 'abc' }).errors).toEqual({
      vmid: "type check ('integer') failed - got 'abc'",
    });
    expect(validateParams(schema, { ...base, vmid: '99' }).errors).toEqual({
      vmid: 'value must have a minimum value of 100',
    });
    expect(validateParams(schema, { ...base, vmid: '1000000000' }).errors).toEqual({
      vmid: 'value must have a maximum value of 999999999',
    });
    expect(validateParams(schema, { ...base, vmid: '1.5' }).errors).not.toBeNull();
  });

  it('checks enums, lengths and node names', () => {
    expect(validateParams(schema, { ...base, timeframe: 'minute' }).errors).toEqual({
      timeframe: "value 'minute' does not have a value in the enumeration 'hour, day'",
    });
    expect(validateParams(schema, { ...base, note: 'toolong' }).errors).toEqual({
      note: 'value may only be 5 characters long',
    });
    expect(validateParams(schema, { ...base, node: 'bad_node!' }).errors).toEqual({
      node: 'invalid format - value does not look like a valid node name\n',
    });
  });

  it('rejects repeated form values (joined with NUL by the form parser)', () => {
    expect(validateParams(schema, { ...base, vmid: '100\u0000101' }).errors?.vmid).toMatch(/type check/);
  });

  it('rejects objects where a scalar is expected', () => {
    expect(validateParams(schema, { ...base, note: { a: 1 } }).errors?.note).toBe(
      "type check ('string') failed - got a HASH",
    );
  });
});

describe('validateParams: what the new calls need', () => {
  it('reports a missing parameter that another one requires, on the missing one', () => {
    const schemas: ParamSchemas = {
      storage: { type: 'string', optional: 1 },
      notes: { type: 'string', optional: 1, requires: 'storage' },
    };
    expect(validateParams(schemas, { notes: 'x' }).errors).toEqual({ storage: "missing property required by 'notes'" });
    expect(validateParams(schemas, { notes: 'x', storage: 'local' }).errors).toBeNull();
  });

  it('wraps a single value of an array parameter in a list', () => {
    const schemas: ParamSchemas = { paths: { type: 'array', optional: 1, items: { type: 'string' } } };
    expect(validateParams(schemas, { paths: '/tmp' }).params.paths).toEqual(['/tmp']);
    expect(validateParams(schemas, { paths: ['/a', '/b'] }).params.paths).toEqual(['/a', '/b']);
  });

  it('checks configuration IDs (snapshot names), VM ID lists, storage IDs and content types', () => {
    const schemas: ParamSchemas = {
      snap: { type: 'string', optional: 1, format: 'pve-configid' },
      vmids: { type: 'string', optional: 1, format: 'pve-vmid-list' },
      storage: { type: 'string', optional: 1, format: 'pve-storage-id' },
      content: { type: 'string', optional: 1, format: 'pve-storage-content' },
    };
    const errors = (raw: Record<string, string>) => validateParams(schemas, raw).errors;
    expect(errors({ snap: 'ok-1_x', vmids: '100, 101;102', storage: 'local-lvm', content: 'backup' })).toBeNull();
    expect(errors({ snap: 'x' })).toEqual({ snap: "invalid format - invalid configuration ID 'x'\n" });
    expect(errors({ vmids: '100,99' })).toEqual({ vmids: 'invalid format - value does not look like a valid VM ID\n' });
    expect(errors({ storage: 'l' })).toEqual({
      storage: "invalid format - storage ID 'l' cannot be shorter than 2 characters\n",
    });
    expect(errors({ storage: 'a b' })).toEqual({
      storage: "invalid format - storage ID 'a b' contains illegal characters\n",
    });
    expect(errors({ content: 'movies' })).toEqual({ content: "invalid format - invalid content type 'movies'\n" });
  });

  it('ignores unknown parameters where the method allows additional properties', () => {
    expect(validateParams({ node: P.node }, { node: 'pve1', extra: 'x' }, true)).toEqual({
      params: { node: 'pve1' },
      errors: null,
    });
  });
});
