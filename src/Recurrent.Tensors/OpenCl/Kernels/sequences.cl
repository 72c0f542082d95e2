// Variable-length and layout kernels: masking ended rows, per-sequence reversal, [B,T,F]↔[T,B,F], column blocks.

// Rows b with t >= lengths[b] take fallback's row (or zeros); x, fallback [B, width].
__kernel void mask_ended_rows(int batch, int width, int t, __global const int* lengths, int lo,
                              __global REAL* x, int xo, __global const REAL* fallback, int fo, int hasFallback)
{
    int idx = get_global_id(0);
    if (idx >= batch * width) return;
    int b = idx / width;
    if (t < lengths[lo + b]) return;
    x[xo + idx] = hasFallback ? fallback[fo + idx] : (REAL)0;
}

// y[t, b] = x[len_b − 1 − t, b] for t < len_b, else 0; x, y [T, B, F].
__kernel void reverse_sequences(int steps, int batch, int features, __global const REAL* x, int xo,
                                __global const int* lengths, int lo, __global REAL* y, int yo, __global int* err)
{
    int idx = get_global_id(0);
    if (idx >= steps * batch * features) return;
    int f = idx % features, tb = idx / features, b = tb % batch, t = tb / batch;
    int len = lengths[lo + b];
    if ((uint)len > (uint)steps) // reported (code 3) and clamped: x is never read outside its steps
    {
        if (t == 0 && f == 0) report_error(err, 3, b, len, steps);
        len = clamp(len, 0, steps);
    }
    y[yo + idx] = t < len ? x[xo + ((long)(len - 1 - t) * batch + b) * features + f] : (REAL)0;
}

// y [second, first, F] = x [first, second, F] with the leading two dimensions swapped.
__kernel void swap_leading_dims(int first, int second, int features, __global const REAL* x, int xo, __global REAL* y, int yo)
{
    int idx = get_global_id(0);
    if (idx >= first * second * features) return;
    int f = idx % features, ij = idx / features, j = ij % second, i = ij / second;
    y[yo + ((long)j * first + i) * features + f] = x[xo + idx];
}

// A [rows, width] block at column `column` of a [rows, wide] matrix, copied in (toColumns) or out, or added.
__kernel void columns(int rows, int width, int wide, int column, int toColumns, int accumulate,
                      __global const REAL* src, int so, __global REAL* dst, int dso)
{
    int idx = get_global_id(0);
    if (idx >= rows * width) return;
    int r = idx / width, j = idx % width;
    long narrow = (long)r * width + j, wideAt = (long)r * wide + column + j;
    REAL v = src[so + (toColumns ? narrow : wideAt)];
    __global REAL* d = dst + dso + (toColumns ? wideAt : narrow);
    *d = accumulate ? *d + v : v;
}
