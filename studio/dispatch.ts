// Routes a validated StudioApi request to the service. Shared by the WebSocket host and the
// Electron IPC host so both accept exactly the same messages.
import { validateRequest, type MethodName, type Response } from './api.ts';
import type { StudioService } from './service.ts';

type Handler = (s: StudioService, p: unknown[]) => Promise<unknown>;

const handlers: Record<MethodName, Handler> = {
  listScenarios: (s) => s.listScenarios(),
  listTasks: (s) => s.listTasks(),
  listRuns: (s) => s.listRuns(),
  getRun: (s, p) => s.getRun(p[0] as string),
  startRun: (s, p) => s.startRun(p[0] as string, p[1] as never, p[2]),
  fineTune: (s, p) => s.fineTune(p[0] as string, p[1] as string, p[2] as never, p[3]),
  pause: (s, p) => s.pause(p[0] as string),
  resume: (s, p) => s.resume(p[0] as string, p[1] as number | undefined),
  stop: (s, p) => s.stop(p[0] as string),
  deleteRun: (s, p) => s.deleteRun(p[0] as string),
  labelRun: (s, p) => s.labelRun(p[0] as string, p[1] as { name?: string; notes?: string }),
  startScratch: (s, p) => s.startScratch(p[0] as string),
  evaluate: (s, p) => s.evaluate(p[0] as string, p[1] as never),
  getMetrics: (s, p) => s.getMetrics(p[0] as string, p[1] as number | undefined),
  'viewer.load': (s, p) => s.viewer.load(p[0] as string | undefined, p[1] as number | undefined),
  'viewer.state': (s) => s.viewer.state(),
  'viewer.setMode': (s, p) => s.viewer.setMode(p[0] as 'stochastic' | 'deterministic', p[1] as number | undefined),
  'viewer.ghosts': (s, p) => s.viewer.ghosts(p[0] as number, p[1] as number, p[2] as 'current' | 'start' | undefined),
  'viewer.actionSamples': (s, p) => s.viewer.actionSamples(p[0] as number),
  'viewer.qLandscape': (s, p) => s.viewer.qLandscape(p[0] as number, p[1] as number, p[2] as number),
  'recorder.rollout': (s, p) => s.recorder.rollout(p[0] as string, p[1] as never),
  'recorder.list': (s, p) => s.recorder.list(p[0] as string),
  'recorder.remove': (s, p) => s.recorder.remove(p[0] as string, p[1] as string),
  'recorder.save': (s, p) => s.recorder.save(p[0] as string, p[1] as string, p[2] as string, p[3] as boolean | undefined),
  'system.info': (s) => s.system.info(),
  'system.setMaxRuns': (s, p) => s.system.setMaxRuns(p[0] as number),
  'variants.list': (s, p) => s.variants.list(p[0] as string),
  'variants.save': (s, p) => s.variants.save(p[0] as string, p[1]),
  'variants.remove': (s, p) => s.variants.remove(p[0] as string, p[1] as string),
};

/** Never throws: an invalid message or a failing call becomes an error reply. */
export async function dispatch(service: StudioService, raw: unknown): Promise<Response> {
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : -1;
  try {
    const req = validateRequest(raw);
    const result = await handlers[req.method](service, req.params);
    return { id: req.id, result };
  } catch (e) {
    return { id, error: e instanceof Error ? e.message : String(e) };
  }
}
