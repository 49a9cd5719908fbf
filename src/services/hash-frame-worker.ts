/** Worker thread entry for hashing video frames (see hash-video.ts). */
import { hashFrameTask } from './hash-frame-task.js';
import { serveTasks } from './serve-tasks.js';

serveTasks(hashFrameTask);
