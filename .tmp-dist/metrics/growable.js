class Growable {
    make;
    data;
    length = 0;
    constructor(make) {
        this.make = make;
        this.data = make(1024);
    }
    /** Makes room for `extra` more values and returns the array to write them into, from index `length`. */
    reserve(extra) {
        const needed = this.length + extra;
        if (needed > this.data.length) {
            const grown = this.make(Math.max(needed, 2 * this.data.length));
            grown.set(this.data.subarray(0, this.length));
            this.data = grown;
        }
        return this.data;
    }
    append(values) {
        this.reserve(values.length).set(values, this.length);
        this.length += values.length;
    }
    /** The filled part, without copying (valid until the next append). */
    view() {
        return this.data.subarray(0, this.length);
    }
}
export class GrowableFloat64 extends Growable {
    constructor() {
        super((capacity) => new Float64Array(capacity));
    }
}
export class GrowableInt32 extends Growable {
    constructor() {
        super((capacity) => new Int32Array(capacity));
    }
}
//# sourceMappingURL=growable.js.map