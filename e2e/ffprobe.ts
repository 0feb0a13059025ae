// ffprobe (Debian's ffmpeg package) as the independent judge of recorded videos: codec, size,
// decoded frame count and container duration.
import { spawnSync } from 'node:child_process';
import { totalFrames, type StepRate } from '../renderer/record-plan.ts';

export interface ProbeResult {
  codec: string;
  width: number;
  height: number;
  /** Frames actually decoded (-count_frames), not the header's claim. */
  frames: number;
  duration: number;
  format: string;
}

export function ffprobe(file: string): ProbeResult {
  const r = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,nb_read_frames:format=duration,format_name',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  if (r.error) throw new Error(`ffprobe is not available (${r.error.message}): apt-get install -y ffmpeg`);
  if (r.status !== 0) throw new Error(`ffprobe rejects ${file}: ${r.stderr.trim()}`);
  const j = JSON.parse(r.stdout) as {
    streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[];
    format: { duration: string; format_name: string };
  };
  const s = j.streams[0];
  if (!s) throw new Error(`ffprobe finds no video stream in ${file}`);
  return {
    codec: s.codec_name,
    width: s.width,
    height: s.height,
    frames: Number(s.nb_read_frames),
    duration: Number(j.format.duration),
    format: j.format.format_name,
  };
}

/** Checks a recorded video against the recorder's report and the documented frame-count rule
 * (renderer/record-plan.ts): frames = sum over episodes of 1 + m * ceil(L / k), duration = frames / fps. */
export function expectVideo(
  file: string,
  rec: { container: 'mp4' | 'webm'; frames: number; fps: number; width: number; height: number; episodeSteps: number[]; rate: StepRate },
): ProbeResult {
  const p = ffprobe(file);
  const want = totalFrames(
    rec.episodeSteps.map((steps) => ({ steps })),
    rec.rate,
  );
  const problems: string[] = [];
  const codec = rec.container === 'mp4' ? 'h264' : 'vp9';
  if (p.codec !== codec) problems.push(`codec ${p.codec}, want ${codec}`);
  if (rec.container === 'mp4' && !p.format.includes('mp4')) problems.push(`container ${p.format}, want mp4`);
  if (rec.container === 'webm' && !p.format.includes('webm')) problems.push(`container ${p.format}, want webm`);
  if (p.width !== rec.width || p.height !== rec.height) problems.push(`size ${p.width}x${p.height}, want ${rec.width}x${rec.height}`);
  if (rec.frames !== want) problems.push(`the recorder reports ${rec.frames} frames, the rule gives ${want}`);
  if (p.frames !== want) problems.push(`${p.frames} frames decoded, the rule gives ${want}`);
  if (Math.abs(p.duration - want / rec.fps) > 0.5 / rec.fps + 1e-3)
    problems.push(`duration ${p.duration} s, want ${want}/${rec.fps} = ${(want / rec.fps).toFixed(3)} s`);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return p;
}
