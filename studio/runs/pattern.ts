// Run ids and video names never start with a dot: '.' and '..' would name the store or the home
// folder itself, and a leading dot hides a video. Kept free of Node imports: the browser-side API
// schema uses them too.
export const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** A video file in a run's videos/ folder. */
export const VIDEO_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.(mp4|webm)$/;
