// Builds a StudioApi object from a transport's `call` and `subscribe`. The WebSocket client and
// Electron's preload both use it, so the two transports expose exactly the same API.
import type { EventName, MethodName, StudioApi, StudioEvents } from './api.ts';

export type Call = (method: MethodName, params: unknown[]) => Promise<unknown>;
export type Subscribe = (event: EventName, handler: (data: unknown) => void) => () => void;

export function buildStudioApi(call: Call, subscribe: Subscribe): StudioApi {
  const c =
    <T>(method: MethodName) =>
    (...params: unknown[]): Promise<T> => {
      // Trailing undefined params are dropped so the wire form stays minimal.
      while (params.length && params[params.length - 1] === undefined) params.pop();
      return call(method, params) as Promise<T>;
    };
  return {
    listScenarios: c('listScenarios'),
    listTasks: c('listTasks'),
    listRuns: c('listRuns'),
    getRun: c('getRun'),
    startRun: c('startRun'),
    fineTune: c('fineTune'),
    pause: c('pause'),
    resume: c('resume'),
    stop: c('stop'),
    deleteRun: c('deleteRun'),
    labelRun: c('labelRun'),
    startScratch: c('startScratch'),
    evaluate: c('evaluate'),
    getMetrics: c('getMetrics'),
    viewer: {
      load: c('viewer.load'),
      state: c('viewer.state'),
      setMode: c('viewer.setMode'),
      ghosts: c('viewer.ghosts'),
      actionSamples: c('viewer.actionSamples'),
      qLandscape: c('viewer.qLandscape'),
    },
    recorder: { rollout: c('recorder.rollout'), list: c('recorder.list'), save: c('recorder.save'), remove: c('recorder.remove') },
    variants: { list: c('variants.list'), save: c('variants.save'), remove: c('variants.remove') },
    system: { info: c('system.info'), setMaxRuns: c('system.setMaxRuns') },
    on<E extends EventName>(event: E, handler: (data: StudioEvents[E]) => void) {
      return subscribe(event, handler as (d: unknown) => void);
    },
  };
}
