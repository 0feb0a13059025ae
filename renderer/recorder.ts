// Rollout videos: a deterministic rollout (recorder.rollout) rendered frame by frame offscreen at
// a fixed frame rate, encoded with WebCodecs and muxed by mediabunny, then saved in the run's
// videos/ folder through recorder.save. Frame i is stamped i / fps whatever the render time, so
// a slow machine makes the same video, only slower. The frame-count rule is in record-plan.ts.
import * as THREE from 'three';
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import {
  DEFAULT_RECORD_OPTIONS as RECORD_DEFAULTS,
  type RolloutEpisode,
  type RolloutResult,
  type StudioApi,
  type VideoRecordResult,
} from '../studio/api.ts';
import { validateRecordOptions, videoBaseName, videoFileName, videoTakenMessage } from '../studio/record/options.ts';
import { defaultStepRate, framePlan, totalFrames, type StepRate } from './record-plan.ts';
import { StudioScene } from './scene.ts';

export type CameraMode = 'follow' | 'fixed' | 'orbit';

export interface RecordOptions {
  episodes: number;
  seed: number;
  stochastic: boolean;
  width: number;
  height: number;
  fps: number;
  camera: CameraMode;
  /** Task name, episode, step and return drawn over the video. */
  overlays: boolean;
  /** Ghost rollouts from each episode's start (8 sampled futures). */
  ghosts: boolean;
  /** Env steps per kept state and video frames per gap; defaults from the env's dt (record-plan.ts). */
  frameSkip?: number;
  framesPerStep?: number;
  /** 'lite' drops the ground plane and shadows (fill rate: what software GL lacks); 'auto' picks
   * lite under software GL and full on a GPU. */
  look?: 'auto' | 'lite' | 'full';
  /** 'auto': H.264 in MP4 where the browser encodes it, else VP9 in WebM. */
  codec?: 'auto' | 'avc' | 'vp9';
  /** File name in the run's videos/ folder (letters, digits, . _ -); the extension is added. */
  name?: string;
  /** Replace a video of that name (else recording it is refused before it starts). */
  overwrite?: boolean;
  /** The checkpoint (env step) to record; default the latest. */
  step?: number;
}

export const DEFAULT_RECORD_OPTIONS: RecordOptions = { ...RECORD_DEFAULTS };

export interface RecordProgress {
  phase: 'rollout' | 'render' | 'finalize' | 'save';
  frame: number;
  frames: number;
}

/** The contract's result plus the recorder's own diagnostics. */
export interface RecordResult extends VideoRecordResult {
  rate: StepRate;
  look: 'lite' | 'full';
  /** Where the time went, per frame: 3-D render call, VideoFrame capture, encode call, waiting on the encoder. */
  msPerFrame: { render: number; capture: number; encode: number; wait: number };
}

export class RecordCancelled extends Error {
  override name = 'RecordCancelled';
  constructor() {
    super('recording cancelled');
  }
}

const GHOSTS_PER_EPISODE = 8;
/** One orbit-camera revolution per this many seconds of video. */
const ORBIT_PERIOD_S = 20;

interface CodecChoice {
  codec: string;
  kind: 'avc' | 'vp9';
  container: 'mp4' | 'webm';
  config: VideoEncoderConfig;
}

/** H.264 level for the size and rate (macroblocks per frame and per second, ISO 14496-10 A-1). */
function avcLevel(width: number, height: number, fps: number): number {
  const mbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const levels: [number, number, number][] = [
    [0x1f, 3600, 108000],
    [0x28, 8192, 245760],
    [0x2a, 8704, 522240],
    [0x33, 36864, 983040],
    [0x34, 36864, 2073600],
  ];
  return (levels.find(([, f, s]) => mbs <= f && mbs * fps <= s) ?? levels[levels.length - 1]!)[0];
}

