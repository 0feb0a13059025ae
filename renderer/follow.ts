// Whether the 3-D view follows the robot: the user's choice per robot, kept across restarts, and
// otherwise on for robots that travel (a walker runs out of a fixed view within seconds; the arm
// and the point mass stay in it).

const FOLLOW_KEY = 'maxent.follow';

/** The robot a task belongs to: the first part of its id ('ant/run-any' → 'ant'). */
export const robotOf = (taskId: string): string => taskId.split('/')[0] ?? taskId;

/** Follow camera choices the user made, per robot; kept across restarts. */
export function savedFollow(): Record<string, boolean> {
  try {
    const v = JSON.parse(localStorage.getItem(FOLLOW_KEY) ?? 'null') as unknown;
    if (!v || typeof v !== 'object') return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
  } catch {
    return {};
  }
}

/** Whether the view follows a robot: the user's last choice for it, else whether it travels. */
export function followsByDefault(spec: { id: string; travels: boolean }, saved: Record<string, boolean>): boolean {
  return saved[robotOf(spec.id)] ?? spec.travels;
}

export function saveFollow(robot: string, on: boolean): void {
  try {
    localStorage.setItem(FOLLOW_KEY, JSON.stringify({ ...savedFollow(), [robot]: on }));
  } catch {
    // storage full or disabled: the choice lasts this session only
  }
}
