// A small seeded pseudo-random generator (mulberry32): the same seed always plans the same day.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A time in [from, to), bunched towards the middle (the mean of two uniforms: a triangle). */
  around(from: number, to: number): number;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    around: (from, to) => from + ((next() + next()) / 2) * (to - from),
    chance: (p) => next() < p,
  };
}
