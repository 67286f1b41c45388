/** Fixed choices of the bench that several modules (and the light CLI registration) share, without heavy imports. */

/** The method every trade-off is measured against (FFB normalises by it); always part of a plan. */
export const REFERENCE_METHOD = 'erm';

/** Without --lambdas, each method runs at its default λ and this many times it. */
export const STRONGER_FACTOR = 4;
