// The Agent contract. agents/ knows nothing of sim/: only dims and Float32Arrays.

export interface Batch {
  size: number;
  obs: Float32Array; // size × obsDim
  actions: Float32Array; // size × actDim, in [-1, 1]
  rewards: Float32Array; // size
  nextObs: Float32Array; // size × obsDim
  /** 1 where the episode terminated (no bootstrap); truncation stores 0 here. */
  dones: Float32Array; // size
}

export interface UpdateMetrics {
  qLoss: number;
  policyLoss: number;
  alpha: number;
  alphaLoss: number;
  /** Mean of -log pi(a|s) over the batch (an estimate of the policy entropy). */
  entropy: number;
  qMean: number;
}

export interface ActOptions {
  deterministic?: boolean;
  /** Sampling temperature: scales the policy's noise (1 = the trained policy). */
  temperature?: number;
}

/** Weights only: small, structured-cloneable, sent from the worker to the viewer. */
export interface PolicySnapshot {
  kind: string; // e.g. 'sac-gaussian'
  obsDim: number;
  actDim: number;
  hidden: number[];
  /** Mixture components (1 for a diagonal Gaussian). */
  components: number;
  params: Float32Array;
  step: number;
}

export interface CheckpointMeta {
  format: 'maxent-checkpoint';
  version: 1;
  algo: string;
  obsDim: number;
  actDim: number;
  step: number;
  config: Record<string, unknown>;
  versions: Record<string, string>;
  /** Free-form extra state (counters, RNG state) as JSON. */
  extra: Record<string, unknown>;
}

/** Full learner state: policy, critics, targets, temperature and all optimiser moments. */
export interface Checkpoint {
  meta: CheckpointMeta;
  tensors: Record<string, Float32Array>;
  /** Optional tensor shapes (row-major); a tensor without one is stored as 1-D. */
  shapes?: Record<string, number[]>;
}

export interface Agent {
  readonly algo: string;
  readonly obsDim: number;
  readonly actDim: number;
  /** One env: returns actDim values in [-1, 1]. The returned array is reused. */
  act(obs: Float32Array, opts?: ActOptions): Float32Array;
  /** n envs: obs is n × obsDim, returns n × actDim (reused). */
  actBatch(obs: Float32Array, n: number, opts?: ActOptions): Float32Array;
  /** k sampled actions at one state: k × actDim. */
  sampleActions(obs: Float32Array, k: number, opts?: ActOptions): Float32Array;
  /** min of the twin critics for k actions at one state: length k. */
  qValues(obs: Float32Array, actions: Float32Array, k: number): Float32Array;
  update(batch: Batch): UpdateMetrics;
  exportPolicy(): PolicySnapshot;
  save(): Checkpoint;
  load(c: Checkpoint): void;
  readonly updates: number;
  /** Current temperature α (for the energy view exp(Q/α)). */
  readonly alpha?: number;
}
