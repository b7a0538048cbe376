/**
 * Seeds of independent random streams derived from one base seed. Neighbouring seeds give
 * correlated first draws in xoroshiro128+ (its state is set from the seed directly), so each
 * stream's seed is passed through the murmur3 32-bit finaliser first.
 *
 * @module
 */

/** A well-mixed 32-bit seed for stream `index` of `base`. */
export function deriveSeed(base: number, index: number): number {
  let h = (base ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h | 0;
}
