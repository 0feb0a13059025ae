// Rapier's wasm must be initialised once per process before any world is built.
import RAPIER from '@dimforge/rapier3d-compat';

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
