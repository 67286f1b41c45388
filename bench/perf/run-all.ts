import { benchmarkAuditScale } from './audit-scale.js';
import { benchmarkErmAgainstPytorch } from './erm-vs-pytorch.js';
import { benchmarkFastMatMul } from './fast-matmul.js';
import { benchmarkGcmCost } from './gcm-cost.js';
import { main as benchmarkMetrics } from './metrics.js';
import { benchmarkMethods } from './methods.js';
import { benchmarkNn } from './nn.js';
import { benchmarkQueue } from './queue.js';
import { benchmarkServe } from './serve.js';
import { benchmarkSpeed } from './speed.js';

/** `npm run bench`: every benchmark, each printing its own numbers and ratios against a reference in the same run. */
benchmarkMetrics();
await benchmarkNn();
await benchmarkErmAgainstPytorch();
await benchmarkGcmCost();
await benchmarkFastMatMul();
await benchmarkSpeed();
await benchmarkMethods();
await benchmarkServe();
await benchmarkAuditScale();
await benchmarkQueue();
