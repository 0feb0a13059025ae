import { expect, it } from 'vitest';
import { containerOfName, validateRecordOptions, videoBaseName, videoFileName } from './options.ts';

const ok = { episodes: 3, seed: 0, fps: 30, width: 1280, height: 720, camera: 'fixed' };

it('names the option as the caller calls it (the CLI: its flags)', () => {
  expect(() => validateRecordOptions(ok)).not.toThrow();
  expect(() => validateRecordOptions({ ...ok, fps: 1000 })).toThrow('fps must be an integer from 1 to 120, got 1000');
  expect(() => validateRecordOptions({ ...ok, fps: 1000 }, { fps: '--fps' })).toThrow(/^--fps must be/);
  expect(() => validateRecordOptions({ ...ok, width: 321 }, { size: '--size' })).toThrow(/^--size must be even.*321x720/);
  expect(() => validateRecordOptions({ ...ok, width: 0 }, { width: 'the --size width' })).toThrow(/^the --size width must be/);
  expect(() => validateRecordOptions({ ...ok, episodes: 101 })).toThrow(/episodes must be an integer from 1 to 100/);
  expect(() => validateRecordOptions({ ...ok, camera: 'drone' }, { camera: '--camera' })).toThrow(/^--camera must be follow/);
  expect(() => validateRecordOptions({ ...ok, name: '.hidden' }, { name: '--name' })).toThrow(
    /^--name "\.hidden" is not a valid file name/,
  );
  expect(() => validateRecordOptions({ ...ok, name: 'bad!name' })).toThrow(/not a valid file name/);
  expect(() => validateRecordOptions({ ...ok, name: 'x'.repeat(191) })).toThrow(/up to 190/);
});

it('a chosen name keeps its base whatever the case of its ending; the container decides the ending', () => {
  expect(videoBaseName('clip.webm')).toBe('clip');
  expect(videoBaseName('Clip.MP4')).toBe('Clip');
  expect(videoBaseName('v1.2')).toBe('v1.2');
  expect(containerOfName('Clip.MP4')).toBe('mp4');
  expect(containerOfName('clip.webm')).toBe('webm');
  expect(containerOfName('clip.avi')).toBeUndefined();
  expect(videoFileName('Clip.MP4', 'mp4', { step: 5, seed: 1 })).toBe('Clip.mp4');
  expect(videoFileName(undefined, 'webm', { step: 5000, seed: 3, now: new Date('2026-11-25T03:04:05.678Z') })).toBe(
    'rollout-2026-11-25T03-04-05-678Z-step5000-seed3.webm',
  );
});
