/**
 * A group's ROC points in counts, and their convex hull. The threshold classifier "positive when score ≥ t" for
 * t = each distinct score, plus t = +∞ (never positive), gives one point (false positives, true positives) each;
 * every randomised mixture of such classifiers lands in the convex hull of these points (Hardt et al. 2016, §4).
 */

export interface RocPoint {
  /** Positive when score ≥ threshold; null: never positive (the point (0, 0)). */
  threshold: number | null;
  falsePositives: number;
  truePositives: number;
}

export interface GroupRoc {
  negatives: number;
  positives: number;
  /** One point per threshold, from never positive (0, 0) to always positive (negatives, positives). */
  points: RocPoint[];
}

/** The ROC points of one group's scores (finite) and 0/1 labels. */
export function groupRoc(scores: ArrayLike<number>, labels: ArrayLike<number>): GroupRoc {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: RocPoint[] = [{ threshold: null, falsePositives: 0, truePositives: 0 }];
  let falsePositives = 0;
  let truePositives = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) truePositives++;
    else falsePositives++;
    // Rows with equal scores share one threshold: a point only after the last of a tie.
    if (k + 1 === order.length || scores[order[k + 1]] !== scores[i]) points.push({ threshold: scores[i], falsePositives, truePositives });
  }
  return { negatives: falsePositives, positives: truePositives, points };
}

/**
 * Indices (into `points`) of the vertices of the points' convex hull, by Andrew's monotone chain on whole counts
 * (exact in doubles: the cross products stay far below 2⁵³). Points on a hull edge are left out.
 */
export function hullVertices(points: readonly RocPoint[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => points[a].falsePositives - points[b].falsePositives || points[a].truePositives - points[b].truePositives);
  const cross = (o: number, a: number, b: number) => {
    const [po, pa, pb] = [points[o], points[a], points[b]];
    return (pa.falsePositives - po.falsePositives) * (pb.truePositives - po.truePositives) - (pa.truePositives - po.truePositives) * (pb.falsePositives - po.falsePositives);
  };
  const chain = (sequence: number[]) => {
    const hull: number[] = [];
    for (const i of sequence) {
      while (hull.length >= 2 && cross(hull[hull.length - 2], hull[hull.length - 1], i) <= 0) hull.pop();
      hull.push(i);
    }
    hull.pop();
    return hull;
  };
  const hull = [...chain(order), ...chain([...order].reverse())];
  // Duplicate coordinates cannot occur (the counts strictly grow along the thresholds), but a single point can.
  return hull.length > 0 ? hull : [order[0]];
}
