/**
 * One training step of a plain MLP (ReLU hidden layers, one output) in a single pass over WebAssembly memory:
 * forward, the task loss's gradient, backward and Adam, with no TensorFlow.js op in between. The kernels are
 * wasm/dense-step (SIMD, with wasm/gemm's register-tiled product); the weights, Adam's moments and the batch live in the
 * module's own memory, laid out once here. Unlike TensorFlow.js's backward pass it never forms the input's gradient.
 *
 * Weights are in a model's `variables` order: kernel [in × out] row-major, bias [out], layer by layer, output last.
 *
 * With `threads` > 1 the memory is shared and helper threads (nn/gemm-threads.ts, instances of the same module on it)
 * take part in the large products: the forward x·W and the backward dH = dZ·Wᵀ by batch rows, the kernel gradient
 * xᵀ·dZ by kernel rows. Each output element is then still summed by one thread in the one-thread order, so the
 * results are bit-identical to one thread; the element-wise steps, the loss and Adam stay on the calling thread.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { FairkitError } from '../errors.js';
import { GemmThreads, splitHeight, worthSplitting, type GemmArgs, type SplitOp } from './gemm-threads.js';
import { WASM_PAGE, WebAssemblyGlobal } from './webassembly.js';

export type FusedLoss = 'bce' | 'mse';

export interface FusedMlpShape {
  inputDim: number;
  hidden: number[];
}

/** Adam's constants, as TensorFlow.js's `tf.train.adam(rate)` uses them (ε is the backend's). */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
}

