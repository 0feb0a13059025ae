// The settings every learner here shares (SAC, soft Q-learning): sizes, optimiser, discount,
// Polyak rate, temperature, seed. One place for their defaults and their checks, so a bad value
// gets the same clear message whichever algorithm it was given to.

export interface LearnerConfig {
  obsDim: number;
  actDim: number;
  /** Hidden layer widths of every network. Default [256, 256]. */
  hidden?: number[];
  /** Adam learning rate. Default 3e-4. */
  lr?: number;
  /** Optional per-part learning rates (default: lr). */
  actorLr?: number;
  criticLr?: number;
  gamma?: number; // 0.99
  tau?: number; // 0.005
  /** The batch size the learner preallocates for (any batch size works). Default 256. */
  batchSize?: number;
  /** Initial (SAC) or fixed (soft Q-learning) temperature α. Default 1. */
  initAlpha?: number;
  seed?: number;
}

export type ResolvedLearnerConfig = Required<LearnerConfig>;

/** Throws `${who}.${name} must be an integer >= min` unless v is one. */
export function checkInt(who: string, name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`${who}.${name} must be an integer >= ${min}, got ${v}`);
}

/** Defaults applied and every shared field checked; `who` names the config in messages. */
export function resolveLearnerConfig(c: LearnerConfig, who: string): ResolvedLearnerConfig {
  const lr = c.lr ?? 3e-4;
  const r: ResolvedLearnerConfig = {
    obsDim: c.obsDim,
    actDim: c.actDim,
    hidden: [...(c.hidden ?? [256, 256])],
    lr,
    actorLr: c.actorLr ?? lr,
    criticLr: c.criticLr ?? lr,
    gamma: c.gamma ?? 0.99,
    tau: c.tau ?? 0.005,
    batchSize: c.batchSize ?? 256,
    initAlpha: c.initAlpha ?? 1,
    seed: c.seed ?? 0,
  };
  checkInt(who, 'obsDim', r.obsDim);
  checkInt(who, 'actDim', r.actDim);
  checkInt(who, 'batchSize', r.batchSize);
  r.hidden.forEach((h, i) => checkInt(who, `hidden[${i}]`, h));
  checkRate(who, 'lr', r.lr);
  checkRate(who, 'actorLr', r.actorLr);
  checkRate(who, 'criticLr', r.criticLr);
  if (!(r.initAlpha > 0 && Number.isFinite(r.initAlpha))) throw new Error(`${who}.initAlpha must be > 0, got ${r.initAlpha}`);
  if (!(r.gamma >= 0 && r.gamma <= 1)) throw new Error(`${who}.gamma must be in [0, 1], got ${r.gamma}`);
  if (!(r.tau > 0 && r.tau <= 1)) throw new Error(`${who}.tau must be in (0, 1], got ${r.tau}`);
  if (!Number.isInteger(r.seed)) throw new Error(`${who}.seed must be an integer, got ${r.seed}`);
  return r;
}

/** A learning rate: finite and >= 0 (0 freezes that part, which tests and studies use). */
export function checkRate(who: string, name: string, v: number): void {
  if (!(v >= 0 && Number.isFinite(v))) throw new Error(`${who}.${name} must be a finite number >= 0, got ${v}`);
}
