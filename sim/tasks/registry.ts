// Every task, by id. Adding a task = adding its module here.
import type { TaskEntry } from '../registry-types.ts';
import { antTasks } from './ant.ts';
import { arm7Tasks } from './arm7.ts';
import { cheetahTasks } from './cheetah.ts';
import { pointTasks } from './point.ts';

export const TASKS = new Map<string, TaskEntry>();
for (const t of [...pointTasks, ...antTasks, ...cheetahTasks, ...arm7Tasks]) TASKS.set(t.description.id, t);