/** The first codec this browser encodes at this size: H.264 (High, Main, Baseline) then VP9. */
export async function pickCodec(width: number, height: number, fps: number, prefer: 'auto' | 'avc' | 'vp9' = 'auto'): Promise<CodecChoice> {
  if (typeof VideoEncoder === 'undefined')
    throw new Error('this browser has no WebCodecs VideoEncoder (it needs a secure context: http://localhost or https)');
  // ~0.1 bit per pixel per frame: crisp for flat-shaded scenes, a few MB a minute at 720p.
  const bitrate = Math.round(Math.min(40e6, Math.max(5e5, width * height * fps * 0.1)));
  const base = { width, height, bitrate, framerate: fps };
  const level = avcLevel(width, height, fps).toString(16).padStart(2, '0');
  const tries: CodecChoice[] = [];
  if (prefer !== 'vp9') {
    for (const p of ['6400', '4d40', '42e0']) {
      const codec = `avc1.${p}${level}`;
      tries.push({ codec, kind: 'avc', container: 'mp4', config: { ...base, codec, avc: { format: 'avc' } } });
    }
  }
  if (prefer !== 'avc') {
    const vp9Level = width * height > 2048 * 1152 ? '51' : width * height > 1280 * 720 ? '41' : '31';
    const codec = `vp09.00.${vp9Level}.08`;
    tries.push({ codec, kind: 'vp9', container: 'webm', config: { ...base, codec } });
  }
  for (const c of tries) {
    const s = await VideoEncoder.isConfigSupported(c.config).catch(() => null);
    if (s?.supported) return c;
  }
  throw new Error(`this browser cannot encode ${prefer === 'auto' ? 'H.264 or VP9' : prefer} at ${width}x${height} ${fps} fps`);
}

/** Keeps every k-th state of a frameSkip-1 episode, and always the last one. */
function subsample(ep: RolloutEpisode, k: number, floatsPerState: number): RolloutEpisode {
  if (k === 1) return ep;
  const keep: number[] = [];
  for (let i = 0; i < ep.stateSteps.length; i++) if (ep.stateSteps[i]! % k === 0 || i === ep.stateSteps.length - 1) keep.push(i);
  const poses: number[] = [];
  for (const i of keep) for (let j = 0; j < floatsPerState; j++) poses.push(ep.poses[i * floatsPerState + j]!);
  return { ...ep, stateSteps: keep.map((i) => ep.stateSteps[i]!), returns: keep.map((i) => ep.returns[i]!), poses };
}

/** A text panel drawn over the 3-D frame in a second, orthographic pass (stays in WebGL: no
 * 2-D canvas composite of the whole frame). Its texture is redrawn only when the text changes. */
class Hud {
  readonly scene = new THREE.Scene();
  readonly camera: THREE.OrthographicCamera;
  private readonly canvas = document.createElement('canvas');
  private readonly ctx: CanvasRenderingContext2D;
  private readonly texture: THREE.CanvasTexture;
  private readonly mesh: THREE.Mesh;
  private text = '';

  constructor(width: number, height: number) {
    const scale = height / 720;
    this.canvas.width = Math.round(560 * scale);
    this.canvas.height = Math.round(84 * scale);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas for the video overlay');
    this.ctx = ctx;
    this.texture = new THREE.CanvasTexture(this.canvas);
    this.texture.colorSpace = THREE.SRGBColorSpace;
    this.texture.minFilter = THREE.LinearFilter;
    this.texture.generateMipmaps = false;
    this.mesh = new THREE.Mesh(
      new THREE.PlaneGeometry(this.canvas.width, this.canvas.height),
      new THREE.MeshBasicMaterial({ map: this.texture, transparent: true, depthTest: false, depthWrite: false }),
    );
    const m = Math.round(16 * scale);
    this.mesh.position.set(m + this.canvas.width / 2, height - m - this.canvas.height / 2, 0);
    this.scene.add(this.mesh);
    this.camera = new THREE.OrthographicCamera(0, width, height, 0, -1, 1);
  }