interface DenseStepExports {
  gemm(a: number, rowStep: number, colStep: number, b: number, c: number, m: number, k: number, n: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  biasRelu(z: number, bias: number, rows: number, cols: number): void;
  outputLayer(h: number, w: number, bias: number, out: number, rows: number, cols: number): void;
  bceWithLogits(logits: number, labels: number, weights: number, dz: number, rows: number): number;
  squaredError(outputs: number, targets: number, weights: number, dz: number, rows: number): number;
  outputBackward(dz: number, w: number, h: number, dh: number, rows: number, cols: number): void;
  reluBackward(d: number, h: number, n: number): void;
  columnSums(d: number, sums: number, rows: number, cols: number): void;
  weightedColumnSums(h: number, dz: number, out: number, rows: number, cols: number): void;
  sparseRowsTimes(x: number, w: number, out: number, rows: number, d: number, n: number): void;
  sparseTransposeTimes(x: number, g: number, out: number, rows: number, d: number, n: number): void;
  sparseTransposeTimesRows(x: number, g: number, out: number, rows: number, d: number, n: number, p0: number, p1: number): void;
  countNonzero(x: number, n: number): number;
  adam(w: number, g: number, m: number, v: number, n: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, c1: number, c2: number, epsilon: number, negativeRate: number): void;
}

const WASM_DIR = new URL('../../wasm/build/', import.meta.url);
/** The module's own static data (none today) stays below the first page; 0 therefore means "no row weights". */
const LAYOUT_START = WASM_PAGE;
/**
 * Below this share of nonzero inputs the first layer's two products skip the zeros instead of running the tiled GEMM
 * (one-hot encoded tables such as Adult are mostly zeros). Override with `sparseBelow` (0: always the GEMM).
 */
export const SPARSE_INPUT_BELOW = 0.2;

/** Below this many multiply-adds a product runs on the calling thread alone (waking a helper costs more). */
export const FUSED_MIN_SPLIT_WORK = 1 << 20;

export interface FusedThreading {
  /** Threads for the large products, the calling one included (default 1: no helpers). */
  threads?: number;
  /** Products below this many multiply-adds stay on the calling thread (default FUSED_MIN_SPLIT_WORK). */
  minSplitWork?: number;
  /** How long a helper may take to start or to finish its chunks (default: gemm-threads.ts's). */
  timeoutMs?: number;
  /** Replaces the helpers' start-up code (tests inject failures with it). */
  startSourceForTests?: string;
}

const compiled = new Map<boolean, object>();

/** The compiled module; `shared`: the build that imports a shared memory (the `-shared` files), for threads. */
function compileDenseStep(shared: boolean): object {
  const cached = compiled.get(shared);
  if (cached) return cached;
  // Node 20 ships relaxed SIMD behind a flag that must be set before compiling; newer Node has it on.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const file = (variant: string) => readFileSync(new URL(`dense-step-${variant}${shared ? '-shared' : ''}.wasm`, WASM_DIR));
  const relaxed = file('relaxed-simd');
  const module = WebAssemblyGlobal.validate(relaxed) ? new WebAssemblyGlobal.Module(relaxed) : new WebAssemblyGlobal.Module(file('simd'));
  compiled.set(shared, module);
  return module;
}

/** Ends the helpers of a step that was dropped without dispose() (they would otherwise wait until the process ends). */
const helperRegistry = new FinalizationRegistry<GemmThreads>((helpers) => helpers.stop());

/** Byte offsets of one layer's parts inside the parameter block (the same offsets inside gradients and moments). */
interface LayerLayout {
  inputs: number;
  outputs: number;
  kernel: number;
  bias: number;
  /** Activations [rows × outputs] and their gradient (hidden layers only). */
  activations: number;
  activationGradients: number;
}

export class FusedMlpStep {
  private readonly wasm: DenseStepExports;
  private readonly heap: Float32Array;
  private readonly layers: LayerLayout[];
  private readonly sizes: number[];
  private readonly nParams: number;
  private readonly params: number;
  private readonly grads: number;
  private readonly firstMoments: number;
  private readonly secondMoments: number;
  private readonly x: number;
  private readonly targets: number;
  private readonly rowWeights: number;
  private readonly logits: number;
  private readonly logitGradients: number;
  private readonly scratch: number;
  private rows = 0;
  private nonzeroInputs = 0;
  private weighted = false;
  private sparseInput = false;
  private readonly threads: number;
  private readonly minSplitWork: number;
  private helpers: GemmThreads | null = null;
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    shape: FusedMlpShape,
    weights: Float32Array[],
    private readonly loss: FusedLoss,
    private readonly maxRows: number,
    private readonly adamConstants: AdamConstants,
    private readonly sparseBelow = SPARSE_INPUT_BELOW,
    threading: FusedThreading = {},
  ) {
    this.threads = threading.threads ?? 1;
    if (!Number.isInteger(this.threads) || this.threads < 1) throw new FairkitError(`threads must be a whole number of at least 1, got ${this.threads}`, { where: 'FusedMlpStep' });
    this.minSplitWork = threading.minSplitWork ?? FUSED_MIN_SPLIT_WORK;
    this.sizes = [shape.inputDim, ...shape.hidden, 1];
    if (weights.length !== 2 * (this.sizes.length - 1)) throw new Error(`FusedMlpStep: ${weights.length} weight arrays for ${this.sizes.length - 1} layers`);
    let next = LAYOUT_START;
    const take = (floats: number) => {
      const at = next;
      next += Math.ceil(floats / 4) * 16;
      return at;
    };
    let offset = 0;
    this.layers = this.sizes.slice(1).map((outputs, i) => {
      const inputs = this.sizes[i];
      const layer = { inputs, outputs, kernel: offset, bias: offset + inputs * outputs * 4, activations: 0, activationGradients: 0 };
      offset += (inputs * outputs + outputs) * 4;
      return layer;
    });
    this.nParams = offset / 4;
    this.params = take(this.nParams);
    this.grads = take(this.nParams);
    this.firstMoments = take(this.nParams);
    this.secondMoments = take(this.nParams);
    this.x = take(maxRows * shape.inputDim);
    this.targets = take(maxRows);
    this.rowWeights = take(maxRows);
    this.logits = take(maxRows);
    this.logitGradients = take(maxRows);
    for (const layer of this.layers.slice(0, -1)) {
      layer.activations = take(maxRows * layer.outputs);
      layer.activationGradients = take(maxRows * layer.outputs);
    }
    this.scratch = take(Math.max(0, ...this.layers.slice(1, -1).map((l) => l.inputs * l.outputs)));
    const pages = Math.ceil(next / WASM_PAGE) + 1;
    const shared = this.threads > 1;
    // A shared memory needs a maximum; the layout is fixed, so the memory never grows.
    const memory = new WebAssemblyGlobal.Memory(shared ? { initial: pages, maximum: pages, shared } : { initial: pages });
    const module = compileDenseStep(shared);
    this.wasm = new WebAssemblyGlobal.Instance(module, { env: { memory } }).exports as unknown as DenseStepExports;
    this.heap = new Float32Array(memory.buffer);
    if (shared) {
      const { timeoutMs, startSourceForTests } = threading;
      this.helpers = new GemmThreads(module, memory, this.threads - 1, { timeoutMs, startSourceForTests, where: 'fused step helper thread' });
      helperRegistry.register(this, this.helpers, this);
    }
    this.layers.forEach((layer, i) => {
      for (const [array, at, size] of [[weights[2 * i], layer.kernel, layer.inputs * layer.outputs], [weights[2 * i + 1], layer.bias, layer.outputs]] as const) {
        if (array.length !== size) throw new Error(`FusedMlpStep: weight array ${array === weights[2 * i] ? 2 * i : 2 * i + 1} has ${array.length} values, expected ${size}`);
        this.heap.set(array, (this.params + at) / 4);
      }
    });
    this.accBeta1 = Math.fround(adamConstants.beta1);
    this.accBeta2 = Math.fround(adamConstants.beta2);
  }

