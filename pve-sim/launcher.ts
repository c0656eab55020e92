// startPveSim: builds clusters from a scenario (or the generated default), creates their
// certificates and starts one HTTPS server per endpoint node on loopback.
import { createClusterCa, createNodeCert } from './http/tls-certs';
import { ClusterState, DEFAULT_TIMING, type SimTiming } from './model/cluster-state';
import { hashSeed, seededRandom } from './model/random';
import { defaultScenario } from './scenario/default-scenario';
import { Scenario } from './scenario/scenario.schema';
import { SimServer } from './sim-server';

export interface PveSimOptions extends Partial<SimTiming> {
  /** The scenario; default: generated from servers/nodes/vms. */
  scenario?: Scenario;
  /** Servers (clusters) of the generated scenario; default 1. */
  servers?: number;
  /** Nodes per generated cluster; 1 = standalone node (default). */
  nodes?: number;
  /** Guests per generated cluster; default 10. */
  vms?: number;
  /** Loopback address to listen on; default 127.0.0.1. Only 127.0.0.0/8 is allowed. */
  host?: string;
  /** Server i listens on portBase + i (0-based); default: ephemeral ports. */
  portBase?: number;
}

export interface PveSim {
  servers: SimServer[];
  close(): Promise<void>;
}

const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export async function startPveSim(opts: PveSimOptions = {}): Promise<PveSim> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`pve-sim listens on 127.0.0.0/8 only, not '${host}'`);
  const parsed = Scenario.safeParse(
    opts.scenario ?? defaultScenario({ servers: opts.servers, nodes: opts.nodes, vms: opts.vms }),
  );
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid pve-sim scenario:\n${issues}`);
  }
  const scenario = parsed.data;
  const timing: SimTiming = { ...DEFAULT_TIMING };
  for (const key of Object.keys(DEFAULT_TIMING) as (keyof SimTiming)[]) {
    const value = opts[key];
    if (value !== undefined) timing[key] = value;
  }

  const clusters: ClusterState[] = [];
  const servers: SimServer[] = [];
  try {
    const built = await Promise.all(
      scenario.clusters.map(async (spec, ci) => {
        const random = seededRandom(scenario.seed + ci * 7919);
        const cluster = new ClusterState(spec, timing, random);
        clusters.push(cluster);
        const label = spec.name ?? spec.nodes[0]?.name ?? `cluster${ci}`;
        const ca = await createClusterCa(label);
        const endpoints = spec.endpoints ?? [spec.nodes[0]?.name ?? ''];
        return Promise.all(
          endpoints.map(async (endpoint) => {
            const nodeName = typeof endpoint === 'string' ? endpoint : endpoint.node;
            const node = cluster.nodes.get(nodeName);
            if (!node) throw new Error(`unknown endpoint node ${nodeName}`);
            const [identity, stranger] = await Promise.all([
              createNodeCert(ca, nodeName, host),
              createNodeCert(null, nodeName, host),
            ]);
            const name = (typeof endpoint === 'string' ? undefined : endpoint.name) ?? nodeName;
            return new SimServer(name, host, cluster, node, identity, stranger, ca, seededRandom(hashSeed(name)));
          }),
        );
      }),
    );
    servers.push(...built.flat());
    for (const [i, server] of servers.entries()) {
      await server.listen(opts.portBase ? opts.portBase + i : 0);
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    for (const cluster of clusters) cluster.close();
    throw err;
  }

  return {
    servers,
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      for (const cluster of clusters) cluster.close();
    },
  };
}
