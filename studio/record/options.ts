// Rollout-video options: one check for the UI, the desktop app and `maxent record` (which runs it
// before a browser starts, naming its own flags), and the video's file name. Free of Node and DOM
// imports: the recording page uses it too.
import { VIDEO_NAME } from '../runs/pattern.ts';
import { MAX_SEED } from '../seeds.ts';

export interface CheckedRecordOptions {
  episodes: number;
  seed: number;
  fps: number;
  width: number;
  height: number;
  camera: string;
  frameSkip?: number;
  framesPerStep?: number;
  step?: number;
  name?: string;
}

/** What each option is called where the message is read (the CLI passes its flags). */
export type RecordOptionLabels = Partial<Record<keyof CheckedRecordOptions | 'size', string>>;

/** Checks options; throws a clear message naming the option. */
export function validateRecordOptions(o: CheckedRecordOptions, labels: RecordOptionLabels = {}): void {
  const label = (k: keyof RecordOptionLabels, fallback: string) => labels[k] ?? fallback;
  const int = (v: number, k: keyof RecordOptionLabels, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${label(k, name)} must be an integer from ${min} to ${max}, got ${v}`);
  };
  int(o.episodes, 'episodes', 'episodes', 1, 100);
  int(o.seed, 'seed', 'seed', 0, MAX_SEED);
  int(o.fps, 'fps', 'fps', 1, 120);
  int(o.width, 'width', 'width', 16, 3840);
  int(o.height, 'height', 'height', 16, 2160);
  if (o.width % 2 || o.height % 2)
    throw new Error(`${label('size', 'the video size')} must be even (H.264 and VP9 need it), got ${o.width}x${o.height}`);
  if (o.frameSkip !== undefined) int(o.frameSkip, 'frameSkip', 'frame skip', 1, 1000);
  if (o.framesPerStep !== undefined) int(o.framesPerStep, 'framesPerStep', 'frames per step', 1, 120);
  if (o.step !== undefined) int(o.step, 'step', 'checkpoint step', 0, Number.MAX_SAFE_INTEGER);
  if (!['follow', 'fixed', 'orbit'].includes(o.camera))
    throw new Error(`${label('camera', 'camera')} must be follow, fixed or orbit, got ${o.camera}`);
  if (o.name !== undefined) videoBaseName(o.name, label('name', 'the video name'));
}

const ENDING = /\.(mp4|webm)$/i;

/** The container a name asks for by its ending (any case), if it has one. */
export function containerOfName(name: string): 'mp4' | 'webm' | undefined {
  return ENDING.exec(name)?.[1]?.toLowerCase() as 'mp4' | 'webm' | undefined;
}

/** A chosen name without its .mp4/.webm ending, checked: the container decides the ending. */
export function videoBaseName(name: string, label = 'the video name'): string {
  const base = name.replace(ENDING, '');
  if (!VIDEO_NAME.test(`${base}.mp4`) || base.length > 190)
    throw new Error(
      `${label} ${JSON.stringify(name)} is not a valid file name: use letters, digits, . _ - (not a dot first), up to 190 characters`,
    );
  return base;
}

/** Why a recording under a taken name is refused (the page, before it renders; the store, on a race). */
export function videoTakenMessage(runId: string, file: string): string {
  return `run ${runId} already has a video named ${file}: choose another name, or replace it (maxent record --force)`;
}

/** The file a recording is saved as: the chosen name, else one stamped with time, step and seed. */
export function videoFileName(name: string | undefined, container: 'mp4' | 'webm', at: { step: number; seed: number; now?: Date }): string {
  const base =
    name !== undefined
      ? videoBaseName(name)
      : `rollout-${(at.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}-step${at.step}-seed${at.seed}`;
  return `${base}.${container}`;
}
