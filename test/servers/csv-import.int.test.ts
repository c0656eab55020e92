// CSV import: dry run and real run with line-numbered errors, the tenant limit, audit; export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { makeTenant } from '../helpers/factories';
import { type Kit, simAt, startKit, tokenOf } from './server-kit';

let k: Kit;
let tenantId: string;
const base = () => `/api/tenants/${tenantId}/servers`;

beforeAll(async () => {
  k = await startKit({ sim: { servers: 1, vms: 1 } });
  tenantId = (await makeTenant(k.t, k.root)).id;
  expect((await k.root.client.put(`/api/tenants/${tenantId}/settings`, { maxServers: 15 })).status).toBe(200);
});
afterAll(async () => k?.close());

const HEADER =
  'name,host,port,api_token,tls_mode,tls_fingerprint,use_tailscale,tailscale_hostname,connection_timeout_ms';

/** 20 data lines (lines 2–21); bad: 4 missing host, 7 bad token, 10 duplicate of 3, 13 bad port, 21 over the limit. */
function twentyLines(): { csv: string; bad: Record<number, RegExp> } {
  const sim = simAt(k, 0);
  const token = tokenOf(sim).apiToken;
  const rows: string[] = [HEADER];
  for (let i = 0; i < 20; i++) {
    const line = i + 2;
    const host = `127.0.1.${i + 1}`;
    let row = [`pve-${line}`, host, '8006', token, 'insecure', '', 'false', '', '5000'];
    if (i % 4 === 1) row = [`pve-${line}`, host, '8006', token, 'pinned', sim.fingerprint, '', '', ''];
    if (i === 6)
      row = [
        `"tail, ${line}"`,
        host,
        '',
        token,
        'pinned',
        sim.fingerprint.toLowerCase(),
        'yes',
        'pve.tail1234.ts.net',
        '',
      ];
    if (line === 4) row[1] = '';
    if (line === 7) row[3] = token.replace('=', ':');
    if (line === 10) row[1] = '127.0.1.2'; // line 3's host, same port
    if (line === 13) row[2] = '70000';
    rows.push(row.join(','));
  }
  return {
    csv: `${rows.join('\n')}\n`,
    bad: { 4: /host: required/, 7: /api_token must look like/, 10: /duplicate/, 13: /port/, 21: /limit \(15\)/ },
  };
}