  set(lines: string[]): void {
    const text = lines.join('\n');
    if (text === this.text) return;
    this.text = text;
    const c = this.ctx;
    const W = this.canvas.width;
    const H = this.canvas.height;
    c.clearRect(0, 0, W, H);
    c.fillStyle = 'rgba(14, 16, 20, 0.62)';
    c.beginPath();
    c.roundRect(0, 0, W, H, H * 0.1);
    c.fill();
    const size = Math.round(H * 0.26);
    c.font = `600 ${size}px system-ui, sans-serif`;
    c.textBaseline = 'top';
    lines.forEach((line, i) => {
      c.fillStyle = i === 0 ? '#e8edf5' : '#b8c2d3';
      c.fillText(line, H * 0.2, H * 0.16 + i * size * 1.35, W - H * 0.4);
    });
    this.texture.needsUpdate = true;
  }

  dispose(): void {
    this.texture.dispose();
    this.mesh.geometry.dispose();
    (this.mesh.material as THREE.Material).dispose();
  }
}

/** Yields to the event loop without setTimeout's 4 ms clamp (progress and Cancel stay live). */
function yieldTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
}

async function toBase64(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('cannot read the encoded video'));
    r.readAsDataURL(new Blob([bytes]));
  });
  return url.slice(url.indexOf(',') + 1);
}

export interface RecordHooks {
  onProgress?: (p: RecordProgress) => void;
  signal?: AbortSignal;
}

