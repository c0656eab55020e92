// Groups a V8 CPU profile's self time by area (`npx tsx bench/profile-areas.ts file.cpuprofile …`):
// Nexus's own code, the `ws` library, Node's streams and net, socket writes (the system call;
// on loopback the kernel's TCP work for both ends), the garbage collector and native time with
// no JavaScript on the stack. docs/PERFORMANCE.md's "Where the time goes" tables come from it.
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

function area(fn: string, url: string): string {
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(program)') return 'native, no JavaScript on the stack';
  if (!url && /^(writev|writeBuffer|writeLatin1String|writeUtf8String|shutdown)$/.test(fn))
    return 'socket writes (system call)';
  if (url.includes('/node_modules/ws/')) return 'ws library';
  if (url.includes('/node_modules/')) return 'other libraries';
  if (url.includes('/server/src/modules/consoles/') || url.includes('/common/rfb/'))
    return "relay and RFB parser (Nexus's own code)";
  if (url.includes('/server/src/') || url.includes('/common/')) return "rest of Nexus's own code";
  if (url.startsWith('node:')) return 'Node streams, net, TLS, timers';
  return url ? `other (${url.split('/').slice(-1)[0]})` : 'other native';
}

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    const a = area(n.callFrame.functionName, n.callFrame.url);
    if (a === 'idle' || hits === 0) continue;
    total += hits;
    byArea.set(a, (byArea.get(a) ?? 0) + hits);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const pct = (v: number) => `${((100 * v) / total).toFixed(1)} %`;
  console.log(`\n${file}: ${total} samples (idle left out)\n`);
  console.log('| area | self time |\n|---|---|');
  for (const [a, v] of [...byArea].sort((x, y) => y[1] - x[1])) console.log(`| ${a} | ${pct(v)} |`);
  console.log('\ntop functions:');
  for (const [f, v] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`  ${pct(v)}  ${f}`);
}
