/**
 * Indices of the non-dominated points (no other point has utility ≥ and gap ≤ with one of them strict),
 * ordered by gap, then utility. Equal points are all kept.
 */
export function paretoFront(points) {
    const order = points.map((_, i) => i).sort((a, b) => points[a].gap - points[b].gap || points[b].utility - points[a].utility);
    const front = [];
    let bestUtility = -Infinity;
    let last = null;
    for (const i of order) {
        const point = points[i];
        const equalToLast = last !== null && last.gap === point.gap && last.utility === point.utility;
        if (point.utility > bestUtility || equalToLast) {
            front.push(i);
            bestUtility = Math.max(bestUtility, point.utility);
            last = point;
        }
    }
    return front;
}
/**
 * Area of the plane dominated by the points and bounded by the reference point: the union of the rectangles
 * [reference.utility, p.utility] × [p.gap, reference.gap] of the points better than the reference in both.
 * In ERM-normalised units with reference (0, 1), it measures how much fairness a method buys over ERM and at
 * what utility (ERM alone scores 0).
 */
export function hypervolume(points, reference) {
    const inside = points.filter((p) => p.utility > reference.utility && p.gap < reference.gap);
    const front = paretoFront(inside).map((i) => inside[i]);
    let area = 0;
    front.forEach((point, k) => {
        const nextGap = k + 1 < front.length ? front[k + 1].gap : reference.gap;
        area += (point.utility - reference.utility) * (nextGap - point.gap);
    });
    return area;
}
//# sourceMappingURL=pareto.js.map