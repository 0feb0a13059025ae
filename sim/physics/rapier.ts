// Rapier's wasm must be initialised once per process before any world is built. The SIMD build
// (rapier3d-simd-compat 0.20) runs the 16-ant world ~30% faster per CPU second than the scalar
// rapier3d-compat 0.21 measured on this machine (BENCHMARKS.md, issue 3); same API.
import RAPIER from '@dimforge/rapier3d-simd-compat';

let ready: Promise<void> | null = null;
let initialised = false;

export function initRapier(): Promise<void> {
  if (!ready) {
    ready = RAPIER.init().then(() => {
      initialised = true;
    });
  }
  return ready;
}

/** Throws when a physics env is built before initRapier() resolved. */
export function rapier(): typeof RAPIER {
  if (!initialised) throw new Error('Rapier is not initialised: use createEnv()/createVecEnv() (they await it)');
  return RAPIER;
}
