/** First byte of linear memory that no static data uses: the host's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
