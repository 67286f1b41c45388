import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
/**
 * A seeded random source shared by every part of fairkit (splits, samplers, bootstrap, synthetic data,
 * weight initialisation), so that one seed reproduces a whole run.
 */
export class Rng {
    generator;
    spareNormal = null;
    constructor(seed) {
        if (!Number.isInteger(seed))
            throw new RangeError(`seed must be an integer, got ${seed}`);
        this.generator = xoroshiro128plus(seed);
    }
    /** Uniform in [0, 1). */
    uniform() {
        return uniformFloat64(this.generator);
    }
    /** Uniform integer in [0, n). */
    int(n) {
        return Math.floor(this.uniform() * n);
    }
    /** Standard normal (Box–Muller, caching the second value). */
    normal() {
        if (this.spareNormal !== null) {
            const value = this.spareNormal;
            this.spareNormal = null;
            return value;
        }
        let u = 0;
        while (u === 0)
            u = this.uniform();
        const v = this.uniform();
        const radius = Math.sqrt(-2 * Math.log(u));
        this.spareNormal = radius * Math.sin(2 * Math.PI * v);
        return radius * Math.cos(2 * Math.PI * v);
    }
    /** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 uses the boost Gamma(shape+1)·U^(1/shape). */
    gamma(shape) {
        if (!(shape > 0))
            throw new RangeError(`gamma shape must be > 0, got ${shape}`);
        if (shape < 1)
            return this.gamma(shape + 1) * Math.pow(this.uniform() || Number.MIN_VALUE, 1 / shape);
        const d = shape - 1 / 3;
        const c = 1 / Math.sqrt(9 * d);
        for (;;) {
            let x;
            let v;
            do {
                x = this.normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            const u = this.uniform();
            if (u < 1 - 0.0331 * x ** 4)
                return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
                return d * v;
        }
    }
    /** Beta(a, b) from two gammas. */
    beta(a, b) {
        const x = this.gamma(a);
        const y = this.gamma(b);
        return x / (x + y);
    }
    /** Dirichlet(alpha, …, alpha) over k components. */
    dirichlet(alpha, k) {
        const out = new Float64Array(k);
        let total = 0;
        for (let i = 0; i < k; i++)
            total += out[i] = this.gamma(alpha);
        for (let i = 0; i < k; i++)
            out[i] /= total;
        return out;
    }
    /** Fisher–Yates shuffle in place. */
    shuffle(items) {
        for (let i = items.length - 1; i > 0; i--) {
            const j = this.int(i + 1);
            const tmp = items[i];
            items[i] = items[j];
            items[j] = tmp;
        }
        return items;
    }
    /** A permutation of 0..n-1. */
    permutation(n) {
        const order = new Int32Array(n);
        for (let i = 0; i < n; i++)
            order[i] = i;
        return this.shuffle(order);
    }
    /** A new independent generator derived from this one (for handing to a sub-task). */
    fork() {
        return new Rng(this.int(0x7fffffff));
    }
}
//# sourceMappingURL=rng.js.map