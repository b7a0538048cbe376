// Entry point of the WASM core: every exported kernel is re-exported from here.
// Conventions (all kernels): matrices are dense row-major f64 buffers addressed by byte
// pointers into linear memory; kernels never allocate, callers pass workspace; an i32
// status is returned where a kernel can fail (0 = success).
export * from "./memory";
export * from "./blas";
export * from "./qr";
export * from "./svd";
export * from "./eigen";
export * from "./gd";
export * from "./gd_deep";
export * from "./elementwise";
export * from "./lu";
export * from "./cholesky";
export * from "./expm";
