// Collision groups (Rapier InteractionGroups: membership << 16 | filter).
// Robots collide with the world (ground, walls, table, obstacles) and free objects,
// never with each other or themselves: VecEnv robots can share one world safely.
const WORLD = 0x0001;
const ROBOT = 0x0002;
const OBJECT = 0x0004;

export const GROUP_WORLD = (WORLD << 16) | (ROBOT | OBJECT);
export const GROUP_ROBOT = (ROBOT << 16) | (WORLD | OBJECT);
export const GROUP_OBJECT = (OBJECT << 16) | (WORLD | ROBOT | OBJECT);