  /**
   * Copies the given rows of a row-major feature matrix (nFeatures = the input size), their targets (0/1 labels or
   * regression targets) and, when given, their row weights into the module's memory as the next batch.
   */
  setBatch(features: Float32Array, rows: Int32Array, targets: ArrayLike<number>, weights?: Float32Array): void {
    if (rows.length > this.maxRows) throw new Error(`FusedMlpStep: a batch of ${rows.length} rows, room for ${this.maxRows}`);
    const d = this.sizes[0];
    const x = this.x / 4;
    const t = this.targets / 4;
    const w = this.rowWeights / 4;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      this.heap.set(features.subarray(row * d, row * d + d), x + i * d);
      this.heap[t + i] = targets[row];
      if (weights) this.heap[w + i] = weights[row];
    }
    this.rows = rows.length;
    this.weighted = weights !== undefined;
    this.nonzeroInputs = this.wasm.countNonzero(this.x, rows.length * d);
    this.sparseInput = this.nonzeroInputs < this.sparseBelow * rows.length * d;
  }

  /** Forward and backward on the current batch: leaves the gradients in memory and returns the batch's mean loss. */
  forwardBackward(): number {
    const { wasm, rows, layers } = this;
    const hidden = layers.slice(0, -1);
    const output = layers[layers.length - 1];
    const inputOf = (i: number) => (i === 0 ? this.x : hidden[i - 1].activations);
    hidden.forEach((layer, i) => {
      if (i === 0 && this.sparseInput) this.product('sparseRows', [this.x, layer.inputs, 1, this.params + layer.kernel, layer.activations, rows, layer.inputs, layer.outputs], this.nonzeroInputs * layer.outputs);
      else this.product('gemm', [inputOf(i), layer.inputs, 1, this.params + layer.kernel, layer.activations, rows, layer.inputs, layer.outputs]);
      wasm.biasRelu(layer.activations, this.params + layer.bias, rows, layer.outputs);
    });
    const last = inputOf(hidden.length);
    wasm.outputLayer(last, this.params + output.kernel, this.params + output.bias, this.logits, rows, output.inputs);
    const lossOf = this.loss === 'bce' ? wasm.bceWithLogits : wasm.squaredError;
    const value = lossOf(this.logits, this.targets, this.weighted ? this.rowWeights : 0, this.logitGradients, rows);

    wasm.weightedColumnSums(last, this.logitGradients, this.grads + output.kernel, rows, output.inputs);
    wasm.columnSums(this.logitGradients, this.grads + output.bias, rows, 1);
    if (hidden.length > 0) wasm.outputBackward(this.logitGradients, this.params + output.kernel, last, hidden[hidden.length - 1].activationGradients, rows, output.inputs);
    for (let i = hidden.length - 1; i >= 0; i--) {
      const layer = hidden[i];
      if (i === 0 && this.sparseInput) this.product('sparseTransposeRows', [this.x, 0, 0, layer.activationGradients, this.grads + layer.kernel, layer.inputs, rows, layer.outputs], this.nonzeroInputs * layer.outputs);
      else this.product('gemm', [inputOf(i), 1, layer.inputs, layer.activationGradients, this.grads + layer.kernel, layer.inputs, rows, layer.outputs]);
      wasm.columnSums(layer.activationGradients, this.grads + layer.bias, rows, layer.outputs);
      if (i > 0) {
        const below = hidden[i - 1];
        wasm.transpose(this.params + layer.kernel, this.scratch, layer.inputs, layer.outputs);
        this.product('gemm', [layer.activationGradients, layer.outputs, 1, this.scratch, below.activationGradients, rows, layer.outputs, layer.inputs]);
        wasm.reluBackward(below.activationGradients, below.activations, rows * below.outputs);
      }
    }
    return value;
  }

  /**
   * One product (arguments placed as for GemmThreads.runSplit), split by output rows between the threads when it has
   * at least minSplitWork multiply-adds (`work`, default m·k·n), else on the calling thread alone.
   */
  private product(op: SplitOp, args: GemmArgs, work = args[5] * args[6] * args[7]): void {
    const [x, d, , w, out, m, k, n] = args;
    if (this.helpers === null || !worthSplitting(m, work, this.minSplitWork)) {
      if (op === 'gemm') this.wasm.gemm(...args);
      else if (op === 'sparseRows') this.wasm.sparseRowsTimes(x, w, out, m, d, n);
      else this.wasm.sparseTransposeTimes(x, w, out, k, m, n);
      return;
    }
    this.helpers.runSplit(this.wasm, op, args, splitHeight(op, m, this.threads));
  }

  /** How many product chunks the helper threads computed, of how many were split (0 of 0 on one thread). */
  helperChunks(): { byHelpers: number; total: number } {
    return this.helpers?.chunks() ?? { byHelpers: 0, total: 0 };
  }

  /** Ends the helper threads (a step without helpers has nothing to end); the step then runs on one thread. */
  dispose(): void {
    if (this.helpers === null) return;
    helperRegistry.unregister(this);
    this.helpers.stop();
    this.helpers = null;
  }

  /** One Adam update of every weight from the gradients in memory, at the given learning rate. */
  adamStep(learningRate: number): void {
    const { beta1, beta2, epsilon } = this.adamConstants;
    const f = Math.fround;
    this.wasm.adam(this.params, this.grads, this.firstMoments, this.secondMoments, this.nParams, f(beta1), f(1 - beta1), f(beta2), f(1 - beta2), f(1 - this.accBeta1), f(1 - this.accBeta2), f(epsilon), f(-learningRate));
    this.accBeta1 = f(this.accBeta1 * f(beta1));
    this.accBeta2 = f(this.accBeta2 * f(beta2));
  }

  /** Copies of the weights, in `variables` order. */
  weights(): Float32Array[] {
    return this.arrays(this.params);
  }

  /** Copies of the last forwardBackward's gradients, in `variables` order. */
  gradients(): Float32Array[] {
    return this.arrays(this.grads);
  }

  private arrays(block: number): Float32Array[] {
    return this.layers.flatMap((layer) => [
      this.heap.slice((block + layer.kernel) / 4, (block + layer.kernel) / 4 + layer.inputs * layer.outputs),
      this.heap.slice((block + layer.bias) / 4, (block + layer.bias) / 4 + layer.outputs),
    ]);
  }
}