describe(`servers: CSV import (${TEST_DIALECT})`, () => {
  it('dry run lists exactly the five bad lines and what would be created; nothing is stored', async () => {
    const { csv, bad } = twentyLines();
    const res = await k.root.client.post(`${base()}/import?dryRun=1`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.created).toBe(0);
    expect(res.body.errors.map((e: any) => e.line)).toEqual([4, 7, 10, 13, 21]);
    for (const e of res.body.errors) expect(e.message).toMatch(bad[e.line] as RegExp);
    expect(res.body.servers).toHaveLength(15);
    expect(res.body.servers.every((s: any) => s.id === null)).toBe(true);
    expect(res.text).not.toContain(tokenOf(simAt(k, 0)).secret);
    expect((await k.root.client.get(base())).body.servers).toHaveLength(0);

    const json = await k.root.client.post(`${base()}/import`, { csv, dryRun: true });
    expect(json.body.errors.map((e: any) => e.line)).toEqual([4, 7, 10, 13, 21]);
  });

  it('the real run creates the fifteen valid lines, reports the rest, and is audited', async () => {
    const { csv } = twentyLines();
    const res = await k.root.client.post(`${base()}/import`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, created: 15 });
    expect(res.body.errors.map((e: any) => e.line)).toEqual([4, 7, 10, 13, 21]);
    const list = (await k.root.client.get(base())).body.servers as any[];
    expect(list).toHaveLength(15);
    const tail = list.find((s) => s.name === 'tail, 8');
    expect(tail).toMatchObject({
      useTailscale: true,
      tailscaleHostname: 'pve.tail1234.ts.net',
      dialHost: 'pve.tail1234.ts.net',
      port: 8006,
      tlsMode: 'pinned',
      tlsFingerprint: simAt(k, 0).fingerprint,
    });
    const audit = await k.root.client.get(`/api/tenants/${tenantId}/audit?action=server.imported`);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0].details).toMatchObject({ created: 15, refused: 5 });
    expect(JSON.stringify(audit.body)).not.toContain(tokenOf(simAt(k, 0)).secret);

    // Importing again: everything is a duplicate or over the limit; nothing more is created.
    const again = await k.root.client.post(`${base()}/import`, csv, { 'content-type': 'text/csv' });
    expect(again.body.created).toBe(0);
    expect((await k.root.client.get(base())).body.servers).toHaveLength(15);
  });

  it('refuses an unusable file with 400 and the line', async () => {
    const header = await k.root.client.post(`${base()}/import`, 'name,address\nx,y\n', { 'content-type': 'text/csv' });
    expect(header.status).toBe(400);
    expect(header.body.error.code).toBe('server.import_invalid');
    expect(header.body.error.details[0]).toMatchObject({ line: 1 });
    expect(header.body.error.details[0].message).toMatch(/missing column\(s\): host, api_token/);
    const broken = await k.root.client.post(`${base()}/import`, `${HEADER}\n"unclosed,1.2.3.4\n`, {
      'content-type': 'text/csv',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details[0].line).toBe(2);
    const empty = await k.root.client.post(`${base()}/import`, { csv: '' });
    expect(empty.status).toBe(400);
    expect((await k.viewer.client.post(`/api/tenants/${k.tenantId}/servers/import`, { csv: HEADER })).status).toBe(403);
  });

  it('exports what it imported, without secrets, ready to fill in tokens again', async () => {
    const res = await k.root.client.get(`${base()}/export.csv`);
    const lines = res.text.trim().split('\n');
    expect(lines).toHaveLength(16);
    expect(res.text).not.toContain(tokenOf(simAt(k, 0)).secret);
    expect(res.text).toContain('"tail, 8",127.0.1.7,8006,root@pam!pve-sim=,pinned,');
  });

  it('round-trips: an export imports into another tenant once the secrets are filled in (issue 16)', async () => {
    const exported = (await k.root.client.get(`${base()}/export.csv`)).text;
    expect(exported.split('\n')[0]).toBe(HEADER);
    const target = (await makeTenant(k.t, k.root)).id;
    await k.root.client.put(`/api/tenants/${target}/settings`, { maxServers: 20 });
    const into = `/api/tenants/${target}/servers/import`;
    // As exported: every line asks for its secret, naming the token; nothing is created.
    const asked = await k.root.client.post(`${into}?dryRun=1`, exported, { 'content-type': 'text/csv' });
    expect(asked.status).toBe(200);
    expect(asked.body.servers).toHaveLength(0);
    expect(asked.body.errors).toHaveLength(15);
    for (const e of asked.body.errors) {
      expect(e.message).toMatch(
        /^api_token: the secret is missing \(exports leave secrets out\) .*root@pam!pve-sim=SECRET$/,
      );
    }
    // Filled in: the same file creates the same servers.
    const secret = tokenOf(simAt(k, 0)).secret;
    const filled = exported.replaceAll('root@pam!pve-sim=,', `root@pam!pve-sim=${secret},`);
    const created = await k.root.client.post(into, filled, { 'content-type': 'text/csv' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ created: 15, errors: [] });
    const again = (await k.root.client.get(`/api/tenants/${target}/servers/export.csv`)).text;
    expect(again).toBe(exported);
    // An earlier export's `token_id` column is read the same way.
    const older = exported.replace(',api_token,', ',token_id,').replaceAll('root@pam!pve-sim=,', 'root@pam!pve-sim,');
    const olderAsked = await k.root.client.post(`${into}?dryRun=1`, older, { 'content-type': 'text/csv' });
    expect(olderAsked.body.errors[0].message).toMatch(/the secret is missing/);
  });
});
