/** A typed array that grows by doubling, so appending n values in batches costs O(n) overall. */
type TypedArray = Float64Array | Int32Array;
declare class Growable<T extends TypedArray> {
    private readonly make;
    private data;
    length: number;
    constructor(make: (capacity: number) => T);
    /** Makes room for `extra` more values and returns the array to write them into, from index `length`. */
    reserve(extra: number): T;
    append(values: T): void;
    /** The filled part, without copying (valid until the next append). */
    view(): T;
}
export declare class GrowableFloat64 extends Growable<Float64Array> {
    constructor();
}
export declare class GrowableInt32 extends Growable<Int32Array> {
    constructor();
}
export {};
