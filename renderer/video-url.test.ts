// Saved videos play from the host's own URL when the API offers one (Electron), else the web route.
import { expect, it } from 'vitest';
import type { StudioApi } from '../studio/api.ts';
import { mediaVideoUrl } from '../electron/media-protocol.ts';
import { videoUrl } from './record-panel.ts';

it('uses recorder.videoUrl from the host when present, else the HTTP route', () => {
  const web = { recorder: {} } as unknown as StudioApi;
  const electron = { recorder: { videoUrl: mediaVideoUrl } } as unknown as StudioApi;
  expect(videoUrl('r-1', 'a b.mp4', web)).toBe('runs/r-1/videos/a%20b.mp4');
  expect(videoUrl('r-1', 'clip.mp4', electron)).toBe('maxent-media://videos/r-1/clip.mp4');
});