/** Records a rollout video of a run's latest checkpoint and saves it in the run's videos/ folder. */
export async function recordRollout(
  api: StudioApi,
  runId: string,
  options: Partial<RecordOptions>,
  hooks: RecordHooks = {},
): Promise<RecordResult> {
  const o: RecordOptions = { ...DEFAULT_RECORD_OPTIONS, ...options };
  validateRecordOptions(o);
  const { signal, onProgress } = hooks;
  const check = () => {
    if (signal?.aborted) throw new RecordCancelled();
  };
  const choice = await pickCodec(o.width, o.height, o.fps, o.codec);
  if (o.name !== undefined && !o.overwrite) {
    // Found out now, not after minutes of rendering (recorder.save refuses it too, for a race).
    const file = `${videoBaseName(o.name)}.${choice.container}`;
    if ((await api.recorder.list(runId)).some((v) => v.name === file)) throw new Error(videoTakenMessage(runId, file));
  }
  onProgress?.({ phase: 'rollout', frame: 0, frames: 0 });
  const rollout: RolloutResult = await api.recorder.rollout(runId, {
    episodes: o.episodes,
    seed: o.seed,
    stochastic: o.stochastic,
    frameSkip: o.frameSkip ?? 1,
    ghosts: o.ghosts ? GHOSTS_PER_EPISODE : 0,
    step: o.step,
  });
  check();
  const auto = defaultStepRate(rollout.dt, o.fps);
  const rate: StepRate = {
    frameSkip: o.frameSkip ?? auto.frameSkip,
    framesPerStep: o.framesPerStep ?? (o.frameSkip === undefined ? auto.framesPerStep : 1),
  };
  const floatsPerState = rollout.spec.bodies.length * 7;
  // Without an explicit frame skip the studio sent every state: keep every k-th here.
  const episodes = rollout.episodes.map((ep) => (rollout.frameSkip === 1 ? subsample(ep, rate.frameSkip, floatsPerState) : ep));
  const frames = totalFrames(episodes, rate);
  const t0 = performance.now();

  const scene = new StudioScene(null, 'auto', { width: o.width, height: o.height });
  const hud = o.overlays ? new Hud(o.width, o.height) : null;
  const output = new Output({
    format: choice.container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(),
    target: new BufferTarget(),
  });
  const source = new EncodedVideoPacketSource(choice.kind);
  output.addVideoTrack(source, { frameRate: o.fps });
  let encodeError: Error | null = null;
  // Packets must reach the muxer in order: chain them (the encoder's callback is synchronous).
  let muxed: Promise<void> = Promise.resolve();
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      muxed = muxed.then(() => source.add(EncodedPacket.fromEncodedChunk(chunk), meta));
      muxed.catch((e: unknown) => (encodeError ??= e instanceof Error ? e : new Error(String(e))));
    },
    error: (e) => (encodeError ??= e),
  });
  try {
    await output.start();
    encoder.configure(choice.config);
    scene.setSpec(rollout.spec);
    scene.follow = false;
    const lite = o.look === 'lite' || (o.look !== 'full' && scene.quality === 'low');
    scene.setLite(lite);
    const fixedPos = new THREE.Vector3();
    const target = new THREE.Vector3();
    scene.frameView();
    fixedPos.copy(scene.camera.position);
    const offset = new THREE.Vector3().copy(fixedPos).sub(scene.controls.target);
    const poses: number[] = new Array<number>(floatsPerState).fill(0);
    const usPerFrame = 1e6 / o.fps;
    const keyEvery = Math.max(1, Math.round(o.fps * 2));
    const grab = new FrameGrabber(scene.renderer, o.width, o.height);
    let shownEpisode = -1;
    const timing = { render: 0, capture: 0, encode: 0, wait: 0 };
    let i = 0;
    for (const f of framePlan(episodes, rate)) {
      check();
      if (encodeError) throw encodeError;
      const ep = episodes[f.episode]!;
      if (f.episode !== shownEpisode) {
        shownEpisode = f.episode;
        if (ep.ghosts) scene.setGhosts(ep.ghosts);
        else scene.clearGhosts();
      }
      interpolate(ep, f.state, f.frac, floatsPerState, poses);
      scene.setPoses(poses);
      scene.applyPoses();
      placeCamera(scene, o.camera, offset, i / o.fps, target);
      const r = scene.renderer;
      let tA = performance.now();
      r.render(scene.scene, scene.camera);
      if (hud) {
        hud.set([
          `${rollout.task} · checkpoint ${rollout.checkpointStep.toLocaleString('en-US')} · ${rollout.stochastic ? 'stochastic' : 'deterministic'}`,
          `episode ${f.episode + 1}/${episodes.length}   step ${ep.stateSteps[f.state]}   return ${ep.returns[f.state]!.toFixed(2)}`,
        ]);
        r.autoClear = false;
        r.clearDepth();
        r.render(hud.scene, hud.camera);
        r.autoClear = true;
      }
      let tB = performance.now();
      timing.render += tB - tA;
      const frame = grab.frame(Math.round(i * usPerFrame), Math.round(usPerFrame));
      tA = performance.now();
      timing.capture += tA - tB;
      encoder.encode(frame, { keyFrame: i % keyEvery === 0 });
      frame.close();
      tB = performance.now();
      timing.encode += tB - tA;
      i++;
      onProgress?.({ phase: 'render', frame: i, frames });
      // Backpressure: never let more than a few frames wait for the encoder.
      if (encoder.encodeQueueSize > 3) await new Promise<void>((res) => encoder.addEventListener('dequeue', () => res(), { once: true }));
      else if (i % 4 === 0) await yieldTask();
      timing.wait += performance.now() - tB;
    }
    onProgress?.({ phase: 'finalize', frame: i, frames });
    await encoder.flush();
    await muxed;
    if (encodeError) throw encodeError;
    check();
    await output.finalize();
    const encodeSeconds = (performance.now() - t0) / 1000;
    const buffer = output.target.buffer;
    if (!buffer || buffer.byteLength === 0) throw new Error('the muxer produced no bytes');
    onProgress?.({ phase: 'save', frame: i, frames });
    const name = videoFileName(o.name, choice.container, { step: rollout.checkpointStep, seed: o.seed });
    const saved = await api.recorder.save(runId, name, await toBase64(new Uint8Array(buffer)), o.overwrite);
    return {
      runId,
      path: saved.path,
      name,
      codec: choice.codec,
      container: choice.container,
      frames: i,
      fps: o.fps,
      width: o.width,
      height: o.height,
      bytes: buffer.byteLength,
      duration: i / o.fps,
      checkpointStep: rollout.checkpointStep,
      episodeSteps: episodes.map((e) => e.steps),
      rate,
      encodeSeconds,
      framesPerSecond: i / encodeSeconds,
      look: lite ? 'lite' : 'full',
      msPerFrame: { render: timing.render / i, capture: timing.capture / i, encode: timing.encode / i, wait: timing.wait / i },
    };
  } catch (e) {
    if (encoder.state !== 'closed') encoder.close();
    if (output.state === 'started' || output.state === 'pending') await output.cancel().catch(() => undefined);
    throw e;
  } finally {
    if (encoder.state !== 'closed') encoder.close();
    hud?.dispose();
    // Software GL contexts are scarce: give this one back now rather than at GC.
    scene.renderer.forceContextLoss();
    scene.dispose();
  }
}

