/** A configuration in a trade-off plane: utility is maximised, the fairness gap minimised. */
export interface TradeoffPoint {
    utility: number;
    gap: number;
}
/**
 * Indices of the non-dominated points (no other point has utility ≥ and gap ≤ with one of them strict),
 * ordered by gap, then utility. Equal points are all kept.
 */
export declare function paretoFront(points: readonly TradeoffPoint[]): number[];
/**
 * Area of the plane dominated by the points and bounded by the reference point: the union of the rectangles
 * [reference.utility, p.utility] × [p.gap, reference.gap] of the points better than the reference in both.
 * In ERM-normalised units with reference (0, 1), it measures how much fairness a method buys over ERM and at
 * what utility (ERM alone scores 0).
 */
export declare function hypervolume(points: readonly TradeoffPoint[], reference: TradeoffPoint): number;
