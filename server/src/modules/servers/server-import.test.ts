import { describe, expect, it } from 'vitest';
import { defuseCell, parseServerCsv, planImport } from './server-import';

const TOKEN = 'nexus@pve!broker=0b5c2a8e-1111-4222-8333-944455556666';
const HEADER = 'name,host,api_token,tls_mode';

describe('server CSV parsing', () => {
  it('numbers lines from the header (line 1), across quoted newlines and blank lines', () => {
    const csv = `${HEADER}\na,10.0.0.1,${TOKEN},insecure\n\n"multi\nline",10.0.0.2,${TOKEN},insecure\nbad,,${TOKEN},insecure\n`;
    const { candidates, errors } = parseServerCsv(csv);
    expect(candidates.map((c) => c.line)).toEqual([2, 4]);
    expect(candidates[1]?.body.name).toBe('multi\nline');
    expect(errors).toEqual([{ line: 6, message: 'host: required' }]);
  });

  it('reads booleans, numbers and optional columns; reports each field problem', () => {
    const csv =
      'name,host,port,api_token,use_tailscale,tailscale_hostname,connection_timeout_ms\n' +
      `a,pve.example,8007,${TOKEN},yes,pve.ts.net,3000\n` +
      `b,pve.example,x,${TOKEN},maybe,,10\n` +
      'c,pve.example,,root@pam!t:0b5c2a8e-1111-4222-8333-944455556666,,,\n' +
      `d,pve.example,1,${TOKEN}\n`;
    const { candidates, errors } = parseServerCsv(csv);
    expect(candidates[0]?.body).toMatchObject({
      port: 8007,
      useTailscale: true,
      tailscaleHostname: 'pve.ts.net',
      connectionTimeoutMs: 3000,
    });
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(errors[0]?.message).toMatch(
      /port: must be a whole number.*use_tailscale: must be true or false.*connection_timeout_ms/,
    );
    expect(errors[1]?.message).toMatch(/api_token must look like USER@REALM!TOKENID=SECRET/);
    expect(errors[1]?.message).not.toContain('0b5c2a8e');
    expect(errors[2]?.message).toMatch(/expected 7 fields, found 4/);
  });

  it('refuses a header without the required columns, or with unknown ones', () => {
    expect(() => parseServerCsv('name,host\n')).toThrow(/missing column\(s\): api_token/);
    expect(() => parseServerCsv(`${HEADER},colour\n`)).toThrow(/unknown column\(s\): colour/);
    expect(() => parseServerCsv('')).toThrow(/empty/);
  });

  it('plans duplicates and the limit in line order', () => {
    const { candidates } = parseServerCsv(
      `${HEADER}\na,10.0.0.1,${TOKEN},insecure\nb,10.0.0.1,${TOKEN},insecure\nc,10.0.0.2,${TOKEN},pinned\nd,10.0.0.3,${TOKEN},insecure\ne,10.0.0.4,${TOKEN},insecure\n`,
    );
    const plan = planImport(candidates, new Map([['10.0.0.4:8006', 'x']]), 1, 3, (b) =>
      b.tlsMode === 'pinned' ? 'tls_fingerprint: required' : null,
    );
    expect(plan.accepted.map((a) => a.line)).toEqual([2, 5]);
    expect(plan.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [3, 'duplicate'],
      [4, 'tls_fingerprint'],
      [6, 'duplicate'],
    ]);
    const limited = planImport(candidates.slice(3), new Map(), 2, 3, () => null);
    expect(limited.errors).toEqual([{ line: 6, message: "over the tenant's server limit (3)" }]);
  });

  it('defuses spreadsheet formulas', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'ok'].map(defuseCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      'ok',
    ]);
  });
});