/** Reads the rendered frame back into memory and wraps it as a VideoFrame. A VideoFrame made
 * straight from the WebGL canvas stays GPU-backed, and under software GL the encoder's own
 * readback of it costs ~230 ms a frame at 720p here; readPixels into a reused buffer costs ~15 ms
 * and lets the encoder's RGBA→I420 conversion run on the CPU directly. */
class FrameGrabber {
  private readonly gl: WebGLRenderingContext | WebGL2RenderingContext;
  private readonly raw: Uint8Array<ArrayBuffer>;
  private readonly flipped: Uint8Array<ArrayBuffer>;

  constructor(
    renderer: THREE.WebGLRenderer,
    private readonly width: number,
    private readonly height: number,
  ) {
    this.gl = renderer.getContext();
    this.raw = new Uint8Array(width * height * 4);
    this.flipped = new Uint8Array(width * height * 4);
  }

  frame(timestamp: number, duration: number): VideoFrame {
    const { gl, width: W, height: H } = this;
    gl.readPixels(0, 0, W, H, gl.RGBA, gl.UNSIGNED_BYTE, this.raw);
    // GL rows run bottom-up; video rows top-down.
    const row = W * 4;
    for (let y = 0; y < H; y++) this.flipped.set(this.raw.subarray((H - 1 - y) * row, (H - y) * row), y * row);
    return new VideoFrame(this.flipped, { format: 'RGBX', codedWidth: W, codedHeight: H, timestamp, duration });
  }
}

/** Poses between kept states s and s+1 at fraction f: positions lerped, rotations slerped. */
function interpolate(ep: RolloutEpisode, s: number, f: number, n: number, out: number[]): void {
  const a = s * n;
  if (f === 0) {
    for (let j = 0; j < n; j++) out[j] = ep.poses[a + j]!;
    return;
  }
  const b = a + n;
  const pa = ep.poses;
  for (let o = 0; o < n; o += 7) {
    for (let j = 0; j < 3; j++) out[o + j] = pa[a + o + j]! + (pa[b + o + j]! - pa[a + o + j]!) * f;
    THREE.Quaternion.slerpFlat(out, o + 3, pa, a + o + 3, pa, b + o + 3, f);
  }
}

function placeCamera(scene: StudioScene, mode: CameraMode, offset: THREE.Vector3, t: number, target: THREE.Vector3): void {
  const cam = scene.camera;
  if (mode === 'follow') {
    // Track the root body on the ground plane from a closer version of the overview offset.
    const root = scene.rootPosition() ?? [0, 0, 0];
    target.set(root[0], 0, root[2]);
    cam.position.copy(target).addScaledVector(offset, 0.6);
  } else if (mode === 'orbit') {
    // A steady turn around the scene centre: the angle depends on video time only.
    target.set(0, 0, 0);
    const radius = Math.hypot(offset.x, offset.z);
    const angle = Math.atan2(offset.x, offset.z) + (2 * Math.PI * t) / ORBIT_PERIOD_S;
    cam.position.set(Math.sin(angle) * radius, offset.y, Math.cos(angle) * radius);
  } else {
    target.set(0, 0, 0);
    cam.position.copy(offset);
  }
  cam.lookAt(target);
  cam.updateMatrixWorld();
  scene.focus(target);
}
