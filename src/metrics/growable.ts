/** A typed array that grows by doubling, so appending n values in batches costs O(n) overall. */
type TypedArray = Float64Array | Int32Array;

class Growable<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: (capacity: number) => T) {
    this.data = make(1024);
  }

  /** Makes room for `extra` more values and returns the array to write them into, from index `length`. */
  reserve(extra: number): T {
    const needed = this.length + extra;
    if (needed > this.data.length) {
      const grown = this.make(Math.max(needed, 2 * this.data.length));
      grown.set(this.data.subarray(0, this.length) as never);
      this.data = grown;
    }
    return this.data;
  }

  append(values: T): void {
    this.reserve(values.length).set(values as never, this.length);
    this.length += values.length;
  }

  /** The filled part, without copying (valid until the next append). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor() {
    super((capacity) => new Float64Array(capacity));
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor() {
    super((capacity) => new Int32Array(capacity));
  }
}
