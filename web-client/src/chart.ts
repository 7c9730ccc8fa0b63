// Geometry of a diverging stacked bar: "fails" answers extend left of the centre line, "meets"
// answers right, and the unsure middle straddles it. Can't-say answers are not opinions and are
// reported beside the bar, not in it.

export interface Segment {
  point: number; // 1..5
  count: number;
  /** Left edge and width, in percent of the whole bar (the centre line is at 50). */
  left: number;
  width: number;
}

export function divergingSegments(distribution: number[]): Segment[] {
  const total = distribution.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const share = distribution.map((c) => c / total);
  // Half the bar's width is 100% of opinions on one side.
  const leftExtent = share[0] + share[1] + share[2] / 2;
  let x = 50 - leftExtent * 50;
  return distribution.map((count, i) => {
    const width = share[i] * 50;
    const seg = { point: i + 1, count, left: round2(x), width: round2(width) };
    x += width;
    return seg;
  });
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${Math.round((100 * part) / whole)}%`;
}
